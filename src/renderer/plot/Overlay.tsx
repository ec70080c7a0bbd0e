import type { CSSProperties, ReactNode } from 'react';
import { usePlot } from './PlotCanvas';
import { formatTick, niceTicks } from './rect';

/**
 * Crisp text and grid lines drawn as SVG over the WebGL canvas (GL text is blurry and costly);
 * re-rendered only on pan/zoom/resize. Everything is positioned from world coordinates.
 */

export interface AxisSpec {
  /** World → displayed value (e.g. add the window start for relative times). Default identity. */
  toValue?: (world: number) => number;
  /** Displayed value → world (inverse of `toValue`). */
  toWorld?: (value: number) => number;
  format?: (value: number) => string;
  /** Only ticks inside this world range are drawn (e.g. the time axis stops at the histogram). */
  range?: [number, number];
  /** Approximate number of ticks (default: one per ~100 px). */
  count?: number;
  /** Draw faint grid lines across the plot (default true). */
  grid?: boolean;
  /** Axis title drawn near the ticks. */
  title?: string;
}

/** Width of one character of the 11 px monospace axis font, px. */
const CHAR_PX = 6.7;
/** Tick labels and titles, with a dark outline under the glyphs: legible over a bright density image (DriftView) as over black. */
const TEXT: CSSProperties = {
  font: '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  fill: '#d0d0d0',
  stroke: 'rgba(0, 0, 0, 0.85)',
  strokeWidth: 3,
  paintOrder: 'stroke',
  strokeLinejoin: 'round',
};

/** Ticks along the bottom (x) and the right edge (y), as phy draws them. */
export function Axes({ x, y }: { x?: AxisSpec; y?: AxisSpec }) {
  const pz = usePlot();
  const v = pz.view;
  const items: ReactNode[] = [];
  const axis = (spec: AxisSpec, horizontal: boolean) => {
    const toValue = spec.toValue ?? ((w: number) => w);
    const toWorld = spec.toWorld ?? ((val: number) => val);
    const fmt = spec.format ?? formatTick;
    const lo = horizontal ? v.x0 : v.y0;
    const hi = horizontal ? v.x1 : v.y1;
    const rlo = spec.range ? Math.max(lo, spec.range[0]) : lo;
    const rhi = spec.range ? Math.min(hi, spec.range[1]) : hi;
    const count = spec.count ?? Math.max(2, Math.round((horizontal ? pz.width : pz.height) / 110));
    const ticks = niceTicks(toValue(rlo), toValue(rhi), count);
    ticks.forEach((t, i) => {
      const w = toWorld(t);
      const key = `${horizontal ? 'x' : 'y'}${i}`;
      if (horizontal) {
        const px = pz.toPixelX(w);
        if (spec.grid !== false) items.push(<line key={key + 'g'} x1={px} x2={px} y1={0} y2={pz.height} stroke="rgba(255,255,255,0.12)" />);
        // Kept inside the plot: a label centred on its tick at an edge was cut in half ("0 s" → " s").
        const text = fmt(t);
        const half = (text.length * CHAR_PX) / 2 + 2;
        items.push(
          <text key={key} x={Math.min(Math.max(px, half), pz.width - half)} y={pz.height - 6} textAnchor="middle" style={TEXT}>
            {text}
          </text>,
        );
      } else {
        const py = pz.toPixelY(w);
        if (spec.grid !== false) items.push(<line key={key + 'g'} x1={0} x2={pz.width} y1={py} y2={py} stroke="rgba(255,255,255,0.12)" />);
        // The axis title sits in the top 18 px: a tick label there would be written over it.
        if (spec.title && py - 3 < 30) return;
        items.push(
          <text key={key} x={pz.width - 6} y={py - 3} textAnchor="end" style={TEXT}>
            {fmt(t)}
          </text>,
        );
      }
    });
    if (spec.title) {
      items.push(
        horizontal ? (
          <text key="xt" x={8} y={pz.height - 20} style={{ ...TEXT, fill: '#9a9a9a' }}>
            {spec.title}
          </text>
        ) : (
          <text key="yt" x={pz.width - 6} y={14} textAnchor="end" style={{ ...TEXT, fill: '#9a9a9a' }}>
            {spec.title}
          </text>
        ),
      );
    }
  };
  if (x) axis(x, true);
  if (y) axis(y, false);
  return (
    <svg width={pz.width} height={pz.height} style={{ position: 'absolute', inset: 0, overflow: 'visible' }} aria-hidden="true">
      {items}
    </svg>
  );
}

/** A text label anchored at a world position. */
export interface PlotLabel {
  x: number;
  y: number;
  text: string;
  color?: string;
  /** Horizontal anchor (default start). */
  align?: 'start' | 'middle' | 'end';
  /** Vertical placement relative to the point (default middle). */
  baseline?: 'top' | 'middle' | 'bottom';
  /** Offset in CSS pixels. */
  dx?: number;
  dy?: number;
  size?: number;
  /** Dark halo behind the text for legibility over data. */
  halo?: boolean;
  /** What the label is, as `data-label` on its element (for tests and tools: `merged-readout`). */
  name?: string;
}

/** Labels at world positions (channel numbers, subplot names, readouts); off-screen ones are skipped. */
export function PlotLabels({ labels }: { labels: PlotLabel[] }) {
  const pz = usePlot();
  const out: ReactNode[] = [];
  labels.forEach((l, i) => {
    const px = pz.toPixelX(l.x) + (l.dx ?? 0);
    const py = pz.toPixelY(l.y) + (l.dy ?? 0);
    if (px < -200 || px > pz.width + 200 || py < -20 || py > pz.height + 20) return;
    const dominant = l.baseline === 'top' ? 'hanging' : l.baseline === 'bottom' ? 'alphabetic' : 'central';
    out.push(
      <text
        key={i}
        x={px}
        y={py}
        data-label={l.name}
        textAnchor={l.align ?? 'start'}
        dominantBaseline={dominant}
        style={{ ...TEXT, fontSize: l.size ?? 11, fill: l.color ?? '#d0d0d0', paintOrder: 'stroke', stroke: l.halo ? 'rgba(0,0,0,0.8)' : 'none', strokeWidth: l.halo ? 3 : 0 }}
      >
        {l.text}
      </text>,
    );
  });
  return (
    <svg width={pz.width} height={pz.height} style={{ position: 'absolute', inset: 0, overflow: 'hidden' }} aria-hidden="true">
      {out}
    </svg>
  );
}
