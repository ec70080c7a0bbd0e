/**
 * DriftView's part of the contract (`viewData.drift`, `driftSpikes`, `driftPick`), re-exported by
 * `contract.ts`: requests and results of the density image of every spike's depth against time.
 */
import type { DriftDepthSource } from '../../core/compute/drift';

/**
 * Where DriftView's spike depths come from: the sorter's per-spike positions
 * (`spike_positions.npy`, Kilosort 4, its y column), each spike's template position (centre of
 * mass of the unwhitened template's peak-to-peak over the channels' depths), or none (a Kwik
 * file: no templates, no positions). See `core/compute/drift.ts`.
 */
export type { DriftDepthSource };

/** DriftView's density image: every spike's depth against time, binned. */
export interface DriftRequest {
  /** Columns of the image (at most `REQUEST_LIMITS.driftBins`; columns × rows ≤ `driftCells`). */
  nTimeBins: number;
  /** Rows of the image (at most `REQUEST_LIMITS.driftBins`). */
  nDepthBins: number;
  /** Seconds [t0, t1], both included (default: the whole recording). */
  timeRange?: [number, number];
  /** µm [d0, d1], both included (default: every spike's depth). */
  depthRange?: [number, number];
}

/** A rectangle of the drift plot: seconds × µm. */
export interface DriftExtent {
  t0: number;
  t1: number;
  d0: number;
  d1: number;
}

export interface DriftData extends DriftExtent {
  generation: number;
  source: DriftDepthSource;
  nTimeBins: number;
  nDepthBins: number;
  /** (nDepthBins, nTimeBins) uint32 spikes per bin, row 0 at the shallowest depth d0; empty when `source` is `none`. */
  counts: Uint32Array;
  /** Spikes counted (inside the rectangle, with a depth). */
  nSpikes: number;
  /** Largest count of one bin (the colour scale's top). */
  maxCount: number;
  /** The whole recording × every spike's depth: the plot's home. */
  home: DriftExtent;
  /** Why nothing is drawn (no depth source). */
  message?: string;
}

/** The selected clusters' spikes over the density (a regular subset of each). */
export interface DriftSpikesRequest {
  clusterIds: number[];
  /** Spikes per cluster (default 20,000). */
  nSpikes?: number;
}

export interface DriftSpikesData {
  generation: number;
  source: DriftDepthSource;
  /** Per cluster, in request order: spike ids, times (s) and depths (µm; NaN: none). */
  clusters: Array<{ clusterId: number; spikeIds: Int32Array; times: Float32Array; depths: Float32Array }>;
}

/** A click on the density: which cluster, if any, has spikes near it on the plot as drawn. */
export interface DriftPickRequest {
  /** Seconds and µm. */
  time: number;
  depth: number;
  /** The plot's scale as drawn: seconds and µm per CSS pixel. */
  secondsPerPixel: number;
  umPerPixel: number;
  /** Pixels (at most `REQUEST_LIMITS.driftPickPixels`). */
  radiusPixels: number;
}

export interface DriftPickData {
  generation: number;
  /**
   * Of the spikes within the radius, the cluster with the most of them and its spike nearest to
   * the click (`spikeOfDensestCluster`); nulls when no spike is that near.
   */
  spikeId: number | null;
  clusterId: number | null;
}

/** DriftView's methods of `ViewDataApi`. */
export interface DriftViewDataApi {
  /** Every spike's depth against time as a density image; not tied to the selection. */
  drift(req: DriftRequest): Promise<DriftData>;
  /** The selected clusters' spikes (time, depth) drawn over the density. */
  driftSpikes(req: DriftSpikesRequest): Promise<DriftSpikesData>;
  /** The cluster a click on the density means: the one with the most spikes near it, and its nearest spike. */
  driftPick(req: DriftPickRequest): Promise<DriftPickData>;
}
