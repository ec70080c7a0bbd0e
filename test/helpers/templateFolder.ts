/**
 * Builds small Kilosort/phy template folders in temp dirs for the loader tests: a consistent
 * default dataset (100 spikes, 5 templates, 4 channels, a raw file) that each test edits by
 * overriding, adding or deleting files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, encodeNpyData } from '../../src/core/formats/npy';
import type { NpyDtype } from '../../src/core/formats/npy';

export type FileContent = Uint8Array | string | null;

/** Encodes a Fortran-order `.npy` from values given in C order (as MATLAB writes them). */
export function encodeNpyFortran(valuesC: ArrayLike<number>, dtype: NpyDtype, shape: number[]): Uint8Array {
  const n = valuesC.length;
  const f = new Float64Array(n);
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  // Fortran index: first dimension fastest.
  const idx = new Array(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let c = 0;
    for (let d = 0; d < shape.length; d++) c += idx[d] * strides[d];
    f[k] = valuesC[c];
    for (let d = 0; d < shape.length; d++) {
      idx[d]++;
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  const c = encodeNpy(f, dtype, shape);
  // Byte-per-char (TextDecoder's 'latin1' is windows-1252: it maps the magic 0x93 to U+201C).
  const headerText = String.fromCharCode(...c.subarray(0, c.length - encodeNpyData(f, dtype).length));
  const patched = headerText.replace("'fortran_order': False", "'fortran_order': True ");
  const out = new Uint8Array(c.length);
  for (let i = 0; i < patched.length; i++) out[i] = patched.charCodeAt(i);
  out.set(c.subarray(patched.length), patched.length);
  return out;
}

export const N_SPIKES = 100;
export const N_TEMPLATES = 5;
export const N_CHANNELS = 4;
export const N_SAMPLES_TPL = 6;
export const N_CHANNELS_DAT = 6;
export const SAMPLE_RATE = 1000;
/** Raw samples in `rec.dat`. */
export const RAW_SAMPLES = 2000;

/** Template of spike i. */
export const templateOf = (i: number): number => i % N_TEMPLATES;
/** Time of spike i, samples. */
export const timeOf = (i: number): number => 10 + i * 17;
/** Value of templates[t, s, c] (C order). */
export const templateValue = (t: number, s: number, c: number): number => t * 100 + s * 10 + c;

/** The default files of a valid folder. */
export function defaultFiles(): Record<string, FileContent> {
  const n = N_SPIKES;
  const tpl = new Float32Array(N_TEMPLATES * N_SAMPLES_TPL * N_CHANNELS);
  for (let t = 0; t < N_TEMPLATES; t++)
    for (let s = 0; s < N_SAMPLES_TPL; s++) for (let c = 0; c < N_CHANNELS; c++) tpl[(t * N_SAMPLES_TPL + s) * N_CHANNELS + c] = templateValue(t, s, c);
  const raw = new Int16Array(RAW_SAMPLES * N_CHANNELS_DAT);
  for (let i = 0; i < raw.length; i++) raw[i] = (i % 1000) - 500;
  return {
    'params.py': `dat_path = 'rec.dat'\nn_channels_dat = ${N_CHANNELS_DAT}\ndtype = 'int16'\noffset = 0\nsample_rate = ${SAMPLE_RATE}.\nhp_filtered = False\n`,
    'spike_times.npy': encodeNpy(Array.from({ length: n }, (_, i) => timeOf(i)), 'uint64'),
    'spike_templates.npy': encodeNpy(Array.from({ length: n }, (_, i) => templateOf(i)), 'uint32'),
    'spike_clusters.npy': encodeNpy(Array.from({ length: n }, (_, i) => templateOf(i) + 10), 'int32'),
    'amplitudes.npy': encodeNpy(Array.from({ length: n }, (_, i) => 1 + i / 100), 'float64'),
    'channel_map.npy': encodeNpy([0, 1, 2, 4], 'int32'),
    'channel_positions.npy': encodeNpy([0, 0, 0, 20, 16, 40, 16, 60], 'float64', [N_CHANNELS, 2]),
    'channel_shanks.npy': encodeNpy([0, 0, 1, 1], 'int32'),
    'templates.npy': encodeNpy(tpl, 'float32', [N_TEMPLATES, N_SAMPLES_TPL, N_CHANNELS]),
    'similar_templates.npy': encodeNpy(Array.from({ length: N_TEMPLATES * N_TEMPLATES }, (_, k) => (k % (N_TEMPLATES + 1) === 0 ? 1 : 0.5)), 'float32', [N_TEMPLATES, N_TEMPLATES]),
    'whitening_mat_inv.npy': encodeNpy([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2], 'float64', [N_CHANNELS, N_CHANNELS]),
    'rec.dat': new Uint8Array(raw.buffer),
    'cluster_group.tsv': 'cluster_id\tgroup\n10\tgood\n11\tmua\n12\tnoise\n',
  };
}

/**
 * Writes a folder: the defaults, with `overrides` replacing or adding files (null deletes one).
 * Returns the folder's path (a fresh temp dir).
 */
export function makeTemplateFolder(overrides: Record<string, FileContent> = {}, opts: { defaults?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'spikedock-tpl-'));
  const files = { ...(opts.defaults === false ? {} : defaultFiles()), ...overrides };
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue;
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}
