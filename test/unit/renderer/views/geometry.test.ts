import { describe, expect, it } from 'vitest';
import type { FeaturesData, TracesData, WaveformsData } from '../../../../src/shared/ipc/contract';
import { buildFeatureGrid, featureDims, toSpikeDim, cellXDim } from '../../../../src/renderer/views/FeatureView/featureGrid';
import { buildWaveformGeometry, traceColumns } from '../../../../src/renderer/views/WaveformView/waveformLayout';
import { buildTraceGeometry, buildTraceSpikes, sameSpikeLayer } from '../../../../src/renderer/views/TraceView/traceGeometry';

describe('FeatureView grid', () => {
  it('is phy 4×4: dims ch0A, ch1A, ch0B, ch1B, time on the diagonal', () => {
    const dims = featureDims(3);
    expect(dims.length).toBe(4);
    expect(toSpikeDim(dims[1], [7, 9])).toEqual({ type: 'pc', channelId: 9, pc: 0 });
    expect(toSpikeDim(dims[2], [7, 9])).toEqual({ type: 'pc', channelId: 7, pc: 1 });
    expect(cellXDim(dims, 2, 2)).toEqual({ kind: 'time' });
    expect(featureDims(1).length).toBe(2);
  });

  it('puts every spike in all 16 cells with zero at the centre of PC axes', () => {
    const n = 50;
    const nPcs = 3;
    const features = new Float32Array(n * 2 * nPcs).map((_, i) => Math.sin(i) * 10);
    const times = new Float32Array(n).map((_, i) => i / 10);
    const data: FeaturesData = {
      generation: 1,
      channelIds: [3, 4],
      nPcs,
      clusters: [{ clusterId: 5, spikeIds: new Int32Array(n), times, features }],
      background: null,
    };
    const grid = buildFeatureGrid(data, 5, new Int32Array([10, 11, 12, 13, 14]), 1);
    expect(grid.points.count).toBeGreaterThan(n * 16 * 0.9);
    const r = grid.cellRects[1];
    expect(r.x0).toBeCloseTo(-r.x1);
    expect(grid.labels.some((l) => l.text === '13A')).toBe(true);
    expect(grid.labels.some((l) => l.text === 'time')).toBe(true);
  });
});

describe('WaveformView layout', () => {
  it('places one box per channel at its probe position, clusters side by side', () => {
    const nSamples = 10;
    const mk = (clusterId: number, channels: number[]): WaveformsData['clusters'][number] => ({
      clusterId,
      channelIds: new Int32Array(channels),
      spikeIds: new Int32Array(0),
      data: new Float32Array(nSamples * channels.length).map((_, i) => Math.sin(i)),
      mean: new Float32Array(nSamples * channels.length).map((_, i) => Math.sin(i)),
    });
    const data: WaveformsData = { generation: 1, kind: 'templates', source: 'templates', nSamples, sampleRate: 30000, unit: 'a.u.', clusters: [mk(1, [0, 1]), mk(2, [1, 2])] };
    const positions = new Float32Array([0, 0, 20, 0, 0, 40]);
    const g = buildWaveformGeometry(data, positions, new Int32Array([100, 101, 102]), { overlap: false, ampScale: 1, widthScale: 1, showMean: false });
    expect(g.labels.map((l) => l.text).sort()).toEqual(['100', '101', '102']);
    // 4 channel traces × (nSamples-1) segments × 2 vertices.
    expect(g.meanLines.count).toBe(4 * (nSamples - 1) * 2);
    expect(g.bounds.x1).toBeGreaterThan(g.bounds.x0);
    const overlap = buildWaveformGeometry(data, positions, new Int32Array([100, 101, 102]), { overlap: true, ampScale: 1, widthScale: 1, showMean: false });
    expect(overlap.meanLines.count).toBe(g.meanLines.count);
  });

  it('decimates each trace to its pixel columns (min and max in time order), never below what the pixels show', () => {
    const nSamples = 82;
    const nSpikes = 30;
    // Spike s on its one channel: a trough at sample 20 + s and a peak at 50, noise elsewhere.
    const wave = (s: number, t: number) => (t === 20 + (s % 10) ? -5 - s : t === 50 ? 3 + s / 10 : Math.sin(s * 7 + t) * 0.3);
    const data: WaveformsData = {
      generation: 1,
      kind: 'waveforms',
      source: 'raw',
      nSamples,
      sampleRate: 30000,
      unit: 'µV',
      clusters: [
        {
          clusterId: 1,
          channelIds: new Int32Array([0]),
          spikeIds: new Int32Array(nSpikes),
          data: new Float32Array(nSpikes * nSamples).map((_, i) => wave(Math.floor(i / nSamples), i % nSamples)),
          mean: new Float32Array(nSamples).map((_, t) => wave(0, t)),
        },
      ],
    };
    const positions = new Float32Array([0, 0]);
    const display = { overlap: false, ampScale: 1, widthScale: 1, showMean: true };
    const full = buildWaveformGeometry(data, positions, new Int32Array([0]), display);
    expect(full.lines.count).toBe(nSpikes * (nSamples - 1) * 2);
    // A trace spans 0.92 × 0.94 world units; at 20 px per unit that is 17 pixel columns.
    const cols = traceColumns(nSamples, full.sub * 0.94, 20);
    expect(cols).toBe(17);
    const dec = buildWaveformGeometry(data, positions, new Int32Array([0]), display, 20);
    expect(dec.lines.count).toBe(nSpikes * (2 * cols - 1) * 2);
    expect(dec.lines.count).toBeLessThan(full.lines.count / 2);
    // Every trace keeps its extremes: the vertices of trace s reach its trough and its peak.
    const perTrace = (2 * cols - 1) * 2;
    const ys = (g: typeof dec, s: number, n: number) => Array.from({ length: n }, (_, v) => g.lines.positions[(s * n + v) * 2 + 1]);
    for (let s = 0; s < nSpikes; s++) {
      const a = ys(full, s, (nSamples - 1) * 2);
      const b = ys(dec, s, perTrace);
      expect(Math.min(...b)).toBeCloseTo(Math.min(...a), 6);
      expect(Math.max(...b)).toBeCloseTo(Math.max(...a), 6);
    }
    // x never goes back in time within a trace.
    const xs = Array.from({ length: perTrace }, (_, v) => dec.lines.positions[v * 2]);
    for (let v = 1; v < xs.length; v++) expect(xs[v]).toBeGreaterThanOrEqual(xs[v - 1] - 1e-9);
    // Pixels enough for a third of the samples or more: every sample is drawn.
    expect(traceColumns(nSamples, full.sub * 0.94, 1000)).toBe(nSamples);
    expect(buildWaveformGeometry(data, positions, new Int32Array([0]), display, 1000).lines.count).toBe(full.lines.count);
  });
});

describe('TraceView geometry', () => {
  it('stacks channels, colours spikes on their best channel and neighbours', () => {
    const nCh = 4;
    const nTimes = 300;
    const data: TracesData = {
      generation: 1,
      t0: 10,
      t1: 10.01,
      channelIds: new Int32Array([0, 1, 2, 3]),
      mode: 'samples',
      nTimes,
      dt: 1 / 30000,
      data: new Float32Array(nTimes * nCh).map((_, i) => Math.sin(i / 3)),
      unit: 'µV',
      spikes: { times: new Float32Array([10.005]), clusterIds: new Int32Array([7]), spikeIds: new Int32Array([0]), channels: new Int32Array([1]) },
    };
    const g = buildTraceGeometry(data, new Int32Array([0, 1, 2, 3]), [7], { gain: 1, allSpikes: true });
    expect(g.traces.count).toBe(nCh * (nTimes - 1) * 2);
    expect(g.spikes.count).toBeGreaterThan(0);
    expect(g.spikeX[0]).toBeCloseTo(0.005, 4);
    expect(g.spikeY[0]).toBe(1);
    const hidden = buildTraceGeometry(data, new Int32Array([0, 1, 2, 3]), [], { gain: 1, allSpikes: false });
    expect(hidden.spikes.count).toBe(0);

    // A switch between two clusters that have no spike in the window draws the same spike layer
    // (TraceView then keeps it: no upload, no redraw); selecting the cluster that has one does not.
    const scale = g.scale;
    const none1 = buildTraceSpikes(data, [3], scale, { allSpikes: false });
    const none2 = buildTraceSpikes(data, [4], scale, { allSpikes: false });
    expect(sameSpikeLayer(none1, none2)).toBe(true);
    expect(sameSpikeLayer(none1, buildTraceSpikes(data, [7], scale, { allSpikes: false }))).toBe(false);
    // With every spike shown, the selected cluster's colour changes the layer.
    expect(sameSpikeLayer(buildTraceSpikes(data, [3], scale, { allSpikes: true }), buildTraceSpikes(data, [7], scale, { allSpikes: true }))).toBe(false);
  });
});
