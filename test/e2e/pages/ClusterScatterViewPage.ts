/**
 * Page object of ClusterScatterView: every cluster at (amplitude, depth) or at the columns bound
 * by `:csx`/`:csy`/`:css`, whose titles the axes carry; the status line ("x: amp, y: depth,
 * size: fr (log); colours: random") names the bindings and the colour scheme, which shift+wheel
 * cycles; a ctrl+click lasso selects the clusters inside when ctrl is released (or on Enter,
 * ctrl still held).
 */
import { expect, type Page } from 'playwright/test';
import { PlotViewPage, type CanvasPoint } from './PlotViewPage';

export class ClusterScatterViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'ClusterScatterView');
  }

  /** The axis titles (the bound columns) drawn over the plot, without the tick labels (numbers). */
  async axisTitles(): Promise<string[]> {
    return (await this.overlayTexts()).filter((t) => Number.isNaN(Number(t)));
  }

  /** The colour scheme the status line names (`random`, `group`, `depth`, `firing rate (log)`, …), or '' before data. */
  async colourScheme(): Promise<string> {
    return /colours: (.+?)(?: — lasso:|$)/.exec(await this.statusText())?.[1] ?? '';
  }

  /** shift+wheel over the middle of the plot: the next colour scheme; waits until the status line names another one. */
  async nextColourScheme(): Promise<void> {
    const was = await this.colourScheme();
    const { x, y } = await this.at([0.5, 0.5]);
    await this.page.mouse.move(x, y);
    await this.page.keyboard.down('Shift');
    try {
      await this.page.mouse.wheel(0, 100);
    } finally {
      await this.page.keyboard.up('Shift');
    }
    await expect.poll(() => this.colourScheme()).not.toBe(was);
  }

  /**
   * ctrl+clicks a polygon (fractions of the canvas box), checks the view holds it, then releases
   * ctrl: the clusters inside are selected and the lasso is gone.
   */
  async lassoSelect(points: readonly CanvasPoint[]): Promise<void> {
    await this.drawPolygon(points);
    await expect(this.canvas).toHaveAttribute('data-lasso-points', String(points.length));
    await this.page.keyboard.up('Control');
    await expect(this.canvas).toHaveAttribute('data-lasso-points', '0');
  }

  /** lassoSelect over the whole plot, 1 % inside the canvas' corners (off the dock's tab strip): every cluster is inside. */
  async lassoSelectAll(): Promise<void> {
    await this.lassoSelect([
      [0.01, 0.01],
      [0.99, 0.01],
      [0.99, 0.99],
      [0.01, 0.99],
    ]);
  }
}
