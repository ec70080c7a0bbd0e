/**
 * The demo dataset a new user sees on the first start: the generator's `small` preset (raw data
 * included), made once into `<userData>/demo`. It is generated into a temporary sibling folder
 * and renamed into place, so an interrupted first start never leaves half a dataset, and two
 * processes starting at once both end with the same complete folder.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateDataset } from '../generate/generateDataset';

/** Bump when the generator's output changes in a way the demo should pick up. */
export const DEMO_VERSION = 1;
const MARKER = '.spikedock-demo.json';

export interface DemoDatasetOptions {
  /** Called before a (slow, a few seconds) generation starts, e.g. to log or show progress. */
  onGenerate?: (demoDir: string) => void;
}

/** `<userDataDir>/demo`. */
export function demoDatasetDir(userDataDir: string): string {
  return path.join(userDataDir, 'demo');
}

/**
 * Returns the demo dataset folder, generating it first if it is missing or was made by an older
 * {@link DEMO_VERSION}. Rejects only when the generator itself fails.
 */
export async function ensureDemoDataset(userDataDir: string, opts: DemoDatasetOptions = {}): Promise<string> {
  const demo = demoDatasetDir(userDataDir);
  if ((await demoVersion(demo)) === DEMO_VERSION) return demo;
  opts.onGenerate?.(demo);
  await mkdir(userDataDir, { recursive: true });
  const tmp = `${demo}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await generateDataset(tmp, { preset: 'small' });
    await writeFile(path.join(tmp, MARKER), JSON.stringify({ version: DEMO_VERSION, createdAt: new Date().toISOString() }) + '\n');
    // An outdated demo is moved aside first: rename cannot replace a non-empty folder.
    if ((await demoVersion(demo)) !== DEMO_VERSION) {
      const old = `${demo}.old-${process.pid}-${Date.now()}`;
      await rename(demo, old).then(
        () => rm(old, { recursive: true, force: true }),
        () => undefined,
      );
    }
    try {
      await rename(tmp, demo);
    } catch (e) {
      // Another process finished first: its demo is as good as ours.
      if ((await demoVersion(demo)) !== DEMO_VERSION) throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return demo;
}

async function demoVersion(demo: string): Promise<number | null> {
  try {
    const marker = JSON.parse(await readFile(path.join(demo, MARKER), 'utf8')) as { version?: unknown };
    return typeof marker.version === 'number' ? marker.version : null;
  } catch {
    return null;
  }
}
