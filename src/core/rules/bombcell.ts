/**
 * The default rule set: Bombcell's default classification (Fabre et al. 2023, bombcell), in the
 * order SpikeInterface's `bombcell_label_units` applies it — noise (waveform shape), then
 * non-somatic, then mua (spike-train quality), good otherwise — with Bombcell's default
 * thresholds mapped onto our metrics (SpikeInterface's names, `core/metrics`).
 *
 * Sources (both read through the search tool, December 2026):
 * - Bombcell's Python defaults: `Julie-Fabre/bombcell` `py_bombcell/bombcell/default_parameters.py`
 *   (`get_default_parameters`, commit 4531d96): maxNPeaks 2, maxNTroughs 1, minWvDuration 100 µs,
 *   maxWvDuration 1150 µs, maxMainPeakToTroughRatio_nonSomatic 0.8, minSNR 5,
 *   maxPercSpikesMissing 20 %, minNumSpikes 300, maxRPVviolations 0.1, minPresenceRatio 0.7,
 *   maxDrift 100 µm;
 * - SpikeInterface's port: `SpikeInterface/spikeinterface`
 *   `src/spikeinterface/curation/bombcell_curation.py` (`bombcell_get_default_thresholds`), which
 *   names the same thresholds with SpikeInterface metric names (`num_positive_peaks` max 2,
 *   `num_negative_peaks` max 1, `peak_to_trough_duration` 0.0001–0.00115 s, `snr` min 5,
 *   `amplitude_cutoff` max 0.2, `num_spikes` min 300, `rp_contamination` max 0.1,
 *   `presence_ratio` min 0.7, `drift_ptp` max 100, `main_peak_to_trough_ratio` max 0.8), noise
 *   with NaN = fail and mua with NaN ignored.
 *
 * Mapped to our names: Bombcell's waveform duration (SpikeInterface's newer
 * `peak_to_trough_duration`) is our `peak_to_valley` (the same quantity under its older name);
 * Bombcell's main-peak-to-trough ratio is our `peak_trough_ratio` (the peak after the trough over
 * the trough, so negative: |ratio| > 0.8 is `peak_trough_ratio < -0.8`).
 *
 * Left out, because we have no equivalent metric (README, "Label rules"): Bombcell's spatial
 * decay (`exp_decay`), waveform baseline flatness, the peak-before-trough widths and ratios of
 * its non-somatic rule, and `minAmplitude` 40 µV (our `amplitude_median` is Kilosort's template
 * scaling, not µV). Its second-peak-to-trough noise ratio (`maxScndPeakToTroughRatio_noise` 0.8)
 * is left out too: on our one-sided `peak_trough_ratio` it is the same test as the non-somatic
 * one, and noise comes first, so every non-somatic unit would be called noise. Isolation
 * distance and L-ratio are off in Bombcell's defaults (`computeDistanceMetrics: False`).
 *
 * NaN: noise is `skip` where SpikeInterface's port says `fail`: a cluster whose template we could
 * not measure (a Kwik file has no templates) is not evidence of noise, and labelling every such
 * cluster noise would hide it from the wizard. mua is `skip`, as Bombcell.
 */
import type { RuleSet } from './labelRules';

/** Bombcell's default classification as a {@link RuleSet} (see the module comment for sources). */
export function bombcellDefaultRules(): RuleSet {
  return {
    description: "Bombcell's defaults (noise, non-somatic, mua, good)",
    labels: [
      {
        label: 'noise',
        note: 'Bombcell maxNPeaks 2, maxNTroughs 1, waveform duration 100–1150 µs',
        nan: 'skip',
        thresholds: {
          num_positive_peaks: { max: 2 },
          num_negative_peaks: { max: 1 },
          peak_to_valley: { min: 0.0001, max: 0.00115 },
        },
      },
      {
        label: 'non-somatic',
        note: 'Bombcell maxMainPeakToTroughRatio_nonSomatic 0.8: the peak after the trough is more than 0.8 × the trough',
        nan: 'skip',
        thresholds: {
          peak_trough_ratio: { min: -0.8 },
        },
      },
      {
        label: 'mua',
        note: 'Bombcell minSNR 5, maxPercSpikesMissing 20 %, minNumSpikes 300, maxRPVviolations 0.1, minPresenceRatio 0.7, maxDrift 100 µm',
        nan: 'skip',
        thresholds: {
          snr: { min: 5 },
          amplitude_cutoff: { max: 0.2 },
          num_spikes: { min: 300 },
          rp_contamination: { max: 0.1 },
          presence_ratio: { min: 0.7 },
          drift_ptp: { max: 100 },
        },
      },
    ],
    otherwise: 'good',
  };
}
