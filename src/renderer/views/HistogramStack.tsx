import { useMemo } from 'react';
import type { HistogramData } from '../../shared/ipc/contract';
import { PlotCanvas } from '../plot/PlotCanvas';
import { PlotLines, PlotTriangles } from '../plot/Geometry';
import { Axes, PlotLabels, type PlotLabel } from '../plot/Overlay';
import { VertexBuffer } from '../plot/VertexBuffer';
import { selectionRgba } from './viewColors';
import { formatTick, formatValue } from '../plot/rect';
import { clusterName, useAppStore } from '../store';

/**
 * Histograms of the selected clusters stacked in rows (phy's ISIView, FiringRateView): row k is
 * cluster k, first selected at the bottom; x in the histogram's unit, each row on its own scale.
 * The unit goes with each tick label (~110 px apart), not over the first bar.
 */
export function HistogramStack({ data, xScale, xUnit, yUnit }: { data: HistogramData | null; xScale: number; xUnit: string; yUnit: string }) {
  // A split proposal's parts are labelled by name (`13 part 1`), real clusters by id.
  const proposal = useAppStore((s) => s.proposal.current);
  const plot = useMemo(() => {
    if (!data || data.clusterIds.length === 0) return null;
    const n = data.clusterIds.length;
    const nb = data.nBins;
    const x0 = data.start * xScale;
    const bw = data.binSize * xScale;
    const x1 = x0 + nb * bw;
    const rowH = 1;
    const bars = new VertexBuffer(n * nb * 6);
    const lines = new VertexBuffer(n * 2);
    const labels: PlotLabel[] = [];
    for (let k = 0; k < n; k++) {
      let max = 0;
      for (let b = 0; b < nb; b++) max = Math.max(max, data.values[k * nb + b]);
      // Bars fill 70 % of a row: the top is the readout's, which sat over the bars.
      const scale = (rowH * 0.7) / (max || 1);
      const color = selectionRgba(k, 1);
      const base = k * rowH;
      for (let b = 0; b < nb; b++) {
        const v = data.values[k * nb + b];
        if (v > 0) bars.rect(x0 + b * bw, base, x0 + (b + 1) * bw, base + v * scale, color);
      }
      lines.segment(x0, base, x1, base, [1, 1, 1, 0.25]);
      labels.push({ x: x0, y: base + rowH * 0.93, text: `${clusterName(proposal, data.clusterIds[k])} · max ${formatValue(max)} ${yUnit}`, dx: 4, baseline: 'top', color: '#e0e0e0', halo: true });
    }
    return { bars: bars.finish(), lines: lines.finish(), labels, bounds: { x0: x0 - (x1 - x0) * 0.01, x1: x1 + (x1 - x0) * 0.01, y0: -0.12, y1: n * rowH } };
  }, [data, xScale, yUnit, proposal]);

  return (
    <PlotCanvas
      label="Histograms"
      axes="x"
      bounds={plot?.bounds ?? { x0: 0, x1: 1, y0: 0, y1: 1 }}
      overlay={
        plot ? (
          <>
            <Axes x={{ format: (v) => `${formatTick(v)} ${xUnit}` }} />
            <PlotLabels labels={plot.labels} />
          </>
        ) : null
      }
    >
      {plot ? (
        <>
          <PlotTriangles data={plot.bars} />
          <PlotLines data={plot.lines} renderOrder={1} />
        </>
      ) : null}
    </PlotCanvas>
  );
}
