/**
 * `spikedock ccg <dataset> --clusters 3,7,12 [--bin-ms 1] [--window-ms 50] [--json]`: the
 * correlograms of clusters (phylib's semantics), computed in this thread (`oneShotCompute`).
 */
import { openDataset } from '../openDataset';
import { oneShotCompute } from '../compute/oneShot';
import { intList, numberOption, parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock ccg <dataset> --clusters 3,7,12 [--bin-ms 1] [--window-ms 50] [--max-spikes N] [--json]

Prints the auto- and cross-correlograms of the clusters (as saved in spike_clusters), with
phylib's conventions: integer samples, bin = trunc(sample_rate × bin), 2·half + 1 bins, centre
bin = the larger of the two directions, ACG centre bin kept (pairs < 1 bin apart). Up to 20 clusters; at most
--max-spikes spikes per cluster (default 100000, regular subsample).

  --clusters LIST    cluster ids: 3,7,12 or 3-6
  --bin-ms X         bin width in ms (default 1)
  --window-ms X      window width in ms (default 50)
  --max-spikes N     spikes per cluster (default 100000)
  --json             one JSON object: counts as [n][n][nBins] and refractory statistics
`;

export const command: Command = {
  name: 'ccg',
  summary: 'print the correlograms of clusters',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['clusters', 'bin-ms', 'window-ms', 'max-spikes'], flags: ['json'] });
    if (args.positionals.length !== 1) throw new UserError(`expected one dataset path\n${usage}`, 2);
    const list = args.values.get('clusters');
    if (!list) throw new UserError('--clusters is required (e.g. --clusters 3,7,12)', 2);
    const clusterIds = intList(list, '--clusters');
    if (clusterIds.length === 0 || clusterIds.length > 20) throw new UserError('give between 1 and 20 clusters', 2);
    const binMs = numberOption(args, 'bin-ms', 1);
    const windowMs = numberOption(args, 'window-ms', 50);
    const maxSpikes = numberOption(args, 'max-spikes', 100_000);
    if (!(binMs > 0) || !(windowMs > 0) || !(maxSpikes > 0)) throw new UserError('--bin-ms, --window-ms and --max-spikes must be positive', 2);
    const ds = await openDataset(args.positionals[0]);
    const one = oneShotCompute(ds, clusterIds);
    try {
      const missing = clusterIds.filter((c) => one.clusters.nSpikes(c) === 0);
      if (missing.length) throw new UserError(`no such cluster${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
      if (Math.trunc(ds.sampleRate * binMs * 1e-3) < 1) throw new UserError(`--bin-ms ${binMs} is shorter than one sample at ${ds.sampleRate} Hz`, 2);
      const res = await one.compute.correlograms({ clusterIds, binSize: binMs / 1000, windowSize: windowMs / 1000, maxSpikes });
      const n = clusterIds.length;
      const nb = res.nBins;
      const row = (i: number, j: number) => Array.from(res.counts.subarray((i * n + j) * nb, (i * n + j + 1) * nb));
      if (args.flags.get('json')) {
        const counts = clusterIds.map((_, i) => clusterIds.map((__, j) => row(i, j)));
        const out = {
          dataset: ds.path,
          cluster_ids: clusterIds,
          sample_rate: ds.sampleRate,
          bin_size: res.binSize,
          window_size: res.windowSize,
          n_bins: nb,
          counts,
          firing_rates: Array.from(res.firingRates),
          refractory: res.stats,
        };
        io.stdout(JSON.stringify(out) + '\n');
      } else {
        io.stdout(`${ds.name}: correlograms of ${clusterIds.join(', ')} — ${nb} bins of ${binMs} ms, window ${windowMs} ms (lags −${(nb - 1) / 2}…+${(nb - 1) / 2} bins)\n`);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) io.stdout(`${clusterIds[i]} × ${clusterIds[j]}: ${row(i, j).join(' ')}\n`);
        }
        for (const s of res.stats) {
          io.stdout(
            `cluster ${s.clusterId}: ${s.nSpikes} spikes, ${s.nViolations} ISIs < ${res.refractoryPeriod * 1000} ms (${(100 * s.violationRate).toFixed(2)} %), contamination ≈ ${(100 * s.contamination).toFixed(1)} %\n`,
          );
        }
      }
      return 0;
    } finally {
      await one.close();
      ds.close();
    }
  },
};
