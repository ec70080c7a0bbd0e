/**
 * Seeded pseudo-random numbers — the project's one generator (the dataset generator, tests,
 * deterministic subsampling): xoshiro128** (Blackman & Vigna) seeded
 * through splitmix32. Never `Math.random`: a dataset is a pure function of (preset, seed).
 *
 * Streams: `new Rng(seed, a, b, …)` hashes the seed with the stream labels, so every unit, every
 * raw chunk and every feature chunk draws from its own independent stream. A chunk's numbers
 * therefore do not depend on the order or the size of the other chunks that were generated.
 */

/** Integers mixed into stream labels so different purposes never share a stream. */
export const Stream = {
  probe: 1,
  units: 2,
  rates: 3,
  spikes: 4,
  templates: 5,
  features: 6,
  raw: 7,
  positions: 8,
  labels: 9,
  noise: 10,
  templateFeatures: 11,
} as const;

function splitmix32(a: number): number {
  let t = (a + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** A 32-bit hash of a seed (any finite number; integers beyond 2^32 keep their high bits) and stream labels. */
export function hashSeed(seed: number, streams: readonly number[]): number {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 4294967296) >>> 0;
  let h = splitmix32(lo ^ splitmix32(hi));
  for (const s of streams) h = splitmix32(h ^ splitmix32((s >>> 0) + 0x632be5ab));
  return h;
}

/** Number of entries of the normal lookup table (indexed by 16 random bits). */
const NORMAL_TABLE_SIZE = 65536;

/**
 * Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9),
 * for 0 < p < 1. Also the start of `chi2Ppf`'s Newton iterations (metrics/stats.ts).
 */
export function inverseNormalCdf(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

let normalQuantiles: Float32Array | null = null;

/**
 * Standard normal quantiles at (i + 0.5) / 65536: a 16-bit random index gives a normal deviate
 * (tails cut at ±4.17 σ) for one table load, which is what makes multi-GB noise affordable.
 * Built on first use (not when the module loads: every command-line call would pay ≈ 30 ms for
 * a table only the generator reads) and never written to.
 */
export function normalTable(): Float32Array {
  if (normalQuantiles) return normalQuantiles;
  const t = new Float32Array(NORMAL_TABLE_SIZE);
  for (let i = 0; i < NORMAL_TABLE_SIZE; i++) t[i] = inverseNormalCdf((i + 0.5) / NORMAL_TABLE_SIZE);
  return (normalQuantiles = t);
}

/** xoshiro128** generator. Period 2^128 − 1; 32-bit output. */
export class Rng {
  // State in an Int32Array: plain fields holding values above 2^31 would be boxed as doubles and
  // cost an allocation per draw (measured 10× slower).
  private readonly s = new Int32Array(4);
  private spare = 0;
  private hasSpare = false;

  /** A generator for `seed` and the stream labels (see {@link Stream}). */
  constructor(seed: number, ...streams: number[]) {
    let h = hashSeed(seed, streams);
    for (let k = 0; k < 4; k++) {
      h = splitmix32(h);
      this.s[k] = h;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[3] = 1;
  }

  /** An independent copy of this generator in its current state (it then draws the same numbers). */
  clone(): Rng {
    const c = new Rng(0);
    c.s.set(this.s);
    c.spare = this.spare;
    c.hasSpare = this.hasSpare;
    return c;
  }

  /** Next uint32. */
  nextU32(): number {
    const s = this.s;
    const s1 = s[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal deviate (Box–Muller, exact tails). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Standard normal deviate from {@link normalTable} (16 bits; fast path for bulk noise). */
  fastNormal(): number {
    return (normalQuantiles ?? normalTable())[this.nextU32() >>> 16];
  }

  /** Exponential deviate of mean 1. */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /** Log-normal deviate with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Shuffles `xs` in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = xs[i];
      xs[i] = xs[j];
      xs[j] = tmp;
    }
    return xs;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
