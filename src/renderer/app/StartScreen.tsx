/**
 * Shown when no dataset is open: the recently opened datasets (double-click or Enter opens one)
 * and a path field for any Kilosort/phy folder, params.py, .kwik file, SpikeInterface analyzer folder or .nwb file on the backend's machine.
 * When the last open failed (a command line naming a folder that is not a dataset), it says why.
 */
import { useEffect, useState } from 'react';
import { openFailureText, type DatasetSummary, type RecentDataset } from '../../shared/ipc/contract';
import { useBackend } from '../store/BackendContext';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

export function StartScreen({ onOpened }: { onOpened: (summary: DatasetSummary) => void }) {
  const backend = useBackend();
  const [recent, setRecent] = useState<RecentDataset[] | null>(null);
  const [version, setVersion] = useState('');
  const [path, setPath] = useState('');
  const [active, setActive] = useState(0);
  const [opening, setOpening] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backend.app.recentDatasets().then(setRecent, () => setRecent([]));
    backend.app.version().then(setVersion, () => undefined);
    // `spikedock serve <folder>` on something that is not a dataset lands here: say why, as the CLI did.
    backend.app.openFailure().then((f) => {
      if (f) setError((shown) => shown ?? openFailureText(f));
    }, () => undefined);
  }, [backend]);

  const open = async (p: string) => {
    if (!p.trim() || opening) return;
    setOpening(p);
    setError(null);
    try {
      onOpened(await backend.app.openDataset(p.trim()));
    } catch (e) {
      setError(openFailureText({ path: p.trim(), message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setOpening(null);
    }
  };

  return (
    <main className="start" data-view="StartScreen" data-state={recent === null ? 'loading' : 'ready'} data-generation={0}>
      <div className="start-card">
        <header className="start-header">
          <div className="logo" aria-hidden="true">
            <svg viewBox="0 0 32 32" width="34" height="34">
              <path d="M2 18 H9 L12 6 L16 27 L19 14 L21 18 H30" fill="none" stroke="var(--accent)" strokeWidth="2.4" strokeLinejoin="round" strokeLinecap="round" />
            </svg>
          </div>
          <div>
            <h1>spikedock</h1>
            <p className="muted">Manual curation of spike-sorting results {version ? `· v${version}` : ''}</p>
          </div>
        </header>
        <form
          className="start-open"
          onSubmit={(e) => {
            e.preventDefault();
            void open(path);
          }}
        >
          <input aria-label="Dataset path" placeholder="/path/to/kilosort-output  ·  params.py  ·  file.kwik  ·  analyzer folder  ·  file.nwb" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
          <button type="submit" className="primary" disabled={!path.trim() || opening !== null}>
            Open
          </button>
        </form>
        {error ? (
          <p className="start-error" role="alert">
            {error}
          </p>
        ) : null}
        <h2>Recent datasets</h2>
        {recent === null ? (
          <p className="muted">Loading…</p>
        ) : recent.length === 0 ? (
          <p className="muted">No dataset opened yet. Enter the path of a Kilosort/phy folder above, or start with `spikedock serve &lt;folder&gt;`.</p>
        ) : (
          <ul className="recent" role="listbox" aria-label="Recent datasets">
            {recent.map((r, i) => (
              <li
                key={r.path}
                role="option"
                aria-selected={i === active}
                tabIndex={i === active ? 0 : -1}
                className={'recent-item' + (i === active ? ' active' : '')}
                onClick={() => setActive(i)}
                onDoubleClick={() => void open(r.path)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void open(r.path);
                  else if (e.key === 'ArrowDown') setActive(Math.min(i + 1, recent.length - 1));
                  else if (e.key === 'ArrowUp') setActive(Math.max(i - 1, 0));
                  else return;
                  e.preventDefault();
                  (e.currentTarget.parentElement?.children[e.key === 'ArrowDown' ? Math.min(i + 1, recent.length - 1) : e.key === 'ArrowUp' ? Math.max(i - 1, 0) : i] as HTMLElement | undefined)?.focus();
                }}
              >
                <div className="recent-main">
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-format">{r.format}</span>
                  {opening === r.path ? <span className="spinner" aria-label="opening" /> : null}
                </div>
                <div className="recent-path muted">{r.path}</div>
                <div className="recent-meta muted">
                  {r.nClusters !== undefined ? `${r.nClusters} clusters` : ''}
                  {r.nSpikes !== undefined ? ` · ${r.nSpikes.toLocaleString('en-US')} spikes` : ''}
                  {r.reviewed !== undefined && r.nClusters ? ` · ${r.reviewed}/${r.nClusters} reviewed` : ''}
                  {` · opened ${when(r.openedAt)}`}
                </div>
              </li>
            ))}
          </ul>
        )}
        <p className="start-footer muted">
          Press <kbd>F1</kbd> in the curation window for every shortcut. Your curation is journalled as you work: nothing is lost if the window closes.
        </p>
      </div>
    </main>
  );
}
