/**
 * Argument schemas of every service method of the contract (`contract.ts`). The backend
 * validates each call with {@link validateCall} before running it: renderer input is untrusted
 * (Electron IPC and the WebSocket of `spikedock serve` alike). Every bound comes from
 * {@link REQUEST_LIMITS} (`limits.ts`), so each view-data request is bounded in clusters,
 * spikes, channels, bins and seconds.
 */
import { z } from 'zod';
import { parseRuleSet } from '../../core/rules/ruleFile';
import type { Backend } from './contract';
import { overLimit, REQUEST_LIMITS as L, type RequestLimit } from './limits';

/** The message of a bound that is a limit: `over the limit of 64 (selectedClusters)`. */
const atMost = (limit: RequestLimit) => `over the limit of ${L[limit]} (${limit})`;

const clusterId = z.number().int().min(0).max(2 ** 31 - 1);
const clusterIds = z.array(clusterId).max(L.actionClusters, atMost('actionClusters'));
const seconds = z.number().finite();
const positiveSeconds = z.number().finite().positive().max(L.histogramSeconds, atMost('histogramSeconds'));
const channelIndex = z.number().int().min(0).max(L.channelIndex, atMost('channelIndex'));
const pcIndex = z.number().int().min(0).max(L.pcIndex, atMost('pcIndex'));

/**
 * A check of a derived count (bins = window / bin size, spikes = clusters × nSpikes) against a
 * limit, with the words of {@link overLimit} (the request name is added by {@link validateCall}).
 */
function within<T>(what: string, limit: RequestLimit, count: (v: T) => number) {
  return (v: T, ctx: z.RefinementCtx) => {
    const n = count(v);
    if (!(n <= L[limit])) ctx.addIssue({ code: 'custom', message: overLimit(what, n, limit) });
  };
}
const selection = z.object({ clusterIds: clusterIds, similarIds: clusterIds.optional() }).strict();
/** A review item id: ascending cluster ids joined by `+` (`reviewQueue.ts`, `reviewItemId`). */
const reviewItem = z
  .string()
  .max(L.reviewItemChars, atMost('reviewItemChars'))
  .regex(/^\d+(\+\d+)+$/, 'a review item id is cluster ids joined by + (e.g. 3+7)');
const ctx = z.object({ selection: selection.optional(), reviewItem: reviewItem.optional() }).strict().optional();
const amplitudeKind = z.enum(['template', 'feature', 'raw']);
const spikeDim = z.discriminatedUnion('type', [
  z.object({ type: z.literal('time') }).strict(),
  z.object({ type: z.literal('pc'), channelId: channelIndex, pc: pcIndex }).strict(),
  z.object({ type: z.literal('amplitude'), kind: amplitudeKind }).strict(),
  z.object({ type: z.literal('attribute'), name: z.string().max(200), column: z.number().int().min(0).max(63) }).strict(),
]);
const splitRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('spikes'), spikeIds: z.instanceof(Int32Array) }).strict(),
  z
    .object({
      kind: z.literal('lasso'),
      clusterIds: clusterIds.min(1),
      x: spikeDim,
      y: spikeDim,
      polygon: z.instanceof(Float32Array).refine((p) => p.length >= 6 && p.length % 2 === 0, 'a polygon needs at least 3 (x, y) vertices'),
    })
    .strict(),
]);
const labelValue = z.union([z.string().max(1000), z.number().finite(), z.null()]);
const fieldName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name is letters, digits and _ (it becomes cluster_<name>.tsv)');

const applyLabels = z
  .object({
    clusterIds: clusterIds.min(1),
    values: z.array(z.string().min(1).max(1000)).max(L.actionClusters, atMost('actionClusters')),
    overwrite: z.boolean().optional(),
    source: z.string().max(200).optional(),
    // Checked by the rules file's own reader, so a client gets the same messages as a file.
    rules: z
      .unknown()
      .optional()
      .superRefine((v, c) => {
        if (v === undefined) return;
        try {
          parseRuleSet(v, 'rules');
        } catch (e) {
          c.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
  })
  .strict()
  .refine((r) => r.values.length === r.clusterIds.length, 'values must have one label per cluster id');

/**
 * A cluster id a view may ask data for: a real one, or a split proposal's part (a virtual
 * cluster, negative id). Actions take real ids only ({@link clusterId}).
 */
const viewClusterId = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const selected = z.array(viewClusterId).min(1).max(L.selectedClusters, atMost('selectedClusters'));
/** Spikes of a request over all its clusters, with the default nSpikes of the method. */
const requestSpikes = (defaultSpikes: number) =>
  within<{ clusterIds: number[]; nSpikes?: number }>('spikes (clusters × nSpikes)', 'requestSpikes', (r) => r.clusterIds.length * (r.nSpikes ?? defaultSpikes));
const waveforms = z
  .object({
    clusterIds: selected,
    kind: z.enum(['waveforms', 'mean', 'templates']),
    nSpikes: z.number().int().min(1).max(L.waveformSpikes, atMost('waveformSpikes')).optional(),
    filter: z.boolean().optional(),
    nChannels: z.number().int().min(1).max(L.waveformChannels, atMost('waveformChannels')).optional(),
  })
  .strict();
const features = z
  .object({
    clusterIds: selected,
    nSpikes: z.number().int().min(1).max(L.featureSpikes, atMost('featureSpikes')).optional(),
    channelIds: z.tuple([channelIndex, channelIndex]).optional(),
    background: z.boolean().optional(),
  })
  .strict()
  .superRefine(requestSpikes(2500));
/** A channel's PC (`ChannelFeature`): bounds as a lasso's `pc` dimension. */
const channelFeature = z.object({ channelId: channelIndex, pc: pcIndex }).strict();
const amplitudes = z
  .object({
    clusterIds: selected,
    kind: amplitudeKind,
    nSpikes: z.number().int().min(1).max(L.amplitudeSpikes, atMost('amplitudeSpikes')).optional(),
    background: z.boolean().optional(),
    feature: channelFeature.optional(),
  })
  .strict()
  .superRefine(requestSpikes(10_000));
const raster = z
  .object({
    clusterIds: clusterIds.min(1).max(L.rasterClusters, atMost('rasterClusters')),
    nBins: z.number().int().min(1).max(L.rasterBins, atMost('rasterBins')),
  })
  .strict()
  .superRefine(within('clusters × bins (fewer bins for more clusters)', 'rasterCells', (r: { clusterIds: number[]; nBins: number }) => r.clusterIds.length * r.nBins));
const correlograms = z
  .object({
    clusterIds: z.array(viewClusterId).min(1).max(L.correlogramClusters, atMost('correlogramClusters')),
    binSize: z.number().finite().positive().max(1).optional(),
    windowSize: z.number().finite().positive().max(10).optional(),
    refractoryPeriod: z.number().finite().min(0).max(1).optional(),
    maxSpikes: z.number().int().min(1).max(L.correlogramSpikes, atMost('correlogramSpikes')).optional(),
  })
  .strict()
  .superRefine(within('bins (windowSize / binSize)', 'correlogramBins', (r) => (r.windowSize ?? 0.05) / (r.binSize ?? 0.001)));
const mergePreview = z
  .object({
    clusterIds: clusterIds.min(2).max(L.selectedClusters, atMost('selectedClusters')),
    refractoryPeriod: z.number().finite().min(0).max(1).optional(),
  })
  .strict();
const histogram = z
  .object({
    clusterIds: selected,
    binSize: positiveSeconds.optional(),
    max: positiveSeconds.optional(),
    nBins: z.number().int().min(1).max(L.histogramBins, atMost('histogramBins')).optional(),
  })
  .strict()
  .superRefine(within('bins (max / binSize)', 'histogramBins', (r) => (r.max ?? 0.05) / (r.binSize ?? 0.001)));
const traces = z
  .object({
    t0: seconds,
    t1: seconds,
    channelIds: z.array(z.number().int().min(0).max(L.traceChannels - 1)).max(L.traceChannels, atMost('traceChannels')).optional(),
    filter: z.boolean().optional(),
    width: z.number().int().min(1).max(L.traceWidth, atMost('traceWidth')).optional(),
  })
  .strict()
  .refine((r) => r.t1 > r.t0 && r.t1 - r.t0 <= L.traceSeconds, `t1 must be after t0, and a window at most ${L.traceSeconds} s (traceSeconds)`);
const templates = z
  .object({ clusterIds: clusterIds.min(1).max(L.templateClusters, atMost('templateClusters')), nChannels: z.number().int().min(1).max(L.waveformChannels, atMost('waveformChannels')).optional() })
  .strict();
const spikeAttribute = z
  .object({ name: z.string().max(200), clusterIds: selected, nSpikes: z.number().int().min(1).max(L.amplitudeSpikes, atMost('amplitudeSpikes')).optional() })
  .strict()
  .superRefine(requestSpikes(10_000));

const proposalSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('epochs'), clusterIds: clusterIds.min(1).max(L.selectedClusters, atMost('selectedClusters')), n: z.number().int().min(2).max(4).optional() }).strict(),
  z.object({ kind: z.literal('recluster'), clusterId, n: z.number().int().min(1).max(6).optional(), seed: z.number().int().min(0).max(2 ** 31 - 1).optional() }).strict(),
  z
    .object({
      kind: z.literal('amplitudeThreshold'),
      clusterId,
      amplitudeKind,
      threshold: z.number().finite(),
      feature: z.object({ channelId: channelIndex, pc: pcIndex }).strict().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('outliers'), clusterId, quantile: z.number().gt(0).lt(1).optional() }).strict(),
  z.object({ kind: z.literal('duplicates'), clusterIds: z.array(clusterId).min(1).max(2), intervalMs: z.number().min(0).max(10).optional() }).strict(),
]);
/** A [lo, hi] range of finite numbers with lo ≤ hi. */
const range = z.tuple([z.number().finite(), z.number().finite()]).refine(([lo, hi]) => lo <= hi, 'a range is [lo, hi] with lo ≤ hi');
const driftBins = z.number().int().min(1).max(L.driftBins, atMost('driftBins'));
const drift = z
  .object({ nTimeBins: driftBins, nDepthBins: driftBins, timeRange: range.optional(), depthRange: range.optional() })
  .strict()
  .superRefine(within('bins (nTimeBins × nDepthBins)', 'driftCells', (r: { nTimeBins: number; nDepthBins: number }) => r.nTimeBins * r.nDepthBins));
const driftSpikes = z
  .object({ clusterIds: selected, nSpikes: z.number().int().min(1).max(L.amplitudeSpikes, atMost('amplitudeSpikes')).optional() })
  .strict()
  .superRefine(requestSpikes(20_000));
const positive = z.number().finite().positive();
const driftPick = z
  .object({
    time: z.number().finite(),
    depth: z.number().finite(),
    secondsPerPixel: positive,
    umPerPixel: positive,
    radiusPixels: positive.max(L.driftPickPixels, atMost('driftPickPixels')),
  })
  .strict();

/** Schemas of each method's argument list, by service then method. */
export const callSchemas = {
  app: {
    version: z.tuple([]),
    recentDatasets: z.tuple([]),
    openDataset: z.tuple([z.string().min(1).max(L.pathChars, atMost('pathChars'))]),
    current: z.tuple([]),
    openFailure: z.tuple([]),
  },
  dataset: {
    summary: z.tuple([]),
  },
  session: {
    snapshot: z.tuple([]),
    merge: z.tuple([clusterIds.min(2), ctx]),
    split: z.tuple([splitRequest, ctx]),
    label: z.tuple([clusterIds.min(1), fieldName, labelValue, ctx]),
    markReviewed: z.tuple([clusterIds.min(1), z.boolean()]),
    applyLabels: z.tuple([applyLabels, ctx]),
    labelRules: z.tuple([]),
    undo: z.tuple([]),
    redo: z.tuple([]),
    save: z.tuple([]),
    importSiCuration: z.tuple([z.string().min(1).max(L.pathChars, atMost('pathChars'))]),
    history: z.tuple([]),
    similar: z.tuple([clusterId, z.number().int().min(1).max(L.similarTop, atMost('similarTop')).optional()]),
  },
  review: {
    list: z.tuple([]),
    decide: z.tuple([reviewItem, z.enum(['reject', 'skip', 'reset'])]),
    import: z.tuple([z.string().min(1).max(L.pathChars, atMost('pathChars'))]),
  },
  viewData: {
    waveforms: z.tuple([waveforms]),
    features: z.tuple([features]),
    amplitudes: z.tuple([amplitudes]),
    raster: z.tuple([raster]),
    correlograms: z.tuple([correlograms]),
    mergePreview: z.tuple([mergePreview]),
    isi: z.tuple([histogram]),
    firingRate: z.tuple([histogram]),
    traces: z.tuple([traces]),
    templates: z.tuple([templates]),
    spikeAttribute: z.tuple([spikeAttribute]),
    drift: z.tuple([drift]),
    driftSpikes: z.tuple([driftSpikes]),
    driftPick: z.tuple([driftPick]),
    prefetch: z.tuple([z.object({ clusterIds: selected }).strict()]),
  },
  quality: {
    snapshot: z.tuple([]),
  },
  proposal: {
    propose: z.tuple([proposalSpec]),
    current: z.tuple([]),
    cancel: z.tuple([]),
    commit: z.tuple([z.number().int().min(1), ctx]),
  },
  // Exactly the contract's services and methods (a missing or extra one fails `tsc`).
} as const satisfies { readonly [S in keyof Backend]: { readonly [M in keyof Backend[S]]: z.ZodTuple } };

export type ServiceName = keyof typeof callSchemas;

/** The result of validating one call. */
export type ValidatedCall = { ok: true; args: unknown[] } | { ok: false; error: string };

/**
 * Validates a call from the renderer: the service and method must exist in the contract and the
 * arguments must match its schema (trailing optional arguments may be omitted).
 */
export function validateCall(service: string, method: string, args: unknown): ValidatedCall {
  if (!Object.prototype.hasOwnProperty.call(callSchemas, service)) return { ok: false, error: `unknown service '${service}'` };
  const methods = callSchemas[service as ServiceName] as Record<string, z.ZodType>;
  if (!Object.prototype.hasOwnProperty.call(methods, method)) return { ok: false, error: `unknown method '${service}.${method}'` };
  if (!Array.isArray(args)) return { ok: false, error: `arguments of ${service}.${method} must be a list` };
  const schema = methods[method] as z.ZodTuple;
  const arity = (schema.def.items as unknown[]).length;
  if (args.length > arity) return { ok: false, error: `${service}.${method} takes at most ${arity} arguments (got ${args.length})` };
  const padded = [...args];
  while (padded.length < arity) padded.push(undefined);
  const r = schema.safeParse(padded);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, error: `invalid arguments to ${service}.${method}: ${issue.path.join('.') || 'args'}: ${issue.message}` };
  }
  return { ok: true, args: r.data as unknown[] };
}

/** The channel name of a method: `spikedock:<service>.<method>`. */
export function channelName(service: string, method: string): string {
  return `spikedock:${service}.${method}`;
}

/** Parses `spikedock:<service>.<method>`; null for a foreign channel. */
export function parseChannel(channel: string): { service: string; method: string } | null {
  const m = /^spikedock:([A-Za-z]+)\.([A-Za-z]+)$/.exec(channel);
  return m ? { service: m[1], method: m[2] } : null;
}
