/**
 * Page object of WaveformView: the waveform type (waveforms / mean / templates: toolbar and
 * w, shift+w, m), overlap and channel labels, the status line ("waveforms high_pass"), and the
 * channel boxes whose ctrl+click / ctrl+right-click choose FeatureView's channels.
 */
import type { Page } from 'playwright/test';
import { PlotViewPage } from './PlotViewPage';

export const WAVEFORM_TYPES = ['waveforms', 'mean', 'templates'] as const;
export type WaveformType = (typeof WAVEFORM_TYPES)[number];

export class WaveformViewPage extends PlotViewPage {
  constructor(page: Page) {
    super(page, 'WaveformView');
  }

  /** The waveform type chosen (the pressed toolbar button). */
  async waveformType(): Promise<WaveformType> {
    return (await this.pressedTool(WAVEFORM_TYPES)) as WaveformType;
  }

  /** Clicks the toolbar button of a waveform type. */
  async showType(type: WaveformType): Promise<void> {
    await this.chooseTool(type);
  }

  /** `w`: the next type (waveforms → mean → templates → waveforms). */
  async nextType(): Promise<void> {
    await this.pressAndWaitType('w', (i) => (i + 1) % WAVEFORM_TYPES.length);
  }

  /** `shift+w`: the previous type. */
  async previousType(): Promise<void> {
    await this.pressAndWaitType('Shift+W', (i) => (i + WAVEFORM_TYPES.length - 1) % WAVEFORM_TYPES.length);
  }

  /** `m`: mean waveforms, or back to waveforms when the mean is shown. */
  async toggleMean(): Promise<void> {
    await this.pressAndWaitType('m', (i) => (WAVEFORM_TYPES[i] === 'mean' ? 0 : 1));
  }

  /** `o`: overlap the clusters instead of showing them side by side. */
  async toggleOverlap(): Promise<void> {
    await this.toggleTool('overlap', 'o');
  }

  /** `ctrl+l`: channel labels on or off. */
  async toggleLabels(): Promise<void> {
    await this.toggleTool('labels', 'Control+l');
  }

  async isOverlapped(): Promise<boolean> {
    return this.isToolPressed('overlap');
  }

  /** Channel labels drawn next to the channel boxes (empty when labels are off). */
  async channelLabels(): Promise<string[]> {
    return this.overlayTexts();
  }

  /** Page coordinates of the centre of a channel's box (its label sits at the box's left). */
  async channelBoxPoint(label: string): Promise<{ x: number; y: number }> {
    const text = this.overlayText().filter({ hasText: new RegExp(`^${label}$`) }).first();
    const box = await text.boundingBox();
    if (!box) throw new Error(`WaveformView shows no channel label ${label}`);
    return { x: box.x + box.width + 20, y: box.y + box.height / 2 };
  }

  /**
   * ctrl+click (left: FeatureView's 1st channel) or ctrl+right-click (right: its 2nd channel) on
   * a channel's box.
   */
  async ctrlClickChannel(label: string, button: 'left' | 'right' = 'left'): Promise<void> {
    const p = await this.channelBoxPoint(label);
    await this.page.keyboard.down('Control');
    await this.page.mouse.click(p.x, p.y, { button });
    await this.page.keyboard.up('Control');
  }

  private async pressAndWaitType(key: string, next: (index: number) => number): Promise<void> {
    await this.pressToChoose(key, WAVEFORM_TYPES[next(WAVEFORM_TYPES.indexOf(await this.waveformType()))]);
  }
}
