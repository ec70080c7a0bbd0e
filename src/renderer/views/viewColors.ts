import { selectionRgbFloat } from '../theme/colors';
import { clusterHashColor, type Rgba } from '../plot/color';

/** RGBA of the i-th selected cluster (1st blue, 2nd red, 3rd yellow, … as in phy). */
export function selectionRgba(i: number, alpha = 1): Rgba {
  const [r, g, b] = selectionRgbFloat(i);
  return [r, g, b, alpha];
}

/**
 * Colour of a cluster in a view that shows many clusters: its selection colour if selected,
 * otherwise a stable hashed hue (the `random` scheme; views with a colour-scheme setting use
 * colorSchemes.ts, which keeps the same selection colours).
 */
export function clusterRgba(clusterId: number, selected: readonly number[], alpha = 1, lightness = 0.55): Rgba {
  const i = selected.indexOf(clusterId);
  return i >= 0 ? selectionRgba(i, alpha) : clusterHashColor(clusterId, alpha, lightness);
}
