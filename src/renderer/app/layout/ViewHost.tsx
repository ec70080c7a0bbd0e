/**
 * Renders one catalog view inside its dock element: lazy loading (Suspense) and an error
 * boundary, so a view that throws shows its error in place (data-state="error") and the rest
 * of the window keeps working. At opening, the cluster tables come first: plot views (their
 * WebGL code and contexts cost hundreds of ms on a slow machine) mount once the ClusterView
 * has its rows on screen, so the curator can start working while the plots load.
 */
import { Component, Suspense, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { viewEntry } from '../../views/catalog';
import { appStore } from '../../store/appStore';
import type { AppState } from '../../store/AppState';

/** Views mounted at once at opening; the others wait for the table's first frame. */
const FIRST = new Set(['ClusterView', 'SimilarityView']);

let tablesShown = false;

/** True once the cluster table of the open dataset has been drawn (or there is nothing to draw). */
function useTablesShown(type: string): boolean {
  const [shown, setShown] = useState(() => tablesShown || FIRST.has(type));
  useEffect(() => {
    if (shown) return;
    let frame = 0;
    const ready = (s: AppState) => s.dataset !== null && (s.clusters.length > 0 || s.dataset.nClusters === 0);
    const afterPaint = () => {
      // Two frames: the one that draws the rows, then ours.
      frame = requestAnimationFrame(() => {
        frame = requestAnimationFrame(() => {
          tablesShown = true;
          setShown(true);
        });
      });
    };
    if (tablesShown) {
      setShown(true);
      return;
    }
    if (ready(appStore.getState())) afterPaint();
    const off = appStore.subscribe(() => {
      if (!frame && ready(appStore.getState())) afterPaint();
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
    };
  }, [shown]);
  return shown;
}

class ViewErrorBoundary extends Component<{ type: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.type} crashed`, error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="view-message" data-view={this.props.type} data-state="error" data-generation={0} role="alert">
          <strong>{this.props.type} stopped working.</strong>
          <span>{this.state.error.message}</span>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Reload view
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}

export function ViewHost({ type, viewId }: { type: string; viewId: string }) {
  const entry = viewEntry(type);
  const shown = useTablesShown(type);
  if (!entry) {
    return (
      <div className="view-message" data-view={type} data-state="error" data-generation={0}>
        Unknown view “{type}”.
      </div>
    );
  }
  const View = entry.component;
  if (!shown) {
    return (
      <div className="view-message" data-view={type} data-state="loading" data-generation={0}>
        Loading {entry.title}…
      </div>
    );
  }
  return (
    <ViewErrorBoundary type={type}>
      <Suspense
        fallback={
          <div className="view-message" data-view={type} data-state="loading" data-generation={0}>
            Loading {entry.title}…
          </div>
        }
      >
        <View viewId={viewId} />
      </Suspense>
    </ViewErrorBoundary>
  );
}
