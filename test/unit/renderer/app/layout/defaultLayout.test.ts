import { describe, expect, it } from 'vitest';
import type { ComponentItemConfig, RowOrColumnItemConfig, StackItemConfig } from 'golden-layout';
import { defaultLayout, defaultNeighbours } from '../../../../../src/renderer/app/layout/defaultLayout';
import { LAYOUT_VERSION } from '../../../../../src/renderer/app/layout/layoutStorage';

const ALL = ['ClusterView', 'SimilarityView', 'WaveformView', 'FeatureView', 'AmplitudeView', 'CorrelogramView', 'TraceView', 'ProbeView', 'RasterView', 'TemplateView', 'ISIView', 'FiringRateView', 'ClusterScatterView', 'MetricsView', 'SpikeAttributeView'];

type Item = RowOrColumnItemConfig | StackItemConfig | ComponentItemConfig;
const pct = (i: Item) => parseFloat(String(i.size));
const types = (i: Item): string[] => (i.type === 'component' ? [String((i as ComponentItemConfig).componentType)] : ((i as RowOrColumnItemConfig).content as Item[]).flatMap(types));

describe('default layout (phy-like, balanced)', () => {
  const root = defaultLayout(ALL).root as RowOrColumnItemConfig;
  const columns = root.content as Item[];

  it('is four columns: cluster tables, waveforms, features, traces; no column narrower than a fifth', () => {
    expect(root.type).toBe('row');
    expect(columns.map((c) => types(c)[0])).toEqual(['ClusterView', 'WaveformView', 'FeatureView', 'TraceView']);
    for (const c of columns) expect(pct(c)).toBeGreaterThanOrEqual(20);
    expect(columns.reduce((a, c) => a + pct(c), 0)).toBeCloseTo(100, 0);
  });

  it('stacks SimilarityView under ClusterView, ProbeView small under TraceView (tabbed with RasterView and MetricsView)', () => {
    expect(defaultNeighbours('SimilarityView').column).toEqual([{ type: 'ClusterView', below: false }, { type: 'ClusterScatterView', below: false }]);
    expect(defaultNeighbours('TraceView').stack).toEqual(['RasterView', 'MetricsView']);
    expect(defaultNeighbours('ProbeView').column.map((c) => c.type)).toEqual(['TraceView', 'RasterView', 'MetricsView']);
    const traceColumn = (columns[3] as RowOrColumnItemConfig).content as Item[];
    expect(pct(traceColumn[1])).toBeLessThan(pct(traceColumn[0]) / 2);
  });

  it('places every catalog view once, and the saved-layout version was bumped for it', () => {
    expect(columns.flatMap(types).sort()).toEqual([...ALL].sort());
    expect(LAYOUT_VERSION).toBeGreaterThanOrEqual(2);
  });
});
