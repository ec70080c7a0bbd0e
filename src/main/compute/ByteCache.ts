/**
 * A least-recently-used cache capped in bytes (typed-array payloads counted), with an index from
 * cluster id to the entries that depend on it, so an UpdateInfo drops exactly what it
 * invalidates.
 */

/** Bytes of the typed arrays reachable from a value (shallow objects and arrays). */
export function payloadBytes(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > 5) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += payloadBytes(v, depth + 1);
  return n;
}

interface Entry {
  value: unknown;
  bytes: number;
  clusterIds: number[];
}

export class ByteCache {
  private readonly map = new Map<string, Entry>();
  private readonly byCluster = new Map<number, Set<string>>();
  private total = 0;

  constructor(readonly capacityBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.map.size;
  }

  get<T>(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value as T;
  }

  set(key: string, value: unknown, clusterIds: number[]): void {
    this.delete(key);
    const bytes = payloadBytes(value) + 256;
    if (bytes > this.capacityBytes) return;
    this.map.set(key, { value, bytes, clusterIds });
    this.total += bytes;
    for (const c of clusterIds) {
      let s = this.byCluster.get(c);
      if (!s) this.byCluster.set(c, (s = new Set()));
      s.add(key);
    }
    while (this.total > this.capacityBytes) this.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    const e = this.map.get(key);
    if (!e) return;
    this.map.delete(key);
    this.total -= e.bytes;
    for (const c of e.clusterIds) this.byCluster.get(c)?.delete(key);
  }

  /** Drops every entry that depends on one of `clusterIds`. */
  invalidateClusters(clusterIds: number[]): void {
    for (const c of clusterIds) {
      for (const key of [...(this.byCluster.get(c) ?? [])]) this.delete(key);
      this.byCluster.delete(c);
    }
  }

  clear(): void {
    this.map.clear();
    this.byCluster.clear();
    this.total = 0;
  }
}
