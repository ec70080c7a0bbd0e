import { useCallback, useMemo } from 'react';
import type { FeaturesData } from '../../../shared/ipc/contract';
import { PlotCanvas } from '../../plot/PlotCanvas';
import { PlotLines, PlotPoints } from '../../plot/Geometry';
import { PlotLabels } from '../../plot/Overlay';
import { useAppStore, useBackend, useSelectedClusters, useViewClusterIds } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, ToolButton, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings, readViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { useLasso } from '../useLasso';
import { FEATURE_VIEW, type FeatureChannelSettings } from '../featureChannels';
import { buildFeatureGrid, cellXDim, clickedFeature, toSpikeDim, type FeatureGrid } from './featureGrid';
import { showAmplitudeFeature } from '../amplitudeFeature';
import { useCommandContext } from '../../commands/CommandsContext';
import { useProposalNote } from '../proposalNote';

const VIEW = FEATURE_VIEW;

export interface FeatureSettings extends FeatureChannelSettings {
  /** Feature scaling (ctrl++ / ctrl+-). */
  scale: number;
  /** Marker size in CSS pixels (alt+wheel). */
  markerSize: number;
}

export const FEATURE_DEFAULTS: FeatureSettings = { scale: 1, markerSize: 2.5, channelIds: null };
const get = () => readViewSettings(VIEW, FEATURE_DEFAULTS);
const set = (p: Partial<FeatureSettings>) => patchViewSettings(VIEW, p);

export const FEATURE_COMMANDS: Command[] = [
  { id: 'feature.increase', title: 'Increase feature scaling', keys: ['ctrl++'], view: VIEW, perform: () => set({ scale: get().scale * 1.25 }) },
  { id: 'feature.decrease', title: 'Decrease feature scaling', keys: ['ctrl+-'], view: VIEW, perform: () => set({ scale: get().scale / 1.25 }) },
];

/**
 * `c` (phy's toggle_automatic_channel_selection): back to the best channels when the pair was
 * chosen (WaveformView ctrl+click), else pins the channels shown now.
 */
function toggleChannelsCommand(shown: [number, number] | null): Command {
  return {
    id: 'feature.toggleAutomaticChannels',
    title: 'Toggle automatic channel selection',
    keys: ['c'],
    view: VIEW,
    menu: 'View',
    section: 'Features',
    perform: () => {
      if (get().channelIds) set({ channelIds: null });
      else if (shown) set({ channelIds: [shown[0], shown[1]] });
    },
  };
}

/**
 * phy's FeatureView: the PC grid of two channels (the best ones of the selection, or the pair
 * chosen by ctrl+click / ctrl+right-click in WaveformView; `c` toggles), time vs PC on the
 * diagonal, grey background spikes, and a lasso (ctrl+click) whose polygon `k` splits on all
 * spikes. alt+left click a subplot shows its x dimension in AmplitudeView, alt+right click its y.
 */
export default function FeatureView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  // A lasso splits real clusters (all their spikes), whatever parts are shown.
  const realSelected = useSelectedClusters();
  const [settings] = useViewSettings(VIEW, FEATURE_DEFAULTS);
  useViewCommands(FEATURE_COMMANDS);

  const hasFeatures = !!dataset?.hasFeatures;
  const pinned = settings.channelIds;
  const { state, data, error, generation: dataGeneration } = useViewData<FeaturesData>(
    (signal) =>
      selected.length === 0 || !dataset || !hasFeatures
        ? null
        : backend.viewData.features({ clusterIds: selected, ...(pinned ? { channelIds: [pinned[0], pinned[1]] as [number, number] } : {}) }, signal),
    [backend, dataset, hasFeatures, selected.join(','), generation, pinned?.join(',')],
  );
  const shownKey = data?.channelIds.join(',') ?? '';
  const toggleCommands = useMemo(() => [toggleChannelsCommand(data ? data.channelIds : null)], [shownKey]);
  useViewCommands(toggleCommands);

  const grid: FeatureGrid | null = useMemo(
    () => (data && dataset && data.clusters.length ? buildFeatureGrid(data, dataset.duration, dataset.channelIds, settings.scale) : null),
    [data, dataset, settings.scale],
  );

  const resolve = useCallback(
    (points: Float32Array) => {
      if (!grid || !data) return null;
      const cell = grid.layout.cellAt(points[0], points[1]);
      if (!cell) return null;
      const n = grid.dims.length;
      const rect = grid.cellRects[cell.row * n + cell.col];
      const polygon = new Float32Array(points.length);
      for (let k = 0; k < points.length; k += 2) {
        const [x, y] = grid.layout.toData(cell.row, cell.col, rect, points[k], points[k + 1]);
        polygon[k] = x;
        polygon[k + 1] = y;
      }
      return { x: toSpikeDim(cellXDim(grid.dims, cell.row, cell.col), data.channelIds), y: toSpikeDim(grid.dims[cell.row], data.channelIds), polygon };
    },
    [grid, data],
  );
  const lasso = useLasso(VIEW, realSelected, resolve);
  const { toast } = useCommandContext();

  const placeholder = !dataset ? PLACEHOLDER.noClusters : !hasFeatures ? PLACEHOLDER.noFeatures : selected.length === 0 ? PLACEHOLDER.select : null;
  const chLabel = (ch: number) => String(dataset?.channelIds[ch] ?? ch);
  const proposalNote = useProposalNote(selected);
  const status = data ? `${proposalNote ? `${proposalNote} — ` : ''}channels: ${data.channelIds.map(chLabel).join(', ')} (${pinned ? 'chosen; c: automatic' : 'automatic'})${lasso.points ? ` — lasso: ${lasso.points.length / 2} points (k splits)` : ''}${data.message ? ` — ${data.message}` : ''}` : '';

  return (
    <ViewFrame
      view={VIEW}
      viewId={viewId}
      state={state}
      generation={dataGeneration}
      placeholder={placeholder}
      error={error}
      status={status}
      toolbar={lasso.points ? <ToolButton label="clear lasso" title="Clear the lasso (Escape, ctrl+right-click)" onClick={() => lasso.onChange(null)} /> : null}
    >
      <PlotCanvas
        label="Feature grid"
        bounds={grid?.layout.bounds ?? { x0: 0, x1: 4, y0: 0, y1: 4 }}
        lasso={lasso}
        overlay={grid ? <PlotLabels labels={grid.labels} /> : null}
        onClick={(c) => {
          // alt+left click: the subplot's x dimension for AmplitudeView; alt+right click: its y.
          if (!c.altKey || !grid || !data) return;
          const feature = clickedFeature(grid, data.channelIds, c.x, c.y, c.button);
          if (feature === 'time') toast('info', 'Time is not a feature for AmplitudeView: alt+click a PC axis (alt+right click takes the y axis).');
          else if (feature) showAmplitudeFeature(feature);
        }}
        onModifiedWheel={(e) => {
          if (!e.altKey) return false;
          set({ markerSize: Math.max(1, Math.min(8, get().markerSize * (e.deltaY < 0 ? 1.15 : 1 / 1.15))) });
          return true;
        }}
      >
        {grid ? (
          <>
            <PlotLines data={grid.frames} renderOrder={0} />
            <PlotPoints data={grid.background} size={settings.markerSize} renderOrder={1} />
            <PlotPoints data={grid.points} size={settings.markerSize} renderOrder={2} />
          </>
        ) : null}
      </PlotCanvas>
    </ViewFrame>
  );
}
