/**
 * The shared page object of the cluster tables (ClusterView and SimilarityView), through their
 * ARIA grid contract: rows are role="row" with aria-selected and data-cluster-id, the first
 * gridcell of a row is the cluster id, the status line is `.cv-status`.
 */
import type { Locator, Page } from 'playwright/test';
import { ViewPage } from './PlotViewPage';

export type GridViewType = 'ClusterView' | 'SimilarityView';

export class GridViewPage extends ViewPage {
  readonly grid: Locator;

  constructor(
    page: Page,
    readonly viewType: GridViewType,
  ) {
    super(page, viewType);
    this.grid = this.root.getByRole('grid');
  }

  override get statusLine(): Locator {
    return this.root.locator('.cv-status').first();
  }

  /** Body rows currently rendered (the grid is virtualised: visible rows only). */
  rows(): Locator {
    return this.grid.locator('[role="row"][data-cluster-id]');
  }

  row(clusterId: number): Locator {
    return this.grid.locator(`[role="row"][data-cluster-id="${clusterId}"]`);
  }

  selectedRows(): Locator {
    return this.grid.locator('[role="row"][aria-selected="true"]');
  }

  /** Cluster ids of the rendered rows, top to bottom (first gridcell of each row). */
  /**
   * The first visible row the wizard stops at: skipping noise and mua is on by default, and a
   * generated dataset's `cluster_group.tsv` may label its largest clusters mua/noise.
   */
  async firstBestId(): Promise<number> {
    const rows = await this.rows().evaluateAll((rows) =>
      rows
        .map((r) => ({ y: (r as HTMLElement).getBoundingClientRect().top, id: Number(r.querySelector('[role="gridcell"]')?.textContent), group: r.getAttribute('data-group') ?? '' }))
        .sort((a, b) => a.y - b.y),
    );
    const first = rows.find((r) => r.group !== 'mua' && r.group !== 'noise');
    if (!first) throw new Error('every visible row is labelled mua or noise');
    return first.id;
  }

  async visibleIds(): Promise<number[]> {
    return this.rows().evaluateAll((rows) =>
      rows
        .map((r) => ({ y: (r as HTMLElement).getBoundingClientRect().top, id: Number(r.querySelector('[role="gridcell"]')?.textContent) }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.id),
    );
  }

  async selectedIds(): Promise<number[]> {
    return this.selectedRows().evaluateAll((rows) => rows.map((r) => Number(r.querySelector('[role="gridcell"]')?.textContent)));
  }

  async click(clusterId: number, modifiers: Array<'Control' | 'Shift'> = []): Promise<void> {
    await this.row(clusterId).click({ modifiers });
  }

  /** Clicks the first rendered row and returns its cluster id. */
  async clickFirstRow(): Promise<number> {
    const first = this.rows().first();
    const id = Number(await first.getAttribute('data-cluster-id'));
    await first.click();
    return id;
  }

  /** Scrolls the table body to `top` CSS pixels. */
  async scrollTo(top: number): Promise<void> {
    await this.grid.locator('.ct-scroll').evaluate((el, y) => (el.scrollTop = y), top);
  }

  async sortBy(column: string): Promise<void> {
    await this.grid.getByRole('columnheader', { name: new RegExp(`^${column}`) }).click();
  }

  /** Column values of the rendered rows by header name. */
  async column(name: string): Promise<string[]> {
    const headers = await this.grid.getByRole('columnheader').allTextContents();
    const index = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === name);
    if (index < 0) throw new Error(`${this.viewType} has no column ${name} (columns: ${headers.join(', ')})`);
    return this.rows().evaluateAll(
      (rows, i) =>
        rows
          .map((r) => ({ y: (r as HTMLElement).getBoundingClientRect().top, v: r.querySelectorAll('[role="gridcell"]')[i]?.textContent ?? '' }))
          .sort((a, b) => a.y - b.y)
          .map((r) => r.v),
      index,
    );
  }

  /**
   * Each rendered row's cell of column `name`, in row order: its text and its verdict under the
   * active label rules (`data-verdict`: pass, fail, skip; '' when no rule bounds the column).
   */
  async judgedColumn(name: string): Promise<Array<{ text: string; verdict: string }>> {
    const headers = await this.grid.getByRole('columnheader').allTextContents();
    const index = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === name);
    if (index < 0) throw new Error(`${this.viewType} has no column ${name} (columns: ${headers.join(', ')})`);
    return this.rows().evaluateAll(
      (rows, i) =>
        rows
          .map((r) => {
            const cell = r.querySelectorAll('[role="gridcell"]')[i] as HTMLElement | undefined;
            return { y: (r as HTMLElement).getBoundingClientRect().top, text: cell?.textContent ?? '', verdict: cell?.dataset.verdict ?? '' };
          })
          .sort((a, b) => a.y - b.y)
          .map(({ text, verdict }) => ({ text, verdict })),
      index,
    );
  }

  async expectReady(): Promise<void> {
    await this.waitState('ready');
  }
}
