/**
 * phy's snippet mode in the window: `:` opens the snippet bar, Enter runs (`:c 3 7`, `:cb 2`,
 * `:tg 12.5`). The one place the e2e page objects type snippets.
 */
import type { Page } from 'playwright/test';

/** Runs a snippet (with or without its leading colon). */
export async function runSnippet(page: Page, text: string): Promise<void> {
  await page.locator('body').press(':');
  const input = page.getByRole('textbox', { name: 'Snippet' });
  await input.fill(text.replace(/^:/, ''));
  await input.press('Enter');
}
