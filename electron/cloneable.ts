/**
 * Makes a backend result safe for Electron IPC. Results are structured-cloned between processes,
 * which carries typed arrays as binary — except views on a SharedArrayBuffer (the dataset's
 * columns, shared with the worker pool), which cannot leave the process: those are copied into
 * ordinary buffers. Everything else is returned as is (no copy when nothing is shared).
 */
export function toCloneable<T>(value: T): T {
  return convert(value, new Map()) as T;
}

function convert(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (ArrayBuffer.isView(value)) {
    if (!(typeof SharedArrayBuffer !== 'undefined' && value.buffer instanceof SharedArrayBuffer)) return value;
    const Ctor = value.constructor as new (src: ArrayBufferView) => ArrayBufferView;
    const copy = value instanceof DataView ? new DataView(new Uint8Array(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).buffer) : new Ctor(value);
    seen.set(value, copy);
    return copy;
  }
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
    const copy = new Uint8Array(new Uint8Array(value)).buffer;
    seen.set(value, copy);
    return copy;
  }
  // Results are trees; a cycle (never expected) resolves to the original object instead of recursing forever.
  seen.set(value, value);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = convert(value[i], seen);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    const result = out ?? value;
    seen.set(value, result);
    return result;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value)) {
    const c = convert(v, seen);
    if (c !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = c;
  }
  const result = out ?? value;
  seen.set(value, result);
  return result;
}
