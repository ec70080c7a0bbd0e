/**
 * phy's cluster colour schemes (phy/utils/color.py `ClusterColorSelector`) for the views that
 * show many clusters at once — ClusterScatterView, TemplateView, RasterView. The clusters that
 * are not selected take a colour from the view's scheme; selected clusters always keep their
 * selection colours (1st blue, 2nd red, …). The scheme is a per-view setting
 * (`viewSettings[view].colorScheme`), cycled by shift+wheel over the plot and by the view's
 * "Next colour scheme" command.
 */
import { useMemo, useRef } from 'react';
import type { ClusterInfo } from '../../shared/ipc/contract';
import type { Command } from '../store/Command';
import { clusterHashColor, type Rgba } from '../plot/color';
import { patchViewSettings, readViewSettings, useViewSettings } from '../store/viewSettings';
import { selectionRgba } from './viewColors';

/** The schemes, in shift+wheel order. `random` is the stable hashed hue of each cluster id. */
export const COLOR_SCHEMES = ['random', 'group', 'depth', 'firing_rate', 'n_spikes', 'amplitude'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];
export const DEFAULT_COLOR_SCHEME: ColorScheme = 'random';

export function isColorScheme(s: unknown): s is ColorScheme {
  return typeof s === 'string' && (COLOR_SCHEMES as readonly string[]).includes(s);
}

/** The scheme `step` places after `current` (negative: before), wrapping around. */
export function nextColorScheme(current: unknown, step = 1): ColorScheme {
  const n = COLOR_SCHEMES.length;
  const i = isColorScheme(current) ? COLOR_SCHEMES.indexOf(current) : 0;
  return COLOR_SCHEMES[(((i + step) % n) + n) % n];
}

/** Continuous schemes: the ClusterInfo value they map, and whether on a log scale (phy: firing rate). */
const CONTINUOUS: Record<Exclude<ColorScheme, 'random' | 'group'>, { value: (c: ClusterInfo) => number | null; log: boolean; label: string }> = {
  depth: { value: (c) => c.depth, log: false, label: 'depth' },
  firing_rate: { value: (c) => c.fr, log: true, label: 'firing rate (log)' },
  n_spikes: { value: (c) => c.nSpikes, log: true, label: 'n_spikes (log)' },
  amplitude: { value: (c) => c.amp, log: false, label: 'amplitude' },
};

/** How the status lines name a scheme. */
export function colorSchemeLabel(scheme: ColorScheme): string {
  return scheme === 'random' || scheme === 'group' ? scheme : CONTINUOUS[scheme].label;
}

const rgb = (hex: number): [number, number, number] => [((hex >> 16) & 255) / 255, ((hex >> 8) & 255) / 255, (hex & 255) / 255];

/**
 * Group colours on the plots' black canvas. good and noise are the cluster table's row colours
 * (theme.css, dark theme: `--group-good` #86d16d — also phy's cluster_group green — and
 * `--group-noise` #5a5a5a); mua is orange rather than the table's grey so that it stands apart
 * from noise and unsorted among hundreds of markers; unsorted (no group) is phy's 0.75 grey.
 */
export const GROUP_RGB = {
  good: rgb(0x86d16d),
  mua: rgb(0xe8993a),
  noise: rgb(0x5a5a5a),
  unsorted: rgb(0xbfbfbf),
} as const;

/** Colour of a cluster group (`null`, `unsorted` and unknown groups are unsorted). */
export function groupRgba(group: string | null, alpha = 1): Rgba {
  const c = group === 'good' || group === 'mua' || group === 'noise' ? GROUP_RGB[group] : GROUP_RGB.unsorted;
  return [c[0], c[1], c[2], alpha];
}

/** viridis (matplotlib, CC0) sampled at i/9, i = 0…9; linear interpolation in between. */
const VIRIDIS = [0x440154, 0x482878, 0x3e4a89, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6dcd59, 0xb4de2c, 0xfde725].map(rgb);

/** viridis at t in 0–1 (clamped), RGB 0–1. */
export function viridis(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * Where the lowest value of a continuous scheme sits on viridis: its first 15 % is dark purple,
 * nearly invisible on the plots' black canvas at the alphas the views use (0.45 in RasterView).
 */
export const VIRIDIS_START = 0.15;

/** Colour of a cluster that has no value for a continuous scheme (e.g. amp unknown). */
const MISSING = GROUP_RGB.unsorted;

export type ClusterColorFn = (clusterId: number) => Rgba;

export interface SchemeStyle {
  /** Alpha of the non-selected clusters. */
  alpha: number;
  /** Lightness of the random scheme's hues (0–1). */
  lightness?: number;
}

/**
 * Colours of the non-selected clusters under `scheme`. Continuous schemes span the range of
 * `clusters` (the ones the view shows), on a log scale for firing rate and n_spikes (values ≤ 0
 * take the lowest colour); a cluster missing from `clusters` or without a value is grey.
 */
export function schemeColors(scheme: ColorScheme, clusters: readonly ClusterInfo[], style: SchemeStyle): ClusterColorFn {
  const { alpha, lightness = 0.55 } = style;
  if (scheme === 'random') return (id) => clusterHashColor(id, alpha, lightness);
  const table = new Map<number, Rgba>();
  if (scheme === 'group') {
    for (const c of clusters) table.set(c.id, groupRgba(c.group, alpha));
  } else {
    const { value, log } = CONTINUOUS[scheme];
    let minPositive = Infinity;
    if (log) for (const c of clusters) {
      const v = value(c);
      if (v !== null && v > 0 && v < minPositive) minPositive = v;
    }
    const f = (v: number | null): number | null => {
      if (v === null || !Number.isFinite(v)) return null;
      if (!log) return v;
      return Number.isFinite(minPositive) ? Math.log(Math.max(v, minPositive)) : 0;
    };
    let lo = Infinity, hi = -Infinity;
    for (const c of clusters) {
      const v = f(value(c));
      if (v === null) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    for (const c of clusters) {
      const v = f(value(c));
      if (v === null) {
        table.set(c.id, [...MISSING, alpha]);
        continue;
      }
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      table.set(c.id, [...viridis(VIRIDIS_START + (1 - VIRIDIS_START) * t), alpha]);
    }
  }
  return (id) => table.get(id) ?? [...MISSING, alpha];
}

/** `colorOf` with the selected clusters in their selection colours (i-th selected: i-th colour). */
export function withSelection(colorOf: ClusterColorFn, selected: readonly number[], alpha = 1): ClusterColorFn {
  if (selected.length === 0) return colorOf;
  return (id) => {
    const i = selected.indexOf(id);
    return i >= 0 ? selectionRgba(i, alpha) : colorOf(id);
  };
}

const sameColors = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * A view's colour scheme and the colours of its non-selected clusters. The returned function
 * keeps its identity while the colours it gives `clusters` stay the same (a group move under the
 * depth scheme changes nothing), so layers memoised on it are not rebuilt for nothing.
 */
export function useClusterColors(view: string, clusters: readonly ClusterInfo[], style: SchemeStyle): { scheme: ColorScheme; colorOf: ClusterColorFn } {
  const [settings] = useViewSettings(view, SCHEME_DEFAULTS);
  const scheme = isColorScheme(settings.colorScheme) ? settings.colorScheme : DEFAULT_COLOR_SCHEME;
  const { alpha, lightness } = style;
  const last = useRef<{ scheme: ColorScheme; colors: Float32Array; colorOf: ClusterColorFn } | null>(null);
  const colorOf = useMemo(() => {
    const fn = schemeColors(scheme, clusters, { alpha, lightness });
    const colors = new Float32Array(clusters.length * 5);
    clusters.forEach((c, i) => {
      colors[5 * i] = c.id;
      colors.set(fn(c.id), 5 * i + 1);
    });
    const prev = last.current;
    if (prev && prev.scheme === scheme && sameColors(prev.colors, colors)) return prev.colorOf;
    last.current = { scheme, colors, colorOf: fn };
    return fn;
  }, [scheme, scheme === 'random' ? null : clusters, alpha, lightness]);
  return { scheme, colorOf };
}

const SCHEME_DEFAULTS: { colorScheme: ColorScheme } = { colorScheme: DEFAULT_COLOR_SCHEME };

/** Moves a view to the next (step 1) or previous (step -1) colour scheme. */
export function cycleColorScheme(view: string, step = 1): ColorScheme {
  const next = nextColorScheme(readViewSettings(view, SCHEME_DEFAULTS).colorScheme, step);
  patchViewSettings(view, { colorScheme: next });
  return next;
}

/** The view command "Next colour scheme" (no default key: shift+wheel is phy's gesture). */
export function colorSchemeCommands(view: string, idPrefix: string): Command[] {
  return [{ id: `${idPrefix}.nextColorScheme`, title: 'Next colour scheme', view, perform: () => void cycleColorScheme(view, 1) }];
}

/** Wheel distance (px) per scheme step: one mouse notch (~100 px) is exactly one step. */
const WHEEL_STEP = 50;

/**
 * A PlotCanvas `onModifiedWheel` handler: shift+wheel cycles the view's colour scheme (down =
 * next). Other modifiers are left to the caller (returns false). Each handler accumulates its
 * own wheel distance, so a trackpad does not spin through every scheme at once.
 */
export function colorSchemeWheel(view: string): (e: WheelEvent) => boolean {
  let acc = 0;
  return (e) => {
    if (!e.shiftKey || e.ctrlKey || e.altKey) return false;
    // Chromium turns shift+wheel into a horizontal scroll on some platforms.
    acc += (e.deltaY || e.deltaX) * (e.deltaMode === 1 ? 33 : 1);
    if (Math.abs(acc) >= WHEEL_STEP) {
      cycleColorScheme(view, acc > 0 ? 1 : -1);
      acc = 0;
    }
    return true;
  };
}
