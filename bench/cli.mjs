// The command line as scripts call it (issue #16): whole-process `spikedock ccg` of the 10
// largest clusters and `spikedock info`, each beside its phylib equivalent in the same run
// (bench/phylib/*.py: NumPy + phylib.stats.correlograms, phylib.io.model.load_model), run in
// turn A B A B … so that a drift of the machine's speed hits both; the ratio is taken pair by
// pair and its median reported (target ≤ 0.5).
//
// phylib is not packaged in Debian: its source is looked up in $PHYLIB_SRC, else bench/data/phylib
// (git-ignored), a folder holding phylib's package folder `phylib/` (github.com/cortex-lab/phylib)
// and `mtscomp.py` (github.com/int-brain-lab/mtscomp), which phylib.io imports; Python is Debian's
// /usr/bin/python3 with python3-numpy, python3-scipy and python3-tqdm. Without them the phylib
// rows are skipped with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall ms of one whole process; throws with its stderr when it fails. */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${(r.stderr || '').slice(-500)}`);
  return ms;
}

/** Why the phylib side cannot run here, or null (then `{ python, src }`). */
function phylibSetup() {
  const src = process.env.PHYLIB_SRC ?? join(root, 'bench', 'data', 'phylib');
  if (!existsSync(join(src, 'phylib', 'stats', 'ccg.py'))) return { skip: `phylib's source not found in ${src} (set PHYLIB_SRC; see bench/cli.mjs)` };
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const probe = spawnSync(python, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(src)}); import numpy, scipy, tqdm, phylib.stats, phylib.io.model`], { encoding: 'utf8' });
  if (probe.status !== 0) return { skip: `${python} cannot import phylib with NumPy, SciPy and tqdm: ${(probe.stderr || '').trim().split('\n').pop()}` };
  return { python, src };
}

/** `bench`: the benchmark bundle (dist/main/bench.mjs). */
export async function runCliBench(bench, dataDir, { runs = 5 } = {}) {
  const rows = [];
  const spikedock = (...args) => [process.execPath, [join(root, 'bin/spikedock.mjs'), ...args]];
  const ids = (await bench.largestClusters(dataDir, 10)).join(',');
  const setup = phylibSetup();
  const scenarios = [
    ['spikedock ccg (10 largest clusters), whole process', spikedock('ccg', dataDir, '--clusters', ids, '--json'), setup.python && [setup.python, [join(root, 'bench/phylib/ccg.py'), setup.src, dataDir, ids]]],
    ['spikedock info, whole process', spikedock('info', dataDir), setup.python && [setup.python, [join(root, 'bench/phylib/info.py'), setup.src, dataDir]]],
  ];
  for (const [name, ours, theirs] of scenarios) {
    // One warm-up each (page cache), then A B A B …
    timed(...ours);
    if (theirs) timed(...theirs);
    const a = [];
    const b = [];
    for (let i = 0; i < runs; i++) {
      a.push(timed(...ours));
      if (theirs) b.push(timed(...theirs));
    }
    rows.push({ metric: `${name}, median of ${runs}`, value: median(a), unit: 'ms' });
    if (theirs) {
      rows.push({ metric: `  phylib equivalent, median of ${runs}`, value: median(b), unit: 'ms' });
      rows.push({ metric: '  spikedock / phylib (median of the pairs)', value: median(a.map((x, i) => x / b[i])), unit: '×', target: '≤ 0.5' });
    } else {
      rows.push({ metric: `  phylib equivalent: skipped — ${setup.skip}`, value: null, unit: '' });
    }
  }
  return rows;
}
