import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool, AbortError } from '../../../src/main/compute/WorkerPool';
import { ComputeService, StaleResultError } from '../../../src/main/compute/ComputeService';
import type { ClusterLabels } from '../../../src/core/session/ClusterLabels';
import type { Dataset } from '../../../src/core/dataset/Dataset';
import type { UpdateInfo } from '../../../src/core/session/UpdateInfo';
import { ClusterMetrics } from '../../../src/core/session/ClusterMetrics';
import { correlogramBins, correlograms, mergeSpikeTrains } from '../../../src/core/compute/ccg';
import { extractWaveforms, meanWaveform } from '../../../src/core/compute/waveforms';
import { displayHighpass } from '../../../src/core/compute/filter';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';
import { summarise } from '../../../src/main/BackendHost';
import { censoredSamples, countDuplicatesWithin } from '../../../src/core/cleanup/duplicates';
import { main as cli } from '../../../src/main/cli';
import type { CliIo } from '../../../src/main/commands/types';

let fixture: ComputeFixture;
let dataset: Dataset;
let labels: ClusterLabels;
let pool: WorkerPool;
let svc: ComputeService;
let opId = 0;

const largest = (n: number) => largestClusters(labels, n);

/** The UpdateInfo of a change of `labels` (bumps its generation). */
function updateInfo(kind: UpdateInfo['kind'], ch: ReturnType<ClusterLabels['merge']>, added = ch.added, deleted = ch.deleted): UpdateInfo {
  return { opId: ++opId, generation: labels.bumpGeneration(), kind, description: kind, added, deleted, descendants: ch.descendants, changedSpikes: ch.changedSpikes };
}

function merge(ids: number[]): UpdateInfo {
  return updateInfo('merge', labels.merge(ids));
}

beforeAll(async () => {
  fixture = await generatedComputeFixture({ preset: 'small', rawSeconds: 20 }, { pool: { interactiveThreads: 2 } });
  ({ dataset, labels, pool, svc } = fixture);
});

afterAll(() => fixture?.dispose());

describe('ComputeService on a generated dataset (small preset, 20 s of raw)', () => {
  it('correlograms equal the in-process phylib algorithm on the same spikes', async () => {
    const ids = largest(3);
    const res = await svc.correlograms({ clusterIds: ids });
    const bins = correlogramBins(dataset.sampleRate, 0.001, 0.05);
    expect(res.nBins).toBe(bins.nBins);
    const merged = mergeSpikeTrains(ids.map((c) => labels.spikeIds(c)));
    const samples = Float64Array.from(merged.spikeIds, (i) => dataset.spikeTimes[i]);
    const ref = correlograms(samples, merged.clusterIndex, 3, bins);
    expect(Array.from(res.counts)).toEqual(Array.from(ref));
    expect(res.generation).toBe(labels.generation);
    expect(res.stats.map((s) => s.nSpikes)).toEqual(ids.map((c) => labels.nSpikes(c)));
    expect(res.firingRates[0]).toBeCloseTo(labels.nSpikes(ids[0]) / dataset.duration, 4);
  });

  it('counts duplicate spikes (ISIs ≤ 0.2 ms, every spike) beside the refractory statistics', async () => {
    // The small preset's contaminated clusters have double detections (two units' spikes
    // within 6 samples at 30 kHz); the count is countDuplicatesWithin on the whole train.
    const ids = labels.clusterIds().slice(0, 20);
    const res = await svc.correlograms({ clusterIds: ids, maxSpikes: 500 });
    const censored = censoredSamples(0.2, dataset.sampleRate);
    expect(censored).toBe(6);
    const expected = ids.map((c) => countDuplicatesWithin(Float64Array.from(labels.spikeIds(c), (i) => dataset.spikeTimes[i]), censored));
    expect(res.stats.map((s) => s.nDuplicates)).toEqual(expected);
    expect(expected.some((n) => n > 0)).toBe(true);
  });

  it('caps spikes per cluster with a regular subsample', async () => {
    const [c] = largest(1);
    const res = await svc.correlograms({ clusterIds: [c], maxSpikes: 100 });
    const total = res.counts.reduce((a, b) => a + b, 0);
    const full = await svc.correlograms({ clusterIds: [c] });
    expect(total).toBeLessThan(full.counts.reduce((a, b) => a + b, 0));
    // Statistics always use every spike.
    expect(res.stats[0].nSpikes).toBe(labels.nSpikes(c));
  });

  it('correlograms split in time across both threads equal the unsplit ones (counts, subsample, statistics)', async () => {
    const split = new ComputeService(dataset, labels, pool, { splitMinSpikes: 1, cacheBytes: 0 });
    const whole = new ComputeService(dataset, labels, pool, { splitMinSpikes: Infinity, cacheBytes: 0 });
    try {
      // Split with the cluster-grouped times; whole with one scattered read per spike.
      await split.clusterTimesReady;
      await whole.clusterTimesReady;
      expect(split.handle.clusterTimes).toBeTruthy();
      whole.handle.clusterTimes = null;
      const reqs = [
        { clusterIds: largest(3) },
        { clusterIds: largest(4), maxSpikes: 300 },
        { clusterIds: largest(1), maxSpikes: 251 },
        { clusterIds: largest(2), maxSpikes: 77, refractoryPeriod: 0.005 },
      ];
      for (const req of reqs) {
        const a = await split.correlograms(req);
        const b = await whole.correlograms(req);
        expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
        expect(a.stats).toEqual(b.stats);
        expect(Array.from(a.firingRates)).toEqual(Array.from(b.firingRates));
      }
    } finally {
      split.close();
      whole.close();
    }
  });

  it('all-pairs correlograms split across threads equal the per-selection correlograms', async () => {
    const all = await svc.allPairsCorrelograms();
    const n = all.clusterIds.length;
    const [a, b] = largest(2);
    const ia = all.clusterIds.indexOf(a);
    const ib = all.clusterIds.indexOf(b);
    const sel = await svc.correlograms({ clusterIds: [a, b] });
    const nb = all.nBins;
    const pick = (c: Int32Array, nn: number, i: number, j: number) => Array.from(c.subarray((i * nn + j) * nb, (i * nn + j + 1) * nb));
    expect(pick(all.counts, n, ia, ib)).toEqual(pick(sel.counts, 2, 0, 1));
    expect(pick(all.counts, n, ia, ia)).toEqual(pick(sel.counts, 2, 0, 0));
  });

  it('workers read the clustering through the segment table: all-pairs correlograms after a merge and a split equal the per-selection ones', async () => {
    const [a, b, c] = largest(3);
    const m = labels.merge([a, b]);
    svc.onUpdate(updateInfo('merge', m));
    const half = labels.spikeIds(c).filter((_, k) => k % 2 === 0);
    const sp = labels.split(half);
    svc.onUpdate(updateInfo('split', sp));
    try {
      const merged = m.added[0];
      const [part] = sp.added;
      const all = await svc.allPairsCorrelograms();
      expect(all.clusterIds).toEqual(labels.clusterIds());
      const sel = await svc.correlograms({ clusterIds: [merged, part] });
      const n = all.clusterIds.length;
      const nb = all.nBins;
      const im = all.clusterIds.indexOf(merged);
      const ip = all.clusterIds.indexOf(part);
      const pick = (x: Int32Array, nn: number, i: number, j: number) => Array.from(x.subarray((i * nn + j) * nb, (i * nn + j + 1) * nb));
      expect(pick(all.counts, n, im, ip)).toEqual(pick(sel.counts, 2, 0, 1));
      expect(pick(all.counts, n, im, im)).toEqual(pick(sel.counts, 2, 0, 0));
      // The auto-correlogram of the merged cluster counts pairs of its own spikes: not zero.
      expect(pick(all.counts, n, im, im).some((v) => v > 0)).toBe(true);
    } finally {
      labels.undo(sp);
      svc.onUpdate(updateInfo('undo', sp, sp.deleted, sp.added));
      labels.undo(m);
      svc.onUpdate(updateInfo('undo', m, m.deleted, m.added));
    }
  });

  it('raw waveforms: best channels first, filtered windows equal a direct extraction', async () => {
    const [c] = largest(1);
    const res = await svc.waveforms({ clusterIds: [c], kind: 'waveforms', nSpikes: 20 });
    expect(res.source).toBe('raw');
    const w = res.clusters[0];
    expect(w.channelIds.length).toBe(12);
    expect(w.channelIds[0]).toBe(svc.peakChannel(c));
    const nSamples = res.nSamples;
    expect(w.data.length).toBe(w.spikeIds.length * nSamples * 12);
    const columns = Array.from(w.channelIds, (ch) => dataset.channelMap[ch]);
    const direct = extractWaveforms(dataset.raw!, dataset.spikeTimes, w.spikeIds, columns, {
      nSamples,
      nBefore: Math.floor(nSamples / 2),
      filter: displayHighpass(dataset.sampleRate),
    });
    for (let i = 0; i < direct.length; i += 97) expect(w.data[i]).toBeCloseTo(direct[i], 3);
    const mean = meanWaveform(direct, w.spikeIds.length, nSamples, 12);
    for (let i = 0; i < mean.length; i += 31) expect(w.mean[i]).toBeCloseTo(mean[i], 3);
    // The spike's peak is on the best channel, near the window centre.
    let peakCh = 0;
    let peak = 0;
    for (let t = 0; t < nSamples; t++) {
      for (let k = 0; k < 12; k++) {
        const v = Math.abs(w.mean[t * 12 + k]);
        if (v > peak) {
          peak = v;
          peakCh = k;
        }
      }
    }
    expect(peakCh).toBeLessThan(3);
  });

  it('mean waveforms and templates', async () => {
    const ids = largest(2);
    const mean = await svc.waveforms({ clusterIds: ids, kind: 'mean' });
    expect(mean.clusters[1].data.length).toBe(mean.nSamples * 12);
    const t = await svc.templates({ clusterIds: ids });
    expect(t.source).toBe('templates');
    expect(t.clusters[0].data.some((v) => v !== 0)).toBe(true);
  });

  it('features of two clusters with background, on the chosen channels', async () => {
    const ids = largest(2);
    const res = await svc.features({ clusterIds: ids });
    expect(res.nPcs).toBeGreaterThan(0);
    expect(res.clusters[0].features.length).toBe(res.clusters[0].spikeIds.length * 2 * res.nPcs);
    expect(res.clusters[0].spikeIds.length).toBeLessThanOrEqual(2500);
    expect(res.channelIds[0]).toBe(svc.peakChannel(ids[0]));
    expect(res.background).not.toBeNull();
    expect(res.clusters[0].features.some((v) => v !== 0)).toBe(true);
  });

  it('background spikes are spread over the whole recording, not taken from its beginning', async () => {
    const ids = largest(1);
    const res = await svc.features({ clusterIds: ids, nSpikes: 40 });
    const bg = res.background!;
    expect(bg.spikeIds.length).toBeGreaterThan(20);
    expect(bg.spikeIds.length).toBeLessThanOrEqual(40);
    const times = Array.from(bg.times);
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeGreaterThan(0.8 * dataset.duration);
    for (const id of bg.spikeIds) expect(labels.clusterOf(id)).not.toBe(ids[0]);
  });

  it('features and waveforms split across two threads equal those of one thread', async () => {
    const single = new WorkerPool({ interactiveThreads: 1, backgroundThreads: 1 });
    const one = new ComputeService(dataset, labels, single, { cacheBytes: 0 });
    try {
      const ids = largest(2);
      const a = await svc.features({ clusterIds: ids });
      const b = await one.features({ clusterIds: ids });
      expect(a.clusters.map((c) => Array.from(c.features))).toEqual(b.clusters.map((c) => Array.from(c.features)));
      expect(Array.from(a.background!.spikeIds)).toEqual(Array.from(b.background!.spikeIds));
      expect(Array.from(a.background!.features)).toEqual(Array.from(b.background!.features));
      const wa = await svc.waveforms({ clusterIds: ids, kind: 'waveforms', nSpikes: 40 });
      const wb = await one.waveforms({ clusterIds: ids, kind: 'waveforms', nSpikes: 40 });
      expect(Array.from(wa.clusters[1].data)).toEqual(Array.from(wb.clusters[1].data));
      wa.clusters[0].mean.forEach((v, i) => expect(v).toBeCloseTo(wb.clusters[0].mean[i], 3));
    } finally {
      one.close();
      await single.close();
    }
  });

  it('raster: every cluster\'s spikes counted in pixel bins over the recording, rows in request order', async () => {
    const ids = labels.clusterIds();
    const nBins = 300;
    const res = await svc.raster({ clusterIds: ids, nBins });
    expect(res.counts.length).toBe(ids.length * nBins);
    const sr = dataset.sampleRate;
    ids.forEach((c, row) => {
      const expected = new Uint8Array(nBins);
      for (const s of labels.spikeIds(c)) {
        const b = Math.min(nBins - 1, Math.floor((dataset.spikeTimes[s] / sr / res.duration) * nBins));
        expected[b] = Math.min(255, expected[b] + 1);
      }
      expect(Array.from(res.counts.subarray(row * nBins, (row + 1) * nBins)), `cluster ${c}`).toEqual(Array.from(expected));
    });
    expect(res.duration).toBeGreaterThanOrEqual(dataset.spikeTimes[dataset.spikeTimes.length - 1] / sr);
  });

  it('amplitudes of each kind', async () => {
    const ids = largest(2);
    const t = await svc.amplitudes({ clusterIds: ids, kind: 'template' });
    expect(t.available).toEqual(['template', 'feature', 'raw']);
    expect(t.clusters[0].amplitudes[0]).toBe(dataset.amplitudes![t.clusters[0].spikeIds[0]]);
    const f = await svc.amplitudes({ clusterIds: ids, kind: 'feature', nSpikes: 500 });
    expect(f.clusters[0].amplitudes.length).toBe(f.clusters[0].spikeIds.length);
    const r = await svc.amplitudes({ clusterIds: ids.slice(0, 1), kind: 'raw', nSpikes: 30 });
    expect(r.clusters[0].amplitudes.every((v) => v > 0)).toBe(true);
  });

  it('traces: samples for a short window, min/max envelope for a wide one, with spikes', async () => {
    const s = await svc.traces({ t0: 1, t1: 1.01 });
    expect(s.mode).toBe('samples');
    expect(s.channelIds.length).toBe(dataset.nChannels);
    expect(s.data.length).toBe(s.nTimes * dataset.nChannels);
    const e = await svc.traces({ t0: 1, t1: 3, width: 500, channelIds: [0, 1, 2] });
    expect(e.mode).toBe('envelope');
    expect(e.data.length).toBe(500 * 3 * 2);
    for (let i = 0; i < e.data.length; i += 2) expect(e.data[i]).toBeLessThanOrEqual(e.data[i + 1]);
    expect(e.spikes.times.length).toBeGreaterThan(0);
    for (let k = 0; k < e.spikes.times.length; k++) {
      expect(e.spikes.times[k]).toBeGreaterThanOrEqual(1 - 1e-6);
      expect(e.spikes.clusterIds[k]).toBe(labels.clusterOf(e.spikes.spikeIds[k]));
    }
  });

  it('ISI and firing-rate histograms', async () => {
    const ids = largest(2);
    const isi = await svc.isi({ clusterIds: ids });
    expect(isi.nBins).toBe(50);
    expect(isi.values.length).toBe(100);
    const fr = await svc.firingRate({ clusterIds: ids });
    expect(fr.nBins).toBe(200);
    const total = fr.values.subarray(0, 200).reduce((a, b) => a + b, 0) * fr.binSize;
    expect(total).toBeCloseTo(labels.nSpikes(ids[0]), 0);
    // Small selections run inline; the worker path gives the same histograms.
    const inWorker = new ComputeService(dataset, labels, pool, { inlineHistogramSpikes: 0, cacheBytes: 0 });
    try {
      expect(Array.from((await inWorker.isi({ clusterIds: ids })).values)).toEqual(Array.from(isi.values));
      expect(Array.from((await inWorker.firingRate({ clusterIds: ids })).values)).toEqual(Array.from(fr.values));
    } finally {
      inWorker.close();
    }
  });

  it('takes best channels and templates from the session’s metrics when given them (one owner: the ClusterView’s ch)', async () => {
    const metrics = new ClusterMetrics(dataset, labels);
    const withFacts = new ComputeService(dataset, labels, pool, { clusterFacts: (id) => metrics.facts(id) });
    try {
      for (const c of largest(5)) {
        const f = metrics.facts(c)!;
        expect(withFacts.peakChannel(c)).toBe(f.bestChannel);
        expect(withFacts.templateOf(c)).toBe(f.template);
        expect(withFacts.peakChannel(c)).toBe(metrics.metrics(c).channel);
        // Without the session, the same channel from the cluster's own templates.
        expect(svc.peakChannel(c)).toBe(f.bestChannel);
      }
      // A facts provider that knows a different channel wins over the templates.
      const [c] = largest(1);
      const moved = new ComputeService(dataset, labels, pool, { clusterFacts: () => ({ bestChannel: 3, template: metrics.facts(c)!.template }) });
      try {
        expect(moved.peakChannel(c)).toBe(3);
        const f = await moved.features({ clusterIds: [c], background: false });
        expect(f.channelIds[0]).toBe(3);
      } finally {
        moved.close();
      }
    } finally {
      withFacts.close();
    }
  });

  it('memoises; an update invalidates the deleted clusters', async () => {
    const ids = largest(2);
    const a = await svc.correlograms({ clusterIds: ids });
    const b = await svc.correlograms({ clusterIds: ids });
    expect(b.counts).toBe(a.counts);
    const u = merge(ids);
    svc.onUpdate(u);
    const c = await svc.correlograms({ clusterIds: ids });
    expect(c.counts).not.toBe(a.counts);
    const merged = await svc.correlograms({ clusterIds: u.added });
    expect(merged.stats[0].nSpikes).toBe(labels.nSpikes(u.added[0]));
    expect(merged.generation).toBe(u.generation);
  });

  it('never serves a result computed while a cluster id was gone once redo brings it back', async () => {
    const ids = largest(2);
    const ch = labels.merge(ids);
    const c = ch.added[0];
    // What a view shows of c: its waveform spikes and ISI counts.
    const shown = async () => {
      const w = await svc.waveforms({ clusterIds: [c], kind: 'waveforms', nSpikes: 30 });
      const isi = await svc.isi({ clusterIds: [c] });
      return { spikes: w.clusters[0].spikeIds.length, isis: Array.from(isi.values).reduce((a, b) => a + b, 0) };
    };
    svc.onUpdate(updateInfo('merge', ch));
    labels.undo(ch);
    svc.onUpdate(updateInfo('undo', ch, ch.deleted, ch.added));
    // Asked for while c does not exist (a view still showing it): nothing to show.
    expect(await shown()).toEqual({ spikes: 0, isis: 0 });
    labels.redo(ch);
    svc.onUpdate(updateInfo('redo', ch));
    const back = await shown();
    expect(back.spikes).toBeGreaterThan(0);
    expect(back.isis).toBeGreaterThan(0);
  });

  it('drops a result overtaken by an update that deleted its cluster', async () => {
    const ids = largest(2);
    const pending = svc.waveforms({ clusterIds: [ids[0]], kind: 'waveforms', nSpikes: 100 });
    svc.onUpdate(merge(ids));
    await expect(pending).rejects.toBeInstanceOf(StaleResultError);
  });

  it('cancellation: an aborted request rejects, the pool keeps serving', async () => {
    const ids = largest(3);
    const ac = new AbortController();
    const p = svc.waveforms({ clusterIds: ids, kind: 'waveforms', nSpikes: 200, nChannels: 16 }, ac.signal);
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    const ok = await svc.correlograms({ clusterIds: ids, binSize: 0.002 });
    expect(ok.clusterIds).toEqual(ids);
    for (let k = 0; k < 100 && pool.load.interactive.running; k++) await new Promise((r) => setTimeout(r, 50));
    expect(pool.load.interactive).toEqual({ running: 0, queued: 0 });
  });

  it('many concurrent requests, half aborted: the rest resolve correctly', async () => {
    const ids = labels.clusterIds();
    const jobs: Array<Promise<unknown>> = [];
    const controllers: AbortController[] = [];
    for (let k = 0; k < 60; k++) {
      const ac = new AbortController();
      controllers.push(ac);
      const sel = [ids[k % ids.length], ids[(k * 7 + 3) % ids.length]];
      const binSize = 0.001 + (k % 5) * 0.0005;
      jobs.push(k % 3 === 0 ? svc.correlograms({ clusterIds: sel, binSize }, ac.signal) : svc.waveforms({ clusterIds: sel, kind: 'mean', nSpikes: 10 + k }, ac.signal));
    }
    controllers.forEach((ac, k) => k % 2 && ac.abort());
    const settled = await Promise.allSettled(jobs);
    settled.forEach((s, k) => {
      if (k % 2) expect(s.status === 'rejected' && (s.reason as Error).name).toBe('AbortError');
      else expect(s.status).toBe('fulfilled');
    });
    for (let k = 0; k < 100 && pool.load.interactive.running; k++) await new Promise((r) => setTimeout(r, 50));
    expect(pool.load.interactive).toEqual({ running: 0, queued: 0 });
  });
});

describe("the recording's duration when the raw data (20 s) is shorter than the spikes (60 s) (issue 10)", () => {
  const lastSpike = () => dataset.spikeTimes[dataset.nSpikes - 1] / dataset.sampleRate;

  it('is the last spike’s time, with one raw.short warning naming the raw file and both durations', () => {
    expect(dataset.raw!.nSamples / dataset.sampleRate).toBeCloseTo(20, 6);
    expect(lastSpike()).toBeGreaterThan(59);
    expect(dataset.duration).toBe(lastSpike());
    const short = dataset.diagnostics.filter((d) => d.code === 'raw.short');
    expect(short).toHaveLength(1);
    expect(short[0].severity).toBe('warning');
    expect(short[0].file).toBe(dataset.raw!.files[0]);
    expect(short[0].message).toContain('recording.dat');
    expect(short[0].message).toContain('20.000 s');
    expect(short[0].message).toContain(`${lastSpike().toFixed(3)} s`);
    // The summary the renderer's time axes (amplitudes, firing rate, raster, features) read.
    expect(summarise(dataset, labels.clusterIds().length).duration).toBe(lastSpike());
  });

  it('spikedock info reports the spikes’ span and the warning', async () => {
    let out = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, readStdin: async () => '' };
    expect(await cli(['info', fixture.dir, '--json'], io)).toBe(0);
    const info = JSON.parse(out) as { duration: number; diagnostics: Array<{ code: string }> };
    expect(info.duration).toBeCloseTo(lastSpike(), 9);
    expect(info.diagnostics.filter((d) => d.code === 'raw.short')).toHaveLength(1);
  });

  it('metrics fr and the correlogram baseline rates are spikes / spikes’ span, not / raw length', async () => {
    const [c] = largest(1);
    const n = labels.nSpikes(c);
    const metrics = new ClusterMetrics(dataset, labels);
    expect(metrics.metrics(c).fr).toBeCloseTo(n / lastSpike(), 9);
    const ccg = await svc.correlograms({ clusterIds: [c] });
    expect(ccg.firingRates[0]).toBeCloseTo(n / lastSpike(), 4); // float32
  });

  it('the firing-rate histogram spans the spikes, not the first 20 s with a pile-up in its last bin', async () => {
    const [c] = largest(1);
    const fr = await svc.firingRate({ clusterIds: [c] });
    expect(fr.nBins * fr.binSize).toBeCloseTo(lastSpike(), 9);
    const v = Array.from(fr.values.subarray(0, fr.nBins));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean).toBeCloseTo(labels.nSpikes(c) / lastSpike(), 6);
    // Spikes after the raw data's end are spread over the bins after 20 s, not stacked in one.
    const after20 = v.filter((_, k) => (k + 0.5) * fr.binSize > 21);
    expect(after20.filter((x) => x > 0).length).toBeGreaterThan(after20.length / 2);
    expect(Math.max(...v)).toBeLessThan(10 * mean);
  });
});

describe('ComputeService prefetch (the wizard’s next selection, computed ahead)', () => {
  const countRuns = () => {
    let n = 0;
    const orig = pool.run.bind(pool);
    pool.run = ((...a: Parameters<typeof pool.run>) => {
      n++;
      return orig(...a);
    }) as typeof pool.run;
    return { get n() { return n; }, restore: () => void (pool.run = orig) };
  };

  it('computes what the views asked last for the predicted selection: the later request is a cache hit', async () => {
    const [a, b] = largest(5).slice(3);
    const req = { clusterIds: [a], kind: 'waveforms' as const, nSpikes: 37, nChannels: 5 };
    svc.noteRequest('waveforms', req);
    svc.noteRequest('correlograms', { clusterIds: [a], binSize: 0.002 } as { clusterIds: number[] });
    await svc.waveforms(req);
    await svc.prefetch([b]);
    const runs = countRuns();
    try {
      const w = await svc.waveforms({ ...req, clusterIds: [b] });
      const c = await svc.correlograms({ clusterIds: [b], binSize: 0.002 });
      expect(runs.n).toBe(0);
      expect(w.clusters.map((x) => x.clusterId)).toEqual([b]);
      // 37 spikes at most on 5 channels (spikes too close to the raw file's end are left out).
      expect(w.clusters[0].data.length % (5 * w.nSamples)).toBe(0);
      expect(w.clusters[0].data.length / (5 * w.nSamples)).toBeGreaterThan(30);
      expect(c.clusterIds).toEqual([b]);
    } finally {
      runs.restore();
    }
  });

  it('identical requests running at the same time share one computation', async () => {
    const [c] = largest(7).slice(6);
    const req = { clusterIds: [c], kind: 'waveforms' as const, nSpikes: 41, nChannels: 3 };
    const single = countRuns();
    await svc.waveforms({ ...req, nSpikes: 40 });
    single.restore();
    expect(single.n).toBeGreaterThan(0);
    const runs = countRuns();
    try {
      const [x, y] = await Promise.all([svc.waveforms(req), svc.waveforms(req)]);
      expect(runs.n).toBe(single.n);
      expect(Array.from(x.clusters[0].data)).toEqual(Array.from(y.clusters[0].data));
    } finally {
      runs.restore();
    }
  });

  it('a request for another selection cancels the prefetch; a request that had joined it still gets its data', async () => {
    const ids = largest(10);
    const [p, q] = [ids[8], ids[9]];
    const req = { clusterIds: [p], kind: 'waveforms' as const, nSpikes: 43, nChannels: 4 };
    svc.noteRequest('waveforms', req);
    const prefetch = svc.prefetch([q]);
    const joined = svc.waveforms({ ...req, clusterIds: [q] });
    svc.noteRequest('waveforms', { ...req, clusterIds: [p] }); // the user went elsewhere
    await prefetch;
    const w = await joined;
    expect(w.clusters.map((x) => x.clusterId)).toEqual([q]);
    expect(w.clusters[0].data.length % (4 * w.nSamples)).toBe(0);
    expect(w.clusters[0].data.length).toBeGreaterThan(0);
  });
});
