import { safeRect, type Rect } from './rect';

/** Which axes pan/zoom moves: both, only x (time-like views), or none (static layouts). */
export type PanZoomAxes = 'xy' | 'x' | 'y' | 'none';

/**
 * The visible world rectangle of one plot canvas and the gestures that change it. One instance
 * per canvas (owned by a ref, never a module singleton); the camera, the axes overlay and the
 * lasso subscribe to it, so a pan re-renders no React tree, only the GL frame and the overlay.
 */
export class PanZoom {
  private homeRect: Rect;
  private viewRect: Rect;
  private readonly listeners = new Set<() => void>();
  /** Incremented on every change: the snapshot for `useSyncExternalStore`. */
  version = 0;
  /** Canvas size in CSS pixels. */
  width = 1;
  height = 1;

  constructor(
    home: Rect,
    public axes: PanZoomAxes = 'xy',
  ) {
    this.homeRect = safeRect(home);
    this.viewRect = this.homeRect;
  }

  get view(): Rect {
    return this.viewRect;
  }

  get home(): Rect {
    return this.homeRect;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private emit(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  setSize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    this.emit();
  }

  /** New data bounds: the view follows them unless the user has zoomed or panned away. */
  setHome(home: Rect, force = false): void {
    const next = safeRect(home);
    const prev = this.homeRect;
    const atHome = sameRect(this.viewRect, prev);
    this.homeRect = next;
    if (force || atHome || this.axes === 'none') this.viewRect = next;
    else if (this.axes === 'x') this.viewRect = { ...this.viewRect, y0: next.y0, y1: next.y1 };
    else if (this.axes === 'y') this.viewRect = { ...this.viewRect, x0: next.x0, x1: next.x1 };
    if (!sameRect(prev, next) || force) this.emit();
  }

  setView(view: Rect): void {
    this.viewRect = safeRect(view);
    this.emit();
  }

  reset(): void {
    this.viewRect = this.homeRect;
    this.emit();
  }

  /** Moves the content by (dx, dy) CSS pixels (content follows the mouse). */
  panPixels(dx: number, dy: number): void {
    if (this.axes === 'none') return;
    const v = this.viewRect;
    const sx = this.axes === 'y' ? 0 : ((v.x1 - v.x0) * dx) / this.width;
    const sy = this.axes === 'x' ? 0 : ((v.y1 - v.y0) * dy) / this.height;
    this.viewRect = { x0: v.x0 - sx, x1: v.x1 - sx, y0: v.y0 + sy, y1: v.y1 + sy };
    this.emit();
  }

  /** Zooms by `fx`, `fy` (> 1 zooms in) keeping the world point under pixel (px, py) fixed. */
  zoomAt(fx: number, fy: number, px = this.width / 2, py = this.height / 2): void {
    if (this.axes === 'none') return;
    if (this.axes === 'x') fy = 1;
    if (this.axes === 'y') fx = 1;
    const v = this.viewRect;
    const [ax, ay] = this.toWorld(px, py);
    const nx0 = ax - (ax - v.x0) / fx;
    const nx1 = ax + (v.x1 - ax) / fx;
    const ny0 = ay - (ay - v.y0) / fy;
    const ny1 = ay + (v.y1 - ay) / fy;
    // Beyond ~1e6× the float32 vertex positions stop resolving; stop there.
    const hw = this.homeRect.x1 - this.homeRect.x0;
    const hh = this.homeRect.y1 - this.homeRect.y0;
    if ((nx1 - nx0) / hw < 1e-6 || (ny1 - ny0) / hh < 1e-6 || (nx1 - nx0) / hw > 1e3 || (ny1 - ny0) / hh > 1e3) return;
    this.viewRect = { x0: nx0, x1: nx1, y0: ny0, y1: ny1 };
    this.emit();
  }

  /** CSS pixel (from the canvas' top-left) → world coordinates. */
  toWorld(px: number, py: number): [number, number] {
    const v = this.viewRect;
    return [v.x0 + (px / this.width) * (v.x1 - v.x0), v.y1 - (py / this.height) * (v.y1 - v.y0)];
  }

  toPixelX(x: number): number {
    const v = this.viewRect;
    return ((x - v.x0) / (v.x1 - v.x0)) * this.width;
  }

  toPixelY(y: number): number {
    const v = this.viewRect;
    return ((v.y1 - y) / (v.y1 - v.y0)) * this.height;
  }

  /** World units per CSS pixel, on each axis. */
  worldPerPixel(): [number, number] {
    const v = this.viewRect;
    return [(v.x1 - v.x0) / this.width, (v.y1 - v.y0) / this.height];
  }
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x0 === b.x0 && a.x1 === b.x1 && a.y0 === b.y0 && a.y1 === b.y1;
}
