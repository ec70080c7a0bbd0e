/**
 * Prefetch of the wizard's next selection: once the views have what they asked for, the backend
 * computes the same view data for the selection the curator will probably look at next (the
 * next best cluster, or the next similar one when they were walking the similar list), so that
 * the next keypress is served from the cache. phy computes nothing ahead; its users wait at
 * every click.
 */
import { useEffect, useMemo } from 'react';
import type { BackendClient } from '../backend/BackendClient';
import { appStore, useAppStore } from '../store/appStore';
import type { AppState } from '../store/AppState';
import { wizardNext } from './wizard';

/** Polling step while the views' own requests are still in flight, ms. */
const IDLE_POLL_MS = 40;

/** The selection to prefetch after `s`, as the views will ask for it (best then similar ids); null when none. */
export function predictedSelection(s: AppState): number[] | null {
  const best = s.selection.clusterIds[s.selection.clusterIds.length - 1];
  if (best === undefined) return null;
  if (s.wizardDirection === 'nextSimilar' && (s.similar.clusterId !== best || s.similar.loading)) return null;
  const next = wizardNext(s, s.wizardDirection);
  if (!next) return null;
  const ids = [...next.clusterIds, ...next.similarIds];
  return ids.length ? ids : null;
}

const selectSelection = (s: AppState) => s.selection;

/**
 * Prefetches the predicted next selection whenever the views of the current one are served.
 * A component of its own (render it once in the workspace) so that selection changes re-render
 * nothing else.
 */
export function PrefetchNext({ backend }: { backend: BackendClient }): null {
  const selection = useAppStore(selectSelection);
  // Render time of this selection: the views' requests for it are sent after this.
  const selectedAt = useMemo(() => performance.now(), [selection]);
  useEffect(() => {
    if (selection.clusterIds.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const tick = () => {
      // Wait until the views have asked for this selection (at startup their code is still
      // loading) and every answer is in.
      const { lastStartedAt, inFlight } = backend.viewDataActivity();
      if (lastStartedAt < selectedAt || inFlight > 0) {
        timer = setTimeout(tick, IDLE_POLL_MS);
        return;
      }
      // Let the views draw first: on a software renderer the frame needs both cores, and a
      // prefetch started now would slow down the very switch the curator is waiting for.
      frame = requestAnimationFrame(() => {
        frame = requestAnimationFrame(() => {
          timer = setTimeout(() => {
            const ids = predictedSelection(appStore.getState());
            if (ids) backend.viewData.prefetch({ clusterIds: ids }).catch(() => undefined);
          }, 0);
        });
      });
    };
    timer = setTimeout(tick, IDLE_POLL_MS);
    return () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  }, [selection, selectedAt, backend]);
  return null;
}
