/**
 * The shared part of every view's page object. `ViewPage` is what all views have in the dock
 * (ViewFrame's contract): the `[data-view="<Name>"]` element, its `data-state`, its tab, its
 * status line and a screenshot. `PlotViewPage` adds what every plot view has: its canvas (pixel
 * statistics, a settled bounding box, clicks at fractions of the canvas, a ctrl+click lasso),
 * the toolbar buttons, the SVG overlay text and keys pressed with the view focused.
 * One page object per view extends these (WaveformViewPage, FeatureViewPage, …).
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

/** ViewFrame's `data-state` values. */
export type ViewState = 'loading' | 'ready' | 'empty' | 'error';

/** A point in fractions (0–1) of the canvas box, x from the left, y from the top. */
export type CanvasPoint = readonly [number, number];

export type Box = { x: number; y: number; width: number; height: number };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ViewPage {
  readonly root: Locator;

  constructor(
    readonly page: Page,
    readonly type: string,
  ) {
    this.root = page.locator(`[data-view="${type}"]`).first();
  }

  /** The view's one-line status (phy's "channels: 2, 5", "similar to 12: 9"). */
  get statusLine(): Locator {
    return this.root.locator('.view-status').first();
  }

  /** The "nothing to draw" message that covers the view (ViewFrame's placeholder). */
  get placeholder(): Locator {
    return this.root.locator('.view-placeholder');
  }

  /** Clicks the view's tab if another view of its stack is in front. */
  async activate(): Promise<void> {
    if (await this.root.isVisible().catch(() => false)) return;
    const tab = this.page.locator('.lm_tab', { has: this.page.locator('.lm_title', { hasText: new RegExp(`^${this.type}$`) }) }).first();
    await tab.click();
    await expect(this.root).toBeVisible();
  }

  async waitState(state: ViewState = 'ready', timeout = 30_000): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', state, { timeout });
  }

  /** Waits until the view has finished loading: it shows data or says there is nothing to show. */
  async waitSettled(timeout = 30_000): Promise<'ready' | 'empty'> {
    await expect(this.root).toHaveAttribute('data-state', /^(ready|empty)$/, { timeout });
    return (await this.state()) as 'ready' | 'empty';
  }

  async state(): Promise<ViewState> {
    return (await this.root.getAttribute('data-state')) as ViewState;
  }

  async statusText(): Promise<string> {
    return ((await this.statusLine.textContent()) ?? '').trim();
  }

  async screenshot(path: string): Promise<Buffer> {
    return this.root.screenshot({ path });
  }
}

export class PlotViewPage extends ViewPage {
  get canvas(): Locator {
    return this.root.locator('.plot-canvas').first();
  }

  /** A toolbar button by its label (`mean`, `overlap`, `uniform`, `◀`). */
  toolButton(label: string): Locator {
    return this.root.locator('.view-toolbar').getByRole('button', { name: new RegExp(`^${escapeRegExp(label)}$`) });
  }

  /** The label of the pressed toolbar button among `labels` (a view's mode: waveforms, template…), or null. */
  async pressedTool(labels: readonly string[]): Promise<string | null> {
    for (const label of labels) {
      const button = this.toolButton(label);
      if ((await button.count()) && (await button.getAttribute('aria-pressed')) === 'true') return label;
    }
    return null;
  }

  /** Whether toolbar button `label` is pressed (a toggle that is on, or the mode shown). */
  async isToolPressed(label: string): Promise<boolean> {
    return (await this.toolButton(label).getAttribute('aria-pressed')) === 'true';
  }

  /** Clicks toolbar button `label` (a mode: a waveform or amplitude type) and waits until it is pressed. */
  async chooseTool(label: string): Promise<void> {
    await this.toolButton(label).click();
    await this.expectToolPressed(label);
  }

  /** Presses `key` with the view focused (a shortcut that chooses `label`'s mode) and waits until that button is pressed. */
  async pressToChoose(key: string, label: string): Promise<void> {
    await this.press(key);
    await this.expectToolPressed(label);
  }

  /** Flips toolbar toggle `label` (by its shortcut `key` with the view focused, else by clicking it) and waits until the button shows it flipped. */
  async toggleTool(label: string, key?: string): Promise<void> {
    const was = await this.isToolPressed(label);
    if (key) await this.press(key);
    else await this.toolButton(label).click();
    await this.expectToolPressed(label, !was);
  }

  protected async expectToolPressed(label: string, pressed = true): Promise<void> {
    await expect(this.toolButton(label)).toHaveAttribute('aria-pressed', String(pressed));
  }

  /** Text drawn over the plot (channel labels, histogram captions, correlogram readouts, axis ticks). */
  overlayText(): Locator {
    return this.root.locator('.plot-overlay svg text');
  }

  async overlayTexts(): Promise<string[]> {
    return this.overlayText().allTextContents();
  }

  /** Presses keys with the view focused, so that its own commands win (phy's per-view shortcuts). */
  async press(...keys: string[]): Promise<void> {
    await this.canvas.focus();
    for (const k of keys) await this.page.keyboard.press(k);
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

  /**
   * The pixels of the plot area within `tolerance` (per channel, 0–255) of colour `rgb`: how
   * many, their centroid and their topmost row, in fractions of the canvas box (null when
   * none): where a view drew something in that colour (a selected cluster in its selection colour).
   */
  async colourRegion(rgb: readonly [number, number, number], tolerance = 24): Promise<{ count: number; centroid: CanvasPoint | null; top: number | null }> {
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const png = await this.canvas.screenshot();
    return this.page.evaluate(
      async ({ b64, rgb, tolerance }) => {
        const bmp = new Image();
        bmp.src = `data:image/png;base64,${b64}`;
        await bmp.decode();
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(bmp, 0, 0);
        const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
        let count = 0;
        let sx = 0;
        let sy = 0;
        let top = Infinity;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - rgb[0]) > tolerance || Math.abs(d[i + 1] - rgb[1]) > tolerance || Math.abs(d[i + 2] - rgb[2]) > tolerance) continue;
          const p = i / 4;
          count++;
          sx += (p % bmp.width) + 0.5;
          sy += Math.floor(p / bmp.width) + 0.5;
          top = Math.min(top, Math.floor(p / bmp.width));
        }
        const centroid = count ? ([sx / count / bmp.width, sy / count / bmp.height] as [number, number]) : null;
        return { count, centroid, top: count ? (top + 0.5) / bmp.height : null };
      },
      { b64: png.toString('base64'), rgb, tolerance },
    );
  }

  /**
   * The canvas box once the dock has stopped resizing it (a tab just brought forward is sized a
   * frame or two later): two reads 100 ms apart agree. Fails if it keeps changing for 10 s.
   */
  async settledBox(): Promise<Box> {
    let box = await this.canvas.boundingBox();
    await expect
      .poll(
        async () => {
          const prev = box;
          await this.page.waitForTimeout(100);
          box = await this.canvas.boundingBox();
          return box !== null && JSON.stringify(prev) === JSON.stringify(box);
        },
        { timeout: 10_000, message: `${this.type}: the canvas keeps resizing` },
      )
      .toBe(true);
    return box!;
  }

  /** Page coordinates of a point given in fractions of the (settled) canvas box. */
  async at([fx, fy]: CanvasPoint): Promise<{ x: number; y: number }> {
    const box = await this.settledBox();
    const p = { x: box.x + fx * box.width, y: box.y + fy * box.height };
    await this.expectOnCanvas(p);
    return p;
  }

  /** Fails unless a click at page point `p` reaches this canvas (not a dock tab or another view over it). */
  protected async expectOnCanvas(p: { x: number; y: number }): Promise<void> {
    const hit = await this.canvas.evaluate((el, { x, y }) => {
      const top = document.elementFromPoint(x, y);
      return el.contains(top) ? null : top ? `${top.tagName.toLowerCase()}.${String(top.className)}` : 'nothing';
    }, p);
    if (hit) throw new Error(`${this.type}: a click at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}) would land on ${hit}, not on the canvas`);
  }

  /** Clicks the canvas at a point given in fractions of its box. */
  async clickAt(point: CanvasPoint, options: { modifiers?: Array<'Alt' | 'Control' | 'Shift'>; button?: 'left' | 'right' } = {}): Promise<void> {
    const { x, y } = await this.at(point);
    for (const m of options.modifiers ?? []) await this.page.keyboard.down(m);
    await this.page.mouse.click(x, y, { button: options.button ?? 'left' });
    for (const m of [...(options.modifiers ?? [])].reverse()) await this.page.keyboard.up(m);
  }

  /** Points of the lasso being drawn in this view (the canvas' `data-lasso-points`). */
  lassoPoints(): Promise<number> {
    return this.canvas.getAttribute('data-lasso-points').then(Number);
  }

  /** ctrl+clicks each point of a polygon (fractions of the canvas box), ctrl still held at the end. */
  protected async drawPolygon(points: readonly CanvasPoint[]): Promise<void> {
    const box = await this.settledBox();
    const at = points.map(([fx, fy]) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height }));
    for (const p of at) await this.expectOnCanvas(p);
    await this.page.keyboard.down('Control');
    for (const p of at) await this.page.mouse.click(p.x, p.y);
  }

  /** Draws a lasso by ctrl+clicking a polygon given in fractions (0–1) of the canvas box. */
  async lasso(points: readonly CanvasPoint[]): Promise<void> {
    await this.drawPolygon(points);
    await this.page.keyboard.up('Control');
    await expect(this.canvas).toHaveAttribute('data-lasso-points', String(points.length));
  }
}
