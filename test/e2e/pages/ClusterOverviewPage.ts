/**
 * The shared page object of the views that show every (filtered) cluster in ClusterView's
 * order and select by click (RasterView: one row per cluster; TemplateView: one column per
 * cluster). The status line starts with the number of clusters shown.
 */
import { PlotViewPage } from './PlotViewPage';

export class ClusterOverviewPage extends PlotViewPage {
  /** Clusters shown, from the status line ("40 clusters, …"). */
  async clusterCount(): Promise<number> {
    const m = /^(\d+) clusters/.exec(await this.statusText());
    if (!m) throw new Error(`${this.type} status has no cluster count: ${await this.statusText()}`);
    return Number(m[1]);
  }
}
