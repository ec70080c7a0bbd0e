/**
 * Page object of ClusterView and SimilarityView, through their ARIA grid contract: rows are
 * role="row" with aria-selected, the first gridcell of a row is the cluster id.
 */
import { expect, type Locator, type Page } from 'playwright/test';

export class ClusterGridPage {
  readonly root: Locator;
  readonly grid: Locator;

  constructor(
    readonly page: Page,
    readonly viewType: 'ClusterView' | 'SimilarityView',
  ) {
    this.root = page.locator(`[data-view="${viewType}"]`);
    this.grid = this.root.getByRole('grid');
  }

  /** Body rows currently rendered (the grid is virtualised: visible rows only). */
  rows(): Locator {
    return this.grid.locator('[role="row"][data-cluster-id]');
  }

  row(clusterId: number): Locator {
    return this.grid.locator(`[role="row"][data-cluster-id="${clusterId}"]`);
  }

  /** Cluster ids of the rendered rows, top to bottom (first gridcell of each row). */
  async visibleIds(): Promise<number[]> {
    return this.rows().evaluateAll((rows) =>
      rows
        .map((r) => ({ y: (r as HTMLElement).getBoundingClientRect().top, id: Number(r.querySelector('[role="gridcell"]')?.textContent) }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.id),
    );
  }

  async selectedIds(): Promise<number[]> {
    return this.grid.locator('[role="row"][aria-selected="true"]').evaluateAll((rows) => rows.map((r) => Number(r.querySelector('[role="gridcell"]')?.textContent)));
  }

  async click(clusterId: number, modifiers: Array<'Control' | 'Shift'> = []): Promise<void> {
    await this.row(clusterId).click({ modifiers });
  }

  async sortBy(column: string): Promise<void> {
    await this.grid.getByRole('columnheader', { name: new RegExp(`^${column}`) }).click();
  }

  async filter(expression: string): Promise<void> {
    const box = this.root.getByRole('textbox', { name: 'Filter clusters' });
    await box.fill(expression);
    await box.press('Enter');
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

  async expectReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  }
}
