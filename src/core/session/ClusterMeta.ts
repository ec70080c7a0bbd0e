/**
 * Cluster metadata of a session: `group` (good / mua / noise / unsorted, or any string) and
 * custom labels (`cluster_<name>.tsv`), plus the sorter's read-only columns (KSLabel,
 * ContamPct, …). Changes are {@link MetaChange}s that the history undoes and redoes, in the
 * same stack as clustering changes.
 *
 * New clusters (merge/split): `group` and the labels the curator set are inherited as phy does
 * (one shared value is kept; on conflict the largest parent's value wins); sorter columns are
 * left empty, because a value such as ContamPct describes the parent's spikes, not the child's.
 */
import type { ClusterChange } from './ClusterLabels';

/** A metadata value; null = unset (phy writes nothing for it). */
export type MetaValue = string | number | null;

/** One field set on some clusters; `before[i]`/`after[i]` belong to `clusterIds[i]`. */
export interface MetaChange {
  field: string;
  clusterIds: number[];
  before: MetaValue[];
  after: MetaValue[];
}

/** The four groups phy knows. */
export const GROUPS = ['good', 'mua', 'noise', 'unsorted'] as const;

/** Longest label value accepted, in characters (phy's groups are ≤ 8; free text stays a cell). */
export const MAX_LABEL_LENGTH = 200;

/**
 * Why a label cannot be stored, or null when it can: the field name must be letters, digits,
 * `_ . -` (it becomes a file name, `cluster_<field>.tsv`, and a TSV header); a string value must
 * be at most {@link MAX_LABEL_LENGTH} characters without control characters (a tab or line
 * break in a value would write forged rows and columns into `cluster_group.tsv`); a number must
 * be finite. `null` (unset) is always valid.
 */
export function labelProblem(field: unknown, value: unknown): string | null {
  if (typeof field !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(field)) return `${JSON.stringify(field)} is not a valid field name (1–64 letters, digits, _ . -)`;
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `value ${String(value)} of ${field} is not a finite number`;
  if (typeof value !== 'string') return `value of ${field} must be a string, a number or null`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return `value ${JSON.stringify(value)} of ${field} contains a tab, line break or other control character`;
  if (value.length > MAX_LABEL_LENGTH) return `value of ${field} is ${value.length} characters long (at most ${MAX_LABEL_LENGTH})`;
  return null;
}

export class ClusterMeta {
  private readonly fields = new Map<string, Map<number, string | number>>();
  /** Columns read from the sorter's files: shown and saved in cluster_info.tsv, never inherited. */
  readonly sorterFields = new Set<string>();
  /** Fields the curator has set in this session (besides `group`): inherited, saved as cluster_<field>.tsv. */
  readonly userFields = new Set<string>();
  /** Number of applied label changes per cluster: > 0 means "labelled" (counts as reviewed). */
  private readonly labelled = new Map<number, number>();

  /**
   * `groups` are the saved groups; `columns` the sorter's columns (name → id → value).
   * `userFields` names columns that are the curator's own labels (inherited, written back).
   */
  constructor(groups: Iterable<[number, string]>, columns: Iterable<[string, Iterable<[number, string | number]>]>, userFields: Iterable<string> = []) {
    this.fields.set('group', new Map(groups));
    for (const u of userFields) if (u !== 'group') this.userFields.add(u);
    for (const [name, values] of columns) {
      if (name === 'group') continue;
      this.fields.set(name, new Map(values));
      if (!this.userFields.has(name)) this.sorterFields.add(name);
    }
  }

  /** Field names other than `group`: sorter columns first (file order), then user labels. */
  labelColumns(): string[] {
    return [...this.fields.keys()].filter((f) => f !== 'group');
  }

  get(field: string, clusterId: number): MetaValue {
    return this.fields.get(field)?.get(clusterId) ?? null;
  }

  group(clusterId: number): string | null {
    const g = this.fields.get('group')!.get(clusterId);
    return g === undefined ? null : String(g);
  }

  /** All values of a field (clusterId → value). */
  values(field: string): ReadonlyMap<number, string | number> {
    return this.fields.get(field) ?? new Map();
  }

  isLabelled(clusterId: number): boolean {
    return (this.labelled.get(clusterId) ?? 0) > 0;
  }

  /** Describes setting `field` to `value` on clusters (not applied yet). */
  makeChange(field: string, clusterIds: readonly number[], value: MetaValue): MetaChange {
    const ids = [...new Set(clusterIds)].sort((a, b) => a - b);
    return { field, clusterIds: ids, before: ids.map((c) => this.get(field, c)), after: ids.map(() => value) };
  }

  /**
   * Describes setting `field` to a value per cluster (rule labels: one action, many values), in
   * ascending cluster order. The ids must be distinct.
   */
  makeChanges(field: string, values: ReadonlyArray<readonly [number, MetaValue]>): MetaChange {
    const sorted = [...values].sort((a, b) => a[0] - b[0]);
    const ids = sorted.map(([c]) => c);
    return { field, clusterIds: ids, before: ids.map((c) => this.get(field, c)), after: sorted.map(([, v]) => v) };
  }

  /** Applies a change; `asLabel` marks its clusters as labelled (a curator's action, not inheritance). */
  apply(ch: MetaChange, asLabel: boolean): void {
    this.write(ch.field, ch.clusterIds, ch.after);
    if (asLabel) {
      if (ch.field !== 'group') {
        this.userFields.add(ch.field);
        this.sorterFields.delete(ch.field);
      }
      for (const c of ch.clusterIds) this.labelled.set(c, (this.labelled.get(c) ?? 0) + 1);
    }
  }

  /** Reverts a change applied with {@link apply}. */
  revert(ch: MetaChange, asLabel: boolean): void {
    this.write(ch.field, ch.clusterIds, ch.before);
    if (asLabel) for (const c of ch.clusterIds) this.labelled.set(c, (this.labelled.get(c) ?? 1) - 1);
  }

  private write(field: string, ids: readonly number[], values: readonly MetaValue[]): void {
    let m = this.fields.get(field);
    if (!m) {
      m = new Map();
      this.fields.set(field, m);
    }
    for (let i = 0; i < ids.length; i++) {
      const v = values[i];
      if (v === null) m.delete(ids[i]);
      else m.set(ids[i], v);
    }
  }

  /**
   * Values the new clusters of a clustering change inherit (phy's rule, for `group` and user
   * labels only): for each child, its parents' values; one shared non-null value is kept,
   * otherwise the value of the parent with most spikes. `sizeOf` gives parent sizes.
   */
  inheritance(change: ClusterChange, sizeOf: (clusterId: number) => number): MetaChange[] {
    const parentsOf = new Map<number, number[]>();
    for (const [p, c] of change.descendants) {
      let l = parentsOf.get(c);
      if (!l) parentsOf.set(c, (l = []));
      l.push(p);
    }
    const out: MetaChange[] = [];
    for (const field of ['group', ...this.userFields]) {
      const ids: number[] = [];
      const after: MetaValue[] = [];
      for (const child of change.added) {
        const parents = parentsOf.get(child) ?? [];
        const vals = parents.map((p) => this.get(field, p));
        const nonNull = vals.filter((v) => v !== null);
        if (nonNull.length === 0) continue;
        let v: MetaValue;
        if (nonNull.every((x) => x === nonNull[0]) && nonNull.length === vals.length) v = nonNull[0];
        else {
          let best = -1;
          v = null;
          parents.forEach((p, i) => {
            const s = sizeOf(p);
            if (s > best) {
              best = s;
              v = vals[i];
            }
          });
        }
        if (v === null) continue;
        ids.push(child);
        after.push(v);
      }
      if (ids.length) out.push({ field, clusterIds: ids, before: ids.map(() => null), after });
    }
    return out;
  }
}
