import type { HistogramData } from '../../../shared/ipc/contract';
import { useAppStore, useBackend, useViewClusterIds } from '../../store';
import type { Command } from '../../store/Command';
import { ViewFrame, PLACEHOLDER } from '../ViewFrame';
import { useViewData } from '../useViewData';
import { useViewSettings, patchViewSettings } from '../../store/viewSettings';
import { useViewCommands } from '../useViewCommands';
import { HistogramStack } from '../HistogramStack';

const VIEW = 'FiringRateView';

export interface FiringRateSettings {
  nBins: number;
}

export const FIRING_RATE_DEFAULTS: FiringRateSettings = { nBins: 200 };

export const FIRING_RATE_COMMANDS: Command[] = [
  {
    id: 'firingRate.nBins',
    title: 'Firing-rate bins',
    snippets: ['frn'],
    snippetArgs: '<n>',
    view: VIEW,
    perform: (_c, a) => {
      const n = Number.parseInt(a[0] ?? '', 10);
      if (n > 0) patchViewSettings(VIEW, { nBins: Math.min(5000, n) });
    },
  },
];

/** Firing rate over the recording per selected cluster (phy's FiringRateView, 200 bins, all spikes). */
export default function FiringRateView({ viewId }: { viewId: string }) {
  const backend = useBackend();
  const dataset = useAppStore((s) => s.dataset);
  const generation = useAppStore((s) => s.generation);
  // The selection, with a split proposal's parts in place of their cluster (viewClusterIds).
  const selected = useViewClusterIds();
  const [settings] = useViewSettings(VIEW, FIRING_RATE_DEFAULTS);
  useViewCommands(FIRING_RATE_COMMANDS);
  const { state, data, error, generation: g } = useViewData<HistogramData>(
    (signal) => (selected.length === 0 || !dataset ? null : backend.viewData.firingRate({ clusterIds: selected, nBins: settings.nBins }, signal)),
    [backend, dataset, selected.join(','), settings.nBins, generation],
  );
  const placeholder = !dataset ? PLACEHOLDER.noClusters : selected.length === 0 ? PLACEHOLDER.select : null;
  return (
    <ViewFrame view={VIEW} viewId={viewId} state={state} generation={g} placeholder={placeholder} error={error} status={`[0 s, ${(dataset?.duration ?? 0).toFixed(1)} s], ${settings.nBins} bins`}>
      <HistogramStack data={data} xScale={1} xUnit="s" yUnit="Hz" />
    </ViewFrame>
  );
}
