// The request limits are defined once (src/shared/ipc/limits.ts): the schemas refuse a request
// just over each count limit and accept one at it, and the README's table lists the same values.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_LIMITS } from '../../../../src/shared/ipc/limits';
import { validateCall } from '../../../../src/shared/ipc/schemas';

describe('REQUEST_LIMITS', () => {
  it('matches the README table "Limits on requests", row for row', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Limits on requests'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual({ ...REQUEST_LIMITS });
  });

  const ids = (n: number) => Array.from({ length: n }, (_, k) => k);
  it.each([
    ['isi', { clusterIds: [1], binSize: 0.001, max: 100 }, { clusterIds: [1], binSize: 0.001, max: 100.01 }, 'histogramBins'],
    ['firingRate', { clusterIds: [1], nBins: 100_000 }, { clusterIds: [1], nBins: 100_001 }, 'histogramBins'],
    ['correlograms', { clusterIds: [1], binSize: 0.001, windowSize: 10 }, { clusterIds: [1], binSize: 0.0005, windowSize: 10 }, 'correlogramBins'],
    ['features', { clusterIds: ids(40), nSpikes: 100_000 }, { clusterIds: ids(41), nSpikes: 100_000 }, 'requestSpikes'],
    ['amplitudes', { clusterIds: ids(4), kind: 'template', nSpikes: 1_000_000 }, { clusterIds: ids(5), kind: 'template', nSpikes: 1_000_000 }, 'requestSpikes'],
    ['spikeAttribute', { name: 'positions', clusterIds: ids(4), nSpikes: 1_000_000 }, { name: 'positions', clusterIds: ids(5), nSpikes: 1_000_000 }, 'requestSpikes'],
    ['traces', { t0: 0, t1: 600 }, { t0: 0, t1: 600.5 }, 'traceSeconds'],
  ])('viewData.%s: at the limit passes, over it is refused naming the limit', (method, atLimit, over, limit) => {
    expect(validateCall('viewData', method, [atLimit])).toMatchObject({ ok: true });
    const r = validateCall('viewData', method, [over]);
    expect(r.ok).toBe(false);
    expect((r as { error: string }).error).toMatch(new RegExp(`^invalid arguments to viewData\\.${method}: .*\\(${limit}\\)`));
  });

  it('keeps the 64-cluster limit of viewData.amplitudes', () => {
    expect(validateCall('viewData', 'amplitudes', [{ clusterIds: ids(64), kind: 'template' }])).toMatchObject({ ok: true });
    expect(validateCall('viewData', 'amplitudes', [{ clusterIds: ids(65), kind: 'template' }]).ok).toBe(false);
  });
});
