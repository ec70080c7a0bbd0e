/**
 * phy's snippet mode (`:`): a one-line command bar at the bottom. Enter runs (`:c 3 7`,
 * `:f n_spikes > 1000`, `:s n_spikes`, `:g`, `:move good all`, `:cb 2`, `:tg 12.5`, `:sns`…),
 * Esc leaves, up/down recall earlier snippets of this window.
 */
import { useEffect, useRef, useState } from 'react';
import { useCommandRegistry, useRunCommand } from '../../commands/CommandsContext';
import { parseSnippet, sortAliasColumn } from '../../commands/snippets';
import { clusterColumns } from '../../store/clusterColumns';
import { appStore, useAppStore } from '../../store/appStore';
import type { AppState } from '../../store/AppState';
import { closeOverlay } from './closeOverlay';

const selectInitial = (s: AppState) => s.ui.snippetInitial;

export function SnippetBar({ history }: { history: string[] }) {
  const registry = useCommandRegistry();
  const run = useRunCommand();
  const initial = useAppStore(selectInitial);
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [recall, setRecall] = useState(history.length);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const parsed = parseSnippet(text);
  const cmd = parsed ? registry.bySnippet(parsed.name) : undefined;
  const hint = cmd ? `${cmd.title}${cmd.snippetArgs ? ` — :${parsed!.name} ${cmd.snippetArgs}` : ''}` : parsed ? sortHint(parsed.name) : 'e.g.  c 3 7 · f n_spikes > 1000 · s fr · g · move good all · cb 2';

  const submit = () => {
    const p = parseSnippet(text);
    if (!p) {
      closeOverlay();
      return;
    }
    const labelColumns = appStore.getState().session.labelColumns;
    const column = registry.bySnippet(p.name) ? null : sortAliasColumn(p.name, clusterColumns(labelColumns).map((c) => c.name));
    const target = column ? registry.bySnippet('s') : registry.bySnippet(p.name);
    if (!target) {
      setError(`Unknown snippet ':${p.name}'`);
      return;
    }
    history.push(text);
    closeOverlay();
    void run(target.id, column ? [column, ...p.args] : p.args);
  };

  return (
    <div className="snippet-bar" role="dialog" aria-label="Snippet">
      <span className="snippet-colon">:</span>
      <input
        ref={inputRef}
        aria-label="Snippet"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape' || (e.key === 'Backspace' && text === '')) {
            e.preventDefault();
            closeOverlay();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            submit();
          } else if (e.key === 'ArrowUp' && history.length) {
            e.preventDefault();
            const i = Math.max(0, recall - 1);
            setRecall(i);
            setText(history[i]);
          } else if (e.key === 'ArrowDown' && history.length) {
            e.preventDefault();
            const i = Math.min(history.length, recall + 1);
            setRecall(i);
            setText(history[i] ?? '');
          }
        }}
        onBlur={() => closeOverlay()}
      />
      <span className={'snippet-hint' + (error ? ' error' : '')}>{error ?? hint}</span>
    </div>
  );
}

function sortHint(name: string): string {
  const cols = clusterColumns(appStore.getState().session.labelColumns).map((c) => c.name);
  const col = sortAliasColumn(name, cols);
  return col ? `Sort by ${col}` : `Unknown snippet ':${name}'`;
}
