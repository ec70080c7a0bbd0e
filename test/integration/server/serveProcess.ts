// A real `spikedock serve` process (the built CLI, as a user runs it) on 127.0.0.1, port 0, with
// a generated dataset, for the hardening and abuse tests: a crash is seen as the process exiting,
// not as an error inside the test runner.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../../src/shared/ipc/codec';

const repoRoot = join(__dirname, '..', '..', '..');

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  port: number;
  token: string;
  /** The dataset folder it serves (a temporary copy the server may write to). */
  dataDir: string;
  /** Everything the process printed (for failure messages). */
  output(): string;
  /** null while it runs, else how it ended. */
  exited(): { code: number | null; signal: string | null } | null;
  stop(): Promise<void>;
}

/** Starts `node bin/spikedock.mjs serve <generated small dataset> --no-open --port 0 --token <token>`. */
export async function startServe(opts: { raw?: boolean; seed?: number } = {}): Promise<ServeProcess> {
  for (const f of ['dist/main/cli.mjs']) {
    if (!existsSync(join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` before the integration tests`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'spikedock-serve-abuse-'));
  const dataDir = join(tmp, 'ds');
  await generateDataset(dataDir, { preset: 'small', seed: opts.seed ?? 5, raw: opts.raw ?? false });
  const token = 'b'.repeat(48);
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin/spikedock.mjs'), 'serve', dataDir, '--no-open', '--port', '0', '--token', token, '--autosave', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SPIKEDOCK_USER_DATA: join(tmp, 'user') },
  });
  let out = '';
  let exit: { code: number | null; signal: string | null } | null = null;
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  child.once('exit', (code, signal) => (exit = { code, signal }));
  // Ready when the dataset is open (the second line), so calls do not wait for it.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`spikedock serve did not open the dataset in 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (/open: http\S+/.test(out) && /spikedock serve: /.test(out)) {
        clearTimeout(timer);
        resolve();
      } else if (exit) {
        clearTimeout(timer);
        reject(new Error(`spikedock serve exited (${exit.code}):\n${out}`));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', check);
  });
  const url = new URL(/open: (http\S+)/.exec(out)![1]);
  return {
    base: `http://127.0.0.1:${url.port}`,
    port: Number(url.port),
    token,
    dataDir,
    output: () => out,
    exited: () => exit,
    async stop() {
      if (exit) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** Waits until the event loop of this process has run `ms` (no timing is asserted). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends raw bytes on a fresh TCP connection and resolves with what came back before the server
 * closed it (or `ms` passed): for request lines no HTTP client would send.
 */
export function rawRequest(port: number, bytes: string | Uint8Array, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (b: Buffer) => (got += b.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** The status code of a raw HTTP answer (`HTTP/1.1 400 …` → 400), or null when none came. */
export function statusOf(answer: string): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return m ? Number(m[1]) : null;
}

/** Opens the API socket; rejects with `HTTP <status>` when refused. */
export function openSocket(s: ServeProcess, query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws${query}`, { headers });
    ws.binaryType = 'arraybuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

let nextId = 1;

/** One call of the contract over an open socket; resolves with the server's answer to it. */
export function call(ws: WebSocket, service: string, method: string, args: unknown[]): Promise<Exclude<ServerMessage, { type: 'event' }>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: ArrayBuffer) => {
      const msg = decodeMessage(new Uint8Array(data)) as ServerMessage;
      if (msg.type !== 'event' && msg.id === id) {
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve(msg);
      }
    };
    const onClose = () => reject(new Error(`socket closed before the answer to ${service}.${method}`));
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(encodeMessage({ type: 'call', id, service, method, args }));
  });
}

/** Whether the server still serves a page and a call with the token (it survived what came before). */
export async function stillServes(s: ServeProcess): Promise<boolean> {
  if (s.exited()) return false;
  const page = await fetch(`${s.base}/?token=${s.token}`).catch(() => null);
  if (page?.status !== 200) return false;
  const ws = await openSocket(s, `?token=${s.token}`).catch(() => null);
  if (!ws) return false;
  const r = await call(ws, 'app', 'version', []).catch(() => null);
  ws.close();
  return r?.type === 'result';
}
