/**
 * The limits on what one call of the contract may ask for, defined once: the argument schemas
 * (`schemas.ts`) bound every view-data request with them, and main checks the ones that depend
 * on the opened dataset (channel counts, sample rate, waveform length) with the same numbers
 * (`ComputeService`). A client (the renderer, or anything that reaches the WebSocket of
 * `spikedock serve` with the token) cannot make one request allocate gigabytes or hold the
 * main thread for seconds: a request over a limit is refused with a message naming the request
 * and the limit (`invalid-call`).
 *
 * The README's table "Limits on requests" lists these values (a unit test checks it matches).
 */
export const REQUEST_LIMITS = {
  /** Clusters one view-data request may show (waveforms, features, amplitudes, histograms, spike attributes, merge preview, prefetch). */
  selectedClusters: 64,
  /** Clusters of one correlogram request: the result is (n, n, nBins). */
  correlogramClusters: 20,
  /** Clusters of one raster request (RasterView shows every cluster). */
  rasterClusters: 5000,
  /** Time bins of one raster request: the plot's width in pixels. */
  rasterBins: 4096,
  /** Counts of one raster result, clusters × bins: 8 Mi int32 counts (32 MiB at most). */
  rasterCells: 8 * 2 ** 20,
  /** Columns or rows of one DriftView density image: the plot's size in pixels. */
  driftBins: 4096,
  /** Bins of one DriftView density image, columns × rows: 4 Mi uint32 counts (16 MiB at most). */
  driftCells: 4 * 2 ** 20,
  /** Radius of a DriftView click, pixels: the spikes of that time window are searched. */
  driftPickPixels: 64,
  /** Clusters of one templates request (TemplateView shows many at once). */
  templateClusters: 5000,
  /** Cluster ids in one curation action (merge, label, mark reviewed) or a selection context. */
  actionClusters: 100_000,
  /** Bins of one correlogram: windowSize / binSize (default 0.05 s / 1 ms = 50). */
  correlogramBins: 10_001,
  /** Spikes per cluster a correlogram request may read (`maxSpikes`). */
  correlogramSpikes: 10_000_000,
  /** Bins of one ISI or firing-rate histogram: max / binSize, or nBins. 1.75 GB was reached with 3.6·10⁸. */
  histogramBins: 100_000,
  /** Seconds of one histogram range (ISI `max`, `binSize`). */
  histogramSeconds: 3600,
  /** Spikes per cluster of a waveforms request (`nSpikes`). */
  waveformSpikes: 10_000,
  /** Best channels per cluster of a waveforms or templates request (`nChannels`). */
  waveformChannels: 1536,
  /** Spikes per cluster of a features request. */
  featureSpikes: 100_000,
  /** Spikes per cluster of an amplitudes or spike-attribute request. */
  amplitudeSpikes: 1_000_000,
  /** Spikes of one features, amplitudes or spike-attribute request over all its clusters (clusters × nSpikes). */
  requestSpikes: 4_000_000,
  /** Seconds of one traces window (t1 − t0). */
  traceSeconds: 600,
  /** Channels of one traces request (and never more than the dataset has). */
  traceChannels: 4096,
  /** Pixel width of one traces request (wider windows come back as a min/max envelope of this many columns). */
  traceWidth: 20_000,
  /** Channel index in a request (features, amplitude feature, lasso dimension): also checked against the dataset. */
  channelIndex: 65_535,
  /** Principal component index in a request. */
  pcIndex: 63,
  /**
   * Bytes of the typed arrays of one waveforms or traces result: 128 MiB (what the views ask
   * for is far less: 64 clusters × 100 spikes × 82 samples × 12 channels is 25 MB; a 4,000-px
   * trace envelope of 384 channels, 12 MB). Other results are bounded by the counts above.
   */
  resultBytes: 128 * 2 ** 20,
  /** Neighbours one `similar` call may return. */
  similarTop: 10_000,
  /** Characters of a path given to `app.openDataset` or `review.import`. */
  pathChars: 4096,
  /** Characters of a review item id (`3+7+12`) in `review.decide` or an action's `reviewItem`. */
  reviewItemChars: 10_000,
  /** Bytes of a `curation.json` read by `review.import` (or found beside the dataset): SpikeInterface's files are kilobytes. */
  curationFileBytes: 64 * 2 ** 20,
  /** Bytes of one WebSocket message from a client (`spikedock serve`): 64 MiB (a split of 16 M spike ids). */
  messageBytes: 64 * 2 ** 20,
  /** Calls one WebSocket client may have running at once (`spikedock serve`); more are refused until some finish. */
  socketCalls: 256,
} as const;

export type RequestLimit = keyof typeof REQUEST_LIMITS;

/**
 * What is over a limit, in words: `<what> is <n>, over the limit of <limit> (<limit name>)`,
 * e.g. `bins (max / binSize) is 360000000, over the limit of 100000 (histogramBins)`.
 */
export function overLimit(what: string, n: number, limit: RequestLimit): string {
  return `${what} is ${formatCount(n)}, over the limit of ${formatCount(REQUEST_LIMITS[limit])} (${limit})`;
}

/** {@link overLimit} for one request: `viewData.traces: result is 300000000 bytes, over the limit of … (resultBytes)`. */
export function overLimitMessage(request: string, what: string, n: number, limit: RequestLimit): string {
  return `${request}: ${overLimit(what, n, limit)}`;
}

function formatCount(n: number): string {
  return String(Number.isInteger(n) || Math.abs(n) >= 1000 ? Math.round(n) : Number(n.toPrecision(4)));
}
