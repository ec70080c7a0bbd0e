/** Pixels kept between two cluster-id labels of TemplateView's x axis. */
const LABEL_GAP_PX = 10;
/** Width of one character of the axis font (11 px monospace), px. */
const CHAR_PX = 7;

/**
 * Columns between two labelled columns so that labels never overlap: the widest id's width
 * plus a gap, divided by a column's width; 1 when every column has room for its id. `columns`
 * are the columns in view (fewer after a zoom), `widthPx` the plot's width.
 */
export function labelStride(ids: readonly number[], columns: number, widthPx: number): number {
  let digits = 1;
  for (const id of ids) digits = Math.max(digits, String(id).length);
  const columnPx = widthPx / Math.max(1, columns);
  return Math.max(1, Math.ceil((digits * CHAR_PX + LABEL_GAP_PX) / columnPx));
}

/**
 * The labelled columns in view [first, last): every `stride`-th column from the first visible
 * one that is a multiple of the stride, so a label stays on its column while panning.
 */
export function labelledColumns(first: number, last: number, stride: number, nColumns: number): number[] {
  const out: number[] = [];
  const lo = Math.max(0, Math.ceil(first / stride) * stride);
  for (let c = lo; c < Math.min(last, nColumns); c += stride) out.push(c);
  return out;
}
