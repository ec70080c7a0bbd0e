/**
 * Help overlay (h, F1): every command with its keys and snippet, grouped by menu/view and
 * searchable; any shortcut can be remapped here (click it, press the new keys) and reset.
 * Remaps persist per user (localStorage).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Command } from '../../store/Command';
import { useCommandRegistry } from '../../commands/CommandsContext';
import { eventToKeys, formatKeys } from '../../commands/keys';
import { isMacPlatform } from '../../commands/useKeyboard';
import { closeOverlay } from './closeOverlay';

function groupOf(c: Command): string {
  return c.view ?? c.menu ?? 'Snippets';
}

const ORDER = ['File', 'Edit', 'Select', 'View', 'Help'];

export function HelpOverlay() {
  const registry = useCommandRegistry();
  const [query, setQuery] = useState('');
  const [recording, setRecording] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (recording) {
        e.preventDefault();
        e.stopPropagation();
        if (e.key === 'Escape') {
          setRecording(null);
          return;
        }
        const keys = eventToKeys(e, isMacPlatform());
        if (!keys) return;
        if (e.key === 'Backspace' && !e.ctrlKey && !e.altKey && !e.shiftKey && !e.metaKey && registry.keysOf(recording).length) {
          registry.setKeys(recording, []);
        } else registry.setKeys(recording, [keys]);
        setRecording(null);
        return;
      }
      if (e.key === 'Escape' || ((e.key === 'h' || e.key === 'F1') && e.target === document.body)) {
        e.preventDefault();
        e.stopPropagation();
        closeOverlay();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [recording, registry]);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = registry
      .list()
      .filter((c) => !q || c.title.toLowerCase().includes(q) || c.id.toLowerCase().includes(q) || registry.keysOf(c.id).some((k) => k.includes(q)) || c.snippets?.some((s) => s.includes(q)));
    const map = new Map<string, Command[]>();
    for (const c of list) {
      const g = groupOf(c);
      map.set(g, [...(map.get(g) ?? []), c]);
    }
    return [...map.entries()].sort(([a], [b]) => {
      const ia = ORDER.indexOf(a);
      const ib = ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    // registry identity is stable; keys/commands changes re-render through useCommandRegistry.
  }, [registry, query, registry.getVersion()]);

  const remapped = Object.keys(registry.keymap()).length;

  return (
    <div className="overlay-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeOverlay()}>
      <div className="overlay help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
        <header className="overlay-header">
          <h2>Keyboard shortcuts</h2>
          <input ref={inputRef} type="search" placeholder="Search commands, keys, snippets…" aria-label="Search shortcuts" value={query} onChange={(e) => setQuery(e.target.value)} />
          {remapped ? (
            <button type="button" className="link" onClick={() => registry.setKeymap({})}>
              Reset {remapped} remap{remapped > 1 ? 's' : ''}
            </button>
          ) : null}
          <button type="button" className="overlay-close" aria-label="Close" onClick={closeOverlay}>
            ×
          </button>
        </header>
        <p className="overlay-hint">
          Click a shortcut to remap it (press the new keys; Backspace removes, Esc cancels). Type <kbd>:</kbd> for snippets such as <code>:c 3 7</code>, <code>:f n_spikes &gt; 1000</code>, <code>:move good all</code>; <kbd>Ctrl+Shift+P</kbd> opens the command palette.
        </p>
        <p className="overlay-hint" data-help="review">
          A cluster counts as <b>reviewed</b> once you label it here (good, mua, noise, unsorted or a custom label) or mark it reviewed (<code>:reviewed</code>); groups that came with the dataset&apos;s files do not count. The status bar and the start screen show this same number. The wizard skips clusters labelled mua or noise (Select → Skip noise and MUA) and the status bar says which it skipped.
        </p>
        <p className="overlay-hint" data-help="label-rules">
          <b>Label by rules</b> (<kbd>Alt+L</kbd>, <code>:rules</code>, Edit menu) labels clusters by thresholds on their quality metrics — by default Bombcell&apos;s classification: <b>noise</b> (more than 2 positive or 1 negative peaks, peak-to-valley outside 0.1–1.15 ms), <b>non-somatic</b> (the peak after the trough over 0.8 × the trough), <b>mua</b> (snr under 5, amplitude cutoff over 0.2, under 300 spikes, rp contamination over 0.1, presence ratio under 0.7, drift over 100 µm), <b>good</b> otherwise. The dialog shows how many clusters each label would get before you apply; only unlabelled clusters are labelled unless you tick &quot;relabel&quot;. It is one action: <kbd>Ctrl+Z</kbd> restores every previous group. Rule labels do not count as reviewed. Rules files: <code>spikedock label --rules</code>.
        </p>
        <p className="overlay-hint" data-help="merge-preview">
          <b>Merge preview</b>: with two clusters or more selected, CorrelogramView&apos;s <b>merged</b> row shows the auto-correlogram of their union and whether merging them keeps the refractory dip or worsens contamination (SpikeInterface&apos;s <code>rp_contamination</code> of the union against its parts&apos;), with the union&apos;s metrics beside each cluster&apos;s; the status bar says the same in one line. Press <kbd>g</kbd> to merge.
        </p>
        <p className="overlay-hint" data-help="proposals">
          <b>Split proposals</b>: a clean-up tool first shows what it would do — its parts in the selection colours in FeatureView, WaveformView, AmplitudeView, CorrelogramView, ISIView and FiringRateView — and the status bar names them: <kbd>K</kbd> accepts (one split, undone by <kbd>Ctrl+Z</kbd>), <kbd>Esc</kbd> leaves it. <b>Re-cluster</b> (<kbd>R</kbd>, <code>:recluster 3</code> to force 3 parts) fits a Gaussian mixture to the selected cluster&apos;s PC features and amplitudes, the number of parts chosen by BIC (1–6), in the background; a focused plot&apos;s reset (phy&apos;s <kbd>R</kbd>) is <kbd>Shift+R</kbd> here. <b>Early vs late</b> (<kbd>E</kbd>, a key phy does not use; <code>:epochs 3</code> for 3 or 4 epochs) shows the selected clusters cut into consecutive time epochs of equal spike counts, as if they were clusters: did the unit drift or change? It is a view only, nothing to accept.
        </p>
        <p className="overlay-hint" data-help="cleanup-tools">
          <b>Clean-up tools</b> (proposals too, on every spike of the cluster): <b>amplitude threshold</b> — <kbd>Alt</kbd> + right-drag in AmplitudeView sets a horizontal line (template or feature amplitudes); the spikes below it become a part of their own (<code>:threshold 40</code> types it). <b>Remove outliers…</b> (Edit, <code>:outliers 0.999</code>) — the spikes farther from the cluster&apos;s centre in PC space (Mahalanobis distance on its 4 best channels) than the χ² 99.9 % quantile; their new cluster is labelled noise. <b>Remove duplicate spikes</b> (Edit, <code>:duplicates 0.2</code>) — spikes at most 0.2 ms after the previous one of the cluster (Kilosort&apos;s double detections), or, with two clusters selected, the second&apos;s spikes within 0.2 ms of one of the first&apos;s; CorrelogramView shows the count as <b>dup N</b> beside each ACG&apos;s centre bin.
        </p>
        <p className="overlay-hint" data-help="drift-view">
          <b>DriftView</b> (a tab beside AmplitudeView) draws every spike&apos;s depth against time as a density image — from <code>spike_positions.npy</code> when the sorter wrote it, else each spike&apos;s template position — with the selected clusters&apos; spikes on top in their colours: did the probe or a unit move? Drag pans, the wheel zooms (the visible part is binned again, finer), <kbd>Shift+R</kbd> or a double-click resets; clicking a drawn spike selects its cluster, clicking the density selects the cluster with most spikes near the click (<kbd>Shift</kbd>+click adds).
        </p>
        <div className="help-groups">
          {groups.map(([group, cmds]) => (
            <section key={group} className="help-group">
              <h3>{group}</h3>
              <table>
                <tbody>
                  {cmds.map((c) => {
                    const keys = registry.keysOf(c.id);
                    const changed = registry.keymap()[c.id] !== undefined;
                    return (
                      <tr key={c.id} data-command={c.id}>
                        <td className="help-title">{c.title}</td>
                        <td className="help-keys">
                          <button type="button" className={'keys-button' + (recording === c.id ? ' recording' : '') + (changed ? ' changed' : '')} title="Click to remap" onClick={() => setRecording(c.id)}>
                            {recording === c.id ? 'press keys…' : keys.length ? keys.map((k) => <kbd key={k}>{formatKeys(k)}</kbd>) : <span className="muted">—</span>}
                          </button>
                          {changed ? (
                            <button type="button" className="link small" onClick={() => registry.setKeys(c.id, null)} title="Restore the default keys">
                              default
                            </button>
                          ) : null}
                        </td>
                        <td className="help-snippet">{c.snippets?.length ? <code>:{c.snippets[0]}{c.snippetArgs ? ` ${c.snippetArgs}` : ''}</code> : null}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
