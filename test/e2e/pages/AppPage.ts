/**
 * Page object of the whole spikedock window in browser mode: menus, keyboard, snippets, the
 * status bar (role="status"), toasts and overlays, plus the cluster grids.
 */
import { expect, type Locator, type Page } from 'playwright/test';
import { ClusterGridPage } from './ClusterViewPage';

export class AppPage {
  readonly clusterView: ClusterGridPage;
  readonly similarityView: ClusterGridPage;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.clusterView = new ClusterGridPage(page, 'ClusterView');
    this.similarityView = new ClusterGridPage(page, 'SimilarityView');
    this.status = page.getByRole('status', { name: 'Status' });
  }

  /** Opens the served URL and waits until the first cluster is selected (phy's start). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.clusterView.expectReady();
    await expect(this.clusterView.grid.locator('[role="row"][aria-selected="true"]')).toHaveCount(1, { timeout: 30_000 });
  }

  /** Presses keys on the window (not in a text field). */
  async press(...keys: string[]): Promise<void> {
    for (const k of keys) {
      await this.page.locator('body').press(k);
    }
  }

  /** Runs a phy snippet (`:c 3 7`). */
  async snippet(text: string): Promise<void> {
    await this.press(':');
    const input = this.page.getByRole('textbox', { name: 'Snippet' });
    await input.fill(text.replace(/^:/, ''));
    await input.press('Enter');
  }

  /** Selected clusters in colour order (best then similar), from the status bar chips. */
  async selection(): Promise<number[]> {
    return (await this.status.locator('.sb-chip').allTextContents()).map(Number);
  }

  async expectSelection(ids: number[]): Promise<void> {
    await expect.poll(() => this.selection(), { timeout: 15_000 }).toEqual(ids);
  }

  /** Waits until no session op is in flight. */
  async idle(): Promise<void> {
    await expect(this.status.locator('[data-status="busy"]')).toHaveCount(0, { timeout: 30_000 });
  }

  async clusterCount(): Promise<number> {
    const text = await this.status.locator('[data-status="clusters"]').textContent();
    return Number(/(\d+)/.exec(text ?? '')?.[1]);
  }

  dirty(): Locator {
    return this.status.locator('[data-status="dirty"]');
  }

  lastAction(): Locator {
    return this.status.locator('[data-status="last-action"]');
  }

  toasts(): Locator {
    return this.page.locator('.toast');
  }

  async menu(menu: string, item: string): Promise<void> {
    await this.page.getByRole('menubar').getByRole('menuitem', { name: menu, exact: true }).click();
    await this.page.getByRole('menu', { name: menu }).locator('button', { hasText: item }).first().click();
  }

  /** Waits until every view in the window has settled (ready or empty). */
  async viewsSettled(): Promise<void> {
    await expect
      .poll(
        () => this.page.locator('[data-view]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.getAttribute('data-state'))),
        { timeout: 60_000 },
      )
      .not.toContain('loading');
  }
}
