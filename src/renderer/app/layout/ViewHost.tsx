/**
 * Renders one catalog view inside its dock element: lazy loading (Suspense) and an error
 * boundary, so a view that throws shows its error in place (data-state="error") and the rest
 * of the window keeps working. At opening, the cluster tables come first (startupGate.ts).
 */
import { Component, Suspense, type ErrorInfo, type ReactNode } from 'react';
import { viewEntry } from '../../views/catalog';
import { useStartupGate } from '../../store/startupGate';

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
  const shown = useStartupGate(type);
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
