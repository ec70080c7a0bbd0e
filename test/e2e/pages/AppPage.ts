/**
 * Page object of the whole spikedock window in browser mode: menus, keyboard, snippets, the
 * status bar (role="status"), toasts and overlays, plus one page object per view.
 */
import { expect, type Locator, type Page } from 'playwright/test';
import { AmplitudeViewPage } from './AmplitudeViewPage';
import { ClusterScatterViewPage } from './ClusterScatterViewPage';
import { MetricsViewPage } from './MetricsViewPage';
import { ClusterViewPage } from './ClusterViewPage';
import { CorrelogramViewPage } from './CorrelogramViewPage';
import { DriftViewPage } from './DriftViewPage';
import { FeatureViewPage } from './FeatureViewPage';
import { FiringRateViewPage } from './FiringRateViewPage';
import { ISIViewPage } from './ISIViewPage';
import { ProbeViewPage } from './ProbeViewPage';
import { RasterViewPage } from './RasterViewPage';
import { SimilarityViewPage } from './SimilarityViewPage';
import { runSnippet } from './snippet';
import { SpikeAttributeViewPage } from './SpikeAttributeViewPage';
import { SuggestionsViewPage } from './SuggestionsViewPage';
import { TemplateViewPage } from './TemplateViewPage';
import { TraceViewPage } from './TraceViewPage';
import { WaveformViewPage } from './WaveformViewPage';

export class AppPage {
  readonly clusterView: ClusterViewPage;
  readonly similarityView: SimilarityViewPage;
  readonly waveformView: WaveformViewPage;
  readonly featureView: FeatureViewPage;
  readonly amplitudeView: AmplitudeViewPage;
  readonly correlogramView: CorrelogramViewPage;
  readonly traceView: TraceViewPage;
  readonly probeView: ProbeViewPage;
  readonly rasterView: RasterViewPage;
  readonly templateView: TemplateViewPage;
  readonly isiView: ISIViewPage;
  readonly firingRateView: FiringRateViewPage;
  readonly clusterScatterView: ClusterScatterViewPage;
  readonly metricsView: MetricsViewPage;
  readonly driftView: DriftViewPage;
  readonly spikeAttributeView: SpikeAttributeViewPage;
  readonly suggestionsView: SuggestionsViewPage;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.clusterView = new ClusterViewPage(page);
    this.similarityView = new SimilarityViewPage(page);
    this.waveformView = new WaveformViewPage(page);
    this.featureView = new FeatureViewPage(page);
    this.amplitudeView = new AmplitudeViewPage(page);
    this.correlogramView = new CorrelogramViewPage(page);
    this.traceView = new TraceViewPage(page);
    this.probeView = new ProbeViewPage(page);
    this.rasterView = new RasterViewPage(page);
    this.templateView = new TemplateViewPage(page);
    this.isiView = new ISIViewPage(page);
    this.firingRateView = new FiringRateViewPage(page);
    this.clusterScatterView = new ClusterScatterViewPage(page);
    this.metricsView = new MetricsViewPage(page);
    this.driftView = new DriftViewPage(page);
    this.spikeAttributeView = new SpikeAttributeViewPage(page);
    this.suggestionsView = new SuggestionsViewPage(page);
    this.status = page.getByRole('status', { name: 'Status' });
  }

  /** The plot views that draw every selection (SpikeAttributeView may have no attribute to show). */
  plotViews() {
    return [
      this.waveformView,
      this.featureView,
      this.amplitudeView,
      this.correlogramView,
      this.traceView,
      this.probeView,
      this.isiView,
      this.firingRateView,
      this.templateView,
      this.rasterView,
      this.clusterScatterView,
      this.metricsView,
      this.driftView,
    ] as const;
  }

  /** Opens the served URL and waits until the first cluster is selected (phy's start). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.clusterView.expectReady();
    await expect(this.clusterView.selectedRows()).toHaveCount(1, { timeout: 30_000 });
  }

  /** Presses keys on the window (not in a text field). */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      await this.page.locator('body').press(k);
    }
  }

  /** Runs a phy snippet (`:c 3 7`). */
  async snippet(text: string): Promise<void> {
    await runSnippet(this.page, text);
  }

  /** Selected clusters in colour order (best then similar), from the status bar chips. */
  async selection(): Promise<number[]> {
    return (await this.status.locator('.sb-chip').allTextContents()).map(Number);
  }

  async expectSelection(ids: number[]): Promise<void> {
    await expect.poll(() => this.selection(), { timeout: 15_000 }).toEqual(ids);
  }

  /** Waits until no session op is in flight. */
  async idle(): Promise<void> {
    await expect(this.status.locator('[data-status="busy"]')).toHaveCount(0, { timeout: 30_000 });
  }

  async clusterCount(): Promise<number> {
    const text = await this.status.locator('[data-status="clusters"]').textContent();
    return Number(/(\d+)/.exec(text ?? '')?.[1]);
  }

  dirty(): Locator {
    return this.status.locator('[data-status="dirty"]');
  }

  lastAction(): Locator {
    return this.status.locator('[data-status="last-action"]');
  }

  toasts(): Locator {
    return this.page.locator('.toast');
  }

  /** The status bar's merge preview (`merge 12+14: rp_contamination … — keeps the refractory dip`). */
  mergePreview(): Locator {
    return this.status.locator('[data-status="merge-preview"]');
  }

  async menu(menu: string, item: string): Promise<void> {
    await this.page.getByRole('menubar').getByRole('menuitem', { name: menu, exact: true }).click();
    await this.page.getByRole('menu', { name: menu }).locator('button', { hasText: item }).first().click();
  }

  /** Waits until every view in the window has settled (ready or empty). */
  async viewsSettled(): Promise<void> {
    await expect
      .poll(
        () => this.page.locator('[data-view]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.getAttribute('data-state'))),
        { timeout: 60_000 },
      )
      .not.toContain('loading');
  }
}
