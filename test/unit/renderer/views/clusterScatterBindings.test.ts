import { describe, expect, it } from 'vitest';
import { clusterInfo as cluster } from '../clusterInfo';
import type { CommandContext } from '../../../../src/renderer/store/Command';
import { CommandRegistry } from '../../../../src/renderer/commands/CommandRegistry';
import { VIEW_CATALOG } from '../../../../src/renderer/views/catalog';
import { defaultCommands } from '../../../../src/renderer/commands/defaultCommands';
import { appStore } from '../../../../src/renderer/store/appStore';
import { clustersInLasso } from '../../../../src/renderer/views/ClusterScatterView/clusterLasso';
import { SCATTER_DEFAULTS, effectiveBindings, scatterLayout } from '../../../../src/renderer/views/ClusterScatterView/scatterLayout';
import { axisScale, clusterAtPoint } from '../../../../src/renderer/views/clusterPoints';
import { numericColumns, resolveScatterColumn } from '../../../../src/renderer/store/clusterColumns';

const CLUSTERS = [
  cluster(3, { nSpikes: 10, fr: 0.5, labels: { ContamPct: 12.5, KSLabel: 'good', note: '' } }),
  cluster(7, { nSpikes: 1000, fr: 20, labels: { ContamPct: '80', KSLabel: 'mua', note: 'x' } }),
  cluster(9, { nSpikes: 100, fr: 5, labels: { ContamPct: null, KSLabel: 'good', note: '' } }),
];
const LABELS = ['ContamPct', 'KSLabel', 'note'];

describe('ClusterScatterView bindings', () => {
  it('offers every numeric column: built-ins and label columns holding numbers', () => {
    expect(numericColumns(LABELS, CLUSTERS)).toEqual(['id', 'n_spikes', 'fr', 'amp', 'ch', 'depth', 'sh', 'isi_viol', 'ContamPct']);
  });

  it('resolves a column (any case) and refuses unknown or non-numeric ones with a clear message', () => {
    expect(resolveScatterColumn('n_spikes', LABELS, CLUSTERS, 'csx')).toBe('n_spikes');
    expect(resolveScatterColumn('contampct', LABELS, CLUSTERS, 'css')).toBe('ContamPct');
    expect(() => resolveScatterColumn('bogus', LABELS, CLUSTERS, 'csx')).toThrow(/:csx: no column 'bogus' \(numeric columns: id, n_spikes, .*ContamPct\)/);
    expect(() => resolveScatterColumn('group', LABELS, CLUSTERS, 'csy')).toThrow(/:csy: 'group' is not a numeric column/);
    expect(() => resolveScatterColumn('KSLabel', LABELS, CLUSTERS, 'csy')).toThrow(/'KSLabel' is not a numeric column/);
    expect(() => resolveScatterColumn(undefined, LABELS, CLUSTERS, 'css')).toThrow(/:css needs a column/);
  });

  it(':csx, :csy and :css write the view setting; an unknown column is refused and changes nothing', async () => {
    appStore.update(
      (d) => {
        d.clusters = CLUSTERS;
        d.session.labelColumns = LABELS;
        d.viewSettings = {};
      },
      { capture: 'none' },
    );
    const registry = new CommandRegistry();
    registry.registerAll(defaultCommands(VIEW_CATALOG));
    const ctx = { store: appStore } as unknown as CommandContext;
    const snippet = (name: string, args: string[]) => registry.bySnippet(name)!.perform(ctx, args);
    await snippet('csx', ['n_spikes']);
    await snippet('csy', ['ContamPct']);
    await snippet('css', ['ID']);
    expect(appStore.getState().viewSettings.ClusterScatterView).toEqual({ x: 'n_spikes', y: 'ContamPct', size: 'id' });
    expect(() => snippet('csx', ['KSLabel'])).toThrow(/not a numeric column/);
    expect(() => snippet('csy', ['nope'])).toThrow(/no column 'nope'/);
    expect(appStore.getState().viewSettings.ClusterScatterView).toEqual({ x: 'n_spikes', y: 'ContamPct', size: 'id' });
  });

  it('log scales: log10 of positive values, phy\'s shifted log when a value is ≤ 0, and back', () => {
    const pos = axisScale([1, 10, 100], true);
    expect(pos.forward(100)).toBeCloseTo(2);
    expect(pos.inverse(1)).toBeCloseTo(10);
    const withZero = axisScale([0, 9, 99], true);
    expect(withZero.forward(0)).toBe(0);
    expect(withZero.forward(99)).toBeCloseTo(2);
    expect(withZero.inverse(withZero.forward(9))).toBeCloseTo(9);
    expect(axisScale([1, 2], false).forward(2)).toBe(2);
  });

  it('places clusters by the bound columns; a missing value counts as 0; sizes grow with the size column', () => {
    const layout = scatterLayout(CLUSTERS, { ...SCATTER_DEFAULTS, x: 'n_spikes', y: 'ContamPct', size: 'fr' });
    expect([...layout.x]).toEqual([10, 1000, 100]);
    expect([...layout.y]).toEqual([12.5, 80, 0]);
    expect(layout.size[1]).toBeGreaterThan(layout.size[2]);
    expect(layout.size[2]).toBeGreaterThan(layout.size[0]);
    const logged = scatterLayout(CLUSTERS, { ...SCATTER_DEFAULTS, x: 'n_spikes', xLog: true, y: 'fr', yLog: true });
    expect([...logged.x].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 3, 2]);
    expect(logged.bounds.x0).toBeLessThan(1);
    expect(logged.bounds.x1).toBeGreaterThan(3);
  });

  it('click and lasso follow non-default bindings and log scales', () => {
    const bindings = { ...SCATTER_DEFAULTS, x: 'n_spikes', xLog: true, y: 'fr' };
    const layout = scatterLayout(CLUSTERS, bindings);
    // log10(n_spikes): 1, 3, 2; fr: 0.5, 20, 5.
    expect(clusterAtPoint(layout, 2.02, 5.3)).toBe(9);
    expect(clusterAtPoint(layout, 3, 20)).toBe(7);
    expect(clusterAtPoint(layout, 1.5, 15)).toBeNull();
    // A box around x in [1.5, 3.5] (log units), fr in [0, 10]: only cluster 9 (n_spikes 100, fr 5).
    const box = new Float32Array([1.5, 0, 3.5, 0, 3.5, 10, 1.5, 10]);
    expect(clustersInLasso(CLUSTERS, box, bindings)).toEqual([9]);
    // The same box under the default bindings (amp, depth: every cluster at (10, 0)) holds none.
    expect(clustersInLasso(CLUSTERS, box)).toEqual([]);
  });
});

describe('ClusterScatterView bindings on a dataset without template amplitudes (Kwik)', () => {
  const kwik = [cluster(2, { amp: null, nSpikes: 50, depth: 100 }), cluster(3, { amp: null, nSpikes: 500, depth: 300 })];

  it('draw x from a column that has values, not amp (every cluster at x = 0)', () => {
    const b = effectiveBindings(SCATTER_DEFAULTS, [], kwik);
    expect(b.x).toBe('n_spikes');
    expect(b.y).toBe('depth');
    expect(b.size).toBe('fr');
    const layout = scatterLayout(kwik, b);
    expect(layout.x[0]).not.toBe(layout.x[1]);
  });

  it('keep amp where clusters have an amplitude, and a stored binding that has values', () => {
    expect(effectiveBindings(SCATTER_DEFAULTS, [], CLUSTERS).x).toBe('amp');
    expect(effectiveBindings({ ...SCATTER_DEFAULTS, x: 'ContamPct' }, LABELS, CLUSTERS).x).toBe('ContamPct');
    expect(effectiveBindings({ ...SCATTER_DEFAULTS, x: 'gone' }, LABELS, CLUSTERS).x).toBe('amp');
  });
});
