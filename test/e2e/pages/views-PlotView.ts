/**
 * Page object of one plot view (WaveformView, FeatureView, …) in the dock layout: bring its tab
 * to the front, wait for its data, measure whether its canvas shows something, draw a lasso.
 */
import type { Locator, Page } from 'playwright/test';
import { expect } from 'playwright/test';

export interface PixelStats {
  /** Pixels that differ from the dominant (background) colour. */
  nonBackground: number;
  total: number;
  /** Distinct colours (quantised to 4 bits per channel). */
  colours: number;
  /** Variance of the luminance, 0–255². */
  variance: number;
}

export class PlotViewPage {
  readonly root: Locator;

  constructor(
    readonly page: Page,
    readonly type: string,
  ) {
    this.root = page.locator(`[data-view="${type}"]`).first();
  }

  /** Clicks the view's tab if another view of its stack is in front. */
  async activate(): Promise<void> {
    if (await this.root.isVisible().catch(() => false)) return;
    const tab = this.page.locator('.lm_tab', { has: this.page.locator('.lm_title', { hasText: new RegExp(`^${this.type}$`) }) }).first();
    await tab.click();
    await expect(this.root).toBeVisible();
  }

  async waitState(state: 'ready' | 'empty' = 'ready', timeout = 30_000): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state, { timeout });
  }

  get canvas(): Locator {
    return this.root.locator('.plot-canvas').first();
  }

  /** Pixel statistics of the view's plot area, computed in the page from a screenshot. */
  async pixelStats(): Promise<PixelStats> {
    // Two animation frames: the demand frameloop draws once after the last data change.
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const png = await this.canvas.screenshot();
    return this.page.evaluate(async (b64) => {
      // An <img> (the page's CSP allows data: images, not data: fetches).
      const bmp = new Image();
      bmp.src = `data:image/png;base64,${b64}`;
      await bmp.decode();
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      const counts = new Map<number, number>();
      let sum = 0;
      let sum2 = 0;
      const n = d.length / 4;
      for (let i = 0; i < d.length; i += 4) {
        const q = ((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4);
        counts.set(q, (counts.get(q) ?? 0) + 1);
        const l = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
        sum += l;
        sum2 += l * l;
      }
      let bg = 0;
      for (const v of counts.values()) bg = Math.max(bg, v);
      const mean = sum / n;
      return { nonBackground: n - bg, total: n, colours: counts.size, variance: sum2 / n - mean * mean };
    }, png.toString('base64'));
  }

  /** ctrl+clicks a polygon given in fractions (0–1) of the canvas box. */
  /** The canvas box once the dock has stopped resizing it (a tab just brought forward is sized a frame or two later). */
  async settledBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    let box = await this.canvas.boundingBox();
    for (let k = 0; k < 50; k++) {
      await this.page.waitForTimeout(100);
      const next = await this.canvas.boundingBox();
      if (box && next && JSON.stringify(box) === JSON.stringify(next)) return next;
      box = next;
    }
    if (!box) throw new Error(`${this.type}: no canvas`);
    return box;
  }

  async lasso(points: Array<[number, number]>): Promise<void> {
    const box = await this.settledBox();
    await this.page.keyboard.down('Control');
    for (const [fx, fy] of points) await this.page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    await this.page.keyboard.up('Control');
    await expect(this.canvas).toHaveAttribute('data-lasso-points', String(points.length));
  }

  async screenshot(path: string): Promise<Buffer> {
    return this.root.screenshot({ path });
  }
}

/** The ClusterView's cluster ids, in row order (the ARIA grid contract). */
export async function clusterIds(page: Page): Promise<number[]> {
  const cells = page.locator('[data-view="ClusterView"] [role="row"] [role="gridcell"]:first-child');
  const texts = await cells.allTextContents();
  return texts.map((t) => Number.parseInt(t, 10)).filter((n) => Number.isFinite(n));
}
