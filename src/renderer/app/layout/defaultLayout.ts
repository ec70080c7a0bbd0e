/**
 * The default dock layout, like phy's (phy/apps/template/static/state.json): ClusterView over
 * SimilarityView on the left; WaveformView and FeatureView large in the middle with AmplitudeView
 * (tabbed with SpikeAttributeView and DriftView) and CorrelogramView (ISIView, FiringRateView)
 * under them; TraceView (tabbed with RasterView and MetricsView, whose three tabs fit the
 * column's width where ClusterView's stack has no room) on the right over a small ProbeView; the other views as tabs. Only view types
 * present in the catalog are placed (the others are dropped with their empty containers).
 */
import type { LayoutConfig, RowOrColumnItemConfig, ComponentItemConfig, StackItemConfig } from 'golden-layout';

type Item = RowOrColumnItemConfig | StackItemConfig | ComponentItemConfig;

const view = (type: string, size?: number): ComponentItemConfig => ({ type: 'component', componentType: type, title: type, ...(size ? { size: `${size}%` } : {}) });
const stack = (size: number, ...types: string[]): StackItemConfig => ({ type: 'stack', size: `${size}%`, content: types.map((t) => view(t)) });
const column = (size: number, ...content: Item[]): RowOrColumnItemConfig => ({ type: 'column', size: `${size}%`, content: content as RowOrColumnItemConfig['content'] });

function tree(): RowOrColumnItemConfig {
  return {
    type: 'row',
    content: [
      column(22, stack(56, 'ClusterView', 'ClusterScatterView'), stack(44, 'SimilarityView', 'SuggestionsView')),
      column(27, stack(62, 'WaveformView', 'TemplateView'), stack(38, 'AmplitudeView', 'SpikeAttributeView', 'DriftView')),
      column(27, stack(55, 'FeatureView'), stack(27, 'CorrelogramView'), stack(18, 'ISIView', 'FiringRateView')),
      column(24, stack(72, 'TraceView', 'RasterView', 'MetricsView'), stack(28, 'ProbeView')),
    ] as RowOrColumnItemConfig['content'],
  };
}

/** Removes components whose type is unknown, then empty stacks/rows/columns. */
function prune(item: Item, known: ReadonlySet<string>): Item | null {
  if (item.type === 'component') return known.has(String((item as ComponentItemConfig).componentType)) ? item : null;
  const content = ((item as RowOrColumnItemConfig).content as Item[]).map((c) => prune(c, known)).filter((c): c is Item => c !== null);
  if (content.length === 0) return null;
  return { ...item, content } as Item;
}

/** Redistributes `size` percentages among siblings after pruning so they sum to 100. */
function normalize(item: Item): void {
  if (item.type === 'component') return;
  const content = (item as RowOrColumnItemConfig).content as Item[];
  const sizes = content.map((c) => parseFloat(String(c.size ?? '0')) || 0);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (item.type !== 'stack' && total > 0) content.forEach((c, i) => (c.size = `${((sizes[i] / total) * 100).toFixed(2)}%`));
  content.forEach(normalize);
}

/** The default layout restricted to the given view types. */
export function defaultLayout(knownTypes: readonly string[]): LayoutConfig {
  const root = prune(tree(), new Set(knownTypes)) ?? { type: 'row', content: [] };
  normalize(root as Item);
  return {
    root: root as LayoutConfig['root'],
    settings: { showPopoutIcon: false, showMaximiseIcon: true, showCloseIcon: true, reorderEnabled: true, responsiveMode: 'none' },
    dimensions: { borderWidth: 4, headerHeight: 24, minItemHeight: 60, minItemWidth: 80 },
    header: { popout: false, maximise: 'maximise', close: 'close', minimise: 'minimise' },
  };
}

/** Where a view sits in the default layout: its tab-mates, and the views of its column above/below it. */
export interface DefaultNeighbours {
  stack: string[];
  column: Array<{ type: string; below: boolean }>;
}

/** Neighbours of a view type in the default layout (to reopen a closed view where it belongs). */
export function defaultNeighbours(type: string): DefaultNeighbours {
  const out: DefaultNeighbours = { stack: [], column: [] };
  for (const col of tree().content as Item[]) {
    const stacks = ((col as RowOrColumnItemConfig).content ?? []) as StackItemConfig[];
    const types = stacks.map((s) => ((s.content ?? []) as ComponentItemConfig[]).map((c) => String(c.componentType)));
    const at = types.findIndex((t) => t.includes(type));
    if (at < 0) continue;
    out.stack = types[at].filter((t) => t !== type);
    types.forEach((t, i) => {
      if (i !== at) for (const x of t) out.column.push({ type: x, below: i > at });
    });
  }
  return out;
}
