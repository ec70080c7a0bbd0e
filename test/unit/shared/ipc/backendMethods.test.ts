/**
 * BACKEND_METHODS is the one list of the contract's methods (tsc checks it against the
 * interfaces); the call schemas and the renderer's client must cover exactly it.
 */
import { describe, expect, it } from 'vitest';
import { connectElectron } from '../../../../src/renderer/backend/createBackendClient';
import { BACKEND_METHODS } from '../../../../src/shared/ipc/contract';
import { callSchemas } from '../../../../src/shared/ipc/schemas';

const services = Object.keys(BACKEND_METHODS) as Array<keyof typeof BACKEND_METHODS>;

describe('BACKEND_METHODS', () => {
  it('names the same services and methods as the call schemas', () => {
    expect(Object.keys(callSchemas).sort()).toEqual([...services].sort());
    for (const s of services) expect(Object.keys(callSchemas[s]).sort()).toEqual([...BACKEND_METHODS[s]].sort());
  });

  it('is what the renderer client proxies, each on its own channel', async () => {
    const channels: string[] = [];
    const client = connectElectron({
      invoke: async (channel) => {
        channels.push(channel);
        return { ok: true, value: null };
      },
      cancel: () => undefined,
      on: () => () => undefined,
    });
    for (const s of services) {
      const api = client[s] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      expect(Object.keys(api).sort()).toEqual([...BACKEND_METHODS[s]].sort());
      for (const m of BACKEND_METHODS[s]) await api[m]({});
    }
    expect(channels).toEqual(services.flatMap((s) => BACKEND_METHODS[s].map((m) => `spikedock:${s}.${m}`)));
  });
});
