/** TraceView settings, shared with AmplitudeView (which draws the TraceView window as a band). */
export interface TraceSettings {
  /** Window duration, seconds (phy: 0.25 s). */
  window: number;
  /** Gain (alt+up/down). */
  gain: number;
  showLabels: boolean;
  /** Show spikes of every cluster (true) or only the selected ones (alt+s). */
  allSpikes: boolean;
  /** First channel at the top (true) or at the bottom, phy's default (alt+o). */
  originTop: boolean;
}

export const TRACE_DEFAULTS: TraceSettings = { window: 0.25, gain: 1, showLabels: true, allSpikes: true, originTop: false };
