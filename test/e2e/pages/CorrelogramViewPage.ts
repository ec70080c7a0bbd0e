/**
 * Page object of CorrelogramView: bin and window (toolbar selects, phy's `:cb` `:cw`), the
 * uniform scale (toolbar, n), the status line ("50 ms (1 ms), refractory ±2 ms") and the
 * refractory-violation readout drawn on each auto-correlogram ("viol 0.12% · contam 3.4%").
 */
import { expect, type Page } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';

export interface ViolationReadout {
  /** Refractory violations, % of the cluster's ISIs. */
  violation: number;
  /** Estimated contamination, %. */
  contamination: number;
}

/** How the view writes milliseconds (3 significant digits: `0.5 ms`, `2 ms`). */
const fmtMs = (ms: number) => `${Number.parseFloat(ms.toPrecision(3))} ms`;

export class CorrelogramViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'CorrelogramView');
  }

  /** Chooses the bin size in the toolbar (one of 0.2, 0.5, 1, 2, 5, 10 ms); waits for the status line. */
  async setBin(ms: number): Promise<void> {
    await this.root.getByRole('combobox', { name: 'bin size' }).selectOption({ label: `bin ${fmtMs(ms)}` });
    await expect(this.statusLine).toContainText(`(${fmtMs(ms)})`);
  }

  /** Chooses the window in the toolbar (one of 10, 20, 50, 100, 200, 500, 1000 ms); waits for the status line. */
  async setWindow(ms: number): Promise<void> {
    await this.root.getByRole('combobox', { name: 'window' }).selectOption({ label: `window ${fmtMs(ms)}` });
    await expect(this.statusLine).toContainText(new RegExp(`^${fmtMs(ms)} \\(`));
  }

  /** `n`: all correlograms on one scale, or each on its own. */
  async toggleUniform(): Promise<void> {
    await this.toggleTool('uniform', 'n');
  }

  async isUniform(): Promise<boolean> {
    return this.isToolPressed('uniform');
  }

  /** Bin and window as the status line writes them (ms). */
  async binning(): Promise<{ windowMs: number; binMs: number; refractoryMs: number }> {
    const m = /^([\d.]+) ms \(([\d.]+) ms\), refractory ±([\d.]+) ms/.exec(await this.statusText());
    if (!m) throw new Error(`CorrelogramView status: ${await this.statusText()}`);
    return { windowMs: Number(m[1]), binMs: Number(m[2]), refractoryMs: Number(m[3]) };
  }

  /** The violation readouts of the auto-correlograms, first selected cluster first. */
  async violationReadout(): Promise<ViolationReadout[]> {
    return (await this.overlayTexts())
      .map((t) => /^viol ([\d.]+)% · contam ([\d.]+)%$/.exec(t))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ violation: Number(m[1]), contamination: Number(m[2]) }));
  }
}
