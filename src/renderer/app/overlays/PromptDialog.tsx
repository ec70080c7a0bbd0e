/** A one-line prompt (label "name value", go to time, N similar). Enter submits, Esc cancels. */
import { useEffect, useRef, useState } from 'react';
import type { PromptState } from '../../store/AppState';
import { appStore } from '../../store/appStore';

export function PromptDialog({ prompt }: { prompt: PromptState }) {
  const [text, setText] = useState(prompt.initial ?? '');
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const close = (value: string | null) => {
    appStore.update((d) => {
      d.ui.prompt = null;
    }, { capture: 'none' });
    if (value !== null) prompt.onSubmit(value);
    else prompt.onCancel();
  };
  return (
    <div className="overlay-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close(null)}>
      <form
        className="overlay prompt"
        role="dialog"
        aria-modal="true"
        aria-label={prompt.title}
        onSubmit={(e) => {
          e.preventDefault();
          close(text);
        }}
      >
        <label>
          <span className="prompt-title">{prompt.title}</span>
          <input
            ref={inputRef}
            value={text}
            placeholder={prompt.placeholder}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Escape') {
                e.preventDefault();
                close(null);
              }
            }}
          />
        </label>
        <div className="prompt-buttons">
          <button type="button" onClick={() => close(null)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            OK
          </button>
        </div>
      </form>
    </div>
  );
}
