import { useMemo } from 'react';
import { PlotCanvas, type PlotClick } from '../../plot/PlotCanvas';
import { PlotPoints } from '../../plot/Geometry';
import { Axes, type AxisSpec } from '../../plot/Overlay';
import { layoutInLasso } from './clusterLasso';
import { effectiveBindings, scatterLayout, SCATTER_DEFAULTS, VIEW, type ScatterBindings } from './scatterLayout';
import { clusterAtPoint, scaledAxis, type AxisScale } from '../clusterPoints';
import { useClusterLasso } from '../useClusterLasso';
import { VertexBuffer } from '../../plot/VertexBuffer';
import { useAppStore, useSelectedClusters, visibleClusters } from '../../store';
import type { AppState } from '../../store/AppState';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewCommands } from '../useViewCommands';
import { patchViewSettings, readViewSettings, useViewSettings } from '../../store/viewSettings';
import { colorSchemeCommands, colorSchemeLabel, colorSchemeWheel, useClusterColors, withSelection } from '../colorSchemes';
import type { Command } from '../../store/Command';
import { selectFromClick } from '../../store/actions';

type LogKey = 'xLog' | 'yLog' | 'sizeLog';
const logToggle = (key: LogKey, title: string): Command => ({
  id: `clusterScatter.toggle${key[0].toUpperCase()}${key.slice(1)}`,
  title,
  view: VIEW,
  checked: (s: AppState) => ({ ...SCATTER_DEFAULTS, ...(s.viewSettings[VIEW] ?? {}) } as ScatterBindings)[key],
  perform: () => patchViewSettings(VIEW, { [key]: !readViewSettings(VIEW, SCATTER_DEFAULTS)[key] }),
});

/** phy's log-scale toggles and colour schemes (the bindings themselves are the `:csx` `:csy` `:css` snippets). */
export const SCATTER_COMMANDS: Command[] = [
  logToggle('xLog', 'Toggle log scale for x'),
  logToggle('yLog', 'Toggle log scale for y'),
  logToggle('sizeLog', 'Toggle log scale for the marker size'),
  ...colorSchemeCommands(VIEW, 'clusterScatter'),
];

/** Alpha of the clusters that are not selected (phy: 0.75). */
const ALPHA = 0.75;

const axisSpec = (column: string, scale: AxisScale): AxisSpec => scaledAxis(scale.log ? `${column} (log)` : column, scale);

/**
 * phy's ClusterScatterView: every (filtered) cluster as a disc, by default x = amplitude,
 * y = depth, size = firing rate (log); any numeric ClusterView column can be bound with `:csx`,
 * `:csy`, `:css`, and each dimension has a log toggle. Clusters that are not selected are
 * coloured by the view's colour scheme (shift+wheel); selected clusters in their colours, on
 * top. Click selects, shift+click adds; ctrl+click draws a lasso, and Enter (or releasing ctrl)
 * selects every cluster inside it.
 */
const MARKER_DEFAULTS = { markerScale: 1 };

/**
 * The scatter's wheel with a modifier: alt+wheel scales the markers (phy), shift+wheel cycles
 * the colour scheme; returns false for the rest (plain wheel zooms).
 */
export function scatterWheel(): (e: WheelEvent) => boolean {
  const schemeWheel = colorSchemeWheel(VIEW);
  return (e) => {
    if (e.altKey && !e.ctrlKey && !e.shiftKey) {
      const cur = readViewSettings(VIEW, MARKER_DEFAULTS).markerScale;
      patchViewSettings(VIEW, { markerScale: Math.max(0.25, Math.min(4, cur * (e.deltaY < 0 ? 1.15 : 1 / 1.15))) });
      return true;
    }
    return schemeWheel(e);
  };
}

export default function ClusterScatterView({ viewId }: { viewId: string }) {
  const { clusters } = useAppStore(visibleClusters);
  const labelColumns = useAppStore((s) => s.session.labelColumns);
  const generation = useAppStore((s) => s.generation);
  const selected = useSelectedClusters();
  const [stored] = useViewSettings(VIEW, SCATTER_DEFAULTS);
  const { scheme, colorOf } = useClusterColors(VIEW, clusters, { alpha: ALPHA, lightness: 0.5 });

  // A binding whose column went away (a label column of another dataset) or holds no value
  // (`amp` of a Kwik file) falls back to phy's default, else to a column that has values.
  const { x, y, size, xLog, yLog, sizeLog } = stored;
  const bindings = useMemo<ScatterBindings>(
    () => effectiveBindings({ x, y, size, xLog, yLog, sizeLog }, labelColumns, clusters),
    [labelColumns, clusters, x, y, size, xLog, yLog, sizeLog],
  );
  const layout = useMemo(() => (clusters.length === 0 ? null : scatterLayout(clusters, bindings)), [clusters, bindings]);
  // New axes: a zoomed view and a lasso drawn in the old units mean nothing any more.
  const axesKey = `${bindings.x} ${bindings.xLog} ${bindings.y} ${bindings.yLog}`;
  const inLasso = useMemo(() => (layout ? (polygon: Float32Array) => layoutInLasso(layout, polygon) : null), [layout]);
  const { lasso, commit: commitLasso } = useClusterLasso(inLasso, axesKey);
  const lassoPoints = lasso.points;

  const commands = useMemo<Command[]>(
    () => [
      { id: 'clusterScatter.selectLasso', title: 'Select the clusters in the lasso', keys: ['enter'], view: VIEW, focusOnly: true, perform: () => void commitLasso() },
      ...SCATTER_COMMANDS,
    ],
    [commitLasso],
  );
  useViewCommands(commands);
  const onWheel = useMemo(() => scatterWheel(), []);
  const [{ markerScale }] = useViewSettings(VIEW, MARKER_DEFAULTS);

  const points = useMemo(() => {
    if (!layout) return null;
    const color = withSelection(colorOf, selected);
    const v = new VertexBuffer(layout.ids.length, true);
    // Selected clusters last (on top), in selection order.
    const order = layout.ids.map((_, i) => i).sort((a, b) => selected.indexOf(layout.ids[a]) - selected.indexOf(layout.ids[b]));
    for (const i of order) {
      const isSel = selected.includes(layout.ids[i]);
      v.push(layout.x[i], layout.y[i], color(layout.ids[i]), layout.size[i] * markerScale + (isSel ? 3 : 0));
    }
    return v.finish();
  }, [layout, colorOf, selected, markerScale]);

  const onClick = (c: PlotClick) => {
    if (c.button !== 0 || !layout) return;
    const id = clusterAtPoint(layout, c.x, c.y);
    if (id !== null) selectFromClick(id, c.shiftKey);
  };

  const log = (on: boolean) => (on ? ' (log)' : '');
  const status =
    `x: ${bindings.x}${log(xLog)}, y: ${bindings.y}${log(yLog)}, size: ${bindings.size}${log(sizeLog)}; colours: ${colorSchemeLabel(scheme)}` +
    (lassoPoints ? ` — lasso: ${lassoPoints.length / 2} points (Enter or release ctrl selects)` : '');

  return (
    <ViewFrame view={VIEW} viewId={viewId} state={layout ? 'ready' : 'empty'} generation={generation} placeholder={layout ? null : PLACEHOLDER.noClusters} status={status}>
      <PlotCanvas
        label="Cluster scatter"
        bounds={layout?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
        resetKey={axesKey}
        onClick={onClick}
        onModifiedWheel={onWheel}
        lasso={lasso}
        overlay={layout ? <Axes x={axisSpec(bindings.x, layout.xScale)} y={axisSpec(bindings.y, layout.yScale)} /> : null}
      >
        {points ? <PlotPoints data={points} /> : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
