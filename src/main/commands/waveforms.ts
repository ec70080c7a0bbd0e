/**
 * `spikedock waveforms <dataset> <cluster> [--json]`: a cluster's mean waveform on its best
 * channels, from the raw data (filtered, median-subtracted) or, without raw data, its template.
 */
import { openDataset } from '../openDataset';
import { peakToPeak } from '../../core/compute/templates';
import { oneShotCompute } from '../compute/oneShot';
import { numberOption, parseArgs } from './args';
import type { Command } from './types';
import { UserError } from './types';

const usage = `usage: spikedock waveforms <dataset> <cluster> [--n-spikes 100] [--channels 12] [--no-filter] [--templates] [--json]

Prints the mean waveform of a cluster on its best channels (nearest to the peak channel on its
shank): from the raw data when present — N spikes spread over the recording, per-channel median
subtracted, 150 Hz high-pass (3rd-order Butterworth, forward-backward) unless --no-filter — else
the cluster's template (unwhitened, scaled by the mean amplitude).

  --n-spikes N   spikes averaged (default 100)
  --channels N   best channels (default 12)
  --no-filter    no high-pass filter
  --templates    show the template even when raw data exists
  --json         one JSON object with the mean as [nSamples][nChannels]
`;

export const command: Command = {
  name: 'waveforms',
  summary: "print a cluster's mean waveform on its best channels",
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['n-spikes', 'channels'], flags: ['json', 'filter', 'templates'] });
    if (args.positionals.length !== 2) throw new UserError(`expected a dataset path and a cluster id\n${usage}`, 2);
    const clusterId = Number(args.positionals[1]);
    if (!Number.isInteger(clusterId)) throw new UserError(`cluster must be an integer (got '${args.positionals[1]}')`, 2);
    const nSpikes = numberOption(args, 'n-spikes', 100);
    const nChannels = numberOption(args, 'channels', 12);
    const ds = await openDataset(args.positionals[0]);
    const one = oneShotCompute(ds, [clusterId]);
    try {
      if (one.clusters.nSpikes(clusterId) === 0) throw new UserError(`no such cluster: ${clusterId}`);
      const kind = args.flags.get('templates') ? 'templates' : 'mean';
      const res = await one.compute.waveforms({ clusterIds: [clusterId], kind, nSpikes, nChannels, filter: args.flags.get('filter') ?? true });
      const c = res.clusters[0];
      const nCh = c?.channelIds.length ?? 0;
      if (args.flags.get('json')) {
        const mean = c ? Array.from({ length: res.nSamples }, (_, t) => Array.from(c.mean.subarray(t * nCh, (t + 1) * nCh))) : [];
        io.stdout(
          JSON.stringify({
            dataset: ds.path,
            cluster_id: clusterId,
            source: res.source,
            message: res.message ?? null,
            n_samples: res.nSamples,
            sample_rate: res.sampleRate,
            unit: res.unit,
            channel_ids: c ? Array.from(c.channelIds) : [],
            spike_ids: c ? Array.from(c.spikeIds) : [],
            mean,
          }) + '\n',
        );
      } else {
        if (res.message) io.stdout(`${res.message}\n`);
        if (!c) return 1;
        const ptp = peakToPeak(c.mean, res.nSamples, nCh);
        io.stdout(`${ds.name}: cluster ${clusterId}, ${res.source === 'raw' ? `mean of ${c.spikeIds.length} raw waveforms` : 'template'}, ${res.nSamples} samples at ${res.sampleRate} Hz\n`);
        io.stdout(`channel  peak-to-peak (${res.unit})\n`);
        Array.from(c.channelIds).forEach((ch, k) => io.stdout(`${String(ds.channelMap[ch]).padStart(7)}  ${ptp[k].toFixed(3)}\n`));
      }
      return 0;
    } finally {
      await one.close();
      ds.close();
    }
  },
};
