import { useEffect, useState, type ReactNode } from 'react';
import type { ViewDataState } from './useViewData';
import { PlotViewTypeContext } from '../plot/PlotCanvas';

/** The standard "nothing to draw" messages, so every view says the same thing the same way. */
export const PLACEHOLDER = {
  select: 'Select a cluster to show it here.',
  noRaw: 'No raw data: this view needs the recording (dat_path in params.py, or an analyzer\'s binary recording.json).',
  noFeatures: 'No features: this dataset has no PC features (pc_features.npy, or an analyzer\'s principal_components).',
  noClusters: 'No clusters to show.',
} as const;

export interface ViewFrameProps {
  /** View type, e.g. `WaveformView` (the `data-view` attribute tests and tools rely on). */
  view: string;
  viewId?: string;
  state: ViewDataState;
  generation: number;
  /** Shown instead of the plot (the plot stays mounted underneath, so WebGL is not recreated). */
  placeholder?: string | null;
  error?: string | null;
  /** Small controls at the right of the status line. */
  toolbar?: ReactNode;
  /** One status line at the bottom (phy: "waveforms high_pass", "channels: 2, 5"). */
  status?: ReactNode;
  children: ReactNode;
}

/** Delay before a loading indicator appears: switches faster than this show no spinner at all. */
const LOADING_DELAY_MS = 250;

/**
 * The container of every plot view: the `data-view` / `data-state` / `data-generation`
 * contract, a toolbar, a status line, placeholders and a delayed, unobtrusive loading mark
 * (the previous picture stays visible while the next one loads: no flashing).
 */
export function ViewFrame({ view, viewId, state, generation, placeholder, error, toolbar, status, children }: ViewFrameProps) {
  const shownState: ViewDataState = placeholder ? 'empty' : state;
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (shownState !== 'loading') {
      setSlow(false);
      return;
    }
    const t = setTimeout(() => setSlow(true), LOADING_DELAY_MS);
    return () => clearTimeout(t);
  }, [shownState]);

  return (
    <div
      className="view-frame"
      data-view={view}
      data-view-id={viewId}
      data-state={shownState}
      data-generation={generation}
      style={{ position: 'relative', width: '100%', height: '100%', display: 'flex', flexDirection: 'column', background: 'var(--plot-bg, #000)', color: 'var(--plot-fg, #ccc)', overflow: 'hidden' }}
    >
      <div className="view-frame-body" style={{ position: 'relative', flex: '1 1 auto', minHeight: 0 }}>
        <PlotViewTypeContext.Provider value={view}>{children}</PlotViewTypeContext.Provider>
        {placeholder ? (
          <div
            className="view-placeholder"
            role="note"
            style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, textAlign: 'center', color: 'var(--fg-muted, #8b919c)', background: 'var(--plot-bg, #000)', fontSize: 13 }}
          >
            {placeholder}
          </div>
        ) : null}
        {!placeholder && state === 'error' ? (
          <div role="alert" style={{ position: 'absolute', left: 8, right: 8, top: 8, padding: '6px 8px', borderRadius: 4, background: 'rgba(120,20,20,0.85)', color: '#fff', fontSize: 12 }}>
            {error ?? 'This view could not be drawn.'}
          </div>
        ) : null}
        {slow && !placeholder ? (
          <div className="view-loading" aria-live="polite" style={{ position: 'absolute', right: 8, bottom: 6, fontSize: 11, color: 'var(--fg-muted, #8b919c)', pointerEvents: 'none' }}>
            loading…
          </div>
        ) : null}
      </div>
      {(status !== undefined && status !== null) || toolbar ? (
        <div className="view-statusbar" style={{ flex: '0 0 auto', display: 'flex', alignItems: 'center', gap: 8, padding: '2px 6px 2px 8px', minHeight: 22 }}>
          {/*
            Beside a toolbar the status has two lines, always (a cut status, "refract…", hid the
            very setting it names; a status that wrapped only when long resized the plot under
            the pointer mid-lasso). Alone it has the width for one; the full text is its tooltip.
          */}
          <div
            className="view-status"
            title={typeof status === 'string' ? status : undefined}
            style={{
              flex: '1 1 auto',
              minWidth: 0,
              fontSize: 12,
              lineHeight: '18px',
              color: 'var(--plot-fg, #ccc)',
              overflow: 'hidden',
              ...(toolbar ? { height: 36, display: '-webkit-box', WebkitBoxOrient: 'vertical', WebkitLineClamp: 2, overflowWrap: 'anywhere' } : { whiteSpace: 'nowrap', textOverflow: 'ellipsis' }),
            }}
          >
            {status}
          </div>
          {toolbar ? (
            <div className="view-toolbar" style={{ flex: '0 0 auto', display: 'flex', gap: 4, alignItems: 'center' }}>
              {toolbar}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** A compact toolbar button (toggle-able). */
export function ToolButton({ label, title, active, onClick }: { label: ReactNode; title: string; active?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      title={title}
      aria-pressed={active}
      onClick={onClick}
      onPointerDown={(e) => e.stopPropagation()}
      style={{
        font: '11px var(--font-ui, sans-serif)',
        padding: '1px 6px',
        borderRadius: 3,
        border: '1px solid var(--border, #33373f)',
        background: active ? 'var(--accent, #3d8bfd)' : 'var(--bg-elevated, rgba(30,32,38,0.85))',
        color: active ? 'var(--accent-fg, #fff)' : 'var(--fg, #ddd)',
        cursor: 'pointer',
      }}
    >
      {label}
    </button>
  );
}
