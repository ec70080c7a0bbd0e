/**
 * `SessionService`: the curation session of one opened dataset (implements the IPC
 * `SessionApi`). It owns the core {@link Curation} (clustering + metadata + history), the
 * journal, the lock, saving and autosave, and the live metrics and similarity.
 *
 * Durability: every action is applied in memory, appended to the journal and fdatasync'd, and
 * only then acknowledged (returned and broadcast). If the append fails the action is rolled
 * back and the error is reported, so what the user saw acknowledged is always on disk.
 *
 * Reopening: the journal's header names the base assignment by hash. The base is the dataset's
 * `spike_clusters` as opened (no save yet) or `.spikedock/base-<hash>.npy` (written by the first
 * save); the records are replayed on it, which restores the curation *and* its undo/redo stack.
 * If the files on disk match neither the base, a saved state nor the replayed state (edited by
 * another tool), the journal is archived and a new one starts from the files, with a diagnostic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../../core/dataset/Dataset';
import type { Diagnostic } from '../../core/diagnostics';
import { NpyFile } from '../../core/formats/npy';
import { MemoryByteSource } from '../../core/formats/ByteSource';
import { ClusterLabels, ClusteringError } from '../../core/session/ClusterLabels';
import type { ClusterIndex } from '../../core/session/ClusterLabels';
import type { ClusteringView } from '../../core/session/ClusteringView';
import { ClusterMeta, type MetaValue } from '../../core/session/ClusterMeta';
import { ClusterMetrics, DEFAULT_REFRACTORY_PERIOD, spikePass } from '../../core/session/ClusterMetrics';
import type { SpikePass } from '../../core/session/ClusterMetrics';
import { Curation, type CurationAction, type JournalHeader, type JournalRecord, type Selection } from '../../core/session/Curation';
import { lassoSpikes } from '../../core/session/lasso';
import { reviewProgress } from '../../core/session/wizard';
import { Similarity } from '../../core/session/Similarity';
import { hashInt32 } from '../../core/session/spikeCodec';
import type { RuleSet } from '../../core/rules/labelRules';
import type { UpdateInfo } from '../../core/session/UpdateInfo';
import type { ActionContext, ApplyLabelsRequest, ClusterInfo, HistoryEntry, SaveResult, SessionApi, SessionSnapshot, SimilarCluster, SplitRequest } from '../../shared/ipc/contract';
import { DatasetLock } from './DatasetLock';
import { fsyncDir, isWritableDir, removeStrayTemps } from '../io/durableFs';
import { existingJournalPath, resolveStateDir } from './stateDir';
import { JournalFile, readJournal } from './JournalFile';
import { applyRuleLabels, savedLabelRules } from './labelRules';
import { baseFileName, CURATION_JSON, saveSession, type QualitySource } from './saveSession';
import { nextTurn, startIndexWorker, warmTemplates, type IndexJob } from './indexWorker';

export { startIndexWorker, type IndexJob } from './indexWorker';
export { perUserStateDir, resolveStateDir } from './stateDir';

/** Options of {@link SessionService.open}. */
export interface SessionOptions {
  /** Folder for the journal, lock and backups (default `<dataset>/.spikedock`, or a per-user folder when that is read-only). */
  stateDir?: string;
  /** Autosave interval in seconds; 0 = off (default 120). */
  autosaveSeconds?: number;
  /** Per-user data folder (default: the OS's, see `resolveUserDataDir`). */
  userDataDir?: string;
}

/** Default autosave interval, seconds. */
export const DEFAULT_AUTOSAVE_SECONDS = 120;

function now(): string {
  return new Date().toISOString();
}

function checkIds(ids: unknown, what: string): number[] {
  if (!Array.isArray(ids) || ids.some((x) => !Number.isInteger(x))) throw new ClusteringError(`${what}: expected a list of integer cluster ids`);
  return ids as number[];
}

function checkCtx(ctx: ActionContext | undefined): Selection | undefined {
  const s = ctx?.selection;
  if (!s) return undefined;
  return { clusterIds: checkIds(s.clusterIds, 'selection'), ...(s.similarIds ? { similarIds: checkIds(s.similarIds, 'selection') } : {}) };
}

function readInt32Npy(file: string): Int32Array {
  const bytes = new Uint8Array(fs.readFileSync(file));
  return NpyFile.open(new MemoryByteSource(bytes, file)).read({ as: 'int32' }) as Int32Array;
}

// Curation in from a file (`importSiCuration`) is `siCurationImport.ts`, built on this service's actions.
export class SessionService implements Omit<SessionApi, 'importSiCuration'> {
  /** What was found while opening (journal problems, a taken-over stale lock…). */
  readonly diagnostics: Diagnostic[] = [];
  private readonly listeners = new Set<(u: UpdateInfo) => void>();
  private journal: JournalFile | null = null;
  private dirty = false;
  private lastSavedAt: string | null = null;
  private saving: Promise<SaveResult> | null = null;
  /** The flat assignment each save writes, reused (saves never overlap): fresh 40 MB costs ≈ 0.2 s of page faults at 10 M spikes. */
  private flatBuffer: Int32Array | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  /** A save of this journal wrote `curation.json`: the file beside the dataset holds our own merges, not proposals to review. */
  savedCurationJson = false;

  private constructor(
    readonly dataset: Dataset,
    readonly curation: Curation,
    readonly metrics: ClusterMetrics,
    readonly similarity: Similarity,
    readonly stateDir: string,
    readonly journalPath: string,
    private readonly lock: DatasetLock,
    private readonly base: Int32Array,
    private readonly baseHash: string,
    readonly autosaveSeconds: number,
  ) {}

  /** The live clustering, read by compute and views. */
  get clustering(): ClusteringView {
    return this.curation.labels;
  }

  /**
   * Opens (or resumes) the session of a dataset: takes the lock, replays the journal.
   * @throws DatasetLockedError when another live process has the dataset open
   */
  static async open(dataset: Dataset, opts: SessionOptions = {}): Promise<SessionService> {
    const { dir, perUser } = resolveStateDir(dataset, opts);
    fs.mkdirSync(dir, { recursive: true });
    const lock = DatasetLock.acquire(path.join(dir, 'lock'));
    const diagnostics: Diagnostic[] = [];
    let indexing: IndexJob | null = null;
    try {
      // The per-cluster index (and the hash) of the files' assignment is made on the second core
      // while this thread reads the journal, makes the metrics' pass and unwhitens templates.
      indexing = startIndexWorker(dataset.spikeClusters);
      const job = indexing;
      if (perUser) {
        diagnostics.push({ severity: 'info', code: 'session.perUserJournal', file: dataset.dir, message: `the dataset folder is read-only: the curation journal is kept in ${dir}, and saving the phy files will not be possible there` });
      }
      // Temp files of a save that a crash interrupted (only the atomic writer's names; the lock
      // guarantees no live save of ours is writing one).
      for (const d of [...new Set([dataset.dir, dir])]) {
        const removed = removeStrayTemps(d);
        if (removed.length) diagnostics.push({ severity: 'info', code: 'session.strayTemps', file: d, message: `removed ${removed.length} temp file${removed.length === 1 ? '' : 's'} left by an interrupted save: ${removed.join(', ')}` });
      }
      if (lock.tookOver) {
        diagnostics.push({ severity: 'info', code: 'session.staleLock', file: lock.file, message: `took over a stale lock of process ${lock.tookOver.pid} (started ${lock.tookOver.started}), which is no longer running` });
      }
      const journalPath = path.join(dir, 'journal.jsonl');
      const contents = readJournal(journalPath);
      diagnostics.push(...contents.diagnostics);
      const disk = dataset.spikeClusters;
      // The metrics' pass over all spikes needs only the assignment, not the index: while the
      // worker sorts, it runs here over the files' assignment (adopted for every cluster that
      // still has those spikes after the journal replay).
      // Turns for the event loop around the long synchronous pass: `serve` answers the page's
      // requests (its HTML and scripts) while the dataset opens.
      await nextTurn();
      const pass: SpikePass | null = job.done() ? null : spikePass(dataset, disk, null, DEFAULT_REFRACTORY_PERIOD);
      await nextTurn();
      const templates = await warmTemplates(dataset, job);
      // Taken by whichever path builds labels of `disk` first (its arrays become theirs).
      const built = await job.result;
      const diskHash = built?.hash ?? hashInt32(disk);
      let prebuilt: ClusterIndex | null = built;
      let resumed: { curation: Curation; base: Int32Array; header: JournalHeader; dirty: boolean; lastSavedAt: string | null; wroteCurationJson?: boolean } | null = null;
      if (contents.header) {
        try {
          const index = prebuilt;
          prebuilt = null;
          resumed = SessionService.replay(dataset, dir, contents.header, contents.records, diskHash, index);
        } catch (e) {
          const archived = path.join(dir, `journal-${now().replace(/[:.]/g, '-')}.jsonl`);
          fs.renameSync(journalPath, archived);
          diagnostics.push({ severity: 'warning', code: 'session.journalArchived', file: journalPath, message: `the journal does not match the dataset (${(e as Error).message}); it was archived as ${path.basename(archived)} and a new curation history starts from the files on disk` });
        }
      }
      let validBytes = contents.validBytes;
      if (!resumed) {
        const header: JournalHeader = {
          t: 'header',
          version: 1,
          created: now(),
          nSpikes: dataset.nSpikes,
          baseHash: diskHash,
          firstNewId: 0,
          groups: [...dataset.clusterGroups.entries()],
          columns: Object.fromEntries(dataset.clusterColumns.map((c) => [c.name, [...c.values.entries()]])),
          userFields: [],
        };
        const labels = new ClusterLabels(disk, undefined, prebuilt ?? undefined);
        header.firstNewId = labels.nextClusterId;
        const curation = new Curation(labels, new ClusterMeta(header.groups, Object.entries(header.columns)));
        resumed = { curation, base: disk, header, dirty: false, lastSavedAt: null };
        if (!contents.header && fs.existsSync(journalPath) && fs.statSync(journalPath).size > 0) {
          // Content without a readable header: keep it for inspection rather than overwrite it.
          fs.renameSync(journalPath, path.join(dir, `journal-unreadable-${now().replace(/[:.]/g, '-')}.jsonl`));
        }
        fs.writeFileSync(journalPath, '');
        fsyncDir(dir);
        validBytes = 0;
      }
      const metrics = new ClusterMetrics(dataset, resumed.curation.labels);
      metrics.addTemplates(templates);
      if (pass) metrics.adoptPass(pass);
      // One sequential pass (≈ 50 ms per 10 M spikes) so the cluster table and the first similarity row are fast.
      metrics.precompute();
      const similarity = new Similarity(dataset, resumed.curation.labels, metrics);
      const s = new SessionService(
        dataset,
        resumed.curation,
        metrics,
        similarity,
        dir,
        journalPath,
        lock,
        resumed.base,
        resumed.header.baseHash,
        opts.autosaveSeconds ?? DEFAULT_AUTOSAVE_SECONDS,
      );
      s.diagnostics.push(...diagnostics);
      s.dirty = resumed.dirty;
      s.lastSavedAt = resumed.lastSavedAt;
      s.savedCurationJson = !!resumed.wroteCurationJson;
      s.journal = JournalFile.openForAppend(journalPath, validBytes);
      if (validBytes === 0) s.journal.append(resumed.header);
      s.warmSimilarity();
      if (s.autosaveSeconds > 0) {
        s.timer = setInterval(() => s.autosave(), s.autosaveSeconds * 1000);
        s.timer.unref?.();
      }
      return s;
    } catch (e) {
      indexing?.cancel();
      lock.release();
      throw e;
    }
  }

  /**
   * Reads the curation as the journal has it, without taking the lock or writing anything (for
   * read-only commands such as `spikedock history` and `spikedock similar`, which must work
   * while the app has the dataset open). `base`: the journal's base assignment (the sorter's units).
   */
  static peek(dataset: Dataset, opts: SessionOptions = {}): { curation: Curation; base: Int32Array; metrics: ClusterMetrics; similarity: Similarity; diagnostics: Diagnostic[]; journalPath: string } {
    const journalPath = existingJournalPath(dataset, opts);
    const dir = path.dirname(journalPath);
    const contents = fs.existsSync(journalPath) ? readJournal(journalPath) : { header: null, records: [], diagnostics: [] as Diagnostic[], validBytes: 0 };
    const diagnostics = [...contents.diagnostics];
    let curation: Curation | null = null;
    let base = dataset.spikeClusters;
    if (contents.header) {
      try {
        ({ curation, base } = SessionService.replay(dataset, dir, contents.header, contents.records, hashInt32(dataset.spikeClusters)));
      } catch (e) {
        diagnostics.push({ severity: 'warning', code: 'session.journalMismatch', file: journalPath, message: `the journal does not match the dataset (${(e as Error).message}); showing the files on disk` });
      }
    }
    curation ??= new Curation(new ClusterLabels(dataset.spikeClusters), new ClusterMeta(dataset.clusterGroups, dataset.clusterColumns.map((c) => [c.name, c.values] as [string, Map<number, string | number>])));
    const metrics = new ClusterMetrics(dataset, curation.labels);
    return { curation, base, metrics, similarity: new Similarity(dataset, curation.labels, metrics), diagnostics, journalPath };
  }

  /** `index`: a prebuilt index of `dataset.spikeClusters`, used when that is the base. */
  private static replay(dataset: Dataset, dir: string, header: JournalHeader, records: JournalRecord[], diskHash: string, index: ClusterIndex | null = null) {
    if (header.version !== 1) throw new Error(`journal version ${header.version} is not supported`);
    if (header.nSpikes !== dataset.nSpikes) throw new Error(`the journal is for ${header.nSpikes} spikes, the dataset has ${dataset.nSpikes}`);
    let base: Int32Array;
    const baseFile = path.join(dir, baseFileName(header.baseHash));
    if (diskHash === header.baseHash) base = dataset.spikeClusters;
    else if (fs.existsSync(baseFile)) {
      base = readInt32Npy(baseFile);
      if (base.length !== dataset.nSpikes || hashInt32(base) !== header.baseHash) throw new Error(`${baseFileName(header.baseHash)} is damaged`);
    } else throw new Error('spike_clusters changed since the journal started and its base copy is missing');
    const labels = new ClusterLabels(base, header.firstNewId, base === dataset.spikeClusters ? (index ?? undefined) : undefined);
    const curation = new Curation(labels, new ClusterMeta(header.groups, Object.entries(header.columns), header.userFields));
    const savedHashes = new Set<string>([header.baseHash]);
    let dirty = false;
    let lastSavedAt: string | null = null;
    for (const r of records) {
      if (r.t === 'save') {
        savedHashes.add(r.hash);
        dirty = false;
        lastSavedAt = r.time;
      } else {
        curation.replay(r);
        // Review marks and review-queue decisions are progress: the phy files do not change.
        if (r.t !== 'review' && r.t !== 'decide' && r.t !== 'proposals') dirty = true;
      }
    }
    if (!savedHashes.has(diskHash) && hashInt32(labels.flatAssignment()) !== diskHash) {
      throw new Error('spike_clusters on disk was changed by another program since the last save');
    }
    const wroteCurationJson = records.some((r) => r.t === 'save' && r.files.includes(CURATION_JSON));
    return { curation, base, header, dirty, lastSavedAt, wroteCurationJson };
  }

  /**
   * Computes similarity signatures in the background after open, 16 clusters per event-loop
   * turn (≈ 5 ms), so a computed-similarity dataset answers its first similarity query warm
   * without blocking actions.
   */
  private warmSimilarity(): void {
    if (this.similarity.mode !== 'computed') return;
    const ids = [...this.curation.labels.clusterIds()];
    let i = 0;
    const step = () => {
      if (this.closed || i >= ids.length) return;
      try {
        this.similarity.warm(ids.slice(i, i + 16));
      } catch {
        return; // A reader error shows up (with its message) when the row is asked for.
      }
      i += 16;
      setImmediate(step);
    };
    setImmediate(step);
  }

  /** Subscribes to changes (every acknowledged action, undo, redo). Returns the unsubscribe function. */
  onDidChange(listener: (u: UpdateInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private ack(out: { update: UpdateInfo; record: JournalRecord }, rollback: () => void): UpdateInfo {
    try {
      this.append(out.record);
    } catch (e) {
      rollback();
      throw new Error(`the action was not applied because the journal could not be written (${(e as Error).message})`);
    }
    if (out.update.kind !== 'reviewed') this.dirty = true;
    for (const l of [...this.listeners]) {
      try {
        l(out.update);
      } catch {
        // A failing listener (a closed window) must not undo an acknowledged action.
      }
    }
    return out.update;
  }

  private append(rec: JournalRecord): void {
    if (this.closed || !this.journal) throw new Error('the session is closed');
    this.journal.append(rec);
  }

  /** Applies an action (used by the IPC methods and `spikedock curate`). */
  perform(action: CurationAction, ctx?: ActionContext): UpdateInfo {
    const out = this.curation.perform(action, checkCtx(ctx), now(), ctx?.reviewItem);
    if (action.op === 'merge' && out.update.added.length) this.metrics.mergeTemplateCounts(out.update.added[0], out.update.deleted);
    return this.ack(out, () => this.curation.rollback());
  }

  /**
   * Clusters reviewed / clusters now (Curation.isReviewed: labelled by the curator or marked
   * reviewed): the number the status bar shows, and the start screen's recent list remembers.
   */
  reviewProgress(): { reviewed: number; total: number } {
    return reviewProgress(this.curation.labels.clusterIds(), (id) => this.curation.isReviewed(id));
  }

  async snapshot(): Promise<SessionSnapshot> {
    const meta = this.curation.meta;
    const labelColumns = meta.labelColumns();
    this.metrics.precompute();
    const clusters: ClusterInfo[] = this.curation.labels.clusterIds().map((id) => {
      const m = this.metrics.metrics(id);
      const labels: Record<string, string | number | null> = {};
      for (const f of labelColumns) labels[f] = meta.get(f, id);
      return { id, nSpikes: m.nSpikes, fr: m.fr, amp: m.amp, ch: m.ch, depth: m.depth, sh: m.sh, group: meta.group(id), isiViolations: m.isiViolations, reviewed: this.curation.isReviewed(id), labels };
    });
    return {
      generation: this.curation.generation,
      clusters,
      labelColumns,
      canUndo: this.curation.canUndo,
      canRedo: this.curation.canRedo,
      dirty: this.dirty,
      lastSavedAt: this.lastSavedAt,
      autosaveSeconds: this.autosaveSeconds,
      journalPath: this.journalPath,
    };
  }

  async merge(clusterIds: number[], ctx?: ActionContext): Promise<UpdateInfo> {
    return this.perform({ op: 'merge', clusters: checkIds(clusterIds, 'merge') }, ctx);
  }

  async split(req: SplitRequest, ctx?: ActionContext): Promise<UpdateInfo> {
    let spikes: Int32Array;
    if (req.kind === 'spikes') {
      if (!(req.spikeIds instanceof Int32Array) && !Array.isArray(req.spikeIds)) throw new ClusteringError('split: spikeIds must be an Int32Array');
      spikes = Int32Array.from(req.spikeIds);
    } else {
      spikes = lassoSpikes(this.dataset, this.clustering, this.metrics, { clusterIds: checkIds(req.clusterIds, 'split'), x: req.x, y: req.y, polygon: req.polygon });
      if (spikes.length === 0) throw new ClusteringError('split: no spike lies inside the lasso');
    }
    return this.perform({ op: 'split', spikes }, ctx);
  }

  async label(clusterIds: number[], field: string, value: MetaValue, ctx?: ActionContext): Promise<UpdateInfo> {
    // Field and value are checked where every label enters the session (Curation.perform:
    // this call, `curate`, and journal replay): `labelProblem`.
    return this.perform({ op: 'label', clusters: checkIds(clusterIds, 'label'), field, value }, ctx);
  }

  /** Rule labels as ONE action (`./labelRules`: unlabelled clusters unless `overwrite`); the rule set is kept with the dataset. */
  applyLabels = async (req: ApplyLabelsRequest, ctx?: ActionContext): Promise<UpdateInfo | null> => applyRuleLabels(this, req, ctx);

  /** The rule set last applied to this dataset (`.spikedock/label_rules.json`), or null. */
  labelRules = async (): Promise<RuleSet | null> => savedLabelRules(this.stateDir);

  async markReviewed(clusterIds: number[], reviewed: boolean): Promise<UpdateInfo> {
    const ids = checkIds(clusterIds, 'markReviewed');
    // A mark on a cluster that does not exist would be journaled and counted as progress.
    for (const c of ids) if (!this.curation.labels.hasCluster(c)) throw new ClusteringError(`markReviewed: cluster ${c} does not exist`);
    const out = this.curation.markReviewed(ids, !!reviewed, now());
    return this.ack(out, () => undefined);
  }

  /** Journals a review-queue record `curation` just made (durable before it returns; forgotten if the write fails). */
  recordReview(rec: JournalRecord): void {
    try {
      this.append(rec);
    } catch (e) {
      this.curation.rollbackReview(rec);
      throw new Error(`not recorded: the journal could not be written (${(e as Error).message})`);
    }
  }

  async undo(): Promise<UpdateInfo | null> {
    const out = this.curation.undo(now());
    if (!out) return null;
    return this.ack(out, () => void this.curation.redo(now()));
  }

  async redo(): Promise<UpdateInfo | null> {
    const out = this.curation.redo(now());
    if (!out) return null;
    return this.ack(out, () => void this.curation.undo(now()));
  }

  /** The live quality metrics `cluster_info.tsv` gains on save (the BackendHost's QualityService); null: none. */
  quality: QualitySource | null = null;

  /** Saves the phy files (and the Kwik file) atomically; concurrent calls share one save. */
  async save(): Promise<SaveResult> {
    if (this.saving) return this.saving;
    this.saving = (async () => {
      try {
        if (this.closed) throw new Error('the session is closed');
        if (!isWritableDir(this.dataset.dir)) throw new ClusteringError(`cannot save: the dataset folder ${this.dataset.dir} is read-only (the curation is safe in the journal ${this.journalPath})`);
        const flat = (this.flatBuffer = this.curation.labels.flatAssignment(this.flatBuffer ?? undefined)); // written and hashed
        const { files, curationJsonSkipped } = await saveSession({
          flat,
          dataset: this.dataset,
          labels: this.curation.labels,
          meta: this.curation.meta,
          metrics: this.metrics,
          stateDir: this.stateDir,
          base: this.base, baseHash: this.baseHash, quality: this.quality ?? undefined,
        });
        const savedAt = now();
        const relative = files.map((f) => path.relative(this.dataset.dir, f) || f);
        this.append({ t: 'save', time: savedAt, hash: hashInt32(flat), files: relative });
        if (relative.includes(CURATION_JSON)) this.savedCurationJson = true;
        this.dirty = false;
        this.lastSavedAt = savedAt;
        return { files, savedAt, ...(curationJsonSkipped ? { curationJsonSkipped } : {}) };
      } finally {
        this.saving = null;
      }
    })();
    return this.saving;
  }

  private autosave(): void {
    if (!this.dirty || this.saving || this.closed) return;
    this.save().catch((e: Error) => {
      this.diagnostics.push({ severity: 'warning', code: 'session.autosaveFailed', file: this.dataset.dir, message: `autosave failed: ${e.message}` });
    });
  }

  async history(): Promise<HistoryEntry[]> {
    return this.curation.history();
  }

  async similar(clusterId: number, top?: number): Promise<SimilarCluster[]> {
    if (!Number.isInteger(clusterId)) throw new ClusteringError('similar: expected an integer cluster id');
    if (!this.curation.labels.hasCluster(clusterId)) throw new ClusteringError(`cluster ${clusterId} does not exist`);
    return this.similarity.similar(clusterId, top ?? Infinity);
  }

  /** Whether there are changes not yet written to the phy files. */
  get isDirty(): boolean {
    return this.dirty;
  }

  /** Stops autosave, waits for a running save, closes the journal and releases the lock. Does not save. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.saving) await this.saving.catch(() => undefined);
    this.closed = true;
    this.journal?.close();
    this.journal = null;
    this.lock.release();
    this.listeners.clear();
  }
}
