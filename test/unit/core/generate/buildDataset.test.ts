import { beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../../src/core/generate/presets';
import { buildDataset, type GeneratedDataset } from '../../../../src/core/generate/buildDataset';
import { buildGroundTruth } from '../../../../src/core/generate/groundTruth';
import { makeProbe, NP1_COLUMNS_X } from '../../../../src/core/generate/probe';
import { FEATURE_BLOCK, pcFeaturesChunk, spikePositionsChunk, templateFeatureCoefficients, templateFeaturesChunk } from '../../../../src/core/generate/features';
import { RAW_BLOCK, rawChunk } from '../../../../src/core/generate/raw';
import { N_TEMPLATE_SAMPLES, TEMPLATE_CENTER } from '../../../../src/core/generate/waveforms';
import { REFRACTORY_WINDOW } from '../../../../src/core/generate/metrics';

const small = PRESETS.small;

/** Index of the first difference of two arrays (−1 if equal); vitest's deep equality is too slow on 10^6 elements. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

function concat<T extends Float32Array | Int16Array>(a: T, b: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
let ds: GeneratedDataset;
let again: GeneratedDataset;
let other: GeneratedDataset;

beforeAll(() => {
  ds = buildDataset(small, 11);
  again = buildDataset(small, 11);
  other = buildDataset(small, 12);
});

describe('makeProbe', () => {
  it('lays out a Neuropixels 1.0 checkerboard on two shanks with a permuted channel_map', () => {
    const p = makeProbe(small, 1);
    expect(p.nChannels).toBe(32);
    expect(p.nChannelsDat).toBe(34);
    for (let c = 0; c < 16; c++) {
      expect(p.positions[2 * c]).toBe(NP1_COLUMNS_X[c % 4]);
      expect(p.positions[2 * c + 1]).toBe(20 + 20 * Math.floor(c / 2));
      expect(p.shanks[c]).toBe(0);
      expect(p.shanks[c + 16]).toBe(1);
      expect(p.positions[2 * (c + 16)]).toBe(NP1_COLUMNS_X[c % 4] + 250);
    }
    // channel_map: 32 distinct raw columns < 34; the 2 left out are the reference columns.
    const cols = new Set([...p.channelMap, ...p.extraColumns]);
    expect(cols.size).toBe(34);
    expect(Math.max(...cols)).toBe(33);
    expect([...p.channelMap]).not.toEqual([...p.channelMap].sort((a, b) => a - b));
  });

  it('maps Neuropixels channels to the first 384 columns and keeps a sync column', () => {
    const p = makeProbe(PRESETS.neuropixels, 1);
    expect([...p.channelMap]).toEqual(Array.from({ length: 384 }, (_, k) => k));
    expect([...p.extraColumns]).toEqual([384]);
    expect(p.extraKind).toBe('sync');
  });
});

describe('buildDataset (small)', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    for (const k of ['times', 'templates', 'clusters', 'amplitudes', 'groundTruthUnits'] as const) expect(firstDifference(again.spikes[k], ds.spikes[k])).toBe(-1);
    expect(firstDifference(again.similarity, ds.similarity)).toBe(-1);
    expect(buildGroundTruth(again)).toEqual(buildGroundTruth(ds));
    expect(other.spikes.times.length).not.toBe(ds.spikes.times.length);
  });

  it('has the preset size', () => {
    const n = ds.spikes.times.length;
    expect(n).toBeGreaterThan(30_000);
    expect(n).toBeLessThan(60_000);
    expect(ds.clusters.length).toBeGreaterThanOrEqual(20);
    expect(ds.clusters.length).toBeLessThanOrEqual(30);
  });

  it('sorts spike times and keeps every waveform inside the recording', () => {
    const t = ds.spikes.times;
    let unsorted = 0;
    for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) unsorted++;
    expect(unsorted).toBe(0);
    expect(t[0]).toBeGreaterThanOrEqual(TEMPLATE_CENTER);
    expect(t[t.length - 1] + N_TEMPLATE_SAMPLES - TEMPLATE_CENTER).toBeLessThanOrEqual(ds.nSamples);
  });

  it('has consistent shapes and ids', () => {
    const n = ds.spikes.times.length;
    const nT = ds.templates.length;
    for (const col of Object.values(ds.spikes)) expect(col.length).toBe(n);
    expect(ds.templates.map((t) => t.id)).toEqual(Array.from({ length: nT }, (_, k) => k));
    expect(ds.similarity.length).toBe(nT * nT);
    for (let t = 0; t < nT; t++) expect(ds.similarity[t * nT + t]).toBe(1);
    expect(ds.pcFeatureInd.length).toBe(nT * ds.nPcChannels);
    expect(ds.templateFeatureInd!.length).toBe(nT * ds.nTemplateFeatures);
    let mismatched = 0;
    for (let i = 0; i < n; i++) if (ds.spikes.clusters[i] !== ds.clusterOfTemplate[ds.spikes.templates[i]]) mismatched++;
    expect(mismatched).toBe(0);
    // Clusters = templates except the auto-merged ones (ids ≥ nTemplates) and unused templates.
    const ids = new Set(ds.spikes.clusters);
    expect(ds.clusters.map((c) => c.id)).toEqual([...ids].sort((a, b) => a - b));
    expect([...ids].some((c) => c >= nT)).toBe(true);
    const unused = ds.templates.filter((t) => t.kind === 'unused').map((t) => t.id);
    expect(unused.length).toBe(small.nUnusedTemplates);
    for (const t of unused) expect(ds.spikes.templates.includes(t)).toBe(false);
  });

  it('true units respect their refractory period; only contaminated, MUA and noise clusters violate it', () => {
    const last = new Map<number, number>();
    let violations = 0;
    for (let i = 0; i < ds.spikes.times.length; i++) {
      const u = ds.spikes.groundTruthUnits[i];
      if (u < 0) continue;
      const prev = last.get(u);
      if (prev !== undefined && ds.spikes.times[i] - prev < ds.units[u].refractorySamples) violations++;
      last.set(u, ds.spikes.times[i]);
    }
    expect(violations).toBe(0);
    const gt = buildGroundTruth(ds);
    const window = REFRACTORY_WINDOW * ds.sampleRate;
    for (const c of gt.clusters) {
      const metrics = ds.clusters.find((m) => m.id === c.id)!;
      if (c.kind === 'single' || c.kind === 'overSplit') {
        expect(metrics.refractoryViolations).toBe(0);
        expect(metrics.ksLabel).toBe('good');
      }
      if (c.kind === 'noise' || c.kind === 'mua') expect(metrics.contamPct).toBeGreaterThan(20);
    }
    expect(window).toBe(45);
    expect(gt.contaminated.length).toBe(small.nContaminated);
    const contaminatedViolations = gt.contaminated.map((c) => ds.clusters.find((m) => m.id === c.cluster)!.refractoryViolations);
    expect(Math.max(...contaminatedViolations)).toBeGreaterThan(0);
  });

  it('ground truth describes every sorting error and matches the spikes', () => {
    const gt = buildGroundTruth(ds);
    expect(gt.preset).toBe('small');
    expect(gt.seed).toBe(11);
    expect(gt.nSpikes).toBe(ds.spikes.times.length);
    expect(gt.clusters.reduce((s, c) => s + c.nSpikes, 0)).toBe(gt.nSpikes);
    expect(gt.units.reduce((s, u) => s + u.nSpikes, 0) + gt.clusters.reduce((s, c) => s + c.noiseSpikes, 0)).toBe(gt.nSpikes);
    expect(gt.overSplits.length).toBe(small.nOverSplitTime + small.nOverSplitAmplitude);
    for (const o of gt.overSplits) {
      expect(o.clusters.length).toBeGreaterThanOrEqual(2);
      for (const c of o.clusters) expect(gt.clusters.find((x) => x.id === c)!.units.map((u) => u.unit)).toEqual([o.unit]);
    }
    for (const a of gt.autoMerged) {
      expect(a.templates.length).toBe(2);
      expect(a.cluster).toBeGreaterThanOrEqual(gt.nTemplates);
    }
    for (const m of gt.merged) expect(gt.clusters.find((x) => x.id === m.cluster)!.units.map((u) => u.unit).sort()).toEqual(m.units);
    for (const c of gt.contaminated) {
      const units = gt.clusters.find((x) => x.id === c.cluster)!.units;
      expect(units[0].unit).toBe(c.unit);
      expect(units.map((u) => u.unit)).toContain(c.contaminatingUnit);
    }
    for (const m of gt.mua) expect(m.units.length).toBeGreaterThanOrEqual(3);
    for (const nz of gt.noise) {
      const c = gt.clusters.find((x) => x.id === nz.cluster)!;
      expect(c.units).toEqual([]);
      expect(c.noiseSpikes).toBe(c.nSpikes);
    }
    // Rates are log-normal within 0.5–30 Hz (the measured rate can exceed 30 by chance).
    for (const u of gt.units) {
      expect(u.rate).toBeGreaterThan(0.3);
      expect(u.rate).toBeLessThan(34);
    }
    expect(gt.units.some((u) => u.positivePeak) || gt.units.some((u) => u.bursting)).toBe(true);
  });

  it('near-twin distractors: a neighbour with an over-split-like template but its own spike train', () => {
    const gt = buildGroundTruth(ds);
    expect(gt.version).toBe(2);
    expect(gt.distractors.length).toBe(small.nDistractors);
    const nT = gt.nTemplates;
    // The least similar over-split pair sets the bar a distractor's template must reach.
    const simOf = (a: number, b: number) => Math.max(...gt.clusters.find((c) => c.id === a)!.templateIds.flatMap((t) => gt.clusters.find((c) => c.id === b)!.templateIds.map((u) => ds.similarity[t * nT + u])));
    const overSplitSims = gt.overSplits.flatMap((o) => o.clusters.slice(1).map((c) => simOf(o.clusters[0], c)));
    for (const d of gt.distractors) {
      const [host, twin] = d.units;
      expect(gt.units[host].role).toBe('single');
      expect(gt.units[twin].role).toBe('distractor');
      // Each cluster holds only its own unit, a few µm from the other.
      expect(gt.clusters.find((c) => c.id === d.clusters[0])!.units.map((u) => u.unit)).toEqual([host]);
      expect(gt.clusters.find((c) => c.id === d.clusters[1])!.units.map((u) => u.unit)).toEqual([twin]);
      expect(Math.hypot(gt.units[host].x - gt.units[twin].x, gt.units[host].depth - gt.units[twin].depth)).toBeLessThan(10);
      expect(simOf(d.clusters[0], d.clusters[1])).toBeGreaterThanOrEqual(Math.min(...overSplitSims, 0.9));
      // Two neurons: the merged train has spikes closer than either unit's refractory period.
      const times = [...ds.spikes.times.filter((_, i) => ds.spikes.groundTruthUnits[i] === host || ds.spikes.groundTruthUnits[i] === twin)];
      const refractory = Math.min(ds.units[host].refractorySamples, ds.units[twin].refractorySamples);
      expect(times.slice(1).filter((t, i) => t - times[i] < refractory).length).toBeGreaterThan(0);
    }
  });
});

describe('chunked outputs', () => {
  it('PC features: shape, chunking-independent, and over-split clusters lie close together', () => {
    const n = ds.spikes.times.length;
    const a = pcFeaturesChunk(ds, 0, n);
    expect(a.length).toBe(n * 3 * ds.nPcChannels);
    const parts = [pcFeaturesChunk(ds, 0, FEATURE_BLOCK * 2), pcFeaturesChunk(ds, FEATURE_BLOCK * 2, n)];
    expect(firstDifference(concat(parts[0], parts[1]), a)).toBe(-1);
    expect(() => pcFeaturesChunk(ds, 5, 10)).toThrow(RangeError);
    // First PC on the template's first (peak) channel: mean per cluster.
    const gt = buildGroundTruth(ds);
    const mean = (cluster: number): number => {
      let s = 0;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (ds.spikes.clusters[i] !== cluster) continue;
        s += a[i * 3 * ds.nPcChannels];
        k++;
      }
      return s / k;
    };
    for (const o of gt.overSplits) {
      const ms = o.clusters.map(mean);
      expect(Math.abs(ms[0] - ms[1]) / Math.max(Math.abs(ms[0]), Math.abs(ms[1]))).toBeLessThan(0.8);
    }
  });

  it('template features and spike positions have one row per spike', () => {
    const n = ds.spikes.times.length;
    const coef = templateFeatureCoefficients(ds);
    const tf = templateFeaturesChunk(ds, coef, 0, n);
    expect(tf.length).toBe(n * ds.nTemplateFeatures);
    // The first column is the spike's own template: close to its fitted amplitude.
    let close = 0;
    for (let i = 0; i < n; i++) if (Math.abs(tf[i * ds.nTemplateFeatures] - ds.spikes.amplitudes[i]) < 0.2 * ds.spikes.amplitudes[i]) close++;
    expect(close / n).toBeGreaterThan(0.9);
    const pos = spikePositionsChunk(ds, 0, n);
    expect(pos.length).toBe(2 * n);
    expect(pos.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('raw chunks do not depend on the chunking and carry the spikes on their channels', () => {
    const nDat = ds.probe.nChannelsDat;
    const whole = rawChunk(ds, 0, 2 * RAW_BLOCK);
    const a = rawChunk(ds, 0, RAW_BLOCK);
    const b = rawChunk(ds, RAW_BLOCK, RAW_BLOCK);
    expect(whole.length).toBe(2 * RAW_BLOCK * nDat);
    expect(firstDifference(concat(a, b), whole)).toBe(-1);
    expect(() => rawChunk(ds, 17, 100)).toThrow(RangeError);
    // Noise rms of a reference column is small; sorted channels are 10–15 a.u. plus spikes.
    const col = (k: number): number => {
      let s = 0;
      for (let r = 0; r < 2 * RAW_BLOCK; r++) s += whole[r * nDat + k] ** 2;
      return Math.sqrt(s / (2 * RAW_BLOCK));
    };
    for (const e of ds.probe.extraColumns) expect(col(e)).toBeLessThan(5);
    for (let c = 0; c < ds.probe.nChannels; c++) expect(col(ds.probe.channelMap[c])).toBeGreaterThan(8);
  });
});
