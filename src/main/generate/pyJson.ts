/**
 * JSON as Python's `json.dumps` writes it (the files of a SpikeInterface analyzer): `", "` and
 * `": "` between items without `indent`, one item per line with it, and floats that are whole
 * numbers written with `.0` (`30000.0`) when wrapped in {@link PyFloat}.
 */

/** A number Python holds as a float (written `30000.0`, not `30000`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A Python-float number, or null/NaN → null (Python writes NaN, which JSON readers refuse). */
export function pyFloat(v: number | null): PyFloat | null {
  return v === null || !Number.isFinite(v) ? null : new PyFloat(v);
}

/** Serialises `v` as `json.dumps(v, indent=indent)` would. */
export function pyJson(v: unknown, indent?: number, level = 0): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof PyFloat) return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const items: string[] = Array.isArray(v)
    ? Array.from(v as unknown[], (x) => pyJson(x, indent, level + 1))
    : Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyJson(k)}: ${pyJson(x, indent, level + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return open + close;
  if (indent === undefined) return open + items.join(', ') + close;
  const pad = ' '.repeat(indent * (level + 1));
  return `${open}\n${pad}${items.join(`,\n${pad}`)}\n${' '.repeat(indent * level)}${close}`;
}
