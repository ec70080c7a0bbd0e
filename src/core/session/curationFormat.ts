/**
 * Export of a curation as SpikeInterface's curation format (version 2,
 * `spikeinterface.curation.curation_model.CurationModel`), so `apply_curation` can replay it.
 *
 * The format describes the *net* change from the sorter's units to the final clusters, relative
 * to the original unit ids: `merges` ({unit_ids, new_unit_id}) for final clusters that are
 * unions of whole original units, `splits` ({unit_id, mode: "indices", indices, new_unit_ids})
 * for original units divided into final clusters (indices = positions in the unit's spike train,
 * which is in spike order), `manual_labels` ({unit_id, labels: {quality: [group]}}) for clusters
 * labelled good / mua / noise. A model may only label the units it starts from and may not
 * merge and split the same unit, so when the curation needs it the export is a
 * `SequentialCuration` (`{curation_steps: [...]}`): splits, then merges, then labels of the
 * final clusters — each step's new ids are the next step's `unit_ids`.
 */

/** `label_definitions` entry. */
export interface SiLabelDefinition {
  name: string;
  label_options: string[];
  exclusive: boolean;
}

/** One curation model (format_version "2"). */
export interface SiCurationModel {
  format_version: '2';
  unit_ids: number[];
  label_definitions: Record<string, SiLabelDefinition>;
  manual_labels: Array<{ unit_id: number; labels: Record<string, string[]> }>;
  merges: Array<{ unit_ids: number[]; new_unit_id: number }>;
  splits: Array<{ unit_id: number; mode: 'indices'; indices: number[][]; new_unit_ids: number[] }>;
  removed: number[];
}

/** A single model, or a sequence of models applied in order. */
export type SiCuration = SiCurationModel | { curation_steps: SiCurationModel[] };

const QUALITY: SiLabelDefinition = { name: 'quality', label_options: ['good', 'mua', 'noise'], exclusive: true };

function model(unitIds: number[]): SiCurationModel {
  return { format_version: '2', unit_ids: unitIds, label_definitions: { quality: QUALITY }, manual_labels: [], merges: [], splits: [], removed: [] };
}

/**
 * Builds the export from the base assignment (the sorter's, `(nSpikes,)`) and the current one.
 * `group` gives each final cluster's group. `firstFreeId` is an id above every id used, for
 * intermediate units of a sequential export. O(nSpikes), touching maps only for changed spikes.
 */
export function spikeInterfaceCuration(base: Int32Array, current: Int32Array, finalIds: readonly number[], group: (clusterId: number) => string | null, firstFreeId: number): SiCuration {
  const baseIds = new Set<number>();
  // Per changed original unit: spike positions in its train, grouped by final cluster.
  const pieces = new Map<number, Map<number, number[]>>();
  const origins = new Map<number, Set<number>>();
  const rank = new Map<number, number>();
  // Presence of base ids in a bitmap: a Set.add per spike would cost ~30 ns × nSpikes.
  let maxBase = 0;
  for (let i = 0; i < base.length; i++) if (base[i] > maxBase) maxBase = base[i];
  const present = new Uint8Array(maxBase + 1);
  for (let i = 0; i < base.length; i++) {
    const b = base[i];
    const f = current[i];
    present[b] = 1;
    if (b === f) continue;
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
  for (let b = 0; b <= maxBase; b++) if (present[b]) baseIds.add(b);
  const unitIds = [...baseIds].sort((a, b) => a - b);
  const labelled = (ids: readonly number[]) =>
    ids.flatMap((id) => {
      const g = group(id);
      return g === 'good' || g === 'mua' || g === 'noise' ? [{ unit_id: id, labels: { quality: [g] } }] : [];
    });
  if (pieces.size === 0) {
    const m = model(unitIds);
    m.manual_labels = labelled(unitIds);
    return m;
  }
  const splitUnits = [...pieces.keys()].filter((b) => pieces.get(b)!.size > 1).sort((a, b) => a - b);
  const mergedFinals = [...origins.keys()].filter((f) => origins.get(f)!.size > 1).sort((a, b) => a - b);
  // A unit both split and (partly) merged needs two steps: split it, then merge the pieces.
  const mixed = mergedFinals.some((f) => [...origins.get(f)!].some((b) => pieces.get(b)!.size > 1));
  const steps: SiCurationModel[] = [];
  if (!mixed) {
    const m = model(unitIds);
    for (const b of splitUnits) {
      const byFinal = [...pieces.get(b)!.entries()].sort((x, y) => x[0] - y[0]);
      m.splits.push({ unit_id: b, mode: 'indices', indices: byFinal.map(([, idx]) => idx), new_unit_ids: byFinal.map(([f]) => f) });
    }
    for (const f of mergedFinals) m.merges.push({ unit_ids: [...origins.get(f)!].sort((a, b) => a - b), new_unit_id: f });
    // A changed unit with one final cluster and one origin is a relabelling of ids only: a 1-unit "merge" is not allowed, so it is a split into one piece.
    for (const [b, byFinal] of pieces) {
      if (byFinal.size !== 1) continue;
      const [f, idx] = [...byFinal.entries()][0];
      if (origins.get(f)!.size === 1) m.splits.push({ unit_id: b, mode: 'indices', indices: [idx], new_unit_ids: [f] });
    }
    m.splits.sort((x, y) => x.unit_id - y.unit_id);
    steps.push(m);
  } else {
    let nextId = firstFreeId;
    const s1 = model(unitIds);
    // pieceId[b][f]: the id of b's piece that ends in final cluster f.
    const pieceId = new Map<string, number>();
    for (const b of [...pieces.keys()].sort((x, y) => x - y)) {
      const byFinal = [...pieces.get(b)!.entries()].sort((x, y) => x[0] - y[0]);
      if (byFinal.length === 1) {
        // Not divided: the unit enters the merge step under its own id.
        pieceId.set(`${b}:${byFinal[0][0]}`, b);
        continue;
      }
      const ids = byFinal.map(([f]) => (origins.get(f)!.size === 1 ? f : nextId++));
      byFinal.forEach(([f], i) => pieceId.set(`${b}:${f}`, ids[i]));
      s1.splits.push({ unit_id: b, mode: 'indices', indices: byFinal.map(([, idx]) => idx), new_unit_ids: ids });
    }
    steps.push(s1);
    const afterSplit = [...new Set(unitIds.filter((b) => !pieces.has(b)).concat([...pieceId.values()]))].sort((a, b) => a - b);
    const s2 = model(afterSplit);
    for (const f of mergedFinals) {
      s2.merges.push({ unit_ids: [...origins.get(f)!].map((b) => pieceId.get(`${b}:${f}`)!).sort((a, b) => a - b), new_unit_id: f });
    }
    steps.push(s2);
  }
  const finals = [...finalIds].sort((a, b) => a - b);
  const manual = labelled(finals);
  // Labels of untouched units fit in the first step; labels of new clusters need a last step.
  if (manual.every((l) => baseIds.has(l.unit_id) && !pieces.has(l.unit_id))) steps[0].manual_labels = manual;
  else if (manual.length) {
    const labels = model(finals);
    labels.manual_labels = manual;
    steps.push(labels);
  }
  return steps.length === 1 ? steps[0] : { curation_steps: steps };
}
