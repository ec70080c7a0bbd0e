/**
 * The renderer's Electron client (`connectElectron`) against the main side (`IpcRouter` + a real
 * BackendHost), with the IPC hop replaced by what Electron does to every message: a V8
 * structured clone. Everything but Electron's own transport runs: argument lists, call ids,
 * cancellation, error codes, events, typed arrays.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { toCloneable } from '../../../electron/cloneable';
import { IpcRouter, type IpcSender } from '../../../electron/IpcRouter';
import { APP_ENTRY_URL, trustedOrigins } from '../../../electron/security';
import { BackendHost } from '../../../src/main/BackendHost';
import { AbortedError, BackendError } from '../../../src/renderer/backend/BackendClient';
import { connectElectron, type ElectronBridge } from '../../../src/renderer/backend/createBackendClient';
import { parseChannel } from '../../../src/shared/ipc/schemas';
import type { BackendEvents, UpdateInfo } from '../../../src/shared/ipc/contract';
import type { IpcResult } from '../../../src/shared/ipc/bridge';
import { copyPhyData, hasPhyData, phyDataSkipReason } from '../../helpers/phyData';

const clone = <T>(v: T): T => deserialize(serialize(v)) as T;

function connect() {
  const host = new BackendHost({ userDataDir: mkdtempSync(path.join(tmpdir(), 'spikedock-bridge-')), version: '1.2.3' });
  const window = { host, calls: new Map<number, AbortController>() };
  const sender: IpcSender = { senderId: 1, frame: { url: APP_ENTRY_URL, isMainFrame: true } };
  const router = new IpcRouter({ origins: trustedOrigins(), logFile: '/log', windowOf: (id) => (id === 1 ? window : undefined), log: () => undefined });
  const bridge: ElectronBridge = {
    async invoke(channel, callId, args) {
      const c = parseChannel(channel);
      if (!c) return { ok: false, error: { message: 'foreign channel', code: 'invalid-call' } };
      return clone<IpcResult>(await router.call(sender, c.service, c.method, clone(callId), clone(args)));
    },
    cancel: (callId) => router.cancel(sender, callId),
    on: (name, listener) => host.on(name as keyof BackendEvents, (payload) => listener(clone(toCloneable(payload)))),
  };
  return { host, client: connectElectron(bridge) };
}

describe('Electron client ⇄ main, without a dataset', () => {
  const { host, client } = connect();
  afterAll(() => host.dispose());

  it('calls through and unwraps the result', async () => {
    expect(client.transport).toBe('electron');
    expect(await client.app.version()).toBe('1.2.3');
    expect(await client.app.current()).toBeNull();
  });

  it('rejects with the backend error code', async () => {
    const e = await client.session.snapshot().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as BackendError).code).toBe('no-dataset');
    const bad = await client.session.merge([1] as number[]).catch((x: unknown) => x);
    expect((bad as BackendError).code).toBe('invalid-call');
  });

  it('says what was expected when the path is not a dataset', async () => {
    const e = await client.app.openDataset(mkdtempSync(path.join(tmpdir(), 'not a dataset '))).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/not a sorting output.*expected a Kilosort\/phy folder/);
  });
});

describe.skipIf(!hasPhyData)(`Electron client ⇄ main on a dataset (${hasPhyData ? 'phy-data template' : phyDataSkipReason})`, () => {
  const { host, client } = connect();
  afterAll(() => host.dispose(), 60_000);

  it('opens, hears the events, merges, cancels a view request, and saves', { timeout: 120_000 }, async () => {
    const opened: string[] = [];
    const changes: UpdateInfo[] = [];
    client.on('onDidOpenDataset', (s) => opened.push(s.name));
    client.on('onDidChangeSession', (u) => changes.push(u));

    const summary = await client.app.openDataset(copyPhyData('template'));
    expect(summary.channelIds).toBeInstanceOf(Int32Array);
    expect(summary.channelPositions.length).toBe(summary.nChannels * 2);
    expect(opened).toEqual([summary.name]);

    const snap = await client.session.snapshot();
    const [a, b] = snap.clusters.map((c) => c.id);
    const update = await client.session.merge([a, b], { selection: { clusterIds: [a, b] } });
    expect(update.deleted).toEqual(expect.arrayContaining([a, b]));
    expect(changes.at(-1)).toEqual(update);

    const controller = new AbortController();
    const pending = client.viewData.waveforms({ clusterIds: update.added, kind: 'waveforms', nSpikes: 50 }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);

    const templates = await client.viewData.templates({ clusterIds: update.added });
    expect(templates.clusters[0].data).toBeInstanceOf(Float32Array);

    const saved = await client.session.save();
    expect(saved.files.length).toBeGreaterThan(0);
  });
});
