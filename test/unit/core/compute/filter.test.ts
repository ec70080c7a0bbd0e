import { describe, expect, it } from 'vitest';
import { butter, displayHighpass, filtfilt, lfilter, lfilterZi, magnitudeDb } from '../../../../src/core/compute/filter';

// Reference values from scipy 1.17: scipy.signal.butter(3, 150 / (fs / 2), 'high').
const SCIPY: Record<number, { b: number[]; a: number[] }> = {
  30000: {
    b: [0.969071174031813, -2.907213522095439, 2.907213522095439, -0.969071174031813],
    a: [1.0, -2.9371707284498907, 2.8762997234793315, -0.939098940325283],
  },
  25000: {
    b: [0.9630005027993445, -2.8890015083980334, 2.8890015083980334, -0.9630005027993445],
    a: [1.0, -2.9246062354506974, 2.852027818593894, -0.9273699683501638],
  },
  20000: {
    b: [0.9539650414384022, -2.8618951243152067, 2.8618951243152067, -0.9539650414384022],
    a: [1.0, -2.9057609235003685, 2.815910107876166, -0.9100493001306842],
  },
};

// scipy.signal.filtfilt(b, a, x) at fs = 30 kHz for x = sin(0.3 k) + 0.1 k, k = 0..39.
const FILTFILT_REF = [
  -0.8389016773593823, -0.48891382609510403, -0.1654750929033959, 0.10740447066420078, 0.3102209645315257, 0.4297215726784136,
  0.4600911649452828, 0.4034745708767107, 0.26978787080374866, 0.07583555928848762, -0.15618755963514597, -0.4006759259536412,
  -0.6308974000818011, -0.82137802534117, -0.9501743546351757, -1.0008303630233024, -0.9638441429148272, -0.8375133682724968,
  -0.6280840069371284, -0.3491889989560546, -0.02062704401740134, 0.3334094128275724, 0.6864987065081807, 1.0123536358714862,
  1.287173163519085, 1.491772059381431, 1.6132982515250347, 1.6463844766107798, 1.5936313547920629, 1.4653787357534047,
  1.2787857392630395, 1.056301665932191, 0.8236643656883138, 0.6076048623345875, 0.4334632719122277, 0.32292897652371483,
  0.29210691599154237, 0.35008272868466134, 0.49811491223288873, 0.7295261651348336,
];

describe('butter (high-pass, 3rd order, 150 Hz)', () => {
  for (const fs of [30000, 25000, 20000]) {
    it(`matches scipy.signal.butter at ${fs} Hz`, () => {
      const { b, a } = butter(3, 150, fs, 'high');
      SCIPY[fs].b.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12));
      SCIPY[fs].a.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
    });
  }

  it('has −3 dB at the cutoff, ~0 dB at 3 kHz, and blocks DC', () => {
    const f = displayHighpass(30000);
    expect(magnitudeDb(f, 150, 30000)).toBeCloseTo(-3.0103, 3);
    expect(Math.abs(magnitudeDb(f, 3000, 30000))).toBeLessThan(0.01);
    expect(magnitudeDb(f, 10, 30000)).toBeLessThan(-60);
  });

  it('low-pass design has unity gain at DC', () => {
    expect(Math.abs(magnitudeDb(butter(4, 1000, 30000, 'low'), 0.001, 30000))).toBeLessThan(1e-9);
  });

  it('lfilter_zi matches scipy', () => {
    const zi = lfilterZi(displayHighpass(30000));
    [-0.9690711740269045, 1.9381423480541171, -0.9690711740272032].forEach((v, i) => expect(zi[i]).toBeCloseTo(v, 9));
  });
});

describe('filtfilt', () => {
  it('matches scipy.signal.filtfilt (odd padding, steady-state initial conditions)', () => {
    const x = Float32Array.from({ length: 40 }, (_, k) => Math.sin(k * 0.3) + k * 0.1);
    const y = filtfilt(displayHighpass(30000), x, 40, 1);
    FILTFILT_REF.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
  });

  it('filters interleaved columns independently', () => {
    const n = 200;
    const data = new Float32Array(n * 2);
    const a = new Float32Array(n);
    for (let t = 0; t < n; t++) {
      data[2 * t] = Math.sin(t * 0.05);
      data[2 * t + 1] = t % 7;
      a[t] = Math.sin(t * 0.05);
    }
    filtfilt(displayHighpass(30000), data, n, 2);
    filtfilt(displayHighpass(30000), a, n, 1);
    for (let t = 0; t < n; t++) expect(data[2 * t]).toBeCloseTo(a[t], 5);
  });

  it('is zero-phase: a symmetric pulse stays symmetric around its centre', () => {
    const n = 6001;
    const x = Float32Array.from({ length: n }, (_, t) => Math.exp(-(((t - 3000) / 5) ** 2)));
    const y = filtfilt(displayHighpass(30000), x, n, 1);
    for (let k = 1; k < 50; k++) expect(y[3000 - k]).toBeCloseTo(y[3000 + k], 4);
    // Peak stays at the centre (a causal filter would shift it).
    let arg = 0;
    for (let t = 0; t < n; t++) if (y[t] > y[arg]) arg = t;
    expect(arg).toBe(3000);
  });

  it('lfilter passes a 3 kHz sine with unit gain after the transient', () => {
    const fs = 30000;
    const x = Array.from({ length: 3000 }, (_, t) => Math.sin((2 * Math.PI * 3000 * t) / fs));
    const y = lfilter(displayHighpass(fs), x);
    // RMS over 100 periods: 1/√2 for unit gain.
    let ss = 0;
    for (let t = 2000; t < 3000; t++) ss += y[t] * y[t];
    expect(Math.sqrt(ss / 1000)).toBeCloseTo(Math.SQRT1_2, 3);
  });
});

describe('median subtraction', () => {
  it('subtracts the exact median of each column (odd and even lengths)', async () => {
    const { subtractColumnMedians } = await import('../../../../src/core/compute/traces');
    const d = Float32Array.from([5, 10, 1, 20, 3, 30, 4, 40]); // columns [5,1,3,4] and [10,20,30,40]
    subtractColumnMedians(d, 4, 2);
    expect(Array.from(d)).toEqual([1.5, -15, -2.5, -5, -0.5, 5, 0.5, 15]);
    const o = Float32Array.from([3, 1, 2]);
    subtractColumnMedians(o, 3, 1);
    expect(Array.from(o)).toEqual([1, -1, 0]);
  });
});
