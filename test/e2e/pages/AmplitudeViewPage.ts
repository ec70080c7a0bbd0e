/**
 * Page object of AmplitudeView: amplitude against time with the amplitude type (template,
 * feature, raw: toolbar, a, shift+a), the status line ("template (a.u.)", "feature: ch 21, PC B
 * (a.u.)"), the "best channel" button back to the default feature, alt+click to move TraceView's
 * window, and the lasso + `k` split of SpikeLassoViewPage.
 */
import { expect, type Page } from 'playwright/test';
import { SpikeLassoViewPage } from './SpikeLassoViewPage';

export const AMPLITUDE_TYPES = ['template', 'feature', 'raw'] as const;
export type AmplitudeType = (typeof AMPLITUDE_TYPES)[number];

export class AmplitudeViewPage extends SpikeLassoViewPage {
  constructor(page: Page) {
    super(page, 'AmplitudeView');
  }

  /** The amplitude types this dataset offers (the toolbar's buttons). */
  async availableTypes(): Promise<AmplitudeType[]> {
    const out: AmplitudeType[] = [];
    for (const t of AMPLITUDE_TYPES) if (await this.toolButton(t).count()) out.push(t);
    return out;
  }

  /** The amplitude type shown (the pressed toolbar button). */
  async amplitudeType(): Promise<AmplitudeType> {
    return (await this.pressedTool(AMPLITUDE_TYPES)) as AmplitudeType;
  }

  async showType(type: AmplitudeType): Promise<void> {
    await this.chooseTool(type);
  }

  /** `a`: the next available type; waits until the toolbar shows it. */
  async nextType(): Promise<void> {
    await this.cycle('a', 1);
  }

  /** `shift+a`: the previous available type. */
  async previousType(): Promise<void> {
    await this.cycle('Shift+A', -1);
  }

  /**
   * Toolbar "best channel" (shown while a feature chosen in FeatureView is on): back to PC A of
   * the first cluster's best channel; waits until the button is gone (the choice is dropped).
   */
  async bestChannel(): Promise<void> {
    await this.toolButton('best channel').click();
    await expect(this.toolButton('best channel')).toHaveCount(0);
  }

  /** alt+click at a fraction of the plot's width: TraceView's window moves to that time. */
  async showInTraceView(fx: number, fy = 0.5): Promise<void> {
    await this.clickAt([fx, fy], { modifiers: ['Alt'] });
  }

  /**
   * alt + right-drag from one point to another (fractions of the canvas box): phy 2.2's
   * amplitude threshold, a horizontal line at the release point's amplitude.
   */
  async dragThreshold(from: readonly [number, number], to: readonly [number, number]): Promise<void> {
    const a = await this.at(from);
    const b = await this.at(to);
    await this.page.keyboard.down('Alt');
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down({ button: 'right' });
    await this.page.mouse.move(b.x, b.y, { steps: 8 });
    await this.page.mouse.up({ button: 'right' });
    await this.page.keyboard.up('Alt');
  }

  private async cycle(key: string, dir: 1 | -1): Promise<void> {
    const types = await this.availableTypes();
    await this.pressToChoose(key, types[(types.indexOf(await this.amplitudeType()) + dir + types.length) % types.length]);
  }
}
