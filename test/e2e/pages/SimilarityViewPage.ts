/**
 * Page object of SimilarityView: the clusters most similar to the last selected best cluster,
 * through the same grid contract as ClusterView (GridViewPage).
 */
import type { Page } from 'playwright/test';
import { GridViewPage } from './GridViewPage';

export class SimilarityViewPage extends GridViewPage {
  constructor(page: Page) {
    super(page, 'SimilarityView');
  }

  /** The best cluster the list is similar to (status `similar to 12: 9`), or null when none is selected. */
  async similarTo(): Promise<number | null> {
    const m = /similar to (\d+)/.exec(await this.statusText());
    return m ? Number(m[1]) : null;
  }

  /** Similarity values of the rendered rows, top to bottom. */
  async similarities(): Promise<number[]> {
    return (await this.column('similarity')).map(Number);
  }
}
