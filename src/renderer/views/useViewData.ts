import { useEffect, useRef, useState } from 'react';

export type ViewDataState = 'loading' | 'ready' | 'empty' | 'error';

export interface ViewData<T> {
  state: ViewDataState;
  /** The latest result; kept while a newer request loads, so views never flash blank. */
  data: T | null;
  error: string | null;
  /** Generation of the data shown (the result's `generation` if it has one, else a request count). */
  generation: number;
}

/**
 * Fetches a view's data, latest wins (GUIDE §2): a change of `deps` aborts the previous request
 * (its AbortSignal fires) and a result that arrives after a newer request started is dropped.
 * `fetch` resolving `null` means "nothing to show" (state `empty`, e.g. no cluster selected).
 */
export function useViewData<T>(fetch: (signal: AbortSignal) => Promise<T | null> | null, deps: readonly unknown[]): ViewData<T> {
  const [result, setResult] = useState<ViewData<T>>({ state: 'loading', data: null, error: null, generation: 0 });
  const requestId = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  useEffect(() => {
    const id = ++requestId.current;
    const controller = new AbortController();
    const promise = fetchRef.current(controller.signal);
    if (promise === null) {
      setResult((r) => ({ state: 'empty', data: null, error: null, generation: r.generation }));
      return () => controller.abort();
    }
    setResult((r) => (r.state === 'loading' ? r : { ...r, state: 'loading', error: null }));
    promise.then(
      (data) => {
        if (id !== requestId.current || controller.signal.aborted) return;
        const gen = data && typeof (data as { generation?: unknown }).generation === 'number' ? (data as unknown as { generation: number }).generation : id;
        setResult({ state: data === null ? 'empty' : 'ready', data, error: null, generation: gen });
      },
      (err: unknown) => {
        if (id !== requestId.current || controller.signal.aborted) return;
        if (err instanceof Error && err.name === 'AbortError') return;
        setResult((r) => ({ state: 'error', data: r.data, error: err instanceof Error ? err.message : String(err), generation: r.generation }));
      },
    );
    return () => controller.abort();
    // The caller lists what the request depends on, as with useEffect.
  }, deps);

  return result;
}
