/** Features and masks of a Kwik dataset, from the `.kwx` file beside the `.kwik`. */
import type { Feature } from '../../diagnostics';
import type { Hdf5Reader } from '../../formats/hdf5';
import { attrNumber } from '../../formats/hdf5';
import type { FeatureSource } from '../Dataset';
import { SPIKEDETEKT, type KwikFile } from './KwikFile';

/**
 * Features and masks from `.kwx:/channel_groups/G/features_masks` ((nSpikes, nChannels·nPcs, 2)
 * float32: `[..., 0]` features, `[:, ::nPcs, 1]` masks). Rows are read on demand.
 */
class KwxFeatureSource implements FeatureSource {
  readonly spikeIds = null;

  constructor(
    private readonly kwx: Hdf5Reader,
    private readonly dataset: string,
    readonly nChannelsLoc: number,
    readonly nPcs: number,
    private readonly nSpikes: number,
  ) {}

  read(spikeIds: ArrayLike<number>): { data: Float32Array; channels: Int32Array; masks: Float32Array } {
    const n = spikeIds.length;
    const nc = this.nChannelsLoc;
    const np = this.nPcs;
    const width = nc * np * 2;
    const data = new Float32Array(n * nc * np);
    const masks = new Float32Array(n * nc);
    const channels = new Int32Array(n * nc);
    let k = 0;
    while (k < n) {
      // One HDF5 read per run of consecutive spikes.
      let j = k + 1;
      while (j < n && spikeIds[j] === spikeIds[j - 1] + 1) j++;
      const start = spikeIds[k];
      if (!(Number.isInteger(start) && start >= 0 && spikeIds[j - 1] < this.nSpikes)) throw new RangeError(`spike ${start} out of range (${this.nSpikes} spikes)`);
      const rows = this.kwx.read(this.dataset, { start, end: spikeIds[j - 1] + 1 });
      for (let i = k; i < j; i++) {
        const base = (i - k) * width;
        for (let c = 0; c < nc; c++) {
          for (let p = 0; p < np; p++) data[(i * nc + c) * np + p] = rows[base + (c * np + p) * 2];
          masks[i * nc + c] = rows[base + c * np * 2 + 1];
          channels[i * nc + c] = c;
        }
      }
      k = j;
    }
    return { data, channels, masks };
  }
}

/**
 * `x.kwx:/channel_groups/G/features_masks` as a lazy {@link FeatureSource}, or null (reported,
 * features disabled) when the file is missing, unreadable or of the wrong shape.
 */
export function openKwx(k: KwikFile, G: string, nChannels: number, nSpikes: number): FeatureSource | null {
  const { fs, log, path } = k;
  const disables: Feature[] = ['features'];
  const kwxPath = path.replace(/\.kwik$/i, '') + '.kwx';
  const kst = fs.stat(kwxPath);
  if (!kst || kst.isDirectory) {
    log.add('warning', kwxPath, 'kwik.kwxMissing', `${fs.basename(kwxPath)} not found next to ${fs.basename(path)}: features and masks are unavailable`, disables);
    return null;
  }
  let kwx: Hdf5Reader;
  try {
    kwx = k.h5(kwxPath);
  } catch (e) {
    log.from(e, kwxPath, 'error', disables, '; features disabled');
    return null;
  }
  k.opened.push(kwx);
  const fm = `${G}/features_masks`;
  const info = kwx.info(fm);
  const fail = (code: string, message: string): null => {
    log.add('error', kwxPath, code, `${fm}: ${message}; features disabled`, disables);
    return null;
  };
  if (!info) return fail('kwik.noFeatures', 'not found');
  const s = info.shape;
  if (s.length !== 3 || s[2] !== 2) return fail('npy.shape', `expected (n_spikes, n_channels × n_features, 2) but got (${s.join(', ')})`);
  if (s[0] !== nSpikes) return fail('lengths.mismatch', `has ${s[0]} rows but the .kwik has ${nSpikes} spikes`);
  const nfpc = attrNumber(k.kwik.attr(SPIKEDETEKT, 'n_features_per_channel')) ?? (nChannels > 0 ? s[1] / nChannels : 0);
  if (!(Number.isInteger(nfpc) && nfpc > 0 && s[1] === nChannels * nfpc)) {
    return fail('lengths.mismatch', `has ${s[1]} columns, not ${nChannels} channels × ${nfpc} features per channel`);
  }
  return new KwxFeatureSource(kwx, fm, nChannels, nfpc, nSpikes);
}
