/**
 * Export of a curation as SpikeInterface's curation format version 2 — always one `Curation`
 * object (`spikeinterface/curation/curation_model.py`, class `Curation`), the shape that
 * `load_curation` (`curation_format.py`, which builds `Curation(**json)`) and `apply_curation`
 * accept. It describes the *net* change from the sorter's units (`unit_ids` = the ids of the
 * sorter's `spike_clusters`, the base of the session) to the clusters now in
 * `spike_clusters.npy`; every new id it names is a cluster of that file, never an intermediate.
 *
 * - `merges` `{unit_ids, new_unit_id}`: a final cluster made of whole original units;
 * - `splits` `{unit_id, mode: "indices", indices, new_unit_ids}`: an original unit divided into
 *   final clusters (indices = positions in the unit's spike train, in spike order; a unit whose
 *   spikes all moved to one new id is unchanged to SpikeInterface — a one-piece split and a
 *   one-unit merge are both refused by `apply_curation` — and its new id is listed in
 *   `spikedock_unexpressed`);
 * - `manual_labels` `{unit_id, labels: {quality: [group]}}` (good / mua / noise): SpikeInterface
 *   labels only the units a model starts from, so a unit is labelled with the group of the
 *   cluster(s) its spikes are in now when that is one group;
 * - `removed`: always empty (phy's workflow labels noise, it does not delete).
 *
 * One model cannot state a final cluster made of a *piece* of a split unit together with other
 * spikes (`curation_model.py` forbids a unit that is both merged and split, and a split's new id
 * shared with a merge or another split would give duplicate unit ids when applied). Such final
 * clusters are left out of `merges`/`splits` (their units look unchanged to SpikeInterface) and
 * listed in the extra key `spikedock_unexpressed` (ignored by SpikeInterface's pydantic model):
 * `spike_clusters.npy` holds them exactly.
 */

import type { Dataset } from '../dataset/Dataset';

/** `label_definitions` entry. */
export interface SiLabelDefinition {
  name: string;
  label_options: string[];
  exclusive: boolean;
}

/** A unit id of SpikeInterface: an integer or a string (`int | str` in `curation_model.py`). */
export type SiUnitId = number | string;

/** A final cluster the model cannot state: which original units' spikes (positions) it holds. */
export interface SiUnexpressed<U extends SiUnitId = number> {
  new_unit_id: U;
  from: Array<{ unit_id: U; indices: number[] }>;
}

/**
 * One curation (format_version "2"). `U` is `number` while units are named by cluster ids
 * ({@link spikeInterfaceCuration}), `SiUnitId` once named by the sorting's own unit ids
 * ({@link inOriginalUnitIds}).
 */
export interface SiCurationModel<U extends SiUnitId = number> {
  format_version: '2';
  unit_ids: U[];
  label_definitions: Record<string, SiLabelDefinition>;
  manual_labels: Array<{ unit_id: U; labels: Record<string, string[]> }>;
  merges: Array<{ unit_ids: U[]; new_unit_id: U }>;
  splits: Array<{ unit_id: U; mode: 'indices'; indices: number[][]; new_unit_ids: U[] }>;
  removed: U[];
  /** Final clusters one model cannot state (see the module comment); absent when none. */
  spikedock_unexpressed?: Array<SiUnexpressed<U>>;
  /**
   * Written by {@link inOriginalUnitIds} when a unit id is not its cluster id: the cluster of
   * `spike_clusters.npy` each new unit id names (`String(new id)` → cluster id). Extra key,
   * ignored by SpikeInterface's model.
   */
  spikedock_cluster_ids?: Record<string, number>;
}

const QUALITY: SiLabelDefinition = { name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true };

/**
 * Builds the export from the base assignment (the sorter's, `(nSpikes,)`) and the current one
 * (`(nSpikes,)`). `group` gives a final cluster's group. O(nSpikes), touching maps only for
 * changed spikes.
 */
export function spikeInterfaceCuration(base: Int32Array, current: Int32Array, group: (clusterId: number) => string | null): SiCurationModel {
  // Per changed original unit: spike positions in its train, grouped by final cluster.
  const pieces = new Map<number, Map<number, number[]>>();
  const origins = new Map<number, Set<number>>();
  const rank = new Map<number, number>();
  // Presence of ids in bitmaps: a Set.add per spike would cost ~30 ns × nSpikes.
  let maxBase = 0;
  for (let i = 0; i < base.length; i++) if (base[i] > maxBase) maxBase = base[i];
  const present = new Uint8Array(maxBase + 1);
  // Base units that keep at least one spike under their own id.
  const kept = new Uint8Array(maxBase + 1);
  for (let i = 0; i < base.length; i++) {
    const b = base[i];
    const f = current[i];
    present[b] = 1;
    if (b === f) {
      kept[b] = 1;
      continue;
    }
    const r = rank.get(b) ?? 0;
    rank.set(b, r + 1);
    let byFinal = pieces.get(b);
    if (!byFinal) pieces.set(b, (byFinal = new Map()));
    let l = byFinal.get(f);
    if (!l) byFinal.set(f, (l = []));
    l.push(r);
    let o = origins.get(f);
    if (!o) origins.set(f, (o = new Set()));
    o.add(b);
  }
  const unitIds: number[] = [];
  for (let b = 0; b <= maxBase; b++) if (present[b]) unitIds.push(b);
  const m: SiCurationModel = { format_version: '2', unit_ids: unitIds, label_definitions: { quality: QUALITY }, manual_labels: [], merges: [], splits: [], removed: [] };

  // Positions are ranks among the unit's *changed* spikes; SpikeInterface indexes the whole
  // train. A unit with kept spikes cannot be restated (its own id would be a new id), so it and
  // its finals are unexpressed; otherwise the changed spikes are the whole train.
  const whole = (b: number) => !kept[b] && pieces.get(b)!.size === 1;
  const unexpressed = new Set<number>();
  for (const [f, o] of origins) {
    const fromSplit = [...o].some((b) => !whole(b));
    if (o.size > 1 && fromSplit) unexpressed.add(f);
    if (f <= maxBase && present[f]) unexpressed.add(f); // an original id reused for other spikes
    for (const b of o) if (kept[b]) unexpressed.add(f);
  }
  // A unit with a piece in an unexpressed cluster is left out whole.
  const leftOut = new Set<number>();
  for (const f of unexpressed) for (const b of origins.get(f)!) leftOut.add(b);
  let grew = true;
  while (grew) {
    grew = false;
    for (const b of leftOut) {
      for (const f of pieces.get(b)!.keys()) {
        if (!unexpressed.has(f)) {
          unexpressed.add(f);
          for (const b2 of origins.get(f)!) if (!leftOut.has(b2)) leftOut.add(b2);
          grew = true;
        }
      }
    }
  }

  for (const [f, o] of [...origins.entries()].sort((x, y) => x[0] - y[0])) {
    if (unexpressed.has(f) || o.size < 2) continue;
    m.merges.push({ unit_ids: [...o].sort((a, b) => a - b), new_unit_id: f });
  }
  // A unit moved whole to one new id is the same unit to SpikeInterface: a one-piece split is
  // refused by apply_curation (`check_unit_splits_consistency`: at least two pieces), so its new
  // id is only in spikedock_unexpressed, its labels stay.
  const renamed: number[] = [];
  for (const b of [...pieces.keys()].sort((x, y) => x - y)) {
    if (leftOut.has(b)) continue;
    const byFinal = [...pieces.get(b)!.entries()].sort((x, y) => x[0] - y[0]);
    // Whole units in a merge are stated by the merge.
    if (byFinal.length === 1 && origins.get(byFinal[0][0])!.size > 1) continue;
    if (byFinal.length === 1) renamed.push(byFinal[0][0]);
    else m.splits.push({ unit_id: b, mode: 'indices', indices: byFinal.map(([, idx]) => idx), new_unit_ids: byFinal.map(([f]) => f) });
  }
  if (unexpressed.size || renamed.length) {
    m.spikedock_unexpressed = [...unexpressed, ...renamed]
      .sort((a, b) => a - b)
      .map((f) => ({ new_unit_id: f, from: [...origins.get(f)!].sort((a, b) => a - b).map((b) => ({ unit_id: b, indices: pieces.get(b)!.get(f)! })) }));
  }

  // Labels: the group of the cluster(s) a unit's spikes are in now, when that is one group.
  for (const u of unitIds) {
    const finals = leftOut.has(u) ? [] : [...(pieces.get(u)?.keys() ?? []), ...(kept[u] ? [u] : [])];
    const groups = new Set(finals.map((f) => group(f)));
    const g = groups.size === 1 ? [...groups][0] : null;
    if (g === 'good' || g === 'mua' || g === 'noise') m.manual_labels.push({ unit_id: u, labels: { quality: [g] } });
  }
  return m;
}

/**
 * Checks a curation object against the rules of SpikeInterface's `Curation` model
 * (`curation_model.py`: `check_manual_labels`, `check_merges`, `check_splits`, `check_removed`,
 * `validate_curation_dict`) for format version 2. Returns the problems found (empty when valid),
 * each one sentence naming the offending entry.
 */
export function siCurationProblems(c: unknown): string[] {
  const out: string[] = [];
  if (!c || typeof c !== 'object' || Array.isArray(c)) return ['not a JSON object'];
  const o = c as Record<string, unknown>;
  if ('curation_steps' in o) out.push('a sequence of curations (curation_steps), not one Curation object');
  if (o.format_version !== '2') out.push(`format_version must be "2" (got ${JSON.stringify(o.format_version)})`);
  if (!Array.isArray(o.unit_ids)) return [...out, 'unit_ids must be a list'];
  const units = new Set(o.unit_ids as unknown[]);
  if (units.size !== (o.unit_ids as unknown[]).length) out.push('unit_ids has duplicates');
  const defs = (o.label_definitions ?? {}) as Record<string, { label_options?: unknown[]; exclusive?: unknown }>;
  for (const [k, d] of Object.entries(defs)) {
    if (!Array.isArray(d.label_options) || d.label_options.length < 2) out.push(`label_definitions.${k}.label_options needs at least 2 options`);
    if (typeof d.exclusive !== 'boolean') out.push(`label_definitions.${k}.exclusive must be a boolean`);
  }
  const labels = (o.manual_labels ?? []) as Array<{ unit_id: unknown; labels?: Record<string, unknown> }>;
  for (const l of labels) {
    if (!units.has(l.unit_id)) out.push(`manual label of unit ${String(l.unit_id)}: not in unit_ids`);
    for (const [k, v] of Object.entries(l.labels ?? {})) {
      if (!(k in defs)) out.push(`manual label of unit ${String(l.unit_id)}: unknown label ${k}`);
      else if (!Array.isArray(v)) out.push(`manual label of unit ${String(l.unit_id)}: ${k} must be a list`);
      else if (defs[k].exclusive && v.length > 1) out.push(`manual label of unit ${String(l.unit_id)}: ${k} is exclusive, got ${v.length} values`);
    }
  }
  const merges = (o.merges ?? []) as Array<{ unit_ids: unknown[]; new_unit_id?: unknown }>;
  const merged = new Set<unknown>();
  for (const mg of merges) {
    for (const u of mg.unit_ids) {
      if (!units.has(u)) out.push(`merge into ${String(mg.new_unit_id)}: unit ${String(u)} is not in unit_ids`);
      if (merged.has(u)) out.push(`unit ${String(u)} belongs to several merge groups`);
      merged.add(u);
    }
    if (mg.unit_ids.length < 2) out.push(`merge into ${String(mg.new_unit_id)}: a merge needs at least 2 units`);
    if (mg.new_unit_id !== undefined && mg.new_unit_id !== null && units.has(mg.new_unit_id) && !mg.unit_ids.includes(mg.new_unit_id)) out.push(`merge new id ${String(mg.new_unit_id)} is already in unit_ids`);
  }
  const splits = (o.splits ?? []) as Array<{ unit_id: unknown; mode?: unknown; indices?: number[][]; labels?: unknown[]; new_unit_ids?: unknown[] }>;
  const split = new Set<unknown>();
  for (const sp of splits) {
    const mode = sp.mode ?? 'indices';
    split.add(sp.unit_id);
    if (!units.has(sp.unit_id)) out.push(`split of unit ${String(sp.unit_id)}: not in unit_ids`);
    if (mode === 'indices') {
      if (!Array.isArray(sp.indices) || sp.indices.length < 1) out.push(`split of unit ${String(sp.unit_id)}: no indices`);
      else {
        const all = sp.indices.flat();
        if (new Set(all).size !== all.length) out.push(`split of unit ${String(sp.unit_id)}: duplicate indices`);
        if (sp.new_unit_ids && sp.new_unit_ids.length !== sp.indices.length && sp.new_unit_ids.length !== sp.indices.length + 1) out.push(`split of unit ${String(sp.unit_id)}: ${sp.new_unit_ids.length} new ids for ${sp.indices.length} pieces`);
      }
    } else if (mode === 'labels') {
      if (!Array.isArray(sp.labels) || sp.labels.length === 0) out.push(`split of unit ${String(sp.unit_id)}: no labels`);
    } else out.push(`split of unit ${String(sp.unit_id)}: unknown mode ${JSON.stringify(mode)}`);
    for (const n of sp.new_unit_ids ?? []) if (units.has(n)) out.push(`split of unit ${String(sp.unit_id)}: new id ${String(n)} is already in unit_ids`);
  }
  const removed = (o.removed ?? []) as unknown[];
  for (const u of removed) {
    if (!units.has(u)) out.push(`removed unit ${String(u)} is not in unit_ids`);
    if (merged.has(u)) out.push(`unit ${String(u)} is merged and removed`);
    if (split.has(u)) out.push(`unit ${String(u)} is split and removed`);
  }
  for (const u of merged) if (split.has(u)) out.push(`unit ${String(u)} is both merged and split`);
  return out;
}

/**
 * Applies a curation of {@link spikeInterfaceCuration}'s kind to a base assignment, as
 * SpikeInterface's `apply_curation` does (merges, then splits by indices into the unit's spike
 * train), plus the clusters listed in `spikedock_unexpressed`: the assignment it describes,
 * `(nSpikes,)` int32. Our own reader of `curation.json`, used to check a save round-trips.
 */
export function applySiCuration(base: Int32Array, c: SiCurationModel): Int32Array {
  const out = base.slice();
  const trains = new Map<number, number[]>();
  for (let i = 0; i < base.length; i++) {
    let t = trains.get(base[i]);
    if (!t) trains.set(base[i], (t = []));
    t.push(i);
  }
  for (const mg of c.merges) for (const u of mg.unit_ids) for (const i of trains.get(u) ?? []) out[i] = mg.new_unit_id;
  for (const sp of c.splits) {
    const t = trains.get(sp.unit_id) ?? [];
    sp.indices.forEach((idx, k) => {
      for (const p of idx) out[t[p]] = sp.new_unit_ids[k];
    });
  }
  for (const u of c.spikedock_unexpressed ?? []) {
    for (const part of u.from) {
      const t = trains.get(part.unit_id) ?? [];
      for (const p of part.indices) out[t[p]] = u.new_unit_id;
    }
  }
  return out;
}

/** How a session's clusters are named in the sorting's own unit ids. */
export interface SiUnitNaming {
  /** The sorting's unit ids, in unit-index order (`Dataset.analyzer.unitIds` / `Dataset.nwb.unitIds`). */
  unitIds: readonly SiUnitId[];
  /** (nUnits,) cluster id of each unit index. */
  unitClusterIds: Int32Array;
}

/**
 * Renames a curation stated in cluster ids ({@link spikeInterfaceCuration}) into the sorting's
 * own unit ids, as `apply_curation` needs them: `unit_ids` and every original unit named by its
 * id, and every new unit (merge, split piece, unexpressed cluster) named as SpikeInterface's
 * `new_id_strategy="append"` names new units (`core/sorting_tools.py`,
 * `generate_unit_ids_for_merge_group` / `generate_unit_ids_for_split`): integer ids → max + 1,
 * + 2, …; strings that are all digits → the same numbers as strings; other strings →
 * `merge<i>` for a merge (and an unexpressed cluster), `<unit>-split<i>` for the i-th piece of a
 * split. A generated name that is already a unit id (or another new id) gets `_<n>`, so new ids
 * never collide with original ones (`check_merges` / `check_splits` refuse that). The cluster
 * behind each new id is kept in `spikedock_cluster_ids`.
 *
 * Returns a sentence instead when the ids cannot name the units one to one: repeated unit ids,
 * or a unit of the curation (a cluster of the session's base) that is no unit of the sorting.
 */
export function inOriginalUnitIds(m: SiCurationModel, naming: SiUnitNaming): SiCurationModel<SiUnitId> | string {
  const { unitIds, unitClusterIds } = naming;
  if (new Set(unitIds).size !== unitIds.length) return 'the sorting has repeated unit ids, so SpikeInterface cannot name its units one to one';
  const unitOf = new Map<number, SiUnitId>();
  unitClusterIds.forEach((c, i) => unitOf.set(c, unitIds[i]));
  const missing = m.unit_ids.filter((c) => !unitOf.has(c));
  if (missing.length) return `cluster${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} of the session's base ${missing.length > 1 ? 'are' : 'is'} no unit of the sorting (a save read back without its journal): the curation cannot be stated against the sorter's units`;
  const old = (c: number) => unitOf.get(c)!;
  const integers = unitIds.every((u) => typeof u === 'number' && Number.isInteger(u));
  const digits = !integers && unitIds.every((u) => /^[0-9]+$/.test(String(u)));
  const taken = new Set<string>(unitIds.map(String));
  let next = integers || digits ? Math.max(-1, ...unitIds.map(Number)) + 1 : 0;
  let merges = 0;
  const clusterOf: Record<string, number> = {};
  const fresh = (cluster: number, name: () => string): SiUnitId => {
    let id: SiUnitId;
    if (integers) id = next++;
    else if (digits) id = String(next++);
    else {
      const base = name();
      let n = 2;
      id = base;
      while (taken.has(id)) id = `${base}_${n++}`;
    }
    taken.add(String(id));
    clusterOf[String(id)] = cluster;
    return id;
  };
  const newIds = new Map<number, SiUnitId>();
  const named = (cluster: number, name: () => string) => {
    let id = newIds.get(cluster);
    if (id === undefined) newIds.set(cluster, (id = fresh(cluster, name)));
    return id;
  };
  const out: SiCurationModel<SiUnitId> = {
    format_version: '2',
    unit_ids: m.unit_ids.map(old),
    label_definitions: m.label_definitions,
    manual_labels: m.manual_labels.map((l) => ({ unit_id: old(l.unit_id), labels: l.labels })),
    merges: m.merges.map((mg) => ({ unit_ids: mg.unit_ids.map(old), new_unit_id: named(mg.new_unit_id, () => `merge${merges++}`) })),
    splits: m.splits.map((sp) => ({
      unit_id: old(sp.unit_id),
      mode: 'indices',
      indices: sp.indices,
      new_unit_ids: sp.new_unit_ids.map((c, i) => named(c, () => `${String(old(sp.unit_id))}-split${i}`)),
    })),
    removed: m.removed.map(old),
  };
  if (m.spikedock_unexpressed) {
    out.spikedock_unexpressed = m.spikedock_unexpressed.map((u) => ({
      new_unit_id: named(u.new_unit_id, () => `merge${merges++}`),
      from: u.from.map((p) => ({ unit_id: old(p.unit_id), indices: p.indices })),
    }));
  }
  out.spikedock_cluster_ids = clusterOf;
  return out;
}

/**
 * The curation of a session over `dataset`, in the sorting's own unit ids: the base assignment
 * (`(nSpikes,)`, the journal's) against the current one. An analyzer or NWB file whose unit ids
 * are not its cluster ids is renamed by {@link inOriginalUnitIds}; other inputs name units by
 * their cluster ids. A string says why no file can be written.
 */
export function datasetSiCuration(dataset: Pick<Dataset, 'analyzer' | 'nwb'>, base: Int32Array, current: Int32Array, group: (clusterId: number) => string | null): SiCurationModel<SiUnitId> | string {
  const m = spikeInterfaceCuration(base, current, group);
  const mapped = dataset.analyzer?.idsMapped ? dataset.analyzer : dataset.nwb?.idsMapped ? dataset.nwb : null;
  return mapped ? inOriginalUnitIds(m, mapped) : m;
}
