/**
 * phy's cross-view gestures in a real browser: WaveformView ctrl+click / ctrl+right-click on a
 * channel picks FeatureView's channels and `c` goes back to the automatic ones; ClusterScatterView
 * ctrl+click lasso selects clusters when ctrl is released.
 */
import { test, expect } from './fixtures';

test('WaveformView ctrl+click chooses FeatureView channels; c goes back to the best ones', async ({ app }) => {
  const { waveformView: waveforms, featureView: features } = app;
  let auto = '';
  let b = '';
  let others: string[] = [];

  await test.step('Given WaveformView and FeatureView show the selection, FeatureView on its best two channels', async () => {
    await waveforms.activate();
    await waveforms.waitState('ready');
    await features.activate();
    await features.waitState('ready');
    auto = await features.channels();
    expect(auto).toMatch(/^\d+, \d+$/);
    await expect(features.root).toContainText('(automatic)');
    const [a, second] = auto.split(', ');
    b = second;
    others = (await waveforms.channelLabels()).filter((l) => l !== a && l !== b);
    expect(others.length).toBeGreaterThanOrEqual(2);
  });

  await test.step('When I ctrl+click a channel box, then FeatureView shows it as its 1st channel', async () => {
    await waveforms.ctrlClickChannel(others[0]);
    await expect.poll(() => features.channels()).toBe(`${others[0]}, ${b}`);
    await features.waitState('ready');
  });

  await test.step('When I ctrl+right-click another box, then it becomes the 2nd channel', async () => {
    await waveforms.ctrlClickChannel(others[1], 'right');
    await expect.poll(() => features.channels()).toBe(`${others[0]}, ${others[1]}`);
    await expect(features.root).toContainText('(chosen; c: automatic)');
  });

  await test.step('When I press c in FeatureView, then the best channels come back', async () => {
    await features.toggleAutomaticChannels();
    await expect.poll(() => features.channels()).toBe(auto);
    await expect(features.root).toContainText('(automatic)');
  });
});

test('ClusterScatterView: a ctrl+click lasso selects the clusters inside when ctrl is released', async ({ app }) => {
  const scatter = app.clusterScatterView;
  let total = 0;

  await test.step('Given ClusterScatterView shows every cluster', async () => {
    await scatter.activate();
    await scatter.waitState('ready');
    total = await app.clusterCount();
  });

  await test.step('When I ctrl+click a polygon over the whole plot and release ctrl, then every cluster is selected', async () => {
    await scatter.lassoSelect([
      [0.01, 0.01],
      [0.99, 0.01],
      [0.99, 0.99],
      [0.01, 0.99],
    ]);
    await expect.poll(async () => (await app.selection()).length).toBe(total);
  });

  await test.step('When I ctrl+click an empty corner triangle and release ctrl, then the selection is kept', async () => {
    // The data range is padded by 6 % on each side, so the top-left 4 % holds no cluster. (Not
    // closer to the edge: the dock's tab strip overlaps the canvas' first pixel row.)
    await scatter.lassoSelect([
      [0.01, 0.01],
      [0.04, 0.01],
      [0.01, 0.04],
    ]);
    expect((await app.selection()).length).toBe(total);
  });
});
