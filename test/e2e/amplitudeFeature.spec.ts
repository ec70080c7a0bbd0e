/**
 * phy's FeatureView → AmplitudeView gesture in a real browser: alt+left click a subplot shows
 * its x dimension (a channel's PC) as AmplitudeView's feature amplitudes, alt+right click its y
 * dimension; AmplitudeView's status line names the channel and PC, and its "best channel"
 * button goes back to the default.
 */
import { join } from 'node:path';
import { test, expect } from './fixtures';

test('alt+left/right click a FeatureView subplot shows that PC in AmplitudeView', async ({ app }, testInfo) => {
  const { featureView: features, amplitudeView: amplitudes } = app;
  let ch0 = '';
  let ch1 = '';

  await test.step('Given FeatureView shows the selection on two channels and AmplitudeView its template amplitudes', async () => {
    await features.activate();
    await features.waitState('ready');
    const m = /^(\d+), (\d+)$/.exec(await features.channels());
    expect(m, 'FeatureView status names its two channels').not.toBeNull();
    [ch0, ch1] = [m![1], m![2]];
    await amplitudes.activate();
    await amplitudes.waitState('ready');
    await expect(amplitudes.statusLine).toHaveText(/^template/);
  });

  await test.step('When I alt+right click subplot (1, 0) (x = 1st channel A, y = 2nd channel A), then AmplitudeView shows the 2nd channel, PC A', async () => {
    await features.altClickSubplot(1, 0, 'right');
    await expect(amplitudes.statusLine).toHaveText(`feature: ch ${ch1}, PC A (a.u.)`, { timeout: 30_000 });
    await expect(amplitudes.toolButton('feature')).toHaveAttribute('aria-pressed', 'true');
    await amplitudes.waitState('ready');
  });

  await test.step('When I alt+left click subplot (3, 2) (x = 1st channel B), then AmplitudeView shows the 1st channel, PC B', async () => {
    await features.altClickSubplot(3, 2, 'left');
    await expect(amplitudes.statusLine).toHaveText(`feature: ch ${ch0}, PC B (a.u.)`, { timeout: 30_000 });
    await amplitudes.waitState('ready');
    const png = await amplitudes.screenshot(join(testInfo.outputDir, 'AmplitudeView-feature.png'));
    await testInfo.attach('AmplitudeView-feature.png', { body: png, contentType: 'image/png' });
    await testInfo.attach('window.png', { body: await app.page.screenshot({ path: join(testInfo.outputDir, 'window.png') }), contentType: 'image/png' });
  });

  await test.step('When I alt+left click a diagonal subplot (x = time), then AmplitudeView keeps its feature', async () => {
    await features.altClickSubplot(0, 0, 'left');
    await expect(app.toasts().filter({ hasText: 'Time is not a feature' })).toHaveCount(1);
    await expect(amplitudes.statusLine).toHaveText(`feature: ch ${ch0}, PC B (a.u.)`);
  });

  await test.step('When I press "best channel", then AmplitudeView shows PC A of the first cluster’s best channel', async () => {
    await amplitudes.bestChannel();
    await expect(amplitudes.statusLine).toHaveText(new RegExp(`^feature: ch ${ch0}, PC A, best channel \\(a\\.u\\.\\)$`), { timeout: 30_000 });
  });
});
