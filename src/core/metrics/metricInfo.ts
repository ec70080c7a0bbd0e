/**
 * One line per metric for the app (ClusterView's header tooltips, the help): what it measures,
 * its unit, and the SpikeInterface function it follows. The full definitions, defaults and NaN
 * cases are in this folder's README and in each function's comment.
 */
import type { MetricName } from './qualityMetrics';

/** Each metric's one-line description, with its reference. */
export const METRIC_DESCRIPTIONS: Record<MetricName, string> = {
  num_spikes: 'spikes of the cluster (SpikeInterface compute_num_spikes)',
  firing_rate: 'spikes / recording duration, Hz (compute_firing_rates)',
  presence_ratio: 'fraction of 60 s bins with at least one spike (compute_presence_ratios)',
  isi_violations_ratio: 'Hill/UMS ISI violations: contaminating rate / cluster rate, ISIs < 1.5 ms (compute_isi_violations)',
  isi_violations_count: 'consecutive ISIs < 1.5 ms (compute_isi_violations)',
  rp_contamination: 'Llobet 2022 refractory-period contamination estimate, 0–1 (compute_refrac_period_violations)',
  rp_violations: 'spike pairs closer than 1 ms (compute_refrac_period_violations)',
  firing_range: '95th − 5th percentile of the 5 s binned firing rate, Hz (compute_firing_ranges)',
  amplitude_median: 'median spike amplitude, amplitudes.npy scaling units (compute_amplitude_medians)',
  amplitude_cutoff: 'estimated fraction of spikes missing below the detection threshold, ≤ 0.5 (compute_amplitude_cutoffs)',
  amplitude_cv_median: 'median over time bins of the amplitude std / |mean| (compute_amplitude_cv_metrics)',
  amplitude_cv_range: '95th − 5th percentile over time bins of the amplitude std / |mean| (compute_amplitude_cv_metrics)',
  snr: '|template peak| / MAD noise of its channel; from raw data, else from the templates: see snr_source (compute_snrs)',
  drift_ptp: 'peak-to-peak of the median depth per 60 s interval, µm (compute_drift_metrics)',
  drift_std: 'std of the median depth per 60 s interval, µm (compute_drift_metrics)',
  drift_mad: 'median absolute deviation of the median depth per 60 s interval, µm (compute_drift_metrics)',
  isolation_distance: 'Mahalanobis distance² of the nearest other spikes, in PC space (pca_metrics mahalanobis_metrics)',
  l_ratio: 'L-ratio: other spikes inside the cluster ellipsoid, per spike (pca_metrics mahalanobis_metrics)',
  d_prime: "LDA separation of the cluster from its neighbours, d' ≥ 0 (pca_metrics d_prime_metric)",
  nn_hit_rate: "fraction of the cluster's spikes' 4 nearest other spikes that are its own (n_neighbors=5 with the spike itself; nearest_neighbors_metrics)",
  nn_miss_rate: "fraction of other spikes' 4 nearest other spikes that are the cluster's (n_neighbors=5 with the spike itself; nearest_neighbors_metrics)",
  silhouette: 'simplified silhouette against the nearest other centroid, −1–1 (simplified_silhouette_score)',
  peak_to_valley: 'time from trough to peak of the main-channel template, s (template_metrics get_peak_to_valley)',
  peak_trough_ratio: 'template peak / trough value (template_metrics get_peak_trough_ratio)',
  half_width: 'width of the trough at half its depth, s (template_metrics get_half_width)',
  repolarization_slope: 'slope from the trough back to 0, units/s (template_metrics get_repolarization_slope)',
  recovery_slope: 'slope over 0.7 ms after the peak, units/s (template_metrics get_recovery_slope)',
  num_positive_peaks: 'positive peaks of the main-channel template (template_metrics get_num_positive_peaks)',
  num_negative_peaks: 'negative peaks of the main-channel template (template_metrics get_num_negative_peaks)',
};
