/**
 * Earlier home of the plot view page object, kept for specs that still import from here: the
 * page objects now live one per view (WaveformViewPage, FeatureViewPage, …) over PlotViewPage.
 */
import type { Page } from 'playwright/test';
import { ClusterViewPage } from './ClusterViewPage';

export { PlotViewPage, type PixelStats } from './PlotViewPage';

/** The ClusterView's cluster ids, in row order (ClusterViewPage.visibleIds). */
export function clusterIds(page: Page): Promise<number[]> {
  return new ClusterViewPage(page).visibleIds();
}
