/**
 * golden-layout 2 with virtual components (GUIDE §5): golden-layout only positions empty
 * containers; each view lives in its own absolutely positioned element, created once and never
 * moved in the DOM, into which React renders the view through a portal. Dragging, docking,
 * tabbing and maximising only change that element's rectangle, visibility and z-index, so
 * WebGL canvases are never re-parented (re-parenting would lose their context).
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { GoldenLayout, LayoutConfig, ResolvedComponentItemConfig, type ComponentContainer, type ResolvedLayoutConfig, type RowOrColumn, type Stack } from 'golden-layout';
import 'golden-layout/dist/css/goldenlayout-base.css';
import 'golden-layout/dist/css/themes/goldenlayout-dark-theme.css';
import './dockLayout.css';
import type { LayoutApi } from '../../store/Command';
import { VIEW_CATALOG } from '../../views/catalog';
import { defaultLayout, defaultNeighbours } from './defaultLayout';
import { clearSavedLayout, loadSavedLayout, saveLayout } from './layoutStorage';
import { ViewHost } from './ViewHost';

interface MountedView {
  key: string;
  type: string;
  element: HTMLDivElement;
  container: ComponentContainer;
  visible: boolean;
}

const VisibleContext = createContext(true);

/** Whether this view's tab is showing (views may skip drawing while hidden, as phy does). */
export function useViewVisible(): boolean {
  return useContext(VisibleContext);
}

export interface DockLayoutProps {
  /** Receives the layout API once mounted (View menu commands), null on unmount. */
  onApi: (api: LayoutApi | null) => void;
  /** Open view types, whenever they change. */
  onOpenViews: (types: string[]) => void;
  /** Bumping it resets the layout to the default. */
  resetCount: number;
}

const SAVE_DEBOUNCE_MS = 400;

export function DockLayout({ onApi, onOpenViews, resetCount }: DockLayoutProps): ReactNode {
  const hostRef = useRef<HTMLDivElement>(null);
  const glRef = useRef<GoldenLayout | null>(null);
  const [views, setViews] = useState<MountedView[]>([]);
  const viewsRef = useRef<MountedView[]>([]);
  const onOpenViewsRef = useRef(onOpenViews);
  onOpenViewsRef.current = onOpenViews;
  const catalogTypes = VIEW_CATALOG.map((v) => v.type);

  useEffect(() => {
    const host = hostRef.current!;
    let hostRect = host.getBoundingClientRect();
    let nextKey = 1;
    const byContainer = new Map<ComponentContainer, MountedView>();
    const publish = () => {
      viewsRef.current = [...byContainer.values()];
      setViews(viewsRef.current);
      onOpenViewsRef.current([...new Set(viewsRef.current.map((v) => v.type))]);
    };

    const bind = (container: ComponentContainer, itemConfig: ResolvedComponentItemConfig): ComponentContainer.BindableComponent => {
      const type = ResolvedComponentItemConfig.resolveComponentTypeName(itemConfig) ?? 'unknown';
      const element = document.createElement('div');
      element.className = 'dock-view';
      element.dataset.hostView = type;
      element.tabIndex = -1;
      host.appendChild(element);
      const view: MountedView = { key: `${type}-${nextKey++}`, type, element, container, visible: true };
      byContainer.set(container, view);
      container.virtualRectingRequiredEvent = (c, width, height) => {
        const r = c.element.getBoundingClientRect();
        element.style.left = `${r.left - hostRect.left}px`;
        element.style.top = `${r.top - hostRect.top}px`;
        element.style.width = `${width}px`;
        element.style.height = `${height}px`;
      };
      container.virtualVisibilityChangeRequiredEvent = (_c, visible) => {
        element.style.display = visible ? '' : 'none';
        if (view.visible !== visible) {
          view.visible = visible;
          byContainer.set(container, { ...view });
          publish();
        }
      };
      container.virtualZIndexChangeRequiredEvent = (_c, _logical, defaultZIndex) => {
        element.style.zIndex = defaultZIndex;
      };
      publish();
      return { component: element, virtual: true };
    };

    const unbind = (container: ComponentContainer) => {
      const view = byContainer.get(container);
      if (!view) return;
      byContainer.delete(container);
      publish();
      // Let React unmount the portal first, then drop the element.
      setTimeout(() => view.element.remove(), 0);
    };

    const gl = new GoldenLayout(host, bind, unbind);
    glRef.current = gl;
    gl.resizeWithContainerAutomatically = true;
    gl.beforeVirtualRectingEvent = () => {
      hostRect = host.getBoundingClientRect();
    };

    const load = (useSaved: boolean) => {
      const saved = useSaved ? (loadSavedLayout(localStorage, catalogTypes) as ResolvedLayoutConfig | null) : null;
      try {
        gl.loadLayout(saved ? LayoutConfig.fromResolved(saved) : defaultLayout(catalogTypes));
      } catch {
        clearSavedLayout(localStorage);
        gl.loadLayout(defaultLayout(catalogTypes));
      }
    };
    load(true);

    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    const onStateChanged = () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        if (glRef.current === gl && gl.isInitialised) saveLayout(localStorage, gl.saveLayout(), catalogTypes);
      }, SAVE_DEBOUNCE_MS);
    };
    gl.on('stateChanged', onStateChanged);
    const flush = () => {
      if (saveTimer === undefined) return;
      clearTimeout(saveTimer);
      saveTimer = undefined;
      if (glRef.current === gl && gl.isInitialised) saveLayout(localStorage, gl.saveLayout(), catalogTypes);
    };
    window.addEventListener('pagehide', flush);

    const findContainer = (type: string) => [...byContainer.values()].find((v) => v.type === type)?.container;
    const api: LayoutApi = {
      open(type) {
        const existing = findContainer(type);
        if (existing) {
          existing.focus();
          return;
        }
        // Reopen it where it belongs: as a tab next to its default tab-mates, else as a new
        // stack above/below its default column-mates, else wherever golden-layout chooses.
        const near = defaultNeighbours(type);
        for (const mate of near.stack) {
          const stack = findContainer(mate)?.parent.parent;
          if (stack && stack.isStack) {
            (stack as Stack).addComponent(type, undefined, type);
            return;
          }
        }
        for (const mate of near.column) {
          const stack = findContainer(mate.type)?.parent.parent;
          const column = stack?.parent;
          // A column left with one stack collapses into its row: the view then goes beside it.
          if (stack && column && (column.isColumn || column.isRow)) {
            const index = column.contentItems.indexOf(stack);
            (column as RowOrColumn).addItem({ type: 'stack', content: [{ type: 'component', componentType: type, title: type }] }, mate.below ? index : index + 1);
            return;
          }
        }
        gl.addComponent(type, undefined, type);
      },
      close(type) {
        findContainer(type)?.close();
      },
      isOpen: (type) => findContainer(type) !== undefined,
      reset() {
        clearSavedLayout(localStorage);
        load(false);
        onStateChanged();
      },
    };
    onApi(api);

    return () => {
      flush();
      window.removeEventListener('pagehide', flush);
      onApi(null);
      glRef.current = null;
      gl.destroy();
      for (const v of byContainer.values()) v.element.remove();
      byContainer.clear();
      viewsRef.current = [];
      setViews([]);
    };
    // The layout is created once per mount; the catalog is static.
  }, []);

  useEffect(() => {
    if (resetCount > 0) {
      clearSavedLayout(localStorage);
      glRef.current?.loadLayout(defaultLayout(catalogTypes));
    }
  }, [resetCount]);

  return (
    <div className="dock" ref={hostRef}>
      {views.map((v) =>
        createPortal(
          <VisibleContext.Provider value={v.visible}>
            <ViewHost type={v.type} viewId={v.key} />
          </VisibleContext.Provider>,
          v.element,
          v.key,
        ),
      )}
    </div>
  );
}
