import { describe, expect, it } from 'vitest';
import { defaultLayout } from '../../../../../src/renderer/app/layout/defaultLayout';
import { LAYOUT_VERSION, validateSavedLayout } from '../../../../../src/renderer/app/layout/layoutStorage';

/** A golden-layout config node, as far as these tests read it. */
interface LayoutNode {
  type: string;
  componentType?: string;
  size?: string;
  content?: LayoutNode[];
}

const types = (node: LayoutNode, out: string[] = []): string[] => {
  if (node.type === 'component') out.push(node.componentType!);
  else for (const c of node.content ?? []) types(c, out);
  return out;
};

describe('dock layout', () => {
  it("places phy's views and drops the ones the catalog lacks", () => {
    const l = defaultLayout(['ClusterView', 'SimilarityView', 'WaveformView']);
    expect(types(l.root as LayoutNode)).toEqual(['ClusterView', 'SimilarityView', 'WaveformView']);
    const sizes = (l.root as LayoutNode).content!.map((c) => parseFloat(c.size!));
    expect(sizes.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(100, 1);
  });

  it('puts ClusterView above SimilarityView in the left column', () => {
    const left = (defaultLayout(['ClusterView', 'SimilarityView', 'TraceView']).root as LayoutNode).content![0];
    expect(left.type).toBe('column');
    expect(types(left)).toEqual(['ClusterView', 'SimilarityView']);
  });

  it('accepts a saved layout of the same version and catalog, rejects anything else', () => {
    const catalog = ['ClusterView', 'SimilarityView'];
    const layout = { root: { type: 'row', content: [{ type: 'component', componentType: 'ClusterView' }] } };
    const ok = JSON.stringify({ version: LAYOUT_VERSION, knownTypes: catalog, layout });
    expect(validateSavedLayout(ok, catalog)).toEqual(layout);
    expect(validateSavedLayout(JSON.stringify({ version: LAYOUT_VERSION + 1, knownTypes: catalog, layout }), catalog)).toBeNull();
    expect(validateSavedLayout(ok, [...catalog, 'WaveformView'])).toBeNull();
    const unknown = { root: { type: 'row', content: [{ type: 'component', componentType: 'Gone' }] } };
    expect(validateSavedLayout(JSON.stringify({ version: LAYOUT_VERSION, knownTypes: catalog, layout: unknown }), catalog)).toBeNull();
    expect(validateSavedLayout('{', catalog)).toBeNull();
    expect(validateSavedLayout(JSON.stringify({ version: LAYOUT_VERSION, knownTypes: catalog, layout: { root: { type: 'weird' } } }), catalog)).toBeNull();
  });
});

describe('defaultNeighbours', () => {
  it('knows where a closed view belongs', async () => {
    const { defaultNeighbours } = await import('../../../../../src/renderer/app/layout/defaultLayout');
    expect(defaultNeighbours('SimilarityView')).toEqual({ stack: ['SuggestionsView'], column: [{ type: 'ClusterView', below: false }, { type: 'ClusterScatterView', below: false }] });
    // The review queue is a tab beside SimilarityView (both list partners of the selection).
    expect(defaultNeighbours('SuggestionsView').stack).toEqual(['SimilarityView']);
    expect(defaultNeighbours('FiringRateView').stack).toEqual(['ISIView']);
  });
});
