import { describe, expect, it } from 'vitest';
import { channelName, parseChannel, validateCall } from '../../../../src/shared/ipc/schemas';

describe('validateCall', () => {
  it('accepts well-formed calls and fills trailing optional arguments', () => {
    const r = validateCall('session', 'merge', [[3, 7]]);
    expect(r).toEqual({ ok: true, args: [[3, 7], undefined] });
    expect(validateCall('viewData', 'correlograms', [{ clusterIds: [1, 2], binSize: 0.001, windowSize: 0.05 }]).ok).toBe(true);
    expect(validateCall('session', 'split', [{ kind: 'spikes', spikeIds: new Int32Array([1, 2]) }]).ok).toBe(true);
    expect(validateCall('viewData', 'mergePreview', [{ clusterIds: Array.from({ length: 64 }, (_, i) => i), refractoryPeriod: 0.002 }]).ok).toBe(true);
  });

  it('rejects unknown services and methods, and foreign channels', () => {
    expect(validateCall('fs', 'readFile', ['/etc/passwd'])).toEqual({ ok: false, error: "unknown service 'fs'" });
    expect(validateCall('session', 'constructor', [])).toMatchObject({ ok: false });
    expect(validateCall('session', '__proto__', [])).toMatchObject({ ok: false });
    expect(parseChannel('other:session.merge')).toBeNull();
    expect(parseChannel(channelName('session', 'merge'))).toEqual({ service: 'session', method: 'merge' });
  });

  it('rejects malformed arguments with a message naming the method', () => {
    const cases: Array<[string, string, unknown]> = [
      ['session', 'merge', [[3]]],
      ['session', 'merge', [['3', 7]]],
      ['session', 'merge', 'not a list'],
      ['session', 'label', [[1], '../etc', 'good']],
      ['session', 'split', [{ kind: 'spikes', spikeIds: [1, 2, 3] }]],
      ['session', 'split', [{ kind: 'lasso', clusterIds: [1], x: { type: 'time' }, y: { type: 'time' }, polygon: new Float32Array(2) }]],
      ['viewData', 'traces', [{ t0: 5, t1: 1 }]],
      ['viewData', 'correlograms', [{ clusterIds: Array.from({ length: 21 }, (_, i) => i) }]],
      ['viewData', 'waveforms', [{ clusterIds: [1], kind: 'waveforms', extra: true }]],
      ['session', 'undo', [1]],
      ['viewData', 'mergePreview', [{ clusterIds: [4] }]],
      ['viewData', 'mergePreview', [{ clusterIds: Array.from({ length: 65 }, (_, i) => i) }]],
      ['viewData', 'mergePreview', [{ clusterIds: [1, 2], refractoryPeriod: -1 }]],
      ['viewData', 'mergePreview', [{ clusterIds: [1, 2], binSize: 0.001 }]],
    ];
    for (const [s, m, a] of cases) {
      const r = validateCall(s, m, a);
      expect(r.ok, `${s}.${m} ${JSON.stringify(a)}`).toBe(false);
      if (!r.ok) expect(r.error).toMatch(new RegExp(`${s}\\.${m}|arguments`));
    }
  });

  it('takes a raster of hundreds of clusters (a Kilosort sort), bounded in clusters × bins', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(validateCall('viewData', 'raster', [{ clusterIds: ids(1500), nBins: 1200 }]).ok).toBe(true);
    expect(validateCall('viewData', 'raster', [{ clusterIds: ids(5001), nBins: 10 }])).toMatchObject({ ok: false, error: expect.stringMatching(/viewData\.raster: 0\.clusterIds/) });
    expect(validateCall('viewData', 'raster', [{ clusterIds: ids(10), nBins: 4097 }])).toMatchObject({ ok: false, error: expect.stringMatching(/nBins/) });
    expect(validateCall('viewData', 'raster', [{ clusterIds: ids(5000), nBins: 4096 }])).toMatchObject({ ok: false, error: expect.stringMatching(/clusters × bins/) });
  });

  it('checks applyLabels: one label per cluster, and a rule set read by the rules file reader (its message, naming the field)', () => {
    expect(validateCall('session', 'applyLabels', [{ clusterIds: [1, 2], values: ['noise', 'mua'], overwrite: true, source: 'rules' }]).ok).toBe(true);
    expect(validateCall('session', 'applyLabels', [{ clusterIds: [1, 2], values: ['noise'] }])).toMatchObject({ ok: false, error: expect.stringMatching(/session\.applyLabels.*one label per cluster/) });
    const rules = { labels: [{ label: 'mua', thresholds: { snr: { min: 5 } } }], otherwise: 'good' };
    expect(validateCall('session', 'applyLabels', [{ clusterIds: [1], values: ['mua'], rules }]).ok).toBe(true);
    const bad = { labels: [{ label: 'mua', thresholds: { snr: { min: '5' } } }] };
    expect(validateCall('session', 'applyLabels', [{ clusterIds: [1], values: ['mua'], rules: bad }])).toMatchObject({
      ok: false,
      error: expect.stringContaining('rules: labels[0].thresholds.snr.min: expected a number or null, got "5"'),
    });
    expect(validateCall('session', 'labelRules', []).ok).toBe(true);
  });
});
