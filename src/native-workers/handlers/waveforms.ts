/** Raw-waveform, raw-amplitude and trace handlers (each reads the recording itself). */
import type {
  RawAmplitudesArgs,
  RawAmplitudesResult,
  TracesArgs,
  TracesResult,
  WaveformsArgs,
  WaveformsResult,
} from '../../shared/tasks/tasks';
import { tracesUseEnvelope } from '../../shared/tasks/tasks';
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
  // Filtered: the high-pass removes each channel's offset exactly (filtfilt is linear and its
  // response to a constant is zero), so the median pass is only needed for raw display.
  if (args.filter) filtfilt(ctx.ds.highpass, w, nRead, nCh);
  else subtractColumnMedians(w, nRead, nCh, 2000);
  ctx.cancel.check();
  const gain = raw.gain;
  const window = w.subarray(margin * nCh, (margin + nTimes) * nCh);
  const envelope = tracesUseEnvelope(nTimes, args.width);
  let out: Float32Array;
  let stride: number;
  let offset: number;
  if (envelope) {
    out = minMaxEnvelope(window, nTimes, nCh, args.width);
    // min/max swap under a negative gain.
    if (gain !== 1) {
      for (let i = 0; i < out.length; i += 2) {
        const lo = out[i] * gain;
        const hi = out[i + 1] * gain;
        out[i] = Math.min(lo, hi);
        out[i + 1] = Math.max(lo, hi);
      }
    }
    if (args.into) {
      copyColumns(out, args.width, 2 * nCh, args.into.data, 2 * args.into.nChannels, 2 * args.into.channelOffset, 1);
      out = new Float32Array(0);
    }
    return { unit: raw.unit, mode: 'envelope', nTimes: args.width, samplesPerColumn: nTimes / args.width, data: out };
  }
  if (args.into) {
    out = args.into.data;
    stride = args.into.nChannels;
    offset = args.into.channelOffset;
  } else {
    out = new Float32Array(nTimes * nCh);
    stride = nCh;
    offset = 0;
  }
  copyColumns(window, nTimes, nCh, out, stride, offset, gain);
  return { unit: raw.unit, mode: 'samples', nTimes, samplesPerColumn: 1, data: args.into ? new Float32Array(0) : out };
}

/** Rows of `src` ((rows, width)) × `gain` into columns [offset, offset + width) of `dst` ((rows, stride)). */
function copyColumns(src: Float32Array, rows: number, width: number, dst: Float32Array, stride: number, offset: number, gain: number): void {
  for (let t = 0; t < rows; t++) {
    const s = t * width;
    const d = t * stride + offset;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j] * gain;
  }
}
