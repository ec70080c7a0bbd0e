/** Raw-waveform, raw-amplitude and trace handlers (each reads the recording itself). */
import type {
  RawAmplitudesArgs,
  RawAmplitudesResult,
  TracesArgs,
  TracesResult,
  WaveformsArgs,
  WaveformsResult,
} from '../../shared/tasks/tasks';
import { extractWaveforms, meanWaveform, waveformAmplitudes } from '../../core/compute/waveforms';
import { filtfilt } from '../../core/compute/filter';
import { minMaxEnvelope, subtractColumnMedians } from '../../core/compute/traces';
import type { HandlerContext } from './context';

function needRaw(ctx: HandlerContext) {
  const raw = ctx.ds.raw;
  if (!raw) throw new Error('no raw data for this dataset');
  return raw;
}

export function waveforms(args: WaveformsArgs, ctx: HandlerContext): WaveformsResult {
  const raw = needRaw(ctx);
  const h = args.dataset;
  const filter = args.filter ? ctx.ds.highpass : null;
  const out: WaveformsResult['clusters'] = [];
  for (const c of args.clusters) {
    const columns = Int32Array.from(c.channelIds, (ch) => h.channelMap[ch]);
    const data = extractWaveforms(raw, h.spikeTimes, c.spikeIds, columns, {
      nSamples: args.nSamples,
      nBefore: args.nBefore,
      filter,
      onSpike: () => ctx.cancel.check(),
    });
    const mean = meanWaveform(data, c.spikeIds.length, args.nSamples, columns.length);
    out.push({ clusterId: c.clusterId, data: args.withSpikes ? data : new Float32Array(0), mean });
  }
  return { unit: raw.unit, clusters: out };
}

export function rawAmplitudes(args: RawAmplitudesArgs, ctx: HandlerContext): RawAmplitudesResult {
  const raw = needRaw(ctx);
  const h = args.dataset;
  const filter = args.filter ? ctx.ds.highpass : null;
  const n = args.spikeIds.length;
  const amplitudes = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    ctx.cancel.check();
    const w = extractWaveforms(raw, h.spikeTimes, args.spikeIds.subarray(k, k + 1), [h.channelMap[args.channelIds[k]]], {
      nSamples: args.nSamples,
      nBefore: args.nBefore,
      filter,
    });
    amplitudes[k] = waveformAmplitudes(w, 1, args.nSamples)[0];
  }
  return { unit: raw.unit, amplitudes };
}

/** Samples read beyond each end of a filtered trace window (edge transients fall outside). */
const TRACE_MARGIN = 300;

export function traces(args: TracesArgs, ctx: HandlerContext): TracesResult {
  const raw = needRaw(ctx);
  const h = args.dataset;
  const nCh = args.channelIds.length;
  const columns = Int32Array.from(args.channelIds, (ch) => h.channelMap[ch]);
  const nTimes = Math.max(0, args.end - args.start);
  const margin = args.filter ? TRACE_MARGIN : 0;
  const w = raw.read(args.start - margin, args.end + margin, columns);
  ctx.cancel.check();
  const nRead = nTimes + 2 * margin;
  subtractColumnMedians(w, nRead, nCh, 2000);
  if (args.filter) filtfilt(ctx.ds.highpass, w, nRead, nCh);
  ctx.cancel.check();
  let data = margin ? w.slice(margin * nCh, (margin + nTimes) * nCh) : w;
  if (raw.gain !== 1) for (let i = 0; i < data.length; i++) data[i] *= raw.gain;
  if (args.width > 0 && nTimes > 2 * args.width) {
    data = minMaxEnvelope(data, nTimes, nCh, args.width);
    return { unit: raw.unit, mode: 'envelope', nTimes: args.width, samplesPerColumn: nTimes / args.width, data };
  }
  return { unit: raw.unit, mode: 'samples', nTimes, samplesPerColumn: 1, data };
}
