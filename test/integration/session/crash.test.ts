/**
 * Crash safety (issue §8): `spikedock curate` (the built CLI, a real child process) is killed
 * with SIGKILL at random moments.
 * - Every action it acknowledged (printed) is in the journal after reopening, and the reopened
 *   assignment equals the checkpoint of exactly the journaled actions.
 * - A save interrupted at any moment never leaves a truncated or invalid file: every phy file
 *   parses, and spike_clusters.npy is one of the saved states.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { NpyFile } from '../../../src/core/formats/npy';
import { parseClusterTable, parseTable } from '../../../src/core/formats/tsv';
import { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import { ClusterMeta } from '../../../src/core/session/ClusterMeta';
import { Curation } from '../../../src/core/session/Curation';
import { hashInt32 } from '../../../src/core/session/spikeCodec';
import { generateDataset } from '../../../src/main/generate/generateDataset';
import { openDataset } from '../../../src/main/openDataset';
import { readJournal } from '../../../src/main/session/JournalFile';
import { SessionService } from '../../../src/main/session/SessionService';
import { rng } from '../../unit/core/session/rng';
import { flatAssignment } from '../../../src/core/session/SpikeAssignment';

const repoRoot = path.resolve(__dirname, '../../..');
let tmp: string;
let baseDir: string;
let baseClusters: Int32Array;

beforeAll(async () => {
  const b = spawnSync(process.execPath, ['scripts/build.mjs', '--no-renderer'], { cwd: repoRoot, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-crash-'));
  baseDir = path.join(tmp, 'base');
  await generateDataset(baseDir, { preset: 'small', raw: false });
  const ds = await openDataset(baseDir, { shared: false });
  baseClusters = Int32Array.from(ds.spikeClusters);
  ds.close();
}, 300_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Action = Record<string, unknown>;

/** A valid random script and the assignment hash after each of its actions (the checkpoints). */
function makeScript(seed: number, n: number, withSaves: boolean): { actions: Action[]; checkpoints: string[] } {
  const rand = rng(seed);
  const labels = new ClusterLabels(baseClusters);
  const cur = new Curation(labels, new ClusterMeta([], []));
  const actions: Action[] = [];
  const checkpoints: string[] = [];
  const t = 'x';
  while (actions.length < n) {
    const ids = labels.clusterIds();
    const r = rand();
    let a: Action;
    if (withSaves && actions.length % 2 === 1) a = { op: 'save' };
    else if (ids.length >= 3 && (r < 0.4 || (withSaves && r < 0.8))) {
      const x = ids[Math.floor(rand() * ids.length)];
      let y = ids[Math.floor(rand() * ids.length)];
      if (y === x) y = ids[(ids.indexOf(x) + 1) % ids.length];
      a = { op: 'merge', clusters: [x, y] };
      cur.perform({ op: 'merge', clusters: [x, y] }, undefined, t);
    } else if (r < 0.55 || withSaves) {
      const c = ids[Math.floor(rand() * ids.length)];
      const spikes = Array.from(labels.spikeIds(c)).filter(() => rand() < 0.3);
      if (spikes.length === 0 || spikes.length === labels.nSpikes(c)) continue;
      a = { op: 'split', spikes };
      cur.perform({ op: 'split', spikes }, undefined, t);
    } else if (r < 0.7) {
      const c = ids[Math.floor(rand() * ids.length)];
      a = { op: 'label', clusters: [c], group: ['good', 'mua', 'noise'][Math.floor(rand() * 3)] };
      cur.perform({ op: 'label', clusters: [c], field: 'group', value: a.group as string }, undefined, t);
    } else if (r < 0.85) {
      if (!cur.undo(t)) continue;
      a = { op: 'undo' };
    } else {
      if (!cur.redo(t)) continue;
      a = { op: 'redo' };
    }
    actions.push(a);
    checkpoints.push(hashInt32(flatAssignment(labels.assignment)));
  }
  return { actions, checkpoints };
}

/** Runs `spikedock curate --json` and SIGKILLs it after `killAfterMs`; returns the acknowledged lines. */
function runAndKill(
  dir: string,
  script: string,
  killAfterMs: number,
  extra: string[] = [],
  /** Kill `delayMs` after `count` printed lines matching `pattern` instead (lands inside the run, whatever the machine's speed). */
  after?: { pattern: RegExp; count: number; delayMs: number },
): Promise<{ acked: Array<Record<string, unknown>>; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/spikedock.mjs'), 'curate', dir, '--script', script, '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (after && !armed && (out.match(after.pattern) ?? []).length >= after.count) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), after.delayMs);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      // Only complete lines were acknowledged.
      const lines = out.split('\n').slice(0, -1).filter((l) => l.trim());
      resolve({ acked: lines.map((l) => JSON.parse(l) as Record<string, unknown>), killed: signal === 'SIGKILL' });
    });
  });
}

describe('crash safety', () => {
  it('every acknowledged action survives SIGKILL at random moments', async () => {
    const rand = rng(7);
    let killedRounds = 0;
    for (let round = 0; round < 5; round++) {
      const dir = path.join(tmp, `crash-${round}`);
      fs.cpSync(baseDir, dir, { recursive: true });
      const { actions, checkpoints } = makeScript(100 + round, 400, false);
      const scriptFile = path.join(tmp, `crash-${round}.json`);
      fs.writeFileSync(scriptFile, JSON.stringify(actions));
      const { acked, killed } = await runAndKill(dir, scriptFile, 60_000, ['--no-save'], { pattern: /"index"/g, count: Math.floor(rand() * 300), delayMs: Math.floor(rand() * 20) });
      if (killed) killedRounds++;
      const jp = path.join(dir, '.spikedock', 'journal.jsonl');
      const journaled = readJournal(jp).records.filter((r) => r.t !== 'save').length;
      expect(journaled).toBeGreaterThanOrEqual(acked.length);
      expect(journaled).toBeLessThanOrEqual(acked.length + 1);
      const ds = await openDataset(dir);
      const s = await SessionService.open(ds, { autosaveSeconds: 0 });
      const expected = journaled === 0 ? hashInt32(baseClusters) : checkpoints[journaled - 1];
      expect(hashInt32(flatAssignment(s.clustering.assignment))).toBe(expected);
      for (const a of acked) {
        if (typeof a.opId === 'number') expect(s.curation.lastId).toBeGreaterThanOrEqual(a.opId);
      }
      await s.close();
      ds.close();
    }
    expect(killedRounds).toBeGreaterThan(0);
  });

  it('a save interrupted at random moments never leaves a truncated or invalid file', async () => {
    const rand = rng(11);
    let killedMidway = 0;
    for (let round = 0; round < 5; round++) {
      const dir = path.join(tmp, `save-${round}`);
      fs.cpSync(baseDir, dir, { recursive: true });
      const { actions, checkpoints } = makeScript(200 + round, 200, true);
      const scriptFile = path.join(tmp, `save-${round}.json`);
      fs.writeFileSync(scriptFile, JSON.stringify(actions));
      const { acked, killed } = await runAndKill(dir, scriptFile, 60_000, [], { pattern: /"op":"save"/g, count: 1 + Math.floor(rand() * 30), delayMs: Math.floor(rand() * 40) });
      if (killed && acked.some((a) => a.op === 'save')) killedMidway++;
      const valid = new Set([hashInt32(baseClusters), ...checkpoints]);
      const sc = path.join(dir, 'spike_clusters.npy');
      const arr = NpyFile.open(new MemoryByteSource(new Uint8Array(fs.readFileSync(sc)), sc)).read({ as: 'int32' }) as Int32Array;
      expect(arr.length).toBe(baseClusters.length);
      expect(valid.has(hashInt32(arr))).toBe(true);
      for (const f of ['cluster_group.tsv', 'cluster_info.tsv']) {
        const p = path.join(dir, f);
        if (fs.existsSync(p)) expect(parseTable(fs.readFileSync(p, 'utf8'), p).columns[0]).toBe('cluster_id');
      }
      const cg = path.join(dir, 'cluster_group.tsv');
      if (fs.existsSync(cg)) expect(parseClusterTable(fs.readFileSync(cg, 'utf8'), cg).skipped).toBe(0);
      const cj = path.join(dir, 'curation.json');
      if (fs.existsSync(cj)) JSON.parse(fs.readFileSync(cj, 'utf8'));
      // And the session reopens on top of whatever was saved, without discarding the journal.
      const ds = await openDataset(dir);
      const s = await SessionService.open(ds, { autosaveSeconds: 0 });
      expect(s.diagnostics.map((d) => d.code)).not.toContain('session.journalArchived');
      await s.close();
      ds.close();
    }
    // The kills landed after some saves had completed, i.e. while the saving loop was running.
    expect(killedMidway).toBeGreaterThan(0);
  });
});
