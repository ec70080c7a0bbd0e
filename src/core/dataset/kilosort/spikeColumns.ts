/** The per-spike columns of a template folder: times, templates, clusters, amplitudes. */
import { compactSpikeTimes, type SpikeClustersLayout, type SpikeTemplateIds, type SpikeTimes } from '../Dataset';
import type { DiagnosticLog } from '../DiagnosticLog';
import { FILES, newStats, statsRange, type TemplateFolderReader } from './folder';

/** Spike times must be non-decreasing (phylib raises otherwise); NaN is as bad. */
export function checkSorted(t: SpikeTimes, file: string, log: DiagnosticLog): void {
  if (t.length && t[0] !== t[0]) log.fatal(file, 'spikeTimes.nan', 'spike time at index 0 is not a number');
  for (let i = 1; i < t.length; i++) {
    if (!(t[i] >= t[i - 1])) {
      log.fatal(file, 'spikeTimes.decreasing', `spike times must be non-decreasing, but spike ${i} (${t[i]} samples) comes before spike ${i - 1} (${t[i - 1]} samples)`);
    }
  }
}

/**
 * `spike_times.npy` (or ALF `spikes.samples`, or ALF `spikes.times` in seconds) as samples:
 * `Uint32Array` when they fit in 32 bits, else `Float64Array` (see {@link SpikeTimes}).
 */
export function readSpikeTimes(r: TemplateFolderReader, sampleRate: number): { spikeTimes: SpikeTimes; timesFile: string } {
  const { log, shared } = r;
  const samplesAlf = r.find(FILES.spikeTimes) ? null : r.find(FILES.spikeTimesAlfSamples);
  const secondsAlf = r.find(FILES.spikeTimes) || samplesAlf ? null : r.find(FILES.spikeTimesAlfSeconds);
  if (secondsAlf) {
    const c = r.column([secondsAlf], 'spike times in seconds (ALF)', 'float64', { n: -1, of: '' }, [], shared)!;
    const spikeTimes = c.data as Float64Array;
    // ALF stores seconds; every other column of the app counts samples.
    for (let i = 0; i < spikeTimes.length; i++) spikeTimes[i] = Math.round(spikeTimes[i] * sampleRate);
    checkSorted(spikeTimes, c.file, log);
    return { spikeTimes: compactSpikeTimes(spikeTimes, shared), timesFile: c.file };
  }
  // The order check rides on the read (stats); the full check runs only to word the error.
  const stats = newStats('order');
  const c = r.column(samplesAlf ? [samplesAlf] : FILES.spikeTimes, 'the time of every spike, in samples', 'times', { n: -1, of: '' }, [], shared, stats)!;
  const spikeTimes = c.data as SpikeTimes;
  if (!stats.nonDecreasing) checkSorted(spikeTimes, c.file, log);
  return { spikeTimes, timesFile: c.file };
}

/**
 * `spike_templates.npy` with its largest template id (`tMax` = -1 when there are no spikes):
 * `Uint16Array` when every id fits, else `Int32Array` (see {@link SpikeTemplateIds}).
 */
export function readSpikeTemplates(r: TemplateFolderReader, nSpikes: number, timesName: string): { spikeTemplates: SpikeTemplateIds; tMax: number } {
  const tStats = newStats('range');
  const tmpl = r.column(FILES.spikeTemplates, 'the template of every spike', 'ids', { n: nSpikes, of: timesName }, [], r.shared, tStats)!;
  const spikeTemplates = tmpl.data as SpikeTemplateIds;
  const [tMin, tMax] = statsRange(tStats, nSpikes);
  if (tMin < 0) r.log.fatal(tmpl.file, 'spikeTemplates.negative', `template ids must be ≥ 0 (found ${tMin})`);
  return { spikeTemplates, tMax };
}

/**
 * `spike_clusters.npy`, with its on-disk layout (a save writes it back the same way); when
 * absent, a copy of `spike_templates` in memory and a null layout.
 */
export function readSpikeClusters(
  r: TemplateFolderReader,
  nSpikes: number,
  timesName: string,
  spikeTemplates: SpikeTemplateIds,
): { spikeClusters: Int32Array; spikeClustersLayout: SpikeClustersLayout | null } {
  const { log, shared } = r;
  if (!r.find(FILES.spikeClusters)) {
    // phylib copies spike_templates.npy to spike_clusters.npy on disk; we never write the sorter's
    // folder, so the copy lives in memory until the first save writes spike_clusters.npy.
    const spikeClusters = shared && typeof SharedArrayBuffer !== 'undefined' ? new Int32Array(new SharedArrayBuffer(nSpikes * 4)) : new Int32Array(nSpikes);
    spikeClusters.set(spikeTemplates);
    log.add('info', r.path('spike_clusters.npy'), 'spikeClusters.missing', 'spike_clusters.npy not found: every spike starts in the cluster of its template (the file is written on the first save)');
    return { spikeClusters, spikeClustersLayout: null };
  }
  const cStats = newStats('range');
  const c = r.column(FILES.spikeClusters, 'the cluster of every spike', 'int32', { n: nSpikes, of: timesName }, [], shared, cStats)!;
  const spikeClusters = c.data as Int32Array;
  const [cMin] = statsRange(cStats, nSpikes);
  if (cMin < 0) {
    let i = 0;
    while (spikeClusters[i] >= 0) i++;
    log.fatal(c.file, 'spikeClusters.negative', `cluster ids must be ≥ 0 (spike ${i} has cluster ${spikeClusters[i]})`);
  }
  return { spikeClusters, spikeClustersLayout: { dtype: c.dtype, shape: c.shape } };
}

/** `amplitudes.npy` (optional: without it, amplitudes are disabled). */
export function readAmplitudes(r: TemplateFolderReader, nSpikes: number, timesName: string): Float32Array | null {
  const amp = r.column(FILES.amplitudes, false, 'float32', { n: nSpikes, of: timesName }, ['amplitudes'], r.shared);
  return amp ? (amp.data as Float32Array) : null;
}
