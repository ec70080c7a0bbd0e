/**
 * Command palette (ctrl+shift+p): type to filter every command by title, id or snippet;
 * arrows choose, Enter runs. Typing `:` turns it into the snippet bar.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCommandRegistry, useRunCommand } from '../../commands/CommandsContext';
import { formatKeys } from '../../commands/keys';
import { appStore } from '../../store/appStore';
import { closeOverlay } from './closeOverlay';

function score(text: string, q: string): number {
  const t = text.toLowerCase();
  if (t.startsWith(q)) return 3;
  if (t.split(/[\s._]+/).some((w) => w.startsWith(q))) return 2;
  if (t.includes(q)) return 1;
  // Subsequence match ("mrg" → "merge").
  let i = 0;
  for (const ch of t) if (ch === q[i]) i++;
  return i === q.length ? 0.5 : 0;
}

export function CommandPalette() {
  const registry = useCommandRegistry();
  const run = useRunCommand();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const state = appStore.getState();
  const results = useMemo(() => {
    const q = query.trim().toLowerCase();
    return registry
      .list()
      .filter((c) => !c.hidden || q)
      .map((c) => ({ c, s: q ? Math.max(score(c.title, q), score(c.id, q) * 0.9, ...(c.snippets ?? []).map((x) => (x === q ? 2.5 : 0))) : 1 }))
      .filter((r) => r.s > 0)
      .sort((a, b) => b.s - a.s || a.c.title.localeCompare(b.c.title))
      .slice(0, 60)
      .map((r) => r.c);
  }, [registry, query]);

  const choose = (i: number) => {
    const c = results[i];
    if (!c) return;
    closeOverlay();
    void run(c.id);
  };

  return (
    <div className="overlay-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeOverlay()}>
      <div className="overlay palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={results[active] ? `palette-${results[active].id}` : undefined}
          placeholder="Type a command…  (: for snippets)"
          value={query}
          onChange={(e) => {
            const v = e.target.value;
            if (v.startsWith(':')) {
              appStore.update((d) => {
                d.ui.overlay = 'snippet';
                d.ui.snippetInitial = v.slice(1);
              }, { capture: 'none' });
              return;
            }
            setQuery(v);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') closeOverlay();
            else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') choose(active);
            else return;
            e.preventDefault();
            e.stopPropagation();
          }}
        />
        <ul id="palette-list" role="listbox" className="palette-list">
          {results.map((c, i) => {
            const enabled = !c.predicate || c.predicate(state);
            const keys = registry.keysOf(c.id);
            return (
              <li
                key={c.id}
                id={`palette-${c.id}`}
                role="option"
                aria-selected={i === active}
                aria-disabled={!enabled}
                className={'palette-item' + (i === active ? ' active' : '') + (enabled ? '' : ' disabled')}
                onMouseEnter={() => setActive(i)}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(i);
                }}
              >
                <span className="palette-title">
                  {c.view ? <span className="muted">{c.view}: </span> : c.menu ? <span className="muted">{c.menu}: </span> : null}
                  {c.title}
                </span>
                <span className="palette-keys">
                  {c.snippets?.[0] ? <code>:{c.snippets[0]}</code> : null}
                  {keys.map((k) => (
                    <kbd key={k}>{formatKeys(k)}</kbd>
                  ))}
                </span>
              </li>
            );
          })}
          {results.length === 0 ? <li className="palette-empty">No command matches “{query}”.</li> : null}
        </ul>
      </div>
    </div>
  );
}
