/**
 * The opening order: the cluster tables first, then the plot views. A plot view's WebGL context
 * and code cost 100+ ms each on a slow or GPU-less machine; mounting a dozen of them before the
 * ClusterView shows its rows would keep the curator waiting for the one view they start with.
 * ClusterView opens the gate once its rows are committed; a timer opens it anyway (a layout
 * without ClusterView, an empty dataset).
 */
import { useEffect, useState } from 'react';

/** Views that never wait. */
export const FIRST_VIEWS = new Set(['ClusterView', 'SimilarityView']);
/** The gate opens by itself this long after the first view waited on it. */
const FALLBACK_MS = 1500;

let open = false;
const waiting = new Set<() => void>();
let fallback: ReturnType<typeof setTimeout> | undefined;

function release(): void {
  if (open) return;
  open = true;
  clearTimeout(fallback);
  for (const w of [...waiting]) w();
  waiting.clear();
}

/** ClusterView: its rows are in the DOM; the gate opens after the frame that draws them. */
export function markTablesShown(): void {
  if (open) return;
  requestAnimationFrame(() => requestAnimationFrame(release));
}

/** Whether a view of `type` may mount now (re-renders the caller when the gate opens). */
export function useStartupGate(type: string): boolean {
  const [ready, setReady] = useState(() => open || FIRST_VIEWS.has(type));
  useEffect(() => {
    if (ready) return;
    if (open) {
      setReady(true);
      return;
    }
    const wake = () => setReady(true);
    waiting.add(wake);
    fallback ??= setTimeout(release, FALLBACK_MS);
    return () => void waiting.delete(wake);
  }, [ready]);
  return ready;
}
