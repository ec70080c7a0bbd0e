/**
 * The menu bar (File, Edit, Select, View, Help), built from the command registry: every
 * command with a `menu` appears with its current keys, greyed out when its predicate fails,
 * checked when it is a toggle that is on. Keyboard: Enter/Space open, arrows move, Esc closes.
 * In Electron the native menu bar replaces the menus (see nativeMenu.ts); the toolbar stays.
 */
import { Fragment, useEffect, useRef, useState } from 'react';
import type { Command, MenuName } from '../store/Command';
import { useCommandRegistry, useRunCommand } from '../commands/CommandsContext';
import { formatKeys } from '../commands/keys';
import { useAppStore } from '../store/appStore';
import type { AppState } from '../store/AppState';

const MENUS: MenuName[] = ['File', 'Edit', 'Select', 'View', 'Help'];

const identity = (s: AppState) => s;

/** `nativeMenu`: the Electron menu bar shows the menus, so only the toolbar is drawn here. */
export function MenuBar({ nativeMenu = false }: { nativeMenu?: boolean }) {
  const registry = useCommandRegistry();
  const run = useRunCommand();
  const state = useAppStore(identity);
  const [open, setOpen] = useState<MenuName | null>(null);
  const barRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!barRef.current?.contains(e.target as Node)) setOpen(null);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        e.preventDefault();
        setOpen(null);
      }
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', esc, true);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', esc, true);
    };
  }, [open]);

  const commands = registry.list().filter((c) => c.menu && !c.hidden);
  const items = (menu: MenuName) => {
    const list = commands.filter((c) => c.menu === menu);
    const sections: Array<[string, Command[]]> = [];
    for (const c of list) {
      const key = c.section ?? '';
      const s = sections.find(([k]) => k === key);
      if (s) s[1].push(c);
      else sections.push([key, [c]]);
    }
    return sections;
  };

  return (
    <div className={'menubar' + (nativeMenu ? ' native-menu' : '')} role={nativeMenu ? undefined : 'menubar'} aria-label={nativeMenu ? undefined : 'Main menu'} ref={barRef}>
      {(nativeMenu ? [] : MENUS).map((menu) => (
        <div key={menu} className="menu">
          <button
            type="button"
            role="menuitem"
            aria-haspopup="menu"
            aria-expanded={open === menu}
            className={'menu-title' + (open === menu ? ' open' : '')}
            onClick={() => setOpen(open === menu ? null : menu)}
            onMouseEnter={() => open && setOpen(menu)}
          >
            {menu}
          </button>
          {open === menu ? (
            <div className="menu-popup" role="menu" aria-label={menu}>
              {items(menu).map(([section, cmds], i) => (
                <Fragment key={section || i}>
                  {i > 0 ? <div className="menu-sep" role="separator" /> : null}
                  {cmds.map((c) => {
                    const enabled = !c.predicate || c.predicate(state);
                    const checked = c.checked?.(state);
                    const keys = registry.keysOf(c.id);
                    return (
                      <button
                        key={c.id}
                        type="button"
                        role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                        aria-checked={checked === undefined ? undefined : checked}
                        aria-disabled={!enabled}
                        data-command={c.id}
                        className="menu-item"
                        disabled={!enabled}
                        onClick={() => {
                          setOpen(null);
                          void run(c.id);
                        }}
                      >
                        <span className="menu-check">{checked ? '✓' : ''}</span>
                        <span className="menu-label">{c.title}</span>
                        <span className="menu-keys">{keys.length ? formatKeys(keys[0]) : ''}</span>
                      </button>
                    );
                  })}
                </Fragment>
              ))}
            </div>
          ) : null}
        </div>
      ))}
      <div className="toolbar" role="toolbar" aria-label="Actions">
        <ToolbarButton id="edit.undo" label="↶" title="Undo" enabled={state.session.canUndo} />
        <ToolbarButton id="edit.redo" label="↷" title="Redo" enabled={state.session.canRedo} />
        <span className="toolbar-sep" />
        <ToolbarButton id="wizard.first" label="⤒" title="First cluster" />
        <ToolbarButton id="wizard.previousBest" label="↑" title="Previous best cluster" />
        <ToolbarButton id="wizard.nextBest" label="↓" title="Next best cluster" />
        <ToolbarButton id="wizard.previous" label="◀" title="Previous similar cluster" />
        <ToolbarButton id="wizard.next" label="▶" title="Next similar cluster" />
        <span className="toolbar-sep" />
        <ToolbarButton id="cluster.merge" label="Merge" title="Merge selected clusters" />
        <ToolbarButton id="cluster.split" label="Split" title="Split by lasso" enabled={state.lasso !== null} />
        <span className="toolbar-sep" />
        <ToolbarButton id="file.save" label="Save" title="Save" enabled={state.session.dirty} />
      </div>
    </div>
  );
}

function ToolbarButton({ id, label, title, enabled = true }: { id: string; label: string; title: string; enabled?: boolean }) {
  const registry = useCommandRegistry();
  const run = useRunCommand();
  const keys = registry.keysOf(id);
  return (
    <button type="button" className="toolbar-button" data-command={id} title={keys.length ? `${title} (${formatKeys(keys[0])})` : title} disabled={!enabled} onClick={() => void run(id)}>
      {label}
    </button>
  );
}
