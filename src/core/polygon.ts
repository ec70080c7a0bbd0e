/**
 * Point-in-polygon by the even-odd rule, shared by lasso splits (main, over all spikes of the
 * clusters) and lasso selection in the renderer.
 *
 * @param polygon (nVertices, 2) interleaved x, y in the same units as the point
 */
export function insidePolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  const n = polygon.length / 2;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i];
    const yi = polygon[2 * i + 1];
    const xj = polygon[2 * j];
    const yj = polygon[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
