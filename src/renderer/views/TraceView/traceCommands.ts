import type { Command, CommandContext } from '../../store/Command';
import { patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { setTraceTime as writeTraceTime } from '../../store/actions';
import { TRACE_DEFAULTS } from '../traceSettings';

const VIEW = 'TraceView';
const settings = () => readViewSettings(VIEW, TRACE_DEFAULTS);

/** Moves the window start to `t` (seconds), clamped to the recording. */
export function setTraceTime(ctx: Pick<CommandContext, 'store'>, t: number): void {
  const s = ctx.store.getState();
  const duration = s.dataset?.duration ?? 0;
  const w = settings().window;
  const clamped = Math.max(0, Math.min(Math.max(0, duration - w), t));
  writeTraceTime(clamped, ctx.store);
}

const shift = (ctx: CommandContext, dt: number) => setTraceTime(ctx, ctx.store.getState().traceTime + dt);
const hasRaw = (s: { dataset: { hasRaw: boolean } | null }) => !!s.dataset?.hasRaw;

/** Sorted spike times (s) of a cluster, from the amplitudes service (all spikes of the cluster). */
async function clusterTimes(ctx: CommandContext, clusterId: number): Promise<Float32Array> {
  const info = ctx.store.getState().clusters.find((c) => c.id === clusterId);
  const res = await ctx.backend.viewData.amplitudes({ clusterIds: [clusterId], kind: 'template', nSpikes: info?.nSpikes ?? 100000, background: false });
  const times = Float32Array.from(res.clusters[0]?.times ?? []);
  times.sort();
  return times;
}

async function jumpToSpike(ctx: CommandContext, dir: 1 | -1): Promise<void> {
  const s = ctx.store.getState();
  const clusterId = s.selection.clusterIds[0] ?? s.selection.similarIds[0];
  if (clusterId === undefined) {
    ctx.toast('info', 'Select a cluster to jump to its spikes.');
    return;
  }
  const times = await clusterTimes(ctx, clusterId);
  const w = settings().window;
  const centre = s.traceTime + w / 2;
  // 1 ms guard so that repeated presses move on from the spike already centred.
  let t: number | undefined;
  if (dir === 1) t = times.find((x) => x > centre + 0.001);
  else t = [...times].reverse().find((x) => x < centre - 0.001);
  if (t === undefined) {
    ctx.toast('info', `No ${dir === 1 ? 'next' : 'previous'} spike of cluster ${clusterId}.`);
    return;
  }
  setTraceTime(ctx, t - w / 2);
}

const setWindow = (ctx: CommandContext, w: number) => {
  const duration = ctx.store.getState().dataset?.duration ?? 60;
  const cur = settings().window;
  const next = Math.max(0.005, Math.min(Math.min(60, duration || 60), w));
  const centre = ctx.store.getState().traceTime + cur / 2;
  patchViewSettings(VIEW, { window: next });
  setTraceTime(ctx, centre - next / 2);
};

/** phy's TraceView shortcuts. */
export const TRACE_COMMANDS: Command[] = [
  { id: 'trace.goLeft', title: 'Go left', keys: ['alt+left'], view: VIEW, predicate: hasRaw, perform: (c) => shift(c, -settings().window * 0.1) },
  { id: 'trace.goRight', title: 'Go right', keys: ['alt+right'], view: VIEW, predicate: hasRaw, perform: (c) => shift(c, settings().window * 0.1) },
  { id: 'trace.jumpLeft', title: 'Jump left (10 % of the recording)', keys: ['shift+alt+left'], view: VIEW, predicate: hasRaw, perform: (c) => shift(c, -(c.store.getState().dataset?.duration ?? 0) * 0.1) },
  { id: 'trace.jumpRight', title: 'Jump right (10 % of the recording)', keys: ['shift+alt+right'], view: VIEW, predicate: hasRaw, perform: (c) => shift(c, (c.store.getState().dataset?.duration ?? 0) * 0.1) },
  { id: 'trace.goToStart', title: 'Go to start', keys: ['alt+home'], view: VIEW, predicate: hasRaw, perform: (c) => setTraceTime(c, 0) },
  { id: 'trace.goToEnd', title: 'Go to end', keys: ['alt+end'], view: VIEW, predicate: hasRaw, perform: (c) => setTraceTime(c, Infinity) },
  {
    id: 'trace.goTo',
    title: 'Go to time (s)',
    keys: ['alt+t'],
    snippets: ['tg'],
    snippetArgs: '<seconds>',
    view: VIEW,
    menu: 'View',
    section: 'Traces',
    predicate: hasRaw,
    perform: async (c, args) => {
      const text = args[0] ?? (await c.prompt('Go to time (seconds)', { placeholder: 'e.g. 12.5' }));
      const t = Number.parseFloat(text ?? '');
      if (Number.isFinite(t)) setTraceTime(c, t - settings().window / 2);
    },
  },
  {
    id: 'trace.shift',
    title: 'Shift the traces by (s)',
    snippets: ['ts'],
    snippetArgs: '<seconds>',
    view: VIEW,
    predicate: hasRaw,
    perform: (c, args) => {
      const dt = Number.parseFloat(args[0] ?? '');
      if (Number.isFinite(dt)) shift(c, dt);
    },
  },
  { id: 'trace.nextSpike', title: 'Next spike of the selected cluster', keys: ['alt+pgdown'], view: VIEW, predicate: hasRaw, perform: (c) => jumpToSpike(c, 1) },
  { id: 'trace.previousSpike', title: 'Previous spike of the selected cluster', keys: ['alt+pgup'], view: VIEW, predicate: hasRaw, perform: (c) => jumpToSpike(c, -1) },
  { id: 'trace.increase', title: 'Increase trace gain', keys: ['alt+up'], view: VIEW, perform: () => patchViewSettings(VIEW, { gain: settings().gain * 1.25 }) },
  { id: 'trace.decrease', title: 'Decrease trace gain', keys: ['alt+down'], view: VIEW, perform: () => patchViewSettings(VIEW, { gain: settings().gain / 1.25 }) },
  { id: 'trace.narrow', title: 'Narrow the time window', keys: ['alt++'], view: VIEW, perform: (c) => setWindow(c, settings().window / 1.25) },
  { id: 'trace.widen', title: 'Widen the time window', keys: ['alt+-'], view: VIEW, perform: (c) => setWindow(c, settings().window * 1.25) },
  { id: 'trace.toggleAllSpikes', title: 'Show all spikes / selected only', keys: ['alt+s'], view: VIEW, perform: () => patchViewSettings(VIEW, { allSpikes: !settings().allSpikes }) },
  { id: 'trace.switchOrigin', title: 'Switch the channel origin (first channel at the bottom / top)', keys: ['alt+o'], view: VIEW, perform: () => patchViewSettings(VIEW, { originTop: !settings().originTop }) },
  { id: 'trace.toggleLabels', title: 'Toggle channel labels', keys: ['alt+l'], view: VIEW, perform: () => patchViewSettings(VIEW, { showLabels: !settings().showLabels }) },
];
