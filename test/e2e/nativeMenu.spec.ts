/**
 * The renderer's side of the Electron menu, in a browser: a stand-in `window.spikedock` with only
 * `setMenu` and `on` (the backend still goes over the WebSocket) receives the command list, the
 * HTML menus are hidden (the toolbar stays), and an id sent on `spikedock:command.run` runs.
 */
import { test, expect } from './fixtures';
import { AppPage } from './pages/AppPage';

test('with a preload bridge, the menu goes native and menu clicks run commands', async ({ page, server }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { spikedock: unknown; __menus: unknown[][]; __listeners: Record<string, (p: unknown) => void> };
    w.__menus = [];
    w.__listeners = {};
    w.spikedock = {
      setMenu: (specs: unknown[]) => w.__menus.push(specs),
      on: (channel: string, listener: (p: unknown) => void) => {
        w.__listeners[channel] = listener;
        return () => delete w.__listeners[channel];
      },
    };
  });
  const app = new AppPage(page);
  await app.open(server.url);

  const menu = await page.evaluate(() => (window as unknown as { __menus: Array<Array<{ id: string; menu: string }>> }).__menus.at(-1) ?? []);
  expect(menu.map((m) => m.id)).toContain('cluster.merge');
  expect(new Set(menu.map((m) => m.menu))).toEqual(new Set(['File', 'Edit', 'Select', 'View', 'Help']));
  await expect(page.getByRole('menubar')).toHaveCount(0);
  await expect(page.getByRole('toolbar', { name: 'Actions' })).toBeVisible();

  const [first] = await app.selection();
  await page.evaluate(() => (window as unknown as { __listeners: Record<string, (p: unknown) => void> }).__listeners['spikedock:command.run']('wizard.nextBest'));
  await expect.poll(() => app.selection()).not.toEqual([first]);
});
