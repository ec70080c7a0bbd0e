/**
 * Page object of DriftView: every spike's depth against time as a grey density image, the
 * selected clusters' spikes on top in their selection colours; a click selects the cluster of
 * the nearest spike; the status line names the depth source and the spikes in view.
 */
import type { Page } from 'playwright/test';
import { PlotViewPage, type CanvasPoint } from './PlotViewPage';

export class DriftViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'DriftView');
  }

  /** The depth source the status line names: `spike_positions`, `template_positions`, or null. */
  async depthSource(): Promise<string | null> {
    const s = await this.statusText();
    return s.includes('spike_positions.npy') ? 'spike_positions' : s.includes('template position') ? 'template_positions' : null;
  }

  /** Spikes counted in the visible rectangle, from the status line (null before the first image). */
  async spikesInView(): Promise<number | null> {
    const m = /([\d,]+) spikes in view/.exec(await this.statusText());
    return m ? Number(m[1].replace(/,/g, '')) : null;
  }

  /**
   * Points (fractions of the canvas box) drawn in colour `rgb` with no pixel of another selection
   * colour (`others`) within 8 px (beyond DriftView's 6-px reach of a drawn spike), densest first (most pixels of `rgb` within 6 px): where one
   * selected cluster's spikes crowd, away from the others'. At most `max`.
   */
  async pointsOf(rgb: readonly [number, number, number], others: ReadonlyArray<readonly [number, number, number]>, max = 20): Promise<CanvasPoint[]> {
    await this.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const png = await this.canvas.screenshot();
    return this.page.evaluate(
      async ({ b64, rgb, others, max }) => {
        const bmp = new Image();
        bmp.src = `data:image/png;base64,${b64}`;
        await bmp.decode();
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext('2d')!;
        ctx.drawImage(bmp, 0, 0);
        const { width: w, height: h } = bmp;
        const d = ctx.getImageData(0, 0, w, h).data;
        const near = (x: number, y: number, col: readonly number[]) => {
          const i = 4 * (y * w + x);
          return Math.abs(d[i] - col[0]) < 24 && Math.abs(d[i + 1] - col[1]) < 24 && Math.abs(d[i + 2] - col[2]) < 24;
        };
        const found: Array<{ p: [number, number]; score: number }> = [];
        // A margin of 10 px: the plot's edges are where the axes' labels sit.
        for (let y = 10; y < h - 10; y += 2) {
          for (let x = 10; x < w - 10; x += 2) {
            if (!near(x, y, rgb)) continue;
            let clean = true;
            for (let dy = -8; dy <= 8 && clean; dy++) for (let dx = -8; dx <= 8 && clean; dx++) if (others.some((o) => near(x + dx, y + dy, o))) clean = false;
            if (!clean) continue;
            let score = 0;
            for (let dy = -6; dy <= 6; dy++) for (let dx = -6; dx <= 6; dx++) if (near(x + dx, y + dy, rgb)) score++;
            found.push({ p: [(x + 0.5) / w, (y + 0.5) / h], score });
          }
        }
        return found
          .sort((a, b) => b.score - a.score)
          .slice(0, max)
          .map((f) => f.p);
      },
      { b64: png.toString('base64'), rgb, others, max },
    );
  }
}
