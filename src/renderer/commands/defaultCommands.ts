/**
 * The app's commands with phy's default shortcuts (phy-features.md §2), without phy's bugs:
 * reset wizard IS bound (ctrl+alt+space), every action is also a `:` snippet under its phy name,
 * and custom label names are saved whatever they are called.
 */
import type { UpdateInfo } from '../../shared/ipc/contract';
import type { AppState, Selection } from '../store/AppState';
import { visibleClusters } from '../store/selectors';
import { clusterColumns } from '../store/clusterColumns';
import { patchViewSettings } from '../views/useViewSettings';
import { VIEW_CATALOG } from '../views/catalog';
import { resolveScatterColumn } from '../views/ClusterScatterView/scatterLayout';
import type { Command, CommandContext } from './Command';
import { numberArg, parseIdList } from './snippets';
import { skippedText, wizardMove as coreWizardMove, type WizardAction, type WizardContext } from '../../core/session/wizard';
import { noteWizardMove } from './prefetchNext';
import { antialiasEnabled, antialiasShown } from '../plot/renderQuality';

const GROUPS = ['good', 'mua', 'noise', 'unsorted'] as const;
type Which = 'best' | 'similar' | 'all';

const hasDataset = (s: AppState) => s.dataset !== null;
const hasSelection = (s: AppState) => s.selection.clusterIds.length + s.selection.similarIds.length > 0;

/**
 * The wizard's view of the current state (the pure wizard lives in core/session/wizard). The
 * similar list is the one SimilarityView shows (relative to the last selected best cluster), so
 * space walks exactly the rows the curator sees.
 */
export function wizardContext(s: AppState): WizardContext {
  const byId = new Map(s.clusters.map((c) => [c.id, c]));
  const best = s.selection.clusterIds[s.selection.clusterIds.length - 1];
  const similar = s.similar.clusterId === best ? s.similar.items.map((x) => x.id).filter((id) => byId.has(id)) : [];
  return {
    order: visibleClusters(s).clusters.map((c) => c.id),
    group: (id) => byId.get(id)?.group ?? null,
    similar: () => similar,
    skipNoiseMua: s.ui.skipNoiseMua,
  };
}

/** Applies a wizard action to the current state; null when the selection would not change. */
export function wizardNext(s: AppState, action: WizardAction): Selection | null {
  return wizardNextMove(s, action)?.selection ?? null;
}

/**
 * {@link wizardNext} with the status bar's note on what the move skipped (noise/mua clusters
 * passed over, phy's "skip noise and MUA"); null when the selection would not change.
 */
export function wizardNextMove(s: AppState, action: WizardAction): { selection: Selection; note: string | null } | null {
  const move = coreWizardMove(action, s.selection, wizardContext(s), s.ui.nSimilar);
  const next = move.selection;
  return next === s.selection || sameSelection(next, s.selection) ? null : { selection: next, note: skippedText(move.skipped) };
}

function sameSelection(a: Selection, b: Selection): boolean {
  const eq = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.clusterIds, b.clusterIds) && eq(a.similarIds, b.similarIds);
}

/** The next cluster not yet reviewed after the current best one, wrapping around ("what's left"). */
export function nextUnreviewed(s: AppState): Selection | null {
  const order = visibleClusters(s).clusters;
  const cur = s.selection.clusterIds[s.selection.clusterIds.length - 1];
  const start = cur === undefined ? -1 : order.findIndex((c) => c.id === cur);
  for (let k = 1; k <= order.length; k++) {
    const c = order[(start + k + order.length) % order.length];
    if (!c.reviewed) return { clusterIds: [c.id], similarIds: [] };
  }
  return null;
}

/** Resolves once the similar list matches the last selected best cluster (or after 5 s). */
function similarReady(ctx: CommandContext): Promise<void> {
  const ready = () => {
    const s = ctx.store.getState();
    const best = s.selection.clusterIds[s.selection.clusterIds.length - 1];
    return best === undefined || (s.similar.clusterId === best && !s.similar.loading);
  };
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, 5000);
    const unsubscribe = ctx.store.subscribe(() => {
      if (ready()) done();
    });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

function select(ctx: CommandContext, sel: Selection | null, endMessage?: string, wizardNote: string | null = null): void {
  if (sel) ctx.sync.select(sel, wizardNote);
  else if (endMessage) ctx.toast('info', endMessage);
}

function selectMove(ctx: CommandContext, move: { selection: Selection; note: string | null } | null, endMessage?: string): void {
  select(ctx, move?.selection ?? null, endMessage, move?.note ?? null);
}

async function wizardMove(ctx: CommandContext, action: WizardAction, endMessage?: string): Promise<void> {
  noteWizardMove(action);
  if (action === 'nextSimilar' || action === 'previousSimilar' || action === 'selectFirstNSimilar') await similarReady(ctx);
  selectMove(ctx, wizardNextMove(ctx.store.getState(), action), endMessage);
}

/**
 * Runs one session op: marks the session busy, sends it, then awaits the one commit of the
 * change (the cluster table and the selection the UpdateInfo asks for, phy's rules) made by
 * SessionSync, the renderer's one write path for session changes. Errors propagate.
 */
export async function runOp(ctx: CommandContext, op: () => Promise<UpdateInfo | null>): Promise<UpdateInfo | null> {
  ctx.store.update((d) => {
    d.session.busy = true;
  }, { capture: 'none' });
  ctx.sync.beginOp();
  let info: UpdateInfo | null = null;
  try {
    info = await op();
    return info;
  } finally {
    await ctx.sync.endOp(info);
    ctx.store.update((d) => {
      d.session.busy = false;
    }, { capture: 'none' });
  }
}

function actionContext(s: AppState) {
  return { selection: { clusterIds: [...s.selection.clusterIds], similarIds: [...s.selection.similarIds] } };
}

/** Labels best / similar / all selected clusters with `group`, then moves on like phy. */
async function moveTo(ctx: CommandContext, group: string, which: Which): Promise<void> {
  const s = ctx.store.getState();
  const ids = which === 'best' ? s.selection.clusterIds : which === 'similar' ? s.selection.similarIds : [...s.selection.clusterIds, ...s.selection.similarIds];
  if (ids.length === 0) {
    ctx.toast('info', which === 'similar' ? 'No similar cluster selected' : 'No cluster selected');
    return;
  }
  const info = await runOp(ctx, () => ctx.backend.session.label([...ids], 'group', group, actionContext(s)));
  if (!info) return;
  // phy's auto-advance: best → next best; similar → next similar; all → next best.
  if (which === 'similar') await similarReady(ctx);
  const st = ctx.store.getState();
  const move = wizardNextMove(st, which === 'similar' ? 'nextSimilar' : 'nextBest');
  if (move) selectMove(ctx, move);
  else select(ctx, which === 'similar' ? { clusterIds: st.selection.clusterIds, similarIds: [] } : null);
}

function moveCommands(): Command[] {
  const out: Command[] = [];
  const prefix: Record<Which, string> = { best: 'alt', similar: 'ctrl', all: 'ctrl+alt' };
  for (const which of ['best', 'similar', 'all'] as const) {
    for (const group of GROUPS) {
      out.push({
        id: `cluster.move${which[0].toUpperCase()}${which.slice(1)}To${group[0].toUpperCase()}${group.slice(1)}`,
        title: `Move ${which === 'all' ? 'all selected' : which} to ${group}`,
        keys: [`${prefix[which]}+${group[0]}`],
        menu: 'Edit',
        section: `move-${which}`,
        snippets: [`move_${which}_to_${group}`],
        predicate: hasSelection,
        perform: (ctx) => moveTo(ctx, group, which),
      });
    }
  }
  return out;
}

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

/** Every built-in command. */
export function defaultCommands(): Command[] {
  const cmds: Command[] = [
    // ---------------------------------------------------------------- File
    {
      id: 'file.save',
      title: 'Save',
      keys: ['ctrl+s'],
      menu: 'File',
      snippets: ['save'],
      predicate: hasDataset,
      async perform(ctx) {
        ctx.store.update((d) => {
          d.session.busy = true;
        }, { capture: 'none' });
        try {
          const r = await ctx.backend.session.save();
          ctx.store.update((d) => {
            d.session.dirty = false;
            d.session.lastSavedAt = r.savedAt;
          }, { capture: 'none' });
          ctx.toast('info', `Saved ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${r.files.map((f) => f.split(/[\\/]/).pop()).join(', ')}`);
        } finally {
          ctx.store.update((d) => {
            d.session.busy = false;
          }, { capture: 'none' });
        }
      },
    },
    // ---------------------------------------------------------------- Edit
    {
      id: 'cluster.merge',
      title: 'Merge selected clusters',
      keys: ['g'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['g', 'merge'],
      snippetArgs: '[id…]',
      predicate: hasDataset,
      async perform(ctx, args) {
        const s = ctx.store.getState();
        const ids = args.length ? parseIdList(args) : [...s.selection.clusterIds, ...s.selection.similarIds];
        if (ids.length < 2) {
          ctx.toast('info', 'Select at least two clusters to merge');
          return;
        }
        await runOp(ctx, () => ctx.backend.session.merge(ids, actionContext(s)));
      },
    },
    {
      id: 'cluster.split',
      title: 'Split by lasso',
      keys: ['k'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['k', 'split'],
      predicate: hasDataset,
      async perform(ctx) {
        const s = ctx.store.getState();
        const lasso = s.lasso;
        if (!lasso || lasso.polygon.length < 6) {
          ctx.toast('info', 'Draw a lasso first: ctrl+click around spikes in FeatureView or AmplitudeView, then press k');
          return;
        }
        const info = await runOp(ctx, () =>
          ctx.backend.session.split({ kind: 'lasso', clusterIds: [...lasso.clusterIds], x: lasso.x, y: lasso.y, polygon: lasso.polygon }, actionContext(s)),
        );
        if (info) {
          ctx.store.update((d) => {
            d.lasso = null;
          }, { capture: 'none' });
        }
      },
    },
    {
      id: 'cluster.label',
      title: 'Label selected clusters…',
      keys: ['l'],
      menu: 'Edit',
      section: 'clustering',
      snippets: ['l', 'label'],
      snippetArgs: '<name> <value>',
      predicate: hasSelection,
      async perform(ctx, args) {
        let parts = args;
        if (parts.length === 0) {
          const text = await ctx.prompt('Label selected clusters: name value', { placeholder: 'e.g. quality 3   or   cell_type pyramidal' });
          if (text === null) return;
          parts = text.trim().split(/\s+/);
        }
        const [name, ...rest] = parts;
        if (!name || rest.length === 0) {
          ctx.toast('warning', 'A label needs a name and a value, e.g. "quality 3"');
          return;
        }
        const raw = rest.join(' ');
        const value = raw === 'null' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw;
        const s = ctx.store.getState();
        const ids = [...s.selection.clusterIds, ...s.selection.similarIds];
        await runOp(ctx, () => ctx.backend.session.label(ids, name, value, actionContext(s)));
      },
    },
    {
      id: 'cluster.move',
      title: 'Move clusters to a group',
      snippets: ['move'],
      snippetArgs: '<group> [best|similar|all]',
      hidden: true,
      async perform(ctx, args) {
        const [group, which = 'all'] = args;
        if (!group) throw new Error(':move needs a group, e.g. `:move good all`');
        if (which !== 'best' && which !== 'similar' && which !== 'all') throw new Error(`:move: '${which}' must be best, similar or all`);
        await moveTo(ctx, group, which);
      },
    },
    {
      id: 'cluster.markReviewed',
      title: 'Mark selected as reviewed',
      menu: 'Edit',
      section: 'review',
      snippets: ['reviewed'],
      predicate: hasSelection,
      async perform(ctx) {
        const s = ctx.store.getState();
        await runOp(ctx, () => ctx.backend.session.markReviewed([...s.selection.clusterIds, ...s.selection.similarIds], true));
      },
    },
    {
      id: 'edit.undo',
      title: 'Undo',
      keys: ['ctrl+z'],
      menu: 'Edit',
      section: 'history',
      snippets: ['undo'],
      predicate: hasDataset,
      async perform(ctx) {
        const info = await runOp(ctx, () => ctx.backend.session.undo());
        if (!info) ctx.toast('info', 'Nothing to undo');
      },
    },
    {
      id: 'edit.redo',
      title: 'Redo',
      keys: ['ctrl+shift+z', 'ctrl+y'],
      menu: 'Edit',
      section: 'history',
      snippets: ['redo'],
      predicate: hasDataset,
      async perform(ctx) {
        const info = await runOp(ctx, () => ctx.backend.session.redo());
        if (!info) ctx.toast('info', 'Nothing to redo');
      },
    },
    ...moveCommands(),
    // ---------------------------------------------------------------- Select (wizard)
    {
      id: 'wizard.next',
      title: 'Next similar cluster',
      keys: ['space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['next'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'nextSimilar', 'No more similar clusters'),
    },
    {
      id: 'wizard.previous',
      title: 'Previous similar cluster',
      keys: ['shift+space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['previous'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'previousSimilar'),
    },
    {
      id: 'wizard.nextBest',
      title: 'Next best cluster',
      keys: ['down'],
      menu: 'Select',
      section: 'best',
      snippets: ['next_best'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'nextBest', 'Last cluster reached'),
    },
    {
      id: 'wizard.previousBest',
      title: 'Previous best cluster',
      keys: ['up'],
      menu: 'Select',
      section: 'best',
      snippets: ['previous_best'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'previousBest', 'First cluster reached'),
    },
    {
      id: 'wizard.first',
      title: 'First cluster',
      keys: ['home'],
      menu: 'Select',
      section: 'best',
      snippets: ['first'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'first'),
    },
    {
      id: 'wizard.last',
      title: 'Last cluster',
      keys: ['end'],
      menu: 'Select',
      section: 'best',
      snippets: ['last'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'last'),
    },
    {
      id: 'wizard.selectFirstSimilar',
      title: 'Select the first N similar clusters',
      keys: ['ctrl+space'],
      menu: 'Select',
      section: 'similar',
      snippets: ['select_first_similar'],
      predicate: (s) => s.selection.clusterIds.length > 0,
      perform: (ctx) => wizardMove(ctx, 'selectFirstNSimilar'),
    },
    {
      id: 'wizard.unselectSimilar',
      title: 'Unselect similar clusters',
      keys: ['backspace'],
      menu: 'Select',
      section: 'similar',
      snippets: ['unselect_similar'],
      predicate: (s) => s.selection.similarIds.length > 0,
      perform: (ctx) => wizardMove(ctx, 'unselectSimilar'),
    },
    {
      id: 'wizard.reset',
      title: 'Reset wizard',
      keys: ['ctrl+alt+space'],
      menu: 'Select',
      section: 'best',
      snippets: ['reset_wizard', 'reset'],
      predicate: hasDataset,
      perform: (ctx) => wizardMove(ctx, 'reset'),
    },
    {
      id: 'wizard.nextUnreviewed',
      title: "Next cluster left to review",
      menu: 'Select',
      section: 'review',
      snippets: ['next_unreviewed', 'left'],
      predicate: hasDataset,
      perform: (ctx) => select(ctx, nextUnreviewed(ctx.store.getState()), 'Every cluster has been reviewed'),
    },
    {
      id: 'select.clusters',
      title: 'Select clusters by id',
      snippets: ['c', 'select'],
      snippetArgs: '<id> [id…]   (3-6 = range, 1,2,3 = list)',
      hidden: true,
      perform(ctx, args) {
        const ids = parseIdList(args);
        const known = new Set(ctx.store.getState().clusters.map((c) => c.id));
        const missing = ids.filter((id) => !known.has(id));
        if (missing.length) ctx.toast('warning', `No cluster ${missing.join(', ')}`);
        ctx.sync.select({ clusterIds: ids.filter((id) => known.has(id)), similarIds: [] });
      },
    },
    {
      id: 'select.skipNoiseMua',
      title: 'Skip noise and MUA while navigating',
      menu: 'Select',
      section: 'options',
      snippets: ['skip_noise_and_mua'],
      checked: (s) => s.ui.skipNoiseMua,
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.skipNoiseMua = !d.ui.skipNoiseMua;
        }, { capture: 'none' });
      },
    },
    {
      id: 'select.nSimilar',
      title: 'Number of similar clusters for ctrl+space…',
      menu: 'Select',
      section: 'options',
      snippets: ['select_n_similar'],
      snippetArgs: '<n>',
      async perform(ctx, args) {
        const text = args[0] ?? (await ctx.prompt('Select first N similar: N', { initial: String(ctx.store.getState().ui.nSimilar) }));
        if (text === null) return;
        const n = Math.round(Number(text));
        if (!Number.isFinite(n) || n < 1) throw new Error(`'${text}' is not a positive number`);
        ctx.store.update((d) => {
          d.ui.nSimilar = n;
        }, { capture: 'none' });
      },
    },
    {
      id: 'filter.set',
      title: 'Filter clusters…',
      menu: 'Select',
      section: 'table',
      snippets: ['f', 'filter'],
      snippetArgs: '<expression>',
      async perform(ctx, args) {
        const text = args.length ? args.join(' ') : await ctx.prompt('Filter clusters', { placeholder: "n_spikes > 1000 && group != 'noise'", initial: ctx.store.getState().filter.text });
        if (text === null) return;
        ctx.store.update((d) => {
          d.filter.text = text;
        }, { capture: 'none' });
      },
    },
    {
      id: 'filter.clear',
      title: 'Clear filter',
      keys: ['esc'],
      menu: 'Select',
      section: 'table',
      snippets: ['clear_filter'],
      predicate: (s) => s.filter.text !== '' || s.lasso !== null,
      perform(ctx) {
        ctx.store.update((d) => {
          if (d.filter.text !== '') d.filter.text = '';
          else d.lasso = null;
        }, { capture: 'none' });
      },
    },
    {
      id: 'sort.by',
      title: 'Sort clusters by a column',
      snippets: ['s', 'sort'],
      snippetArgs: '<column> [asc|desc]',
      hidden: true,
      perform(ctx, args) {
        const [column, dir] = args;
        const s = ctx.store.getState();
        const names = clusterColumns(s.session.labelColumns).map((c) => c.name);
        const found = names.find((n) => n === column) ?? names.find((n) => n.toLowerCase() === column?.toLowerCase());
        if (!found) throw new Error(`:s needs a column: ${names.join(', ')}`);
        ctx.store.update((d) => {
          d.sort = { column: found, direction: dir === 'asc' || dir === 'desc' ? dir : found === 'id' ? 'asc' : 'desc' };
        }, { capture: 'none' });
      },
    },
    // ---------------------------------------------------------------- View
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
    ...VIEW_CATALOG.map(
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
    // ---------------------------------------------------------------- Help
    {
      id: 'help.shortcuts',
      title: 'Keyboard shortcuts',
      keys: ['h', 'f1'],
      menu: 'Help',
      snippets: ['help'],
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = d.ui.overlay === 'help' ? null : 'help';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.palette',
      title: 'Command palette',
      keys: ['ctrl+shift+p'],
      menu: 'Help',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = d.ui.overlay === 'palette' ? null : 'palette';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.snippet',
      title: 'Snippet mode (:)',
      keys: [':'],
      menu: 'Help',
      perform(ctx) {
        ctx.store.update((d) => {
          d.ui.overlay = 'snippet';
          d.ui.snippetInitial = '';
        }, { capture: 'none' });
      },
    },
    {
      id: 'help.about',
      title: 'About spikedock',
      keys: ['?'],
      menu: 'Help',
      async perform(ctx) {
        const v = await ctx.backend.app.version();
        const ds = ctx.store.getState().dataset;
        ctx.toast('info', `spikedock ${v}${ds ? ` — ${ds.name}: ${ds.rawStatus}` : ''}`);
      },
    },
  ];
  return cmds;
}
