/**
 * The curation window: menu bar, the dock layout of views, the status bar, overlays (help,
 * palette, snippets, prompts) and toasts. Owns the session sync, the command registry and the
 * global keyboard handler for the open dataset.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { CommandContext, LayoutApi } from '../store/Command';
import { CommandRegistry } from '../commands/CommandRegistry';
import { CommandsProvider } from '../commands/CommandsContext';
import { defaultCommands } from '../commands/defaultCommands';
import { wizardNextMove } from '../commands/wizard';
import { loadKeymap, saveKeymap } from '../commands/keymapStorage';
import { useKeyboard } from '../commands/useKeyboard';
import { PrefetchNext } from '../commands/prefetchNext';
import { appStore, useAppStore } from '../store/appStore';
import type { AppState } from '../store/AppState';
import { useBackend } from '../store/BackendContext';
import { SessionSync } from '../store/sessionSync';
import { startQualitySync } from '../store/qualitySync';
import { startProposalSync } from '../store/proposalSync';
import { DockLayout } from './layout/DockLayout';
import { VIEW_CATALOG } from '../views/catalog';
import { MenuBar } from './MenuBar';
import { menuBridge, useNativeMenu } from './nativeMenu';
import { CommandPalette } from './overlays/CommandPalette';
import { HelpOverlay } from './overlays/HelpOverlay';
import { LabelRulesDialog } from './overlays/LabelRulesDialog';
import { PromptDialog } from './overlays/PromptDialog';
import { SnippetBar } from './overlays/SnippetBar';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';

const selectOverlay = (s: AppState) => s.ui.overlay;
const selectPrompt = (s: AppState) => s.ui.prompt;
const selectResetCount = (s: AppState) => s.ui.layoutResetCount;
const selectTitle = (s: AppState) => `${s.dataset?.name ?? 'spikedock'}${s.session.dirty ? ' •' : ''} — spikedock`;

export function Workspace() {
  const backend = useBackend();
  const overlay = useAppStore(selectOverlay);
  const prompt = useAppStore(selectPrompt);
  const resetCount = useAppStore(selectResetCount);
  const title = useAppStore(selectTitle);
  const layoutRef = useRef<LayoutApi | null>(null);
  const snippetHistory = useRef<string[]>([]);

  const sync = useMemo(() => new SessionSync(backend, appStore), [backend]);

  const registry = useMemo(() => {
    const r = new CommandRegistry();
    r.registerAll(defaultCommands(VIEW_CATALOG));
    r.setKeymap(loadKeymap(localStorage));
    return r;
  }, []);

  const context = useMemo<CommandContext>(() => {
    const ctx: CommandContext = {
      store: appStore,
      backend,
      sync,
      get layout() {
        return layoutRef.current;
      },
      prompt: (title, options) =>
        new Promise((resolve) => {
          appStore.update((d) => {
            d.ui.prompt = { title, placeholder: options?.placeholder, initial: options?.initial, onSubmit: (t) => resolve(t), onCancel: () => resolve(null) };
          }, { capture: 'none' });
        }),
      toast: (level, text) => sync.toast(level, text),
      run: async (id, args) => {
        await registry.run(id, ctx, args);
      },
    };
    return ctx;
  }, [backend, sync, registry]);

  useEffect(() => startQualitySync(backend, appStore, (text) => sync.toast('warning', text)), [backend, sync]);
  useEffect(() => startProposalSync(backend, appStore, (level, text) => sync.toast(level, text)), [backend, sync]);

  useEffect(() => {
    let cancelled = false;
    sync.start().then(() => {
      if (cancelled) return;
      // phy opens with the first cluster selected.
      const s = appStore.getState();
      if (s.selection.clusterIds.length === 0) {
        // Says so when the first rows are skipped (labelled noise/mua), as every wizard move does.
        const move = wizardNextMove(s, 'first');
        if (move) sync.select(move.selection, move.note);
      }
    });
    return () => {
      cancelled = true;
      sync.dispose();
    };
  }, [sync]);

  useEffect(() => {
    let last = JSON.stringify(registry.keymap());
    return registry.subscribe(() => {
      const now = JSON.stringify(registry.keymap());
      if (now !== last) {
        last = now;
        saveKeymap(localStorage, registry.keymap());
      }
    });
  }, [registry]);

  useKeyboard(registry, context);

  // In Electron the native menu bar (built from the same registry) replaces the HTML one.
  const bridge = useMemo(() => menuBridge(), []);
  useNativeMenu(bridge, registry, appStore, context);

  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    // The journal keeps every action, but unsaved phy files deserve a question before closing.
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!appStore.getState().session.dirty) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  return (
    <CommandsProvider registry={registry} context={context}>
      <div className="workspace">
        <MenuBar nativeMenu={bridge !== null} />
        <DockLayout
          resetCount={resetCount}
          onApi={(api) => {
            layoutRef.current = api;
          }}
          onOpenViews={(types) =>
            appStore.update((d) => {
              d.ui.openViews = types;
            }, { capture: 'none' })
          }
        />
        <StatusBar />
        <PrefetchNext backend={backend} />
        {overlay === 'help' ? <HelpOverlay /> : null}
        {overlay === 'palette' ? <CommandPalette /> : null}
        {overlay === 'snippet' ? <SnippetBar history={snippetHistory.current} /> : null}
        {overlay === 'labelRules' ? <LabelRulesDialog /> : null}
        {prompt ? <PromptDialog prompt={prompt} /> : null}
        <Toasts />
      </div>
    </CommandsProvider>
  );
}
