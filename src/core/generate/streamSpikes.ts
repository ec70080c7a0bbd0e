/**
 * The streaming path of the generator (the `chronic` preset: 15 h, ≈ 300 M spikes): the same
 * model and the same spikes as {@link buildDataset}, without ever holding a per-spike column of
 * the whole recording.
 *
 * 1. {@link planStream} draws every source's spike train once, keeping only its spike count
 *    (and the whole train of the few over-split units, whose templates depend on their spikes'
 *    amplitudes and times), then plans the templates and builds the model as `buildDataset` does.
 * 2. {@link SpikeStream} draws the trains again, one generator per source, advanced a time block
 *    at a time; each block's spikes are fitted (`SourceFitter`), sorted by time (`sortByTime`)
 *    and handed out in chunks whose starts are multiples of {@link FEATURE_BLOCK} (what the
 *    chunked outputs of `features.ts` need), carrying the rest to the next block.
 *
 * Same draws in the same order as the in-memory path (each train's stream is replayed; the
 * amplitudes draw from a copy of the train's stream taken where the whole train ends; fits from
 * their own stream), so a preset written either way gives the same files byte for byte (the
 * test compares them). Memory: O(sources) state plus one block (≈ 30 bytes × spikes per block).
 */
import { Rng, Stream } from '../random';
import { SourceFitter, sortByTime, templateNorms, type UnsortedSpikes } from './assignSpikes';
import { buildSources, modelOf, planTemplatesOf, type DatasetModel, type SourceModel, type SpikeColumns, type TrueUnit } from './buildDataset';
import { FEATURE_BLOCK, type SpikeBlock } from './features';
import type { PresetSpec } from './presets';
import { sourceTrainParams, spikeAmplitude, trainRange } from './sources';
import { SpikeTrainGenerator } from './spikeTrain';
import type { TemplatePlan } from './templatePlans';

/** Time block of the streaming path, s (≈ 330 k spikes per block at the chronic preset's rate). */
export const STREAM_BLOCK_SECONDS = 60;

/** What {@link planStream} returns: the model and what {@link SpikeStream} replays. */
export interface StreamPlan {
  base: SourceModel;
  model: DatasetModel;
  plan: TemplatePlan;
  /** Spikes of each source. */
  counts: Float64Array;
  nSpikes: number;
  /** Each source's stream as it stands after its whole train (the amplitudes draw from it). */
  amplitudeRngs: Rng[];
}

/** Units whose templates are planned from their spikes (so their trains are kept during planning). */
function keepsTrain(u: TrueUnit): boolean {
  return u.role === 'overSplitTime' || u.role === 'overSplitAmplitude' || u.role === 'autoMerged';
}

/** Pass 1: counts every source's spikes and plans the templates (see the module comment). */
export function planStream(spec: PresetSpec, seed: number, onProgress?: (msg: string) => void): StreamPlan {
  const base = buildSources(spec, seed, onProgress);
  const { units, sources, noiseRates, nSamples } = base;
  const { first, last } = trainRange(nSamples);
  onProgress?.('counting spikes (first pass over the spike trains)');
  const counts = new Float64Array(sources.length);
  const amplitudeRngs: Rng[] = [];
  const perSource: ({ times: Float64Array; amps: Float32Array } | null)[] = sources.map(() => null);
  for (let s = 0; s < sources.length; s++) {
    const gen = new SpikeTrainGenerator(new Rng(seed, Stream.spikes, s), sourceTrainParams(spec, units, noiseRates, s), first, last);
    const keep = s < units.length && keepsTrain(units[s]);
    let times = new Float64Array(keep ? 1024 : 0);
    let ranks = new Uint8Array(keep ? 1024 : 0);
    let n = 0;
    while (gen.next()) {
      if (keep) {
        if (n === times.length) {
          times = grow(times, 2 * n);
          ranks = grow(ranks, 2 * n);
        }
        times[n] = gen.time;
        ranks[n] = gen.burstRank;
      }
      n++;
    }
    counts[s] = n;
    amplitudeRngs.push(gen.rng.clone());
    if (keep) {
      const rng = gen.rng.clone();
      const amps = new Float32Array(n);
      for (let i = 0; i < n; i++) amps[i] = spikeAmplitude(spec, units, s, times[i], ranks[i], rng);
      perSource[s] = { times: times.subarray(0, n), amps };
    }
  }
  onProgress?.('building templates');
  const plan = planTemplatesOf(base, counts, perSource);
  onProgress?.('similarity and PC basis');
  const model = modelOf(base, plan);
  let nSpikes = 0;
  for (const c of counts) nSpikes += c;
  return { base, model, plan, counts, nSpikes, amplitudeRngs };
}

/** A chunk of consecutive spikes, sorted by time, as {@link SpikeStream} hands them out. */
export interface StreamedSpikes extends SpikeBlock, Omit<SpikeColumns, 'times'> {
  /** Samples, absolute (exact integers past 2^32). */
  times: Float64Array;
}

/**
 * Pass 2: every spike of the recording in time order, in chunks (see the module comment).
 * `next()` returns the next chunk, or null at the end.
 */
export class SpikeStream {
  private readonly gens: SpikeTrainGenerator[];
  private readonly fitters: SourceFitter[];
  /** Whether the generator of each source holds a spike not handed out yet. */
  private readonly pending: Uint8Array;
  private readonly blockSamples: number;
  private blockStart = 0;
  /** Spikes of the last block beyond the last whole {@link FEATURE_BLOCK}, carried to the next chunk. */
  private carry: StreamedSpikes | null = null;
  /** Index of the next spike handed out. */
  private nextIndex = 0;

  constructor(
    private readonly s: StreamPlan,
    blockSeconds = STREAM_BLOCK_SECONDS,
  ) {
    const { base, plan } = s;
    const { spec, seed, units, sources, noiseRates, drift, nSamples } = base;
    const { first, last } = trainRange(nSamples);
    const norm2 = templateNorms(plan);
    this.gens = sources.map((_, k) => new SpikeTrainGenerator(new Rng(seed, Stream.spikes, k), sourceTrainParams(spec, units, noiseRates, k), first, last));
    this.fitters = sources.map((_, k) => new SourceFitter(seed, spec.sampleRate, drift, units, sources, plan, norm2, k));
    this.pending = Uint8Array.from(this.gens, (g) => (g.next() ? 1 : 0));
    this.blockSamples = Math.max(1, Math.round(blockSeconds * spec.sampleRate));
  }

  /** The next chunk of spikes (its start a multiple of {@link FEATURE_BLOCK}), or null when all were handed out. */
  next(): StreamedSpikes | null {
    const nSamples = this.s.base.nSamples;
    while (this.blockStart < nSamples) {
      const block = this.drawBlock();
      const all = this.carry ? concat(this.carry, block) : block;
      const whole = all.times.length - (all.times.length % FEATURE_BLOCK);
      this.carry = whole < all.times.length ? slice(all, whole, all.times.length) : null;
      if (whole > 0) return this.handOut(whole < all.times.length ? slice(all, 0, whole) : all);
    }
    const rest = this.carry;
    this.carry = null;
    return rest ? this.handOut(rest) : null;
  }

  private handOut(chunk: StreamedSpikes): StreamedSpikes {
    chunk.first = this.nextIndex;
    this.nextIndex += chunk.times.length;
    return chunk;
  }

  /** The spikes of `[blockStart, blockStart + blockSamples)`, fitted and sorted by time. */
  private drawBlock(): StreamedSpikes {
    const { spec, units } = this.s.base;
    const start = this.blockStart;
    const end = Math.min(this.s.base.nSamples, start + this.blockSamples);
    this.blockStart = end;
    let cap = 4096;
    let cols: UnsortedSpikes = { times: new Uint32Array(cap), templates: new Uint32Array(cap), fit: new Float32Array(cap), trueAmps: new Float32Array(cap), sources: new Int32Array(cap) };
    let n = 0;
    for (let k = 0; k < this.gens.length; k++) {
      const gen = this.gens[k];
      const fitter = this.fitters[k];
      const rng = this.s.amplitudeRngs[k];
      while (this.pending[k] && gen.time < end) {
        if (n === cap) {
          cap *= 2;
          cols = { times: grow(cols.times, cap), templates: grow(cols.templates, cap), fit: grow(cols.fit, cap), trueAmps: grow(cols.trueAmps, cap), sources: grow(cols.sources, cap) };
        }
        // Rounded to float32 as the in-memory path stores it before fitting.
        const amp = Math.fround(spikeAmplitude(spec, units, k, gen.time, gen.burstRank, rng));
        // Relative to the block, so the sort's uint32 keys hold any recording length.
        cols.times[n] = gen.time - start;
        cols.templates[n] = fitter.fit(gen.time, amp);
        cols.fit[n] = fitter.amplitude;
        cols.trueAmps[n] = amp;
        cols.sources[n] = k;
        n++;
        this.pending[k] = gen.next() ? 1 : 0;
      }
    }
    const sorted = sortByTime(
      { times: cols.times.subarray(0, n), templates: cols.templates.subarray(0, n), fit: cols.fit.subarray(0, n), trueAmps: cols.trueAmps.subarray(0, n), sources: cols.sources.subarray(0, n) },
      this.s.model.clusterOfTemplate,
      units.length,
    );
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = sorted.times[i] + start;
    return { ...sorted, times, first: 0 };
  }
}

function grow<A extends Float64Array | Float32Array | Uint32Array | Int32Array | Uint8Array>(a: A, n: number): A {
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a.subarray(0, Math.min(a.length, n)) as never);
  return b;
}

const KEYS = ['times', 'templates', 'clusters', 'amplitudes', 'trueAmplitudes', 'sources', 'groundTruthUnits'] as const;

function concat(a: StreamedSpikes, b: StreamedSpikes): StreamedSpikes {
  const out = { first: a.first } as StreamedSpikes;
  for (const k of KEYS) {
    const x = new (a[k].constructor as new (n: number) => (typeof a)[typeof k])(a[k].length + b[k].length);
    x.set(a[k] as never);
    x.set(b[k] as never, a[k].length);
    (out as unknown as Record<string, unknown>)[k] = x;
  }
  return out;
}

function slice(a: StreamedSpikes, from: number, to: number): StreamedSpikes {
  const out = { first: a.first + from } as StreamedSpikes;
  for (const k of KEYS) (out as unknown as Record<string, unknown>)[k] = a[k].slice(from, to);
  return out;
}
