import type { HistogramData } from '../../../shared/ipc/contract';
import { useAppStore, useBackend, useViewClusterIds } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { HistogramStack } from '../HistogramStack';

const VIEW = 'ISIView';

export interface IsiSettings {
  /** Seconds. */
  binSize: number;
  /** Seconds. */
  max: number;
}

export const ISI_DEFAULTS: IsiSettings = { binSize: 0.001, max: 0.05 };
const msArg = (a: string[]) => {
  const v = Number.parseFloat(a[0] ?? '');
  return Number.isFinite(v) && v > 0 ? v / 1000 : null;
};

export const ISI_COMMANDS: Command[] = [
  { id: 'isi.binSize', title: 'ISI bin size (ms)', snippets: ['isib'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && patchViewSettings(VIEW, { binSize: msArg(a) })) },
  { id: 'isi.max', title: 'ISI range max (ms)', snippets: ['isimax'], snippetArgs: '<ms>', view: VIEW, perform: (_c, a) => void (msArg(a) && patchViewSettings(VIEW, { max: msArg(a) })) },
];

/** Inter-spike-interval histograms of the selected clusters (phy's ISIView, 0–50 ms, all spikes). */
export default function ISIView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  const [settings] = useViewSettings(VIEW, ISI_DEFAULTS);
  useViewCommands(ISI_COMMANDS);
  const { state, data, error, generation: g } = useViewData<HistogramData>(
    (signal) => (selected.length === 0 || !dataset ? null : backend.viewData.isi({ clusterIds: selected, binSize: settings.binSize, max: settings.max }, signal)),
    [backend, dataset, selected.join(','), settings.binSize, settings.max, generation],
  );
  const placeholder = !dataset ? PLACEHOLDER.noClusters : selected.length === 0 ? PLACEHOLDER.select : null;
  return (
    <ViewFrame view={VIEW} viewId={viewId} state={state} generation={g} placeholder={placeholder} error={error} status={`[0 ms, ${settings.max * 1000} ms], bin ${settings.binSize * 1000} ms`}>
      <HistogramStack data={data} xScale={1000} xUnit="ms" yUnit="ISIs" />
    </ViewFrame>
  );
}
