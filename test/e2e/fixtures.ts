/**
 * Playwright fixtures for the browser-mode e2e specs: a small dataset generated once per worker
 * with `spikedock generate <tmp> --preset small` (never the shared data), copied fresh for each
 * test that writes, served with `spikedock serve <copy> --port 0 --no-open`; the printed URL
 * carries the access token. `app` is the page object of the whole window, already showing the
 * dataset.
 */
import { test as base, expect } from 'playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppPage } from './pages/AppPage';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** SPIKEDOCK_BIN runs another build of the CLI (e.g. a private copy while others rebuild dist/). */
const cli = process.env.SPIKEDOCK_BIN ?? join(repoRoot, 'bin/spikedock.mjs');

/**
 * Where the specs' named screenshots go: `test-results/screenshots/` (git-ignored), so that
 * `npm test` leaves the tree as it found it; `npm run screenshots` sets SPIKEDOCK_DOCS_SCREENSHOTS=1
 * and refreshes the ones in `docs/screenshots/` that README and docs/VIEWS.md show.
 */
export const screenshotDir = join(repoRoot, process.env.SPIKEDOCK_DOCS_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots');

export interface Server {
  url: string;
  /** The dataset folder the server curates (a private copy), or null for the start screen. */
  folder: string | null;
  stop(): Promise<void>;
}

function assertBuilt(): void {
  if (process.env.SPIKEDOCK_BIN) return;
  for (const f of ['dist/main/cli.mjs', 'dist/renderer/index.html']) {
    if (!existsSync(join(repoRoot, f))) throw new Error(`${f} is missing: run \`npm run build\` before the e2e tests`);
  }
}

/** Starts `spikedock serve [folder] --port 0 --no-open` and resolves with the printed URL. */
export async function startServer(folder: string | null, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  assertBuilt();
  const args = [cli, 'serve', ...(folder ? [folder] : []), '--port', '0', '--no-open', ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`spikedock serve printed no URL in 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /open: (http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`spikedock serve exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    folder,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

/**
 * Runs `spikedock generate <folder> --preset <preset> [args…]` (never the shared data); `args`
 * choose another input, e.g. `['--format', 'analyzer', '--string-unit-ids']` or `['--format', 'nwb']`.
 */
export function generateDataset(folder: string, preset = 'small', args: readonly string[] = []): void {
  assertBuilt();
  const gen = spawnSync(process.execPath, [cli, 'generate', folder, '--preset', preset, '--quiet', ...args], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`spikedock generate failed: ${gen.stderr || gen.stdout}`);
}

/**
 * Generates a dataset into a fresh temp folder and serves it (for specs that share one server
 * across tests in `beforeAll`); `stop()` also deletes the folder.
 */
export async function serveGenerated(preset = 'small'): Promise<Server & { folder: string }> {
  const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-'));
  const folder = join(root, 'dataset');
  try {
    generateDataset(folder, preset);
    const server = await startServer(folder, [], { SPIKEDOCK_USER_DATA: join(root, 'user-data') });
    return {
      url: server.url,
      folder,
      async stop() {
        await server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

interface WorkerFixtures {
  /** A generated small dataset, read-only: tests copy it before anything writes. */
  pristineDataset: string;
}

interface TestFixtures {
  /** A private copy of the generated dataset. */
  datasetFolder: string;
  server: Server;
  app: AppPage;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  pristineDataset: [
    async ({}, use) => {
      const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-'));
      const folder = join(root, 'small');
      generateDataset(folder, 'small');
      await use(folder);
      rmSync(root, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  datasetFolder: async ({ pristineDataset }, use) => {
    const root = mkdtempSync(join(tmpdir(), 'spikedock-e2e-copy-'));
    const folder = join(root, 'small');
    cpSync(pristineDataset, folder, { recursive: true });
    await use(folder);
    rmSync(root, { recursive: true, force: true });
  },
  server: async ({ datasetFolder }, use) => {
    const server = await startServer(datasetFolder, [], { SPIKEDOCK_USER_DATA: join(datasetFolder, '..', 'user-data') });
    await use(server);
    await server.stop();
  },
  app: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const app = new AppPage(page);
    await app.open(server.url);
    await use(app);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
