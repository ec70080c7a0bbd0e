/**
 * The root: asks the backend whether a dataset is open, then shows the start screen or the
 * curation workspace; applies and persists the theme.
 */
import { useEffect, useState } from 'react';
import type { DatasetSummary } from '../../shared/ipc/contract';
import { appStore, useAppStore } from '../store/appStore';
import { initialAppState, type AppState } from '../store/AppState';
import { useBackend } from '../store/BackendContext';
import { loadSavedLabelRules } from '../store/labelRules';
import { StartScreen } from './StartScreen';
import { Toasts } from './Toasts';
import { Workspace } from './Workspace';

const THEME_KEY = 'spikedock.theme';
const ANTIALIAS_KEY = 'spikedock.antialias';
const selectAntialias = (s: AppState) => s.ui.antialias;
const selectTheme = (s: AppState) => s.ui.theme;
const selectDatasetPath = (s: AppState) => s.dataset?.path ?? null;

function openDataset(summary: DatasetSummary) {
  appStore.update((d) => {
    const fresh = initialAppState();
    if (d.dataset?.path !== summary.path) {
      d.clusters = fresh.clusters;
      d.generation = fresh.generation;
      d.session = fresh.session;
      d.selection = fresh.selection;
      d.similar = fresh.similar;
      d.filter = fresh.filter;
      d.lasso = null;
      d.traceTime = 0;
      d.quality = fresh.quality;
    }
    d.dataset = summary as typeof d.dataset;
    for (const diag of summary.diagnostics) {
      d.messages.push({ id: Math.min(0, ...d.messages.map((m) => m.id)) - 1, level: diag.severity === 'error' ? 'error' : diag.severity === 'warning' ? 'warning' : 'info', text: diag.message });
    }
  }, { capture: 'none' });
}

export function App() {
  const backend = useBackend();
  const theme = useAppStore(selectTheme);
  const datasetPath = useAppStore(selectDatasetPath);
  const [checked, setChecked] = useState(false);
  const [fatal, setFatal] = useState<string | null>(null);

  const antialias = useAppStore(selectAntialias);
  useEffect(() => {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') appStore.update((d) => void (d.ui.theme = saved), { capture: 'none' });
    const aa = localStorage.getItem(ANTIALIAS_KEY);
    if (aa === 'on' || aa === 'off') appStore.update((d) => void (d.ui.antialias = aa), { capture: 'none' });
  }, []);

  useEffect(() => {
    if (antialias === 'auto') localStorage.removeItem(ANTIALIAS_KEY);
    else localStorage.setItem(ANTIALIAS_KEY, antialias);
  }, [antialias]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);

  useEffect(() => {
    // The dataset's saved label rules become the active ones (ClusterView and MetricsView colour cells by them).
    const opened = (summary: DatasetSummary) => {
      openDataset(summary);
      void loadSavedLabelRules(appStore, backend);
    };
    const off = backend.on('onDidOpenDataset', opened);
    backend.app.current().then(
      (summary) => {
        if (summary) opened(summary);
        setChecked(true);
      },
      (e: unknown) => setFatal(e instanceof Error ? e.message : String(e)),
    );
    return off;
  }, [backend]);

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>spikedock cannot talk to its backend</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  if (!checked) return <div className="splash" data-state="loading" aria-busy="true" />;
  return datasetPath ? (
    <Workspace key={datasetPath} />
  ) : (
    <>
      <StartScreen onOpened={openDataset} />
      <Toasts />
    </>
  );
}
