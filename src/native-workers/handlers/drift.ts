/**
 * DriftView's worker tasks: every spike's depth (once per dataset, from `spike_positions.npy` or
 * the templates), the density image of all spikes, and the spike (and cluster) a click means.
 */
import { driftDensity as binDensity, finiteRange, spikeDepthsFromTemplates, spikeOfDensestCluster, templateCentreOfMass, type DriftDensity } from '../../core/compute/drift';
import { peakToPeak } from '../../core/compute/templates';
import { clusterOfSpike } from '../../core/session/SpikeAssignment';
import type { DatasetHandle, DriftDensityArgs, DriftPickArgs, SpikeDepths, SpikeDepthsArgs } from '../../shared/tasks/tasks';
import type { HandlerContext } from './context';
import type { SpikeTemplateIds } from '../../core/dataset/Dataset';

/** Rows of `spike_positions.npy` read at a time: 1 Mi rows × 2 columns × 4 bytes = 8 MiB, a cancel check between reads. */
const POSITION_ROWS = 1 << 20;

export function spikeDepths(args: SpikeDepthsArgs, ctx: HandlerContext): SpikeDepths {
  const h = args.dataset;
  if (args.source === 'none') return { source: 'none', depths: new Float32Array(0), min: NaN, max: NaN };
  // Shared, so the main thread hands it back to every later task without a copy.
  const depths = args.into?.depths ?? new Float32Array(new SharedArrayBuffer(h.nSpikes * 4));
  const from = args.into?.from ?? 0;
  const to = args.into?.to ?? h.nSpikes;
  if (args.source === 'spike_positions') {
    if (!h.spikePositions) throw new Error('spikeDepths: this dataset has no spike_positions.npy');
    const fields = h.spikePositions.fields;
    if (fields) {
      // A SpikeInterface spike_locations.npy: records (x, y, …); the depth is the second field.
      const rec = ctx.ds.openStructuredNpy(h.spikePositions.file);
      if (rec.length !== h.nSpikes || fields.length < 2) throw new Error(`${h.spikePositions.file}: ${rec.length} records, expected ${h.nSpikes}`);
      for (let start = from; start < to; start += POSITION_ROWS) {
        ctx.cancel.check();
        const end = Math.min(to, start + POSITION_ROWS);
        depths.set(rec.readField(fields[1], { as: 'float32', start, end }), start);
      }
    } else {
      const npy = ctx.ds.openNpy(h.spikePositions.file);
      const cols = npy.rowSize;
      if (npy.length !== h.nSpikes || cols < 2) throw new Error(`${h.spikePositions.file}: shape [${npy.header.shape.join(', ')}], expected [${h.nSpikes}, 2]`);
      for (let start = from; start < to; start += POSITION_ROWS) {
        ctx.cancel.check();
        const end = Math.min(to, start + POSITION_ROWS);
        const rows = npy.readRows(start, end, { as: 'float32' }) as Float32Array;
        // Column 1 is y, the depth along the probe.
        for (let i = start; i < end; i++) depths[i] = rows[(i - start) * cols + 1];
      }
    }
  } else {
    const st = h.spikeTemplates;
    if (!st) throw new Error('spikeDepths: this dataset has no spike_templates');
    const templateY = templateDepths(h, st, ctx);
    for (let start = from; start < to; start += POSITION_ROWS) {
      ctx.cancel.check();
      spikeDepthsFromTemplates(st, templateY, depths, start, Math.min(to, start + POSITION_ROWS));
    }
  }
  const [min, max] = finiteRange(depths.subarray(from, to));
  return { source: args.source, depths, min, max };
}

/** Each template's depth (µm): the centre of mass of its unwhitened peak-to-peak over the channels' y. */
function templateDepths(h: DatasetHandle, spikeTemplates: SpikeTemplateIds, ctx: HandlerContext): Float32Array {
  let maxT = -1;
  for (let i = 0; i < spikeTemplates.length; i++) if (spikeTemplates[i] > maxT) maxT = spikeTemplates[i];
  const out = new Float32Array(maxT + 1).fill(NaN);
  for (let t = 0; t <= maxT; t++) {
    if ((t & 63) === 0) ctx.cancel.check();
    const tpl = ctx.ds.template(t);
    if (!tpl) continue;
    const ptp = peakToPeak(tpl.unwhitened, tpl.nSamples, tpl.channels.length);
    // Unused sparse slots (channel -1) have no position: left out.
    const used = tpl.channels.reduce<number[]>((a, c, k) => (c >= 0 ? (a.push(k), a) : a), []);
    out[t] = templateCentreOfMass(used.map((k) => tpl.channels[k]), used.map((k) => ptp[k]), h.channelPositions).y;
  }
  return out;
}

function depthsOf(h: DatasetHandle, task: string): Float32Array {
  const d = h.spikeDepths;
  if (!d || d.depths.length !== h.nSpikes) throw new Error(`${task}: the spike depths are not built`);
  return d.depths;
}

export function driftDensity(args: DriftDensityArgs, ctx: HandlerContext): DriftDensity {
  const h = args.dataset;
  return binDensity(h.spikeTimes, depthsOf(h, 'driftDensity'), h.sampleRate, args.grid, () => ctx.cancel.check(), args.part);
}

export function driftPick(args: DriftPickArgs, ctx: HandlerContext): { spikeId: number } {
  const h = args.dataset;
  ctx.cancel.check();
  return { spikeId: spikeOfDensestCluster(h.spikeTimes, depthsOf(h, 'driftPick'), (i) => clusterOfSpike(h.assignment, i), h.sampleRate, args.click) };
}
