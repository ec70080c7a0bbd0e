/**
 * A SpikeInterface curation file (format "1" or "2", `spikeinterface/curation/curation_model.py`:
 * `Curation`, `convert_old_format`) turned into the ordinary actions of a session — label, merge,
 * split — so that applying it is journaled and undoable like any curation (issue #15, slice 4,
 * "curation in"). The file speaks of the sorter's units: each unit id is resolved to a cluster of
 * the session (the dataset's unit-id mapping, or the id itself), and split indices are positions
 * in that cluster's spike train, taken before any action runs (SpikeInterface's semantics:
 * labels, merges and splits all name the original units).
 *
 * - `manual_labels`: `quality` (`good`, `mua`/`MUA`, `noise`) → the cluster's group; other labels
 *   → a label field of that name (values joined by `,`);
 * - `merges` (v2: list of `{unit_ids}`, list of lists, or `{new_id: unit_ids}`) /
 *   `merge_unit_groups` (v1) → one merge each;
 * - `splits` (v2, `mode: "indices"`) → one split per piece but the last (the rest);
 * - `removed` (v2) / `removed_units` (v1) → group `noise` (phy does not delete units).
 */

import type { SiUnitId } from './curationFormat';

/** One action of a {@link SiCurationPlan}. */
export type SiCurationAction =
  | { op: 'label'; clusters: number[]; group: string }
  | { op: 'label'; clusters: number[]; field: string; value: string }
  | { op: 'merge'; clusters: number[] }
  | { op: 'split'; spikes: number[] };

/** What a curation file asks for, in session terms; `problems` are sentences, one per skipped entry. */
export interface SiCurationPlan {
  actions: SiCurationAction[];
  problems: string[];
}

const GROUPS: Record<string, string> = { good: 'good', mua: 'mua', noise: 'noise' };

/**
 * @param json the parsed file
 * @param cluster the session's cluster of a unit id, undefined when none
 * @param spikeIds a cluster's spike ids, ascending (its spike train)
 */
export function siCurationPlan(json: unknown, cluster: (unitId: SiUnitId) => number | undefined, spikeIds: (clusterId: number) => ArrayLike<number>): SiCurationPlan {
  const problems: string[] = [];
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { actions: [], problems: ['not a SpikeInterface curation (expected one JSON object)'] };
  const o = json as Record<string, unknown>;
  if ('curation_steps' in o) return { actions: [], problems: ['a sequence of curations (curation_steps) is not supported; apply one curation object'] };
  const version = String(o.format_version ?? '');
  if (version !== '1' && version !== '2') return { actions: [], problems: [`format_version ${JSON.stringify(o.format_version)} is not supported (SpikeInterface's curation formats are "1" and "2")`] };
  const resolve = (u: unknown, where: string): number | undefined => {
    const c = typeof u === 'number' || typeof u === 'string' ? cluster(u) : undefined;
    if (c === undefined) problems.push(`${where}: unit ${JSON.stringify(u)} is no cluster of this dataset; skipped`);
    return c;
  };
  const labels: SiCurationAction[] = [];
  for (const [i, l] of ((o.manual_labels ?? []) as Array<Record<string, unknown>>).entries()) {
    const c = resolve(l.unit_id, `manual_labels[${i}]`);
    if (c === undefined) continue;
    // v2: {unit_id, labels: {key: [values]}}; v1: {unit_id, key: [values]}.
    const entries = version === '2' ? Object.entries((l.labels ?? {}) as Record<string, unknown>) : Object.entries(l).filter(([k]) => k !== 'unit_id');
    for (const [key, v] of entries) {
      const values = (Array.isArray(v) ? v : [v]).map(String);
      if (key === 'quality' && values.length === 1 && GROUPS[values[0].toLowerCase()]) labels.push({ op: 'label', clusters: [c], group: GROUPS[values[0].toLowerCase()] });
      else if (values.length) labels.push({ op: 'label', clusters: [c], field: key, value: values.join(',') });
    }
  }
  const merges: SiCurationAction[] = [];
  const rawMerges = version === '2' ? o.merges : o.merge_unit_groups;
  const groups: Array<[string, unknown]> = Array.isArray(rawMerges)
    ? rawMerges.map((m, i) => [`merges[${i}]`, m && typeof m === 'object' && !Array.isArray(m) ? (m as { unit_ids?: unknown }).unit_ids : m])
    : rawMerges && typeof rawMerges === 'object' ? Object.entries(rawMerges as Record<string, unknown>).map(([k, v]) => [`merges["${k}"]`, v]) : [];
  for (const [where, ids] of groups) {
    if (!Array.isArray(ids)) {
      problems.push(`${where} is not a list of unit ids; skipped`);
      continue;
    }
    const cs = ids.map((u) => resolve(u, where));
    if (cs.some((c) => c === undefined)) continue;
    if (new Set(cs).size < 2) problems.push(`${where} has fewer than 2 units; skipped`);
    else merges.push({ op: 'merge', clusters: cs as number[] });
  }
  // Split pieces by spike id, from the trains before any action (merged units are not split: the model forbids it).
  const splits: SiCurationAction[] = [];
  for (const [i, sp] of ((version === '2' ? o.splits ?? [] : []) as Array<Record<string, unknown>>).entries()) {
    const where = `splits[${i}]`;
    if ((sp.mode ?? 'indices') !== 'indices') {
      problems.push(`${where}: mode ${JSON.stringify(sp.mode)} is not applied (only "indices")`);
      continue;
    }
    const c = resolve(sp.unit_id, where);
    if (c === undefined) continue;
    const train = spikeIds(c);
    const pieces = (Array.isArray(sp.indices) ? sp.indices : []) as unknown[];
    const spikes = pieces.map((p) => (Array.isArray(p) ? p : []).map((k) => (Number.isInteger(k) && (k as number) >= 0 && (k as number) < train.length ? train[k as number] : -1)));
    if (spikes.some((p) => p.includes(-1))) {
      problems.push(`${where}: an index is outside unit ${JSON.stringify(sp.unit_id)}'s ${train.length} spikes; skipped`);
      continue;
    }
    const covered = spikes.reduce((n, p) => n + p.length, 0);
    // The last piece is the rest when the pieces cover the whole train.
    const moved = covered === train.length ? spikes.slice(0, -1) : spikes;
    for (const p of moved) if (p.length) splits.push({ op: 'split', spikes: p });
  }
  const removed: SiCurationAction[] = [];
  for (const u of ((version === '2' ? o.removed : o.removed_units) ?? []) as unknown[]) {
    const c = resolve(u, 'removed');
    if (c !== undefined) removed.push({ op: 'label', clusters: [c], group: 'noise' });
  }
  return { actions: [...labels, ...removed, ...merges, ...splits], problems };
}

/**
 * The session's cluster of a unit id: through the dataset's mapping when its unit ids are not
 * its cluster ids (`unitIds` / `unitClusterIds`), else the id itself (an integer, or a string of
 * digits) when that cluster exists.
 */
export function unitIdResolver(mapping: { unitIds: readonly SiUnitId[]; unitClusterIds: Int32Array } | null, exists: (clusterId: number) => boolean): (u: SiUnitId) => number | undefined {
  if (mapping) {
    const byId = new Map<string, number>(mapping.unitIds.map((u, i) => [`${typeof u}:${String(u)}`, mapping.unitClusterIds[i]]));
    return (u) => {
      const c = byId.get(`${typeof u}:${String(u)}`) ?? byId.get(`${typeof u === 'number' ? 'string' : 'number'}:${String(u)}`);
      return c !== undefined && exists(c) ? c : undefined;
    };
  }
  return (u) => {
    const id = typeof u === 'number' ? u : /^\d+$/.test(u.trim()) ? Number(u.trim()) : NaN;
    return Number.isSafeInteger(id) && id >= 0 && exists(id) ? id : undefined;
  };
}
