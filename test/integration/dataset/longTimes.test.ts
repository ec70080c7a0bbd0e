/**
 * Spike times past 2^32 samples (issue 16: recordings longer than 39.7 h at 30 kHz). Times that
 * fit 32 bits load as a Uint32Array (half the memory); these must take the 64-bit path and stay
 * exact through the reader, `spikedock info` and the workers (which read the shared column and
 * build the grouped `clusterTimes` from it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readColumn } from '../../../src/core/dataset/readColumn';
import { MemoryByteSource } from '../../../src/core/formats/ByteSource';
import { NpyFile, encodeNpy } from '../../../src/core/formats/npy';
import { correlogramBins, correlograms, mergeSpikeTrains } from '../../../src/core/compute/ccg';
import { generatedComputeFixture, largestClusters, type ComputeFixture } from '../../helpers/computeFixture';
import { runCli } from '../../helpers/runCli';

/** Not a multiple of 2^32, so a value truncated to its low 32 bits cannot pass for the right one. */
const SHIFT = 2 ** 32 + 777_777;
let fixture: ComputeFixture;
let original: Float64Array;

beforeAll(async () => {
  fixture = await generatedComputeFixture(
    { preset: 'small', rawSeconds: 2 },
    {
      afterGenerate: (dir) => {
        const file = join(dir, 'spike_times.npy');
        original = readColumn(NpyFile.open(new MemoryByteSource(readFileSync(file), file)), 'float64', false) as Float64Array;
        writeFileSync(file, encodeNpy(Array.from(original, (t) => t + SHIFT), 'int64'));
      },
    },
  );
});

afterAll(() => fixture?.dispose());

describe('spike times past 2^32 samples', () => {
  it('the reader keeps them as float64, every one exact', () => {
    const t = fixture.dataset.spikeTimes;
    expect(t).toBeInstanceOf(Float64Array);
    expect(t.buffer).toBeInstanceOf(SharedArrayBuffer);
    let wrong = 0;
    for (let i = 0; i < t.length; i++) if (t[i] !== original[i] + SHIFT) wrong++;
    expect(wrong).toBe(0);
    expect(t[t.length - 1]).toBeGreaterThan(2 ** 32);
  });

  it('spikedock info reports the duration from the last spike', async () => {
    const ds = fixture.dataset;
    const { code, stdout } = await runCli('info', fixture.dir, '--json');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as { n_spikes: number; duration: number };
    expect(info.n_spikes).toBe(ds.nSpikes);
    expect(info.duration).toBe((original[original.length - 1] + SHIFT) / ds.sampleRate);
  });

  it('workers read the same times: grouped cluster times and correlograms', async () => {
    const { svc, labels, dataset } = fixture;
    await svc.clusterTimesReady;
    const ct = svc.handle.clusterTimes!;
    expect(ct.times).toBeInstanceOf(Float64Array);
    const ids = largestClusters(labels, 2);
    for (const c of ids) {
      const spikes = labels.spikeIds(c);
      const grouped = ct.times.subarray(ct.offsets[c], ct.offsets[c + 1]);
      expect(grouped.length).toBe(spikes.length);
      let wrong = 0;
      for (let k = 0; k < spikes.length; k++) if (grouped[k] !== original[spikes[k]] + SHIFT) wrong++;
      expect(wrong).toBe(0);
    }
    const res = await svc.correlograms({ clusterIds: ids });
    const merged = mergeSpikeTrains(ids.map((c) => labels.spikeIds(c)));
    const samples = Float64Array.from(merged.spikeIds, (i) => dataset.spikeTimes[i]);
    const ref = correlograms(samples, merged.clusterIndex, 2, correlogramBins(dataset.sampleRate, 0.001, 0.05));
    expect(Array.from(res.counts)).toEqual(Array.from(ref));
  });
});
