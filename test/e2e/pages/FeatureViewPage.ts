/**
 * Page object of FeatureView: the 4×4 PC grid of two channels, its status line ("channels: 2, 5
 * (automatic)" or "(chosen; c: automatic)"), `c` to go back to the best channels, alt+click on
 * a subplot to show one of its dimensions in AmplitudeView, and the lasso + `k` split of
 * SpikeLassoViewPage.
 */
import type { Page } from 'playwright/test';

/** Subplots per row and column of FeatureView's grid. */
const GRID = 4;
import { SpikeLassoViewPage } from './SpikeLassoViewPage';

export class FeatureViewPage extends SpikeLassoViewPage {
  constructor(page: Page) {
    super(page, 'FeatureView');
  }

  /** The two channels shown, as the status line writes them (`"2, 5"`), or '' before data. */
  async channels(): Promise<string> {
    return /channels: ([^(]+)\(/.exec(await this.statusText())?.[1].trim() ?? '';
  }

  /** Whether the channels are the best ones of the selection or a pair chosen in WaveformView. */
  async channelChoice(): Promise<'automatic' | 'chosen' | null> {
    const text = await this.statusText();
    return text.includes('(chosen;') ? 'chosen' : text.includes('(automatic)') ? 'automatic' : null;
  }

  /**
   * alt+click the middle of subplot (row, col), row 0 at the top: left shows its x dimension
   * (a channel's PC) as AmplitudeView's feature amplitudes, right its y dimension.
   */
  async altClickSubplot(row: number, col: number, button: 'left' | 'right'): Promise<void> {
    await this.clickAt([(col + 0.5) / GRID, (row + 0.5) / GRID], { modifiers: ['Alt'], button });
  }

  /** `c` (phy's toggle_automatic_channel_selection): back to the best channels, or pins the shown ones. */
  async toggleAutomaticChannels(): Promise<void> {
    await this.press('c');
  }
}
