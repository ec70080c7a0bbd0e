/** `spike_<name>.npy` files as lazy spike attributes. */
import type { SpikeAttribute } from '../Dataset';
import { closeSource } from '../rawData';
import { shapeText, type TemplateFolderReader } from './folder';

/**
 * `spike_<name>.npy` files that are not spike attributes (phylib's skip list, plus `spike_ids`
 * which some exporters write).
 */
export const NOT_ATTRIBUTES = new Set(['clusters', 'templates', 'samples', 'times', 'times_reordered', 'amplitudes']);

/** `spike_<name>.npy` files (Kilosort 4's `spike_positions.npy`…) as lazy spike attributes. */
export function openSpikeAttributes(r: TemplateFolderReader, nSpikes: number, timesName: string): SpikeAttribute[] {
  const out: SpikeAttribute[] = [];
  for (const n of r.names) {
    const m = /^spike_(.+)\.npy$/.exec(n);
    if (!m || NOT_ATTRIBUTES.has(m[1])) continue;
    const o = r.open([n], false, ['spikeAttributes']);
    if (!o) continue;
    const { npy, file } = o;
    if (npy.header.shape.length === 0 || npy.length !== nSpikes || npy.rowSize === 0) {
      r.log.add('warning', file, 'lengths.mismatch', `has shape ${shapeText(npy)} but there are ${nSpikes} spikes in ${timesName}; not shown as a spike attribute`);
      closeSource(npy.source);
      continue;
    }
    r.keep(npy);
    out.push({
      name: m[1],
      file,
      nColumns: npy.rowSize,
      read: (spikeIds: ArrayLike<number>) => npy.readRowsAt(spikeIds, { as: 'float32' }) as Float32Array,
    });
  }
  return out;
}
