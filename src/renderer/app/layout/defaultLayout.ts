/**
 * The default dock layout, like phy's (phy/apps/template/static/state.json): ClusterView over
 * SimilarityView on the left; WaveformView and FeatureView in the middle with AmplitudeView and
 * CorrelogramView under them; TraceView on the right; the other views as tabs. Only view types
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
      column(23, stack(56, 'ClusterView', 'ClusterScatterView'), stack(44, 'SimilarityView')),
      column(24, stack(62, 'WaveformView', 'TemplateView'), stack(38, 'AmplitudeView', 'SpikeAttributeView')),
      column(24, stack(50, 'FeatureView'), stack(32, 'CorrelogramView'), stack(18, 'ISIView', 'FiringRateView')),
      column(21, stack(100, 'TraceView', 'RasterView')),
      column(8, stack(100, 'ProbeView')),
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
