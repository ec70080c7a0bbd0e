/**
 * Page object of SuggestionsView (the review queue): rows are role="row" with data-item-id
 * (`11+13`) and data-state (pending, accepted, accepted-modified, rejected, stale); the current
 * row has aria-selected="true"; the toolbar counts are `[data-status="review-counts"]`.
 */
import type { Locator, Page } from 'playwright/test';
import { ViewPage } from './PlotViewPage';

export class SuggestionsViewPage extends ViewPage {
  readonly grid: Locator;

  constructor(page: Page) {
    super(page, 'SuggestionsView');
    this.grid = this.root.getByRole('grid');
  }

  override get statusLine(): Locator {
    return this.root.locator('.cv-status').first();
  }

  override get placeholder(): Locator {
    return this.root.locator('.ct-empty');
  }

  rows(): Locator {
    return this.grid.locator('[role="row"][data-item-id]');
  }

  row(itemId: string): Locator {
    return this.grid.locator(`[role="row"][data-item-id="${itemId}"]`);
  }

  /** `[item id, state]` of the rendered rows, top to bottom. */
  async states(): Promise<Array<[string, string]>> {
    return this.rows().evaluateAll((rows) =>
      rows
        .map((r) => ({ y: (r as HTMLElement).getBoundingClientRect().top, id: r.getAttribute('data-item-id')!, state: r.getAttribute('data-state')! }))
        .sort((a, b) => a.y - b.y)
        .map((r) => [r.id, r.state] as [string, string]),
    );
  }

  /** The current item (the selected row), or null. */
  async current(): Promise<string | null> {
    const ids = await this.grid.locator('[role="row"][aria-selected="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-item-id')));
    return ids[0] ?? null;
  }
}
