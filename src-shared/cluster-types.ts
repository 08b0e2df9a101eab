/**
 * Sound types: what the UI, the CLI and the 'cluster' job exchange about
 * clusterings (requests as valibot schemas, views and results as types).
 */
import * as v from 'valibot';
import { count, finite, id } from './schemas';

/**
 * The named choices of a clustering request, once: the request schema, the engine (engine/clusters), the CLI's
 * flags and the app's menus all take them from here.
 */
export const CLUSTER_CHOICES = {
  /** What a region is compared as: frame sequences (DTW) or a summary vector; 'auto' picks from the regions. */
  representation: ['auto', 'mfcc', 'logmel', 'mfcc-summary', 'encoder'],
  linkage: ['complete', 'average', 'single', 'weighted', 'ward'],
  /** The seeds' presets (engine/clusters/cut.ts). */
  preset: ['tight', 'loose'],
  /** DTW's frame-to-frame cost. */
  cost: ['euclidean', 'sqeuclidean', 'cosine'],
  /** Per-region mean/variance normalisation: auto (by region length), on, off. */
  normalise: ['auto', 'on', 'off'],
} as const;

/** A clustering request (CLI flags, 'cluster' job parameters); every field optional, checked again by the engine. */
export const clusterRequestSchema = v.strictObject({
  representation: v.optional(v.picklist(CLUSTER_CHOICES.representation)),
  linkage: v.optional(v.picklist(CLUSTER_CHOICES.linkage)),
  preset: v.optional(v.picklist(CLUSTER_CHOICES.preset)),
  k: v.optional(count),
  cutPercentile: v.optional(v.pipe(finite, v.minValue(0), v.maxValue(100))),
  cutDistance: v.optional(v.pipe(finite, v.minValue(0))),
  minClusterSize: v.optional(count),
  band: v.optional(v.pipe(finite, v.gtValue(0), v.maxValue(1))),
  cost: v.optional(v.picklist(CLUSTER_CHOICES.cost)),
  normalise: v.optional(v.picklist(CLUSTER_CHOICES.normalise)),
  /** Detected pieces closer than this (s) are clustered as one sound; absent = chosen from the regions (engine/clusters/cluster-settings.ts), 0 = never. */
  mergeGapSeconds: v.optional(v.pipe(finite, v.minValue(0))),
  useLabels: v.optional(v.boolean()),
  seed: v.optional(v.pipe(v.number(), v.integer())),
});
export type ClusterRequestInput = v.InferOutput<typeof clusterRequestSchema>;

/** Where to cut the current run's dendrogram. */
export const cutRequestSchema = v.strictObject({
  kind: v.picklist(['count', 'distance', 'percentile']),
  /** k, the distance, or the percentile (0–100). */
  value: v.pipe(finite, v.minValue(0)),
  minClusterSize: v.optional(count),
});
export type CutRequest = v.InferOutput<typeof cutRequestSchema>;

/** 'cluster' jobs: what the run did. */
export interface ClusterJobResult {
  runId: number;
  regions: number;
  clusters: number;
  unclustered: number;
  representation: string;
  linkage: string;
  cut: { kind: string; distance: number; k?: number; silhouette?: number };
  /** Automatic choices and why they were made. */
  why: string[];
  seconds: { features: number; distances: number; clustering: number; map: number; total: number };
  /** Pairs compared and skipped by lower bounds (DTW only). */
  pairs: { pairs: number; prunedKim: number; prunedKeogh: number; abandoned: number } | null;
}

/** One cluster as the gallery and map show it. */
export interface ClusterView {
  id: number;
  /** The sound type (a person's name) or C<id>. */
  name: string;
  named: boolean;
  noise: boolean;
  size: number;
  /** Mean DTW distance between members (lower = tighter); null for one member or without stored distances. */
  cohesion: number | null;
}

/** A region of the current run. */
export interface ClusterMemberView {
  id: number;
  recordingId: number;
  path: string;
  sampleRate: number;
  startSample: number;
  endSample: number;
  clusterId: number | null;
  x: number | null;
  y: number | null;
  /** p(silence) of the region from the newest detection (null when unknown). */
  pSilence: number | null;
  /** A person's sound type for this region (a hand-set label), which wins over the cluster. */
  handType: string | null;
  /** The type head's prediction and its confidence, when one is trained. */
  predictedType: string | null;
  confidence: number | null;
}

/** The current clustering, everything the map and gallery draw. */
export interface ClusteringView {
  runId: number;
  createdAt: number;
  settings: Record<string, unknown>;
  cut: Record<string, unknown> | null;
  clusters: ClusterView[];
  members: ClusterMemberView[];
  /** Merge heights range of the dendrogram, for the cut slider. */
  heights: { min: number; max: number };
  /** Distance quantiles at 0, 1, …, 100 %. */
  percentiles: number[];
}

/** Sound types of the project: hand-set labels and current clusters of each name. */
export interface SoundTypeCount {
  type: string;
  /** Hand-set labels of this type. */
  labels: number;
  /** Regions in the current clustering's cluster of this name (0 when none). */
  regions: number;
  /** The cluster's id when a live cluster has this name. */
  clusterId: number | null;
}

/** The type head's latest training and its held-out accuracy by recording. */
export interface TypeHeadReport {
  modelId: number;
  createdAt: number;
  types: string[];
  labelled: number;
  trainingAccuracy: number;
  /** Accuracy on recordings held out from training (null when the labels come from one recording only). */
  heldOutAccuracy: number | null;
  heldOutRecordings: number;
  predicted: number;
}

/** Ids used by the cluster calls. */
export const memberIdsSchema = v.pipe(v.array(id), v.minLength(1), v.maxLength(100_000));
