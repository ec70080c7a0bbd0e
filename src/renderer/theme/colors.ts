/**
 * Colours shared by every view. Selected clusters take stable slots in selection order, with
 * phy's palette (phy/utils/color.py `_COLORMAP`): 1st blue, 2nd red, 3rd yellow, 4th magenta,
 * 5th green, 6th orange, … — so "the red one" means the same cluster in every view.
 */

/** phy's selection palette, RGB 0–255. */
export const SELECTION_PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [8, 146, 252],
  [255, 2, 2],
  [240, 253, 2],
  [228, 31, 228],
  [2, 217, 2],
  [255, 147, 2],
  [212, 150, 70],
  [205, 131, 201],
  [201, 172, 36],
  [150, 179, 62],
  [95, 188, 122],
  [129, 173, 190],
  [231, 107, 119],
];

/** RGB (0–255) of the i-th selected cluster (0 = first); the palette repeats after 13. */
export function selectionRgb(i: number): readonly [number, number, number] {
  const n = SELECTION_PALETTE.length;
  return SELECTION_PALETTE[((i % n) + n) % n];
}

/** CSS colour (`#rrggbb`) of the i-th selected cluster. */
export function selectionColor(i: number): string {
  const [r, g, b] = selectionRgb(i);
  return '#' + [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** RGB as 0–1 floats, for WebGL attributes. */
export function selectionRgbFloat(i: number): [number, number, number] {
  const [r, g, b] = selectionRgb(i);
  return [r / 255, g / 255, b / 255];
}

/** Grey of background spikes (phy: 0.5 grey). */
export const BACKGROUND_SPIKE_COLOR = '#808080';

/**
 * Row text colour by group, as in phy's cluster table: good green, mua grey, noise darker grey,
 * unsorted/none the default text colour (returns null).
 */
export function groupColor(group: string | null | undefined): string | null {
  switch (group) {
    case 'good':
      return 'var(--group-good)';
    case 'mua':
      return 'var(--group-mua)';
    case 'noise':
      return 'var(--group-noise)';
    default:
      return null;
  }
}
