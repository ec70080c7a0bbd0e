/**
 * Argument schemas of every service method of the contract (`contract.ts`). The backend
 * validates each call with {@link validateCall} before running it: renderer input is untrusted
 * (Electron IPC and the WebSocket of `spikedock serve` alike).
 */
import { z } from 'zod';
import { RASTER_LIMITS } from './contract';

const clusterId = z.number().int().min(0).max(2 ** 31 - 1);
const clusterIds = z.array(clusterId).max(100_000);
const seconds = z.number().finite();
const positiveSeconds = z.number().finite().positive().max(3600);
const selection = z.object({ clusterIds: clusterIds, similarIds: clusterIds.optional() }).strict();
const ctx = z.object({ selection: selection.optional() }).strict().optional();
const amplitudeKind = z.enum(['template', 'feature', 'raw']);
const spikeDim = z.discriminatedUnion('type', [
  z.object({ type: z.literal('time') }).strict(),
  z.object({ type: z.literal('pc'), channelId: z.number().int().min(0), pc: z.number().int().min(0).max(63) }).strict(),
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

const selected = clusterIds.min(1).max(64);
const waveforms = z
  .object({
    clusterIds: selected,
    kind: z.enum(['waveforms', 'mean', 'templates']),
    nSpikes: z.number().int().min(1).max(10_000).optional(),
    filter: z.boolean().optional(),
    nChannels: z.number().int().min(1).max(1536).optional(),
  })
  .strict();
const features = z
  .object({
    clusterIds: selected,
    nSpikes: z.number().int().min(1).max(100_000).optional(),
    channelIds: z.tuple([z.number().int().min(0), z.number().int().min(0)]).optional(),
    background: z.boolean().optional(),
  })
  .strict();
/** A channel's PC (`ChannelFeature`): bounds as a lasso's `pc` dimension, channels up to 2¹⁶. */
const channelFeature = z.object({ channelId: z.number().int().min(0).max(65_535), pc: z.number().int().min(0).max(63) }).strict();
const amplitudes = z
  .object({
    clusterIds: selected,
    kind: amplitudeKind,
    nSpikes: z.number().int().min(1).max(1_000_000).optional(),
    background: z.boolean().optional(),
    feature: channelFeature.optional(),
  })
  .strict();
const raster = z
  .object({
    clusterIds: clusterIds.min(1).max(RASTER_LIMITS.clusters),
    nBins: z.number().int().min(1).max(RASTER_LIMITS.bins),
  })
  .strict()
  .refine((r) => r.clusterIds.length * r.nBins <= RASTER_LIMITS.bytes, `clusters × bins must be at most ${RASTER_LIMITS.bytes} (fewer bins for more clusters)`);
const correlograms = z
  .object({
    clusterIds: clusterIds.min(1).max(20),
    binSize: z.number().finite().positive().max(1).optional(),
    windowSize: z.number().finite().positive().max(10).optional(),
    refractoryPeriod: z.number().finite().min(0).max(1).optional(),
    maxSpikes: z.number().int().min(1).max(10_000_000).optional(),
  })
  .strict();
const histogram = z
  .object({
    clusterIds: selected,
    binSize: positiveSeconds.optional(),
    max: positiveSeconds.optional(),
    nBins: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
const traces = z
  .object({
    t0: seconds,
    t1: seconds,
    channelIds: z.array(z.number().int().min(0)).max(4096).optional(),
    filter: z.boolean().optional(),
    width: z.number().int().min(1).max(20_000).optional(),
  })
  .strict()
  .refine((r) => r.t1 > r.t0 && r.t1 - r.t0 <= 600, 't1 must be after t0, and a window at most 600 s');
const templates = z.object({ clusterIds: clusterIds.min(1).max(5000), nChannels: z.number().int().min(1).max(1536).optional() }).strict();
const spikeAttribute = z
  .object({ name: z.string().max(200), clusterIds: selected, nSpikes: z.number().int().min(1).max(1_000_000).optional() })
  .strict();

/** Schemas of each method's argument list, by service then method. */
export const callSchemas = {
  app: {
    version: z.tuple([]),
    recentDatasets: z.tuple([]),
    openDataset: z.tuple([z.string().min(1).max(4096)]),
    current: z.tuple([]),
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
    undo: z.tuple([]),
    redo: z.tuple([]),
    save: z.tuple([]),
    history: z.tuple([]),
    similar: z.tuple([clusterId, z.number().int().min(1).max(10_000).optional()]),
  },
  viewData: {
    waveforms: z.tuple([waveforms]),
    features: z.tuple([features]),
    amplitudes: z.tuple([amplitudes]),
    raster: z.tuple([raster]),
    correlograms: z.tuple([correlograms]),
    isi: z.tuple([histogram]),
    firingRate: z.tuple([histogram]),
    traces: z.tuple([traces]),
    templates: z.tuple([templates]),
    spikeAttribute: z.tuple([spikeAttribute]),
    prefetch: z.tuple([z.object({ clusterIds: selected }).strict()]),
  },
} as const;

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
