/**
 * Page object of CorrelogramView: bin and window (toolbar selects, phy's `:cb` `:cw`), the
 * uniform scale (toolbar, n), the status line ("50 ms (1 ms), refractory ±2 ms") and the
 * refractory-violation readout drawn on each auto-correlogram ("viol 0.12% · contam 3.4%"), and
 * the merge preview (the merged row's readout and verdict, the metrics table under the plot).
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

  /** The duplicate-spike counts beside the ACGs' centre bins (`dup 48`), in diagonal order (only ACGs with any). */
  async duplicateCounts(): Promise<number[]> {
    const t = this.overlayText().and(this.root.locator('[data-label="duplicate-count"]'));
    return (await t.allTextContents()).map((s) => Number(/^dup (\d+)$/.exec(s)?.[1] ?? NaN));
  }

  /** The merged row's readout (`viol 0.12% · contam 3.4%` over the union's ACG), or null when the row is not drawn. */
  async mergedReadout(): Promise<ViolationReadout | null> {
    return (await this.readouts('merged-readout'))[0] ?? null;
  }

  /**
   * The readouts labelled `name`, in drawing order: one line (`viol 0.12% · contam 3.4%`) in a
   * wide cell, or two (`viol 0.12%`, then `contam 3.4%` labelled `<name>-contam`) in a narrow one.
   */
  private async readouts(name: string): Promise<ViolationReadout[]> {
    const texts = await this.overlayText().and(this.root.locator(`[data-label="${name}"], [data-label="${name}-contam"]`)).allTextContents();
    const out: ViolationReadout[] = [];
    for (let k = 0; k < texts.length; k++) {
      const one = /^viol ([\d.]+)% · contam ([\d.]+)%$/.exec(texts[k]);
      if (one) {
        out.push({ violation: Number(one[1]), contamination: Number(one[2]) });
        continue;
      }
      const viol = /^viol ([\d.]+)%$/.exec(texts[k]);
      const contam = /^contam ([\d.]+)%$/.exec(texts[k + 1] ?? '');
      if (viol && contam) {
        out.push({ violation: Number(viol[1]), contamination: Number(contam[1]) });
        k++;
      }
    }
    return out;
  }

  /** The merged row's verdict (`keeps the refractory dip`, `worsens contamination`), or null. */
  async mergeVerdict(): Promise<string | null> {
    const t = this.overlayText().and(this.root.locator('[data-label="merge-verdict"]'));
    return (await t.count()) ? await t.textContent() : null;
  }

  /** The merge preview's metrics table under the plot: one row per train (`merged`, then each cluster id), metric → text. */
  async mergeTable(): Promise<Map<string, Record<string, string>>> {
    const rows = this.root.getByRole('table', { name: 'Merge preview metrics' }).locator('tbody tr');
    const out = new Map<string, Record<string, string>>();
    for (const row of await rows.all()) {
      const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-metric') ?? '', (td.textContent ?? '').trim()]));
      out.set((await row.getAttribute('data-row')) ?? '', Object.fromEntries(cells));
    }
    return out;
  }

  /** The merge preview row on or off (toolbar `merged`). */
  async toggleMerged(): Promise<void> {
    await this.toggleTool('merged');
  }

  /** The violation readouts of the auto-correlograms, first selected cluster first (the merged row's is {@link mergedReadout}). */
  async violationReadout(): Promise<ViolationReadout[]> {
    return this.readouts('acg-readout');
  }
}
