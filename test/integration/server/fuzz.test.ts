// Abuse of a real `spikedock serve` on 127.0.0.1 (issue #11), bounded in count and time (fixed
// seeds, so a failure replays): malformed request lines, paths, headers and cookies on raw TCP;
// garbage WebSocket frames, on raw TCP and through a client; and schema-fuzzed arguments for
// every method of the contract (`callSchemas`). The server must stay up, answer 4xx, never serve
// a page or the API without the token, and answer every call with a result or a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { callSchemas } from '../../../src/shared/ipc/schemas';
import { encodeMessage } from '../../../src/shared/ipc/codec';
import { call, openSocket, rawRequest, startServe, statusOf, stillServes, type ServeProcess } from './serveProcess';

let s: ServeProcess;

beforeAll(async () => {
  s = await startServe({ raw: true, seed: 7 });
});

afterAll(async () => {
  await s?.stop();
});

const SEED = 11;

describe('malformed HTTP on raw sockets', () => {
  it('answers every request without the token with a 4xx (or closes it), and stays up', async () => {
    const hostHeader = fc.oneof(
      fc.constant(`127.0.0.1:${s.port}`),
      fc.constant(`localhost:${s.port}`),
      fc.constant('evil.example'),
      fc.constant(''),
      fc.string({ maxLength: 40 }),
    );
    const target = fc.oneof(
      fc.constantFrom('/', '//', '///x', '/%', '/%c0%ae', '/%00', '/..%2f..%2fpackage.json', '/ws', '*', 'http://[', 'http://127.0.0.1/', '/index.html?token=', '/?token=%ff'),
      fc.string({ maxLength: 60 }).map((x) => `/${x.replace(/[\s]/g, '')}`),
      fc.string({ maxLength: 30 }).map((x) => x.replace(/[\s]/g, '') || '/'),
      fc.constant(`/${'a'.repeat(9000)}`),
    );
    const header = fc.oneof(
      fc.constantFrom(
        'Cookie: spikedock_token=xx',
        `Cookie: spikedock_token_${s.port}=${'c'.repeat(48)}`,
        `Cookie: spikedock_token_${s.port}`,
        'Cookie: ;;;==;',
        'Origin: http://127.0.0.1:1',
        'Origin: null',
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-Fetch-Site: cross-site',
        'Content-Length: 5',
        'Transfer-Encoding: chunked',
      ),
      fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 })).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, '')}`),
    );
    const request = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'CONNECT', 'BREW', 'get'), target, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', 'HTTP/9.9', ''), hostHeader, fc.array(header, { maxLength: 5 })).map(([m, t, v, h, hs]) => `${m} ${t} ${v}\r\nHost: ${h}\r\n${hs.join('\r\n')}${hs.length ? '\r\n' : ''}Connection: close\r\n\r\n`) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array([...b, 13, 10, 13, 10])) },
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const answer = await rawRequest(s.port, req, 1500);
        const status = statusOf(answer);
        // No token: never a page (2xx/3xx) and never a 5xx; null when the server just closed it.
        if (status !== null) expect(status >= 400 && status < 500, `${status} for ${JSON.stringify(typeof req === 'string' ? req.slice(0, 200) : 'bytes')}`).toBe(true);
        expect(s.exited(), s.output()).toBeNull();
      }),
      { numRuns: 120, seed: SEED },
    );
    expect(await stillServes(s), s.output()).toBe(true);
  });
});

/** Opens /ws by hand on a raw socket; resolves once the server answered 101. */
function rawWebSocket(): Promise<ReturnType<typeof connect>> {
  return new Promise((resolve, reject) => {
    const socket = connect(s.port, '127.0.0.1');
    let got = '';
    socket.on('error', reject);
    socket.on('data', function onData(b: Buffer) {
      got += b.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        socket.off('data', onData);
        if (statusOf(got) === 101) resolve(socket);
        else reject(new Error(got));
      }
    });
    socket.on('connect', () =>
      socket.write(
        `GET /ws?token=${s.token} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
  });
}

describe('malformed WebSocket traffic', () => {
  it('ends a connection that sends frames that break the protocol (raw bytes after the handshake), and stays up', async () => {
    // A frame header: FIN/RSV/opcode byte, mask bit + length, then payload (masked or not).
    const frame = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 32 })).map(([a, b, p]) => new Uint8Array([a, b, ...p])),
      // A masked text frame of bytes that are not UTF-8.
      fc.constant(new Uint8Array([0x81, 0x83, 1, 2, 3, 4, 0xff ^ 1, 0xfe ^ 2, 0xfd ^ 3])),
      // A 64-bit length far over the message limit.
      fc.constant(new Uint8Array([0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4])),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (bytes) => {
        const socket = await rawWebSocket();
        const closed = new Promise<void>((r) => socket.once('close', () => r()));
        socket.on('error', () => undefined);
        socket.write(bytes);
        // Either the server ends it (a protocol error) or it waits for the rest: we end it then.
        const ended = await Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
        if (!ended) socket.destroy();
        expect(s.exited(), s.output()).toBeNull();
      }),
      { numRuns: 40, seed: SEED },
    );
    expect(await stillServes(s), s.output()).toBe(true);
  });

  it('answers malformed messages in well-formed frames with an error and keeps the socket', async () => {
    const ws = await openSocket(s, `?token=${s.token}`);
    const message = fc.oneof(
      fc.string({ maxLength: 100 }).map((x) => ({ text: x })),
      fc.jsonValue().map((v) => ({ text: JSON.stringify(v) })),
      fc.record({ type: fc.constantFrom('call', 'cancel', 'result', 'x'), id: fc.oneof(fc.integer(), fc.double(), fc.string()), service: fc.string({ maxLength: 10 }), method: fc.string({ maxLength: 10 }), args: fc.jsonValue() }, { requiredKeys: [] }).map((m) => ({ binary: encodeMessage(m) })),
      fc.uint8Array({ maxLength: 100 }).map((b) => ({ binary: b })),
      // A header length past the end, a typed array outside the frame.
      fc.constant({ binary: new Uint8Array([255, 255, 255, 127, 0, 0]) }),
      fc.constant({ binary: (() => {
        const h = new TextEncoder().encode('{"v":{"type":"call","id":1,"service":"app","method":"version","args":[{"$ta":"Float64Array","b":0}]},"buffers":[[0,80000]]}');
        const f = new Uint8Array(Math.ceil((4 + h.length) / 8) * 8);
        new DataView(f.buffer).setUint32(0, h.length, true);
        f.set(h, 4);
        return f;
      })() }),
    );
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        if ('text' in m) ws.send(m.text);
        else ws.send(m.binary);
        // The socket still answers a good call after it (messages are handled in order).
        const r = await call(ws, 'app', 'version', []);
        expect(r.type).toBe('result');
      }),
      { numRuns: 60, seed: SEED },
    );
    ws.close();
  });
});

// Values a request field might get: edges of every bound, wrong types, typed arrays.
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e-9, 1e-5, 0.001, 0.05, 3600, 1e9, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Infinity, -Infinity, NaN, 31, 32, 4095, 65_535, 65_536),
  fc.integer({ min: -10, max: 100 }),
  fc.double(),
);
const ids = fc.oneof(fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 6 }), fc.array(number, { maxLength: 3 }), fc.constant(Array.from({ length: 65 }, (_, k) => k)));
const dim = fc.oneof(fc.constant({ type: 'time' }), fc.record({ type: fc.constant('pc'), channelId: number, pc: number }), fc.record({ type: fc.constant('amplitude'), kind: fc.constantFrom('template', 'feature', 'raw', 'x') }), fc.jsonValue());
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
    clusterIds: ids,
    similarIds: ids,
    selection: fc.record({ clusterIds: ids }),
    kind: fc.constantFrom('waveforms', 'mean', 'templates', 'template', 'feature', 'raw', 'spikes', 'lasso', '', 'x'),
    nSpikes: number,
    nChannels: number,
    channelIds: fc.oneof(fc.array(number, { maxLength: 3 }), fc.tuple(fc.integer({ min: -1, max: 40 }), fc.integer({ min: -1, max: 40 }))),
    filter: fc.oneof(fc.boolean(), number),
    background: fc.boolean(),
    feature: fc.record({ channelId: number, pc: number }),
    binSize: number,
    windowSize: number,
    refractoryPeriod: number,
    maxSpikes: number,
    max: number,
    nBins: number,
    t0: number,
    t1: number,
    width: number,
    name: fc.constantFrom('positions', 'amplitudes', '../../etc/passwd', ''),
    spikeIds: fc.oneof(fc.constant(new Int32Array([0, 1, 2, -1, 2 ** 30])), fc.int32Array({ maxLength: 10 })),
    polygon: fc.oneof(fc.constant(new Float32Array([0, 0, 1, 0, 0, 1])), fc.float32Array({ maxLength: 8 })),
    x: dim,
    y: dim,
    nTimeBins: number,
    nDepthBins: number,
    timeRange: fc.oneof(fc.tuple(number, number), fc.array(number, { maxLength: 3 })),
    depthRange: fc.oneof(fc.tuple(number, number), fc.array(number, { maxLength: 3 })),
    time: number,
    depth: number,
    secondsPerPixel: number,
    umPerPixel: number,
    radiusPixels: number,
};
const field = fc.record(fieldValues, { requiredKeys: [] });
const argument = fc.oneof({ weight: 3, arbitrary: field }, { weight: 2, arbitrary: ids }, { weight: 1, arbitrary: number }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 1, arbitrary: fc.jsonValue() });

/**
 * A valid first argument of each request-taking method (clusters 0 and 1 exist in the generated
 * dataset): the fuzzer overrides some of its fields, so that calls get past the schemas and
 * into the handlers, with values at and beyond each limit.
 */
const VALID: Record<string, unknown[]> = {
  'viewData.waveforms': [{ clusterIds: [0], kind: 'waveforms' }],
  'viewData.features': [{ clusterIds: [0] }],
  'viewData.amplitudes': [{ clusterIds: [0], kind: 'template' }],
  'viewData.correlograms': [{ clusterIds: [0, 1] }],
  'viewData.isi': [{ clusterIds: [0] }],
  'viewData.firingRate': [{ clusterIds: [0] }],
  'viewData.traces': [{ t0: 0, t1: 0.1 }],
  'viewData.templates': [{ clusterIds: [0] }],
  'viewData.spikeAttribute': [{ name: 'positions', clusterIds: [0] }],
  'viewData.drift': [{ nTimeBins: 100, nDepthBins: 50 }],
  'viewData.driftSpikes': [{ clusterIds: [0] }],
  'viewData.driftPick': [{ time: 1, depth: 100, secondsPerPixel: 0.01, umPerPixel: 1, radiusPixels: 8 }],
  'viewData.prefetch': [{ clusterIds: [0] }],
  'session.split': [{ kind: 'spikes', spikeIds: new Int32Array([0, 1]) }],
};

/** Arguments near a valid call: the valid request with one of its own fields fuzzed (or none). */
function nearValid(service: string, method: string): fc.Arbitrary<unknown[]> {
  const base = VALID[`${service}.${method}`];
  const schema = (callSchemas as unknown as Record<string, Record<string, { def: { items: Array<{ shape?: Record<string, unknown>; def: { options?: unknown[] } }> } }>>)[service][method];
  const shape = schema.def.items[0]?.shape;
  if (!base || !shape) return fc.array(argument, { maxLength: 4 });
  const own = Object.fromEntries(Object.keys(shape).filter((k) => k in fieldValues).map((k) => [k, fieldValues[k]]));
  // One field at a time, so that the others stay valid and the call reaches the handler.
  const keys = Object.keys(own);
  return fc
    .option(fc.constantFrom(...keys), { nil: undefined })
    .chain((k) => (k === undefined ? fc.constant({}) : own[k].map((v) => ({ [k]: v }))))
    .map((over) => [{ ...(base[0] as object), ...over }, ...base.slice(1)]);
}

/** Messages of a handler that failed on its input instead of refusing it. */
const CRASH = /Cannot read prop|is not a function|is not iterable|undefined is not|Invalid array length|out of memory|Maximum call stack/i;

describe('schema-fuzzed arguments for every method of the contract', () => {
  const methods = Object.entries(callSchemas).flatMap(([service, ms]) => Object.keys(ms).map((method) => ({ service, method })));

  it('answers every call with a result or a clear error, and stays up', { timeout: 120_000 }, async () => {
    // openDataset with a fuzzed path would only close this dataset; its refusals are tested elsewhere.
    const fuzzed = methods.filter((m) => !(m.service === 'app' && m.method === 'openDataset'));
    expect(fuzzed.length).toBeGreaterThan(20);
    const ws = await openSocket(s, `?token=${s.token}`);
    const answered = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fuzzed).chain((m) => fc.tuple(fc.constant(m), fc.oneof(fc.array(argument, { maxLength: 4 }), nearValid(m.service, m.method)))),
        async ([{ service, method }, args]) => {
        const r = await call(ws, service, method, args);
        const kind = r.type === 'result' ? `${service}:result` : `${r.code}`;
        answered.set(kind, (answered.get(kind) ?? 0) + 1);
        if (r.type === 'error') {
          expect(r.message.length, `${service}.${method}`).toBeGreaterThan(0);
          expect(r.message, `${service}.${method}(${JSON.stringify(args).slice(0, 300)})`).not.toMatch(CRASH);
          if (r.code === 'invalid-call') expect(r.message).toMatch(new RegExp(`${service}\\.${method}`));
        }
        },
      ),
      { numRuns: 500, seed: SEED },
    );
    ws.close();
    // The fuzzer gets past the schemas into the handlers (not only refusals).
    expect(answered.get('viewData:result') ?? 0, JSON.stringify(Object.fromEntries(answered))).toBeGreaterThan(10);
    expect(await stillServes(s), s.output()).toBe(true);
  });

  it('refuses an unknown app.openDataset path with a message naming it', async () => {
    const ws = await openSocket(s, `?token=${s.token}`);
    const r = await call(ws, 'app', 'openDataset', ['/nonexistent/spikedock-fuzz']);
    expect(r.type).toBe('error');
    expect((r as { message: string }).message).toMatch(/nonexistent\/spikedock-fuzz/);
    ws.close();
  });
});

describe('the socket without the token, or from a foreign origin, never reaches the API', () => {
  it('refuses fuzzed tokens, cookies and origins', async () => {
    const token = fc.oneof(fc.string({ maxLength: 60 }), fc.constant(s.token.slice(1)), fc.constant(`${s.token}x`), fc.constant(s.token.toUpperCase()));
    const origin = fc.oneof(fc.constant(undefined), fc.constantFrom('http://127.0.0.1:1', 'null', 'http://localhost', `http://evil.example:${s.port}`), fc.webUrl());
    await fc.assert(
      fc.asyncProperty(token, origin, fc.boolean(), async (t, o, asCookie) => {
        const headers: Record<string, string> = {};
        if (o) headers.origin = o;
        if (asCookie) headers.cookie = `spikedock_token_${s.port}=${encodeURIComponent(t)}`;
        const opened = await openSocket(s, asCookie ? '' : `?token=${encodeURIComponent(t)}`, headers).then(
          (ws: WebSocket) => (ws.close(), true),
          () => false,
        );
        expect(opened).toBe(false);
      }),
      { numRuns: 60, seed: SEED },
    );
    // The real token from a foreign origin is refused too.
    await expect(openSocket(s, `?token=${s.token}`, { origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/);
  });
});
