/**
 * ClusterScatterView's bindings (phy's `:csx`, `:csy`, `:css`): x, y and marker size each show
 * a numeric ClusterView column — built-in (`id`, `n_spikes`, `fr`, `amp`, `ch`, `depth`, `sh`,
 * `isi_viol`) or a label column whose values are numbers (`ContamPct`, `Amplitude`, …) — with
 * optional log scales. The plot, the click hit-test and the lasso all place clusters with
 * `scatterLayout`, so they always agree.
 */
import type { ClusterInfo } from '../../../shared/ipc/contract';
import { numericColumns, numericValue } from '../../store/clusterColumns';
import { padRect, safeRect, type Rect } from '../../plot/rect';
import { axisScale, type AxisScale, type ClusterPoints } from '../clusterPoints';

export const VIEW = 'ClusterScatterView';

export interface ScatterBindings {
  /** Column names. */
  x: string;
  y: string;
  size: string;
  xLog: boolean;
  yLog: boolean;
  sizeLog: boolean;
}

/** phy's defaults: x = amp, y = depth, size = firing rate on a log scale. */
export const SCATTER_DEFAULTS: ScatterBindings = { x: 'amp', y: 'depth', size: 'fr', xLog: false, yLog: false, sizeLog: true };

/** Columns a binding falls back to, in order, when its own has no value for any cluster. */
const FALLBACKS = ['n_spikes', 'fr', 'id'];

/**
 * The bindings drawn: each stored column if it is numeric and some cluster has a value in it,
 * else phy's default if that has values, else the first of n_spikes, fr, id. A Kwik file has
 * no template amplitude (`amp` is empty), and every cluster drawn at x = 0 shows nothing.
 */
export function effectiveBindings(stored: ScatterBindings, labelColumns: readonly string[], clusters: readonly ClusterInfo[]): ScatterBindings {
  const numeric = numericColumns(labelColumns, clusters);
  const hasValues = (column: string) => numeric.includes(column) && clusters.some((c) => numericValue(c, column) !== null);
  const pick = (column: string, fallback: string) => [column, fallback, ...FALLBACKS].find(hasValues) ?? fallback;
  return { ...stored, x: pick(stored.x, SCATTER_DEFAULTS.x), y: pick(stored.y, SCATTER_DEFAULTS.y), size: pick(stored.size, SCATTER_DEFAULTS.size) };
}

/** Marker diameters, CSS px (phy: 5–30 at scale 1; smaller here for docked views). */
const MARKER_MIN = 4;
const MARKER_MAX = 20;

export interface ScatterLayout extends ClusterPoints {
  /** Cluster ids, in the order of `clusters`. */
  ids: number[];
  /** Plot coordinates (after the log scales), (n,). A missing value counts as 0 (phy). */
  x: Float64Array;
  y: Float64Array;
  /** Marker diameters, CSS px, (n,). */
  size: Float32Array;
  xScale: AxisScale;
  yScale: AxisScale;
  /** Home rectangle (data range, padded). */
  bounds: Rect;
}

/** Places every cluster under the bindings. */
export function scatterLayout(clusters: readonly ClusterInfo[], b: ScatterBindings): ScatterLayout {
  const n = clusters.length;
  const raw = (column: string) => Float64Array.from(clusters, (c) => numericValue(c, column) ?? 0);
  const rx = raw(b.x);
  const ry = raw(b.y);
  const rs = raw(b.size);
  const xScale = axisScale(rx, b.xLog);
  const yScale = axisScale(ry, b.yLog);
  const sScale = axisScale(rs, b.sizeLog);
  const x = rx.map(xScale.forward);
  const y = ry.map(yScale.forward);
  const s = rs.map(sScale.forward);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, s0 = Infinity, s1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
    s0 = Math.min(s0, s[i]);
    s1 = Math.max(s1, s[i]);
  }
  const size = new Float32Array(n);
  for (let i = 0; i < n; i++) size[i] = MARKER_MIN + (s1 > s0 ? (s[i] - s0) / (s1 - s0) : 0.5) * (MARKER_MAX - MARKER_MIN);
  const bounds = padRect(safeRect({ x0, x1, y0, y1 }), 0.06, 0.06);
  return { ids: clusters.map((c) => c.id), x, y, size, xScale, yScale, bounds };
}
