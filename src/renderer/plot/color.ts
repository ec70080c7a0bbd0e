/** RGBA in 0–1 floats, the form vertex colour buffers take. */
export type Rgba = [number, number, number, number];

/** Parses `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`/`rgba(…)` and `hsl(…)`; anything else is grey. */
export function parseColor(css: string, alpha = 1): Rgba {
  const s = css.trim().toLowerCase();
  if (s.startsWith('#')) {
    const h = s.slice(1);
    const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
    const n = (i: number) => Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return [n(0), n(2), n(4), full.length >= 8 ? n(6) * alpha : alpha];
  }
  const m = /^(rgba?|hsla?)\(([^)]*)\)$/.exec(s);
  if (m) {
    const parts = m[2].split(/[\s,/]+/).filter(Boolean).map((p) => Number.parseFloat(p));
    const a = parts.length > 3 ? parts[3] * alpha : alpha;
    if (m[1].startsWith('rgb')) return [parts[0] / 255, parts[1] / 255, parts[2] / 255, a];
    return [...hslToRgb(parts[0], parts[1] / 100, parts[2] / 100), a];
  }
  return [0.5, 0.5, 0.5, alpha];
}

/** HSL (h in degrees, s and l in 0–1) → RGB in 0–1. */
export function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0), f(8), f(4)];
}

/** A stable, distinct colour per cluster id for non-selected clusters (golden-angle hues). */
export function clusterHashColor(clusterId: number, alpha = 1, lightness = 0.6): Rgba {
  const hue = (clusterId * 137.508) % 360;
  return [...hslToRgb(hue, 0.65, lightness), alpha];
}

/** `c` mixed towards white by `t` (0–1): phy draws cross-correlograms in a pale tint. */
export function tint(c: Rgba, t: number, alpha = c[3]): Rgba {
  return [c[0] + (1 - c[0]) * t, c[1] + (1 - c[1]) * t, c[2] + (1 - c[2]) * t, alpha];
}

/** CSS string for an Rgba. */
export function cssColor(c: Rgba): string {
  const b = (v: number) => Math.round(Math.max(0, Math.min(1, v)) * 255);
  return `rgba(${b(c[0])}, ${b(c[1])}, ${b(c[2])}, ${c[3]})`;
}

/** Background (non-selected) spikes: phy's grey. */
export const GREY: Rgba = [0.55, 0.55, 0.55, 0.5];
