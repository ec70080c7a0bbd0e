import { describe, expect, it } from 'vitest';
import { normalTable, Rng, hashSeed } from '../../../src/core/random';
import { argsortUint32 } from '../../../src/core/argsort';
import { spikeTrain } from '../../../src/core/generate/spikeTrain';

describe('Rng', () => {
  it('is deterministic for a seed and stream labels, and streams differ', () => {
    const a = new Rng(7, 1, 2);
    const b = new Rng(7, 1, 2);
    const c = new Rng(7, 1, 3);
    const d = new Rng(8, 1, 2);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.nextU32())).not.toEqual(xs);
    expect(Array.from({ length: 100 }, () => d.nextU32())).not.toEqual(xs);
    expect(hashSeed(2 ** 40 + 5, [])).not.toBe(hashSeed(5, []));
  });

  it('draws uniform, normal and exponential deviates with the right moments', () => {
    const r = new Rng(3);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sf = 0;
    let sf2 = 0;
    let se = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      const f = r.fastNormal();
      sf += f;
      sf2 += f * f;
      se += r.exponential();
    }
    expect(outside).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sf / n).toBeCloseTo(0, 1);
    expect(sf2 / n).toBeCloseTo(1, 1);
    expect(se / n).toBeCloseTo(1, 1);
  });

  it('has a symmetric normal table', () => {
    const NORMAL_TABLE = normalTable();
    expect(normalTable()).toBe(NORMAL_TABLE);
    expect(NORMAL_TABLE.length).toBe(65536);
    expect(NORMAL_TABLE[0]).toBeCloseTo(-NORMAL_TABLE[65535], 5);
    expect(NORMAL_TABLE[0]).toBeLessThan(-4);
    expect(NORMAL_TABLE.every((v, i) => i === 0 || v >= NORMAL_TABLE[i - 1])).toBe(true);
  });
});

describe('spikeTrain', () => {
  it('respects the dead time and the requested rate', () => {
    const fs = 30000;
    const train = spikeTrain(new Rng(1), { rate: 20, refractorySamples: 60, burstProbability: 0, sampleRate: fs }, 0, 600 * fs);
    const isi = train.times.slice(1).map((t, i) => t - train.times[i]);
    expect(Math.min(...isi)).toBeGreaterThanOrEqual(60);
    expect(train.times.length / 600).toBeGreaterThan(18);
    expect(train.times.length / 600).toBeLessThan(22);
  });

  it('bursts keep the dead time and count toward the rate', () => {
    const fs = 30000;
    const train = spikeTrain(new Rng(2), { rate: 10, refractorySamples: 50, burstProbability: 0.3, sampleRate: fs }, 100, 300 * fs);
    let followers = 0;
    for (let i = 1; i < train.times.length; i++) {
      expect(train.times[i] - train.times[i - 1]).toBeGreaterThanOrEqual(50);
      if (train.burstRank[i] > 0) {
        followers++;
        // Burst ISIs are 3–8 ms.
        expect(train.times[i] - train.times[i - 1]).toBeLessThanOrEqual(0.008 * fs);
      }
    }
    expect(followers).toBeGreaterThan(100);
    expect(train.times[0]).toBeGreaterThanOrEqual(100);
    expect(train.times.length / 300).toBeGreaterThan(8);
    expect(train.times.length / 300).toBeLessThan(12);
  });

  it('Poisson trains (no dead time) do have short intervals', () => {
    const train = spikeTrain(new Rng(3), { rate: 50, refractorySamples: 0, burstProbability: 0, sampleRate: 30000 }, 0, 60 * 30000);
    let short = 0;
    for (let i = 1; i < train.times.length; i++) if (train.times[i] - train.times[i - 1] < 45) short++;
    expect(short).toBeGreaterThan(10);
  });
});

describe('argsortUint32', () => {
  it('sorts stably, including keys above 2^16 and 2^31', () => {
    const r = new Rng(4);
    const keys = new Uint32Array(10_000);
    for (let i = 0; i < keys.length; i++) keys[i] = r.chance(0.3) ? r.int(50) : r.nextU32();
    const idx = argsortUint32(keys);
    let bad = 0;
    for (let i = 1; i < idx.length; i++) {
      const a = keys[idx[i - 1]];
      const b = keys[idx[i]];
      if (a > b || (a === b && idx[i - 1] > idx[i])) bad++;
    }
    expect(bad).toBe(0);
    expect(new Set(idx).size).toBe(keys.length);
  });
});
