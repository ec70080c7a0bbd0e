import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentDatasets } from '../../../../src/main/app/RecentDatasets';
import type { RecentDataset } from '../../../../src/shared/ipc/contract';

const temp = () => mkdtempSync(path.join(tmpdir(), 'spikedock-recent-'));
const entry = (p: string, extra: Partial<RecentDataset> = {}): RecentDataset => ({
  path: p,
  name: path.basename(p),
  format: 'template',
  openedAt: '2025-01-01T00:00:00.000Z',
  ...extra,
});

describe('RecentDatasets', () => {
  it('reads an absent file as an empty list', async () => {
    expect(await RecentDatasets.inUserData(temp()).list()).toEqual([]);
  });

  it('keeps the newest first, one entry per dataset, and persists to recent.json', async () => {
    const dir = temp();
    const store = RecentDatasets.inUserData(dir);
    await store.add(entry('/data/a'));
    await store.add(entry('/data/b', { nClusters: 64 }));
    await store.add(entry('/data/a', { openedAt: '2025-02-01T00:00:00.000Z', reviewed: 3 }));
    const list = await RecentDatasets.inUserData(dir).list();
    expect(list.map((e) => e.path)).toEqual(['/data/a', '/data/b']);
    expect(list[0]).toMatchObject({ reviewed: 3, openedAt: '2025-02-01T00:00:00.000Z' });
    const onDisk = JSON.parse(readFileSync(path.join(dir, 'recent.json'), 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.datasets).toHaveLength(2);
  });

  it('trims to the maximum', async () => {
    const store = RecentDatasets.inUserData(temp(), { max: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) await store.add(entry(`/d/${name}`));
    expect((await store.list()).map((e) => e.name)).toEqual(['e', 'd', 'c']);
  });

  it('loses no entry when many adds run at once, and leaves no temp file behind', async () => {
    const dir = temp();
    const store = RecentDatasets.inUserData(dir);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.add(entry(`/d/set ${i}`))));
    expect(await store.list()).toHaveLength(12);
    expect(readdirSync(dir)).toEqual(['recent.json']);
  });

  it('updates progress without reordering, and removes entries', async () => {
    const store = RecentDatasets.inUserData(temp());
    await store.add(entry('/d/one'));
    await store.add(entry('/d/two'));
    await store.update('/d/one', { reviewed: 10, nClusters: 40 });
    await store.update('/d/missing', { reviewed: 1 });
    let list = await store.list();
    expect(list.map((e) => e.path)).toEqual(['/d/two', '/d/one']);
    expect(list[1]).toMatchObject({ reviewed: 10, nClusters: 40 });
    await store.remove('/d/two');
    list = await store.list();
    expect(list.map((e) => e.path)).toEqual(['/d/one']);
  });

  it('keeps paths with spaces and unicode intact', async () => {
    const store = RecentDatasets.inUserData(temp());
    const p = '/data/Mäuse 2025/été — session 1';
    await store.add(entry(p));
    expect((await store.list())[0].path).toBe(p);
  });

  it('treats Windows paths case-insensitively', async () => {
    const store = RecentDatasets.inUserData(temp(), { platform: 'win32' });
    await store.add(entry('C:\\Data\\Mouse1'));
    await store.add(entry('c:\\data\\mouse1', { reviewed: 2 }));
    expect(await store.list()).toHaveLength(1);
  });

  it('reads a damaged file as empty, skips damaged entries, and recovers on the next add', async () => {
    const dir = temp();
    const file = path.join(dir, 'recent.json');
    writeFileSync(file, '{ not json');
    const store = RecentDatasets.inUserData(dir);
    expect(await store.list()).toEqual([]);
    writeFileSync(file, JSON.stringify({ version: 1, datasets: [entry('/ok'), { path: 42 }, entry('/ok2', { format: 'zarr' as never })] }));
    expect((await store.list()).map((e) => e.path)).toEqual(['/ok']);
    await store.add(entry('/new'));
    expect((await store.list()).map((e) => e.path)).toEqual(['/new', '/ok']);
  });

  it('rejects a malformed entry instead of writing it', async () => {
    const store = RecentDatasets.inUserData(temp());
    await expect(store.add({ path: '', name: 'x', format: 'template', openedAt: 'now' })).rejects.toThrow();
    expect(await store.list()).toEqual([]);
  });
});
