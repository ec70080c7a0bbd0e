/**
 * The main side of the Electron bridge, driven with the fields Electron's IPC events carry
 * (`sender.id`, `senderFrame.url`, main frame or not) against a real BackendHost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcRouter, type IpcSender } from '../../../electron/IpcRouter';
import { APP_ENTRY_URL, trustedOrigins } from '../../../electron/security';
import { BackendHost } from '../../../src/main/BackendHost';
import type { DatasetSummary } from '../../../src/shared/ipc/contract';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';

const WINDOW_ID = 7;
const ours: IpcSender = { senderId: WINDOW_ID, frame: { url: APP_ENTRY_URL, isMainFrame: true } };

function setup() {
  const host = new BackendHost({ userDataDir: mkdtempSync(path.join(tmpdir(), 'spikedock-ipc-')), version: '9.8.7' });
  const window = { host, calls: new Map<number, AbortController>() };
  const logged: string[] = [];
  const router = new IpcRouter({
    origins: trustedOrigins(),
    logFile: '/logs/spikedock.log',
    windowOf: (id) => (id === WINDOW_ID ? window : undefined),
    log: (level, message) => logged.push(`${level} ${message}`),
  });
  return { host, window, router, logged };
}

describe('IpcRouter: who may call', () => {
  const { router, logged } = setup();

  it('answers the main frame of our window', async () => {
    expect(await router.call(ours, 'app', 'version', null, [])).toEqual({ ok: true, value: '9.8.7' });
  });

  it('refuses other windows, other origins, subframes and gone frames', async () => {
    const refused = [
      { senderId: 99, frame: { url: APP_ENTRY_URL, isMainFrame: true } },
      { senderId: WINDOW_ID, frame: { url: 'https://evil.example/', isMainFrame: true } },
      { senderId: WINDOW_ID, frame: { url: 'file:///tmp/page.html', isMainFrame: true } },
      { senderId: WINDOW_ID, frame: { url: APP_ENTRY_URL, isMainFrame: false } },
      { senderId: WINDOW_ID, frame: null },
    ];
    for (const sender of refused) {
      expect(await router.call(sender, 'app', 'version', null, [])).toEqual({ ok: false, error: { message: expect.any(String), code: 'untrusted-sender' } });
    }
    expect(logged.filter((l) => l.startsWith('warn refused'))).toHaveLength(refused.length);
  });
});

describe('IpcRouter: what may be called', () => {
  const { router, window } = setup();

  it('rejects unknown services and methods', async () => {
    for (const [service, method] of [['fs', 'readFile'], ['app', 'quit'], ['session', 'constructor'], ['session', '__proto__'], ['viewData', 'toString']]) {
      const r = await router.call(ours, service, method, null, ['/etc/passwd']);
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-call' } });
    }
  });

  it('rejects malformed arguments before anything runs', async () => {
    const malformed: Array<[string, string, unknown]> = [
      ['session', 'merge', 'not a list'],
      ['session', 'merge', [['a', 'b']]],
      ['session', 'merge', [[1]]],
      ['session', 'merge', [[1, 2], undefined, 'extra']],
      ['session', 'label', [[1], 'group; rm -rf', 'good']],
      ['viewData', 'traces', [{ t0: 5, t1: 1 }]],
      ['viewData', 'waveforms', [{ clusterIds: [1], kind: 'waveforms', evil: true }]],
      ['app', 'openDataset', [42]],
    ];
    for (const [service, method, args] of malformed) {
      const r = await router.call(ours, service, method, null, args);
      expect(r, `${service}.${method}`).toMatchObject({ ok: false, error: { code: 'invalid-call' } });
      if (!r.ok) expect(r.error.message).toMatch(new RegExp(`${service}\\.${method}`));
    }
  });

  it('rejects malformed call ids and an id already in use', async () => {
    for (const id of [-1, 1.5, '3', {}]) expect(await router.call(ours, 'app', 'version', id, [])).toMatchObject({ ok: false, error: { code: 'invalid-call' } });
    window.calls.set(4, new AbortController());
    expect(await router.call(ours, 'app', 'version', 4, [])).toMatchObject({ ok: false, error: { code: 'invalid-call', message: 'call id 4 is already in use' } });
    window.calls.delete(4);
  });

  it('says when no dataset is open', async () => {
    expect(await router.call(ours, 'session', 'snapshot', null, [])).toMatchObject({ ok: false, error: { code: 'no-dataset' } });
  });
});

describe.skipIf(!hasPhyData)(`IpcRouter on an open dataset (${hasPhyData ? 'phy-data template' : phyDataSkipReason})`, () => {
  const ctx = setup();

  beforeAll(async () => {
    await ctx.host.openDataset(copyPhyData('template'));
  }, 120_000);
  afterAll(() => ctx.host.dispose(), 60_000);

  it('returns results Electron can structured-clone, typed arrays as binary', async () => {
    const r = await ctx.router.call(ours, 'dataset', 'summary', null, []);
    expect(r.ok).toBe(true);
    const summary = (r as { value: DatasetSummary }).value;
    expect(summary.channelIds).toBeInstanceOf(Int32Array);
    expect(summary.channelIds.buffer).toBeInstanceOf(ArrayBuffer);
    expect(summary.channelPositions).toBeInstanceOf(Float32Array);
    expect(() => serialize(summary)).not.toThrow();
  });

  it('cancels a call by its id: the caller hears `aborted` at once and the id is free again', async () => {
    const snapshot = await ctx.router.call(ours, 'session', 'snapshot', null, []);
    const ids = (snapshot as { value: { clusters: Array<{ id: number }> } }).value.clusters.slice(0, 2).map((c) => c.id);
    const pending = ctx.router.call(ours, 'viewData', 'waveforms', 11, [{ clusterIds: ids, kind: 'waveforms', nSpikes: 50 }]);
    expect(ctx.window.calls.has(11)).toBe(true);
    ctx.router.cancel(ours, 11);
    expect(await pending).toEqual({ ok: false, error: { message: 'aborted', code: 'aborted' } });
    expect(ctx.window.calls.has(11)).toBe(false);
  });

  it('ignores a cancel from an untrusted sender', async () => {
    const snapshot = await ctx.router.call(ours, 'session', 'snapshot', null, []);
    const ids = (snapshot as { value: { clusters: Array<{ id: number }> } }).value.clusters.slice(0, 1).map((c) => c.id);
    const pending = ctx.router.call(ours, 'viewData', 'templates', 12, [{ clusterIds: ids }]);
    ctx.router.cancel({ senderId: WINDOW_ID, frame: { url: 'https://evil.example/', isMainFrame: true } }, 12);
    expect(await pending).toMatchObject({ ok: true });
  });

  it('merges through the bridge and reports the change', async () => {
    const snapshot = await ctx.router.call(ours, 'session', 'snapshot', null, []);
    const ids = (snapshot as { value: { clusters: Array<{ id: number }> } }).value.clusters.slice(0, 2).map((c) => c.id);
    const r = await ctx.router.call(ours, 'session', 'merge', null, [ids, { selection: { clusterIds: ids } }]);
    expect(r).toMatchObject({ ok: true, value: { deleted: expect.arrayContaining(ids) } });
  });
});
