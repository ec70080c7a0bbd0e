import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Canvas, useThree } from '@react-three/fiber';
import type { OrthographicCamera } from 'three';
import { PanZoom, type PanZoomAxes } from './PanZoom';
import type { Rect } from './rect';
import { PlotLines, PlotPoints } from './Geometry';
import { VertexBuffer } from './VertexBuffer';
import type { Rgba } from './color';
import { plotCommands } from './plotCommands';
import { useCommands } from '../store/commandRegistration';
import { useAppStore } from '../store/appStore';
import type { AppState } from '../store/AppState';
import { antialiasEnabled } from './renderQuality';

const selectAntialias = (s: AppState) => s.ui.antialias;

/** A click on the plot, in world coordinates (and CSS pixels from the canvas' top-left). */
export interface PlotClick {
  x: number;
  y: number;
  px: number;
  py: number;
  button: number;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** A lasso polygon in world coordinates, (n, 2) interleaved; controlled by the view. */
export interface LassoProps {
  points: Float32Array | null;
  onChange: (points: Float32Array | null) => void;
}

export interface PlotCanvasProps {
  /** World rectangle shown at reset (double-click, `r`). */
  bounds: Rect;
  /** Axes moved by pan/zoom (default both). */
  axes?: PanZoomAxes;
  /** Re-home the view to `bounds` whenever this key changes (e.g. a new selection). */
  resetKey?: unknown;
  /** Enables the lasso tool: ctrl+click adds a point, ctrl+right-click or Escape clears. */
  lasso?: LassoProps;
  /** Plain, shift-, alt- and (without lasso) ctrl-clicks, for selection and "go to time". */
  onClick?: (click: PlotClick) => void;
  /** Wheel with ctrl/alt/shift held: return true when the view consumed it (no zoom then). */
  onModifiedWheel?: (e: WheelEvent) => boolean;
  /**
   * alt + right-drag (phy 2.2's amplitude-threshold gesture): the pointer's world y while it
   * moves, then once more with `done` on release. Given, it replaces the zoom that a right-drag
   * does (only with alt held: a plain right-drag still zooms).
   */
  onAltRightDrag?: (y: number, done: boolean) => void;
  /** HTML overlay (axes, labels, readouts) drawn over the canvas; use `usePlot()` inside. */
  overlay?: ReactNode;
  /** r3f content in world coordinates. */
  children?: ReactNode;
  /**
   * r3f content drawn in a second, transparent canvas over the first, with the same camera: for
   * small content that changes often (e.g. the selection's spikes over TraceView's traces), so
   * that changing it never redraws the large content below (tens of ms in software WebGL).
   */
  dynamicLayer?: ReactNode;
  /** Accessible name of the canvas region. */
  label?: string;
  background?: string;
}

interface PlotContextValue {
  panZoom: PanZoom;
}

const PlotContext = createContext<PlotContextValue | null>(null);

/** The view type whose frame encloses a plot: its pan/zoom keys are registered under it. */
export const PlotViewTypeContext = createContext<string | null>(null);

/** The PanZoom of the enclosing PlotCanvas, re-rendering the caller on every pan/zoom/resize. */
export function usePlot(): PanZoom {
  const ctx = useContext(PlotContext);
  if (!ctx) throw new Error('usePlot() outside a PlotCanvas');
  useSyncExternalStore(ctx.panZoom.subscribe, ctx.panZoom.getVersion);
  return ctx.panZoom;
}

const LASSO_COLOR: Rgba = [1, 1, 1, 0.9];
const CLICK_SLOP_PX = 4;

/**
 * One WebGL canvas per view (r3f, `frameloop="demand"`: a frame is drawn only after data or
 * the view rectangle changed), an orthographic camera spanning the visible world rectangle,
 * phy's pan/zoom gestures (left-drag or arrows pan; right-drag, wheel, `+`/`-` zoom — alt +
 * right-drag is the view's when it takes `onAltRightDrag`; double-click or `r` reset; keys are commands of the enclosing view, active while it has
 * focus) and an optional lasso.
 */
export function PlotCanvas(props: PlotCanvasProps) {
  const { bounds, axes = 'xy', resetKey, lasso, onClick, onModifiedWheel, onAltRightDrag, overlay, children, dynamicLayer, label, background = '#000000' } = props;
  const panZoomRef = useRef<PanZoom | null>(null);
  if (!panZoomRef.current) panZoomRef.current = new PanZoom(bounds, axes);
  const panZoom = panZoomRef.current;
  panZoom.axes = axes;
  // Changing it re-creates the WebGL context (the canvas is keyed by it).
  const antialias = antialiasEnabled(useAppStore(selectAntialias));
  const wrapperRef = useRef<HTMLDivElement>(null);

  const boundsKey = `${bounds.x0},${bounds.x1},${bounds.y0},${bounds.y1}`;
  const lastResetKey = useRef<unknown>(resetKey);
  useLayoutEffect(() => {
    const force = lastResetKey.current !== resetKey;
    lastResetKey.current = resetKey;
    panZoom.setHome(bounds, force);
  }, [boundsKey, resetKey, panZoom]);

  useLayoutEffect(() => {
    const el = wrapperRef.current;
    if (!el) return;
    const measure = () => panZoom.setSize(el.clientWidth, el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [panZoom]);

  // Latest callbacks in refs so the native listeners below are attached once.
  const cb = useRef({ lasso, onClick, onModifiedWheel, onAltRightDrag });
  cb.current = { lasso, onClick, onModifiedWheel, onAltRightDrag };

  useEffect(() => {
    const el = wrapperRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if ((e.ctrlKey || e.altKey || e.shiftKey) && cb.current.onModifiedWheel?.(e)) {
        e.preventDefault();
        return;
      }
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const f = Math.exp(-Math.max(-100, Math.min(100, e.deltaY)) * 0.002);
      panZoom.zoomAt(f, f, e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [panZoom]);

  const drag = useRef<{ button: number; alt: boolean; x: number; y: number; lastX: number; lastY: number; moved: boolean } | null>(null);

  const addLassoPoint = useCallback(
    (x: number, y: number) => {
      const l = cb.current.lasso;
      if (!l) return;
      const prev = l.points ?? new Float32Array(0);
      const next = new Float32Array(prev.length + 2);
      next.set(prev);
      next[prev.length] = x;
      next[prev.length + 1] = y;
      l.onChange(next);
    },
    [],
  );

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    wrapperRef.current?.focus({ preventScroll: true });
    drag.current = { button: e.button, alt: e.altKey, x: e.clientX, y: e.clientY, lastX: e.clientX, lastY: e.clientY, moved: false };
    (e.currentTarget as HTMLDivElement).setPointerCapture(e.pointerId);
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = e.clientX - d.lastX;
    const dy = e.clientY - d.lastY;
    if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < CLICK_SLOP_PX) return;
    d.moved = true;
    d.lastX = e.clientX;
    d.lastY = e.clientY;
    const altDrag = d.button === 2 && d.alt ? cb.current.onAltRightDrag : undefined;
    if (altDrag) {
      const r = wrapperRef.current!.getBoundingClientRect();
      altDrag(panZoom.toWorld(e.clientX - r.left, e.clientY - r.top)[1], false);
    } else if (d.button === 0 && !e.ctrlKey) panZoom.panPixels(dx, dy);
    else if (d.button === 2) {
      const r = wrapperRef.current!.getBoundingClientRect();
      panZoom.zoomAt(Math.exp(dx * 0.01), Math.exp(-dy * 0.01), d.x - r.left, d.y - r.top);
    }
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    const r = wrapperRef.current!.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const [x, y] = panZoom.toWorld(px, py);
    if (d.moved) {
      if (d.button === 2 && d.alt) cb.current.onAltRightDrag?.(y, true);
      return;
    }
    const ctrl = e.ctrlKey || e.metaKey;
    const l = cb.current.lasso;
    if (l && ctrl && d.button === 0) {
      addLassoPoint(x, y);
      return;
    }
    if (l && ctrl && d.button === 2) {
      l.onChange(null);
      return;
    }
    cb.current.onClick?.({ x, y, px, py, button: d.button, ctrlKey: e.ctrlKey, shiftKey: e.shiftKey, altKey: e.altKey, metaKey: e.metaKey });
  };

  const viewType = useContext(PlotViewTypeContext);
  const hasLasso = !!lasso;
  const commands = useMemo(
    () =>
      viewType
        ? plotCommands(
            viewType,
            panZoom,
            hasLasso
              ? () => {
                  if (!cb.current.lasso?.points) return false;
                  cb.current.lasso.onChange(null);
                  return true;
                }
              : null,
          )
        : [],
    [viewType, panZoom, hasLasso],
  );
  useCommands(commands, [commands]);

  const ctx = useMemo(() => ({ panZoom }), [panZoom]);

  return (
    <PlotContext.Provider value={ctx}>
      <div
        ref={wrapperRef}
        className="plot-canvas"
        role="img"
        aria-label={label}
        tabIndex={0}
        data-lasso-points={lasso?.points ? lasso.points.length / 2 : 0}
        style={{ position: 'absolute', inset: 0, overflow: 'hidden', outline: 'none', background, touchAction: 'none' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (drag.current = null)}
        onDoubleClick={() => panZoom.reset()}
        onContextMenu={(e) => e.preventDefault()}
      >
        <GlCanvas antialias={antialias} background={background}>
          <CameraSync panZoom={panZoom} />
          {children}
          {lasso?.points ? <LassoShape points={lasso.points} /> : null}
        </GlCanvas>
        {dynamicLayer ? (
          <GlCanvas antialias={antialias} background={null}>
            <CameraSync panZoom={panZoom} />
            {dynamicLayer}
          </GlCanvas>
        ) : null}
        {overlay ? <div className="plot-overlay" style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>{overlay}</div> : null}
      </div>
    </PlotContext.Provider>
  );
}

/**
 * One r3f canvas of a plot: orthographic, drawn on demand, opaque with `background` or (null)
 * transparent for a layer over another canvas. Keyed by `antialias`: changing it re-creates the
 * WebGL context.
 */
function GlCanvas({ antialias, background, children }: { antialias: boolean; background: string | null; children: ReactNode }) {
  return (
    <Canvas
      key={antialias ? 'aa' : 'plain'}
      orthographic
      frameloop="demand"
      flat
      linear
      dpr={[1, 2]}
      gl={{ antialias, alpha: background === null, premultipliedAlpha: background !== null, powerPreference: 'high-performance' }}
      camera={{ manual: true, position: [0, 0, 5], near: 0.1, far: 100 }}
      onCreated={({ gl }) => (background === null ? gl.setClearColor(0x000000, 0) : gl.setClearColor(background))}
      style={{ position: 'absolute', inset: 0, ...(background === null ? { pointerEvents: 'none' as const } : {}) }}
    >
      {children}
    </Canvas>
  );
}

/** Keeps the orthographic camera's frustum equal to the PanZoom's visible rectangle. */
function CameraSync({ panZoom }: { panZoom: PanZoom }) {
  const camera = useThree((s) => s.camera) as OrthographicCamera;
  const invalidate = useThree((s) => s.invalidate);
  const size = useThree((s) => s.size);
  useLayoutEffect(() => {
    const apply = () => {
      const v = panZoom.view;
      camera.left = v.x0;
      camera.right = v.x1;
      camera.top = v.y1;
      camera.bottom = v.y0;
      camera.zoom = 1;
      camera.position.set(0, 0, 5);
      camera.updateProjectionMatrix();
      invalidate();
    };
    apply();
    return panZoom.subscribe(apply);
  }, [camera, panZoom, invalidate, size]);
  return null;
}

function LassoShape({ points }: { points: Float32Array }) {
  const data = useMemo(() => {
    const n = points.length / 2;
    const lines = new VertexBuffer(Math.max(2, n * 2));
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      if (n > 1 && (j !== 0 || n > 2)) lines.segment(points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1], LASSO_COLOR);
    }
    const dots = new VertexBuffer(n);
    for (let i = 0; i < n; i++) dots.push(points[2 * i], points[2 * i + 1], LASSO_COLOR);
    return { lines: lines.finish(), dots: dots.finish() };
  }, [points]);
  return (
    <>
      <PlotLines data={data.lines} renderOrder={100} />
      <PlotPoints data={data.dots} size={5} renderOrder={101} />
    </>
  );
}
