/**
 * Starts `spikedock serve` on a freshly generated dataset for the view specs: generate into a
 * temp folder (never the shared data), serve on a free port, return the URL with its token.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** SPIKEDOCK_BIN runs another build of the CLI (e.g. a private copy while others rebuild dist/). */
const cli = process.env.SPIKEDOCK_BIN ?? join(repoRoot, 'bin/spikedock.mjs');

export interface ServedDataset {
  url: string;
  folder: string;
  stop(): Promise<void>;
}

/** Generates a dataset with `spikedock generate <dir> --preset <preset>` and serves it. */
export async function serveGenerated(preset = 'small'): Promise<ServedDataset> {
  const root = mkdtempSync(join(tmpdir(), 'spikedock-views-'));
  const folder = join(root, 'dataset');
  const gen = spawnSync(process.execPath, [cli, 'generate', folder, '--preset', preset], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`spikedock generate failed: ${gen.stderr || gen.stdout}`);
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', folder, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`spikedock serve printed no URL in 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /open: (http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`spikedock serve exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    folder,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
