/** The View menu's commands: display toggles, cluster table, layout, views, view-setting snippets. */
import type { Command } from '../store/Command';
import { numberArg } from './snippets';
import { patchViewSettings } from '../store/viewSettings';
import { antialiasEnabled, antialiasShown } from '../plot/renderQuality';
import { resolveScatterColumn } from '../store/clusterColumns';

const ms = (v: number) => v / 1000;

function settingSnippet(id: string, title: string, snippet: string, view: string, key: string, convert: (v: number) => number = (v) => v): Command {
  return {
    id,
    title,
    snippets: [snippet],
    snippetArgs: '<number>',
    view,
    hidden: true,
    perform: (_ctx, args) => patchViewSettings(view, { [key]: convert(numberArg(args, snippet)) }),
  };
}

/** A view the View menu opens and closes (an entry of the views catalog). */
export interface OpenableView {
  type: string;
  title: string;
}

/** View. */
export function viewCommands(views: readonly OpenableView[]): Command[] {
  return [
    {
      id: 'view.rawFilter',
      title: 'High-pass filter raw data',
      keys: ['alt+r'],
      menu: 'View',
      section: 'display',
      snippets: ['switch_raw_data_filter'],
      checked: (s) => s.rawFilter,
      perform(ctx) {
        ctx.store.update((d) => {
          d.rawFilter = !d.rawFilter;
        }, { capture: 'none' });
      },
    },
    {
      id: 'view.toggleTheme',
      title: 'Light theme',
      menu: 'View',
      section: 'display',
      snippets: ['theme'],
      checked: (s) => s.ui.theme === 'light',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.theme = d.ui.theme === 'dark' ? 'light' : 'dark';
        }, { capture: 'none' });
      },
    },
    {
      id: 'view.toggleAntialias',
      title: 'Antialiased plots',
      menu: 'View',
      section: 'display',
      snippets: ['antialias'],
      checked: (s) => antialiasShown(s.ui.antialias),
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.antialias = antialiasEnabled(d.ui.antialias) ? 'off' : 'on';
        }, { capture: 'none' });
      },
    },
    {
      id: 'view.resetLayout',
      title: 'Reset layout',
      menu: 'View',
      section: 'layout',
      snippets: ['reset_layout'],
      perform(ctx) {
        ctx.layout?.reset();
      },
    },
    ...views.map(
      (v): Command => ({
        id: `view.open.${v.type}`,
        title: v.title,
        menu: 'View',
        section: 'views',
        snippets: [`open_${v.type}`],
        checked: (s) => s.ui.openViews.includes(v.type),
        perform(ctx) {
          if (!ctx.layout) return;
          if (ctx.layout.isOpen(v.type)) ctx.layout.close(v.type);
          else ctx.layout.open(v.type);
        },
      }),
    ),
    // View settings snippets (phy's names; values in phy's units, stored in seconds).
    settingSnippet('correlogram.binSize', 'Correlogram bin size (ms)', 'cb', 'CorrelogramView', 'binSize', ms),
    settingSnippet('correlogram.windowSize', 'Correlogram window (ms)', 'cw', 'CorrelogramView', 'windowSize', ms),
    settingSnippet('correlogram.refractoryPeriod', 'Correlogram refractory period (ms)', 'cr', 'CorrelogramView', 'refractoryPeriod', ms),
    settingSnippet('waveform.nSpikes', 'Waveforms per cluster', 'wn', 'WaveformView', 'nSpikes'),
    settingSnippet('isi.binSize', 'ISI bin size (ms)', 'isib', 'ISIView', 'binSize', ms),
    settingSnippet('isi.nBins', 'ISI number of bins', 'isin', 'ISIView', 'nBins'),
    settingSnippet('isi.min', 'ISI minimum (ms)', 'isimin', 'ISIView', 'min', ms),
    settingSnippet('isi.max', 'ISI maximum (ms)', 'isimax', 'ISIView', 'max', ms),
    settingSnippet('firingRate.binSize', 'Firing rate bin size (s)', 'frb', 'FiringRateView', 'binSize'),
    settingSnippet('firingRate.nBins', 'Firing rate number of bins', 'frn', 'FiringRateView', 'nBins'),
    settingSnippet('firingRate.min', 'Firing rate minimum (s)', 'frmin', 'FiringRateView', 'min'),
    settingSnippet('firingRate.max', 'Firing rate maximum (s)', 'frmax', 'FiringRateView', 'max'),
    {
      id: 'trace.goTo',
      title: 'Go to time…',
      keys: ['alt+t'],
      view: 'TraceView',
      snippets: ['tg'],
      snippetArgs: '<seconds>',
      async perform(ctx, args) {
        const text = args[0] ?? (await ctx.prompt('Go to time (s)', { initial: String(ctx.store.getState().traceTime) }));
        if (text === null) return;
        const t = Number(text);
        if (!Number.isFinite(t)) throw new Error(`'${text}' is not a time in seconds`);
        const duration = ctx.store.getState().dataset?.duration ?? Infinity;
        ctx.store.update((d) => {
          d.traceTime = Math.max(0, Math.min(t, duration));
        }, { capture: 'none' });
      },
    },
    {
      id: 'trace.shift',
      title: 'Shift the trace window (s)',
      view: 'TraceView',
      snippets: ['ts'],
      snippetArgs: '<seconds>',
      hidden: true,
      perform(ctx, args) {
        const dt = numberArg(args, 'ts');
        const duration = ctx.store.getState().dataset?.duration ?? Infinity;
        ctx.store.update((d) => {
          d.traceTime = Math.max(0, Math.min(d.traceTime + dt, duration));
        }, { capture: 'none' });
      },
    },
    ...(['x', 'y', 's'] as const).map(
      (axis): Command => ({
        id: `clusterScatter.${axis}`,
        title: `ClusterScatterView ${axis === 's' ? 'size' : axis} column`,
        view: 'ClusterScatterView',
        snippets: [`cs${axis}`],
        snippetArgs: '<column>',
        hidden: true,
        perform(ctx, args) {
          const s = ctx.store.getState();
          const column = resolveScatterColumn(args[0], s.session.labelColumns, s.clusters, `cs${axis}`);
          patchViewSettings('ClusterScatterView', { [axis === 's' ? 'size' : axis]: column });
        },
      }),
    ),
  ];
}
