/**
 * The shared page object of the stacked-histogram views (ISIView, FiringRateView): one row per
 * selected cluster, captioned "<cluster> · max <value> <unit>".
 */
import { PlotViewPage } from './PlotViewPage';

export interface HistogramCaption {
  clusterId: number;
  /** The row's highest bar, in the view's unit (ISIs, Hz). */
  max: number;
  unit: string;
}

export class HistogramViewPage extends PlotViewPage {
  /** The captions of the histogram rows, first selected cluster (bottom row) first. */
  async histograms(): Promise<HistogramCaption[]> {
    return (await this.overlayTexts())
      .map((t) => /^(\d+) · max ([\d.,eE+-]+) (.+)$/.exec(t))
      .filter((m): m is RegExpExecArray => m !== null)
      // Thousands are grouped ("163,000").
      .map((m) => ({ clusterId: Number(m[1]), max: Number(m[2].replace(/,/g, '')), unit: m[3] }));
  }
}
