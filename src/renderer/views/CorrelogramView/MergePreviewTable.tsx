import type { MergePreviewData } from '../../../shared/ipc/contract';
import { MERGE_PREVIEW_METRICS } from '../../../core/metrics/mergePreview';
import { formatValue } from '../../plot/rect';
import { selectionColor } from '../../theme/colors';

/** Counts (spikes, violations) exactly; rates and ratios to 3 significant figures, as the readouts. */
const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : formatValue(v));

const cell = { padding: '1px 6px', textAlign: 'right' as const, whiteSpace: 'nowrap' as const };

/**
 * The merge preview's metrics under the correlograms: the union's row first, then each selected
 * cluster's in its selection colour; SpikeInterface's names as column heads (they break at `_`
 * so the table stays narrow). HTML rather than canvas labels: a 9-value row per train does not
 * fit in a correlogram cell, and here it scrolls instead of overlapping.
 */
export function MergePreviewTable({ preview }: { preview: MergePreviewData }) {
  const rows = [{ key: 'merged', label: 'merged', color: '#e8e8e8', values: preview.merged }, ...preview.parts.map((values, k) => ({ key: String(preview.clusterIds[k]), label: String(preview.clusterIds[k]), color: selectionColor(k), values }))];
  return (
    <div className="merge-preview-table" style={{ flex: '0 0 auto', maxHeight: '35%', overflow: 'auto', borderTop: '1px solid #3a3d45', font: '10.5px var(--font-ui, sans-serif)', color: '#c8c8c8' }}>
      <table aria-label="Merge preview metrics" style={{ borderCollapse: 'collapse' }}>
        <thead>
          <tr>
            <th style={{ ...cell, textAlign: 'left' }} />
            {MERGE_PREVIEW_METRICS.map((m) => (
              <th key={m} scope="col" style={{ ...cell, whiteSpace: 'normal', fontWeight: 'normal', color: '#a8a8a8', verticalAlign: 'bottom' }}>
                {m.split('_').map((w, i) => (i === 0 ? w : <span key={i}>_<wbr />{w}</span>))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-row={r.key}>
              <th scope="row" style={{ ...cell, textAlign: 'left', color: r.color, fontWeight: r.key === 'merged' ? 'bold' : 'normal' }}>
                {r.label}
              </th>
              {MERGE_PREVIEW_METRICS.map((m) => (
                <td key={m} data-metric={m} style={{ ...cell, color: r.key === 'merged' ? '#e8e8e8' : undefined }}>
                  {fmt(r.values[m])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
