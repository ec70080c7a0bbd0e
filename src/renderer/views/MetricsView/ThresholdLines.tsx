import type { ReactNode } from 'react';
import type { ThresholdLine } from '../../../core/rules/labelRules';
import { usePlot } from '../../plot/PlotCanvas';
import type { AxisScale } from '../clusterPoints';
import { thresholdText } from '../ruleVerdicts';

/** Amber: apart from the selection palette, the pass/fail tints and the grey grid. */
const LINE = '#e8b44a';
const TEXT = { font: '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fill: LINE, paintOrder: 'stroke', stroke: 'rgba(0,0,0,0.85)', strokeWidth: 3 } as const;

/**
 * The active label rules' thresholds on the plotted metrics, as dashed lines across the plot:
 * vertical for the x metric, horizontal for the y metric, each labelled with what lies beyond it
 * (`mua < 300`). Thresholds that fall outside the axis' scale (≤ 0 on a log axis) are left out.
 */
export function ThresholdLines({ x, y }: { x?: { lines: ThresholdLine[]; scale: AxisScale }; y?: { lines: ThresholdLine[]; scale: AxisScale } }) {
  const pz = usePlot();
  const items: ReactNode[] = [];
  x?.lines.forEach((t, i) => {
    const w = x.scale.forward(t.value);
    if (!Number.isFinite(w)) return;
    const px = pz.toPixelX(w);
    if (px < 0 || px > pz.width) return;
    // Labels stacked down from the top so that two thresholds close together stay readable.
    const right = px < pz.width - 90;
    items.push(<line key={`x${i}`} x1={px} x2={px} y1={0} y2={pz.height} stroke={LINE} strokeDasharray="5 4" strokeWidth={1.5} />);
    items.push(
      <text key={`xt${i}`} x={px + (right ? 4 : -4)} y={30 + i * 14} textAnchor={right ? 'start' : 'end'} style={TEXT}>
        {thresholdText(t)}
      </text>,
    );
  });
  y?.lines.forEach((t, i) => {
    const w = y.scale.forward(t.value);
    if (!Number.isFinite(w)) return;
    const py = pz.toPixelY(w);
    if (py < 0 || py > pz.height) return;
    items.push(<line key={`y${i}`} x1={0} x2={pz.width} y1={py} y2={py} stroke={LINE} strokeDasharray="5 4" strokeWidth={1.5} />);
    items.push(
      <text key={`yt${i}`} x={8 + i * 90} y={py - 4} style={TEXT}>
        {thresholdText(t)}
      </text>,
    );
  });
  return (
    <svg className="threshold-lines" width={pz.width} height={pz.height} style={{ position: 'absolute', inset: 0, overflow: 'hidden' }} aria-hidden="true">
      {items}
    </svg>
  );
}
