/** Template summaries (peak channel, unwhitened peak-to-peak). */
import type { TemplateInfoArgs, TemplateInfoResult } from '../../shared/tasks/tasks';
import type { HandlerContext } from './context';

export function templateInfo(args: TemplateInfoArgs, ctx: HandlerContext): TemplateInfoResult {
  const n = args.templateIds.length;
  const peakChannels = new Int32Array(n);
  const amplitudes = new Float32Array(n);
  args.templateIds.forEach((t, k) => {
    ctx.cancel.check();
    const info = ctx.ds.templateInfo(t);
    peakChannels[k] = info.peakChannel;
    amplitudes[k] = info.amplitude;
  });
  return { peakChannels, amplitudes };
}
