/**
 * Non-blocking messages (diagnostics, errors, autosave, "nothing to undo"): bottom-right, they
 * go away by themselves (info 4 s, warnings 8 s, errors 12 s) or with their close button.
 */
import { useEffect } from 'react';
import { appStore, useAppStore } from '../store/appStore';
import type { AppState, Toast } from '../store/AppState';

const LIFETIME_MS: Record<Toast['level'], number> = { info: 4000, warning: 8000, error: 12000 };

const selectMessages = (s: AppState) => s.messages;

function dismiss(id: number) {
  appStore.update((d) => {
    d.messages = d.messages.filter((m) => m.id !== id);
  }, { capture: 'none' });
}

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.level]);
    return () => clearTimeout(t);
  }, [toast.id, toast.level]);
  return (
    <div className={`toast ${toast.level}`} data-level={toast.level} role={toast.level === 'error' ? 'alert' : undefined}>
      <span className="toast-icon" aria-hidden="true">
        {toast.level === 'error' ? '✕' : toast.level === 'warning' ? '!' : 'i'}
      </span>
      <span className="toast-text">{toast.text}</span>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const messages = useAppStore(selectMessages);
  return (
    <div className="toasts" aria-live="polite">
      {messages.map((m) => (
        <ToastItem key={m.id} toast={m} />
      ))}
    </div>
  );
}
