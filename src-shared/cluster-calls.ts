/**
 * The sound-type calls of the contract (spread into CALLS in contract.ts):
 * the current clustering, cluster edits (each one undo step, shared with
 * label edits: `history:undo` undoes them), a new cut, thumbnails on shared
 * axes, the type head's report and uncertainty queue.
 */
import * as v from 'valibot';
import {
  cutRequestSchema, memberIdsSchema, type ClusteringView, type ClusterMemberView, type ClusterView, type SoundTypeCount, type TypeHeadReport,
} from './cluster-types';
import { LABEL_LIMITS } from './label-types';
import { id, returns } from './schemas';

const typeName = v.pipe(v.string(), v.minLength(1), v.maxLength(LABEL_LIMITS.soundTypeLength));

/** Spectrogram thumbnails of members on shared axes (see ThumbnailsRequest). */
export interface MemberThumbnails {
  secondsPerColumn: number;
  rows: number;
  maxHz: number;
  /** dB values of byte 1 and 255 (0 = no data, e.g. above a recording's Nyquist). */
  dbRange: [number, number];
  items: { memberId: number; columns: number; truncated: boolean; /** rows × columns bytes, base64, row 0 = lowest frequency. */ data: string }[];
}

export const thumbnailsRequestSchema = v.strictObject({
  memberIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(2000)),
  secondsPerColumn: v.optional(v.pipe(v.number(), v.minValue(0.0005), v.maxValue(0.5))),
  rows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8), v.maxValue(256))),
  maxColumns: v.optional(v.pipe(v.number(), v.integer(), v.minValue(4), v.maxValue(2000))),
});

export const CLUSTER_CALLS = {
  /** The current clustering (clusters with size and cohesion, members with map positions and types); null before the first run. */
  'clusters:current': { args: v.strictTuple([]), result: returns<(ClusteringView & { mediaBase: string; mediaQuery: string }) | null>() },
  /** Renames a cluster (a sound type); hand-set labels of the old name follow. One undo step. Args: cluster id, name. */
  'clusters:rename': { args: v.strictTuple([id, typeName]), result: returns<ClusterView>() },
  /** Merges clusters into the first: members and hand-set labels follow. One undo step. Args: target id, the others. */
  'clusters:merge': { args: v.strictTuple([id, v.pipe(v.array(id), v.minLength(1), v.maxLength(1000))]), result: returns<ClusterView>() },
  /**
   * Splits a cluster: the given members (or, with null, the second half along the dendrogram) become a new
   * cluster. One undo step. Args: cluster id, member ids or null. Resolves to the new cluster.
   */
  'clusters:split': { args: v.strictTuple([id, v.nullable(memberIdsSchema)]), result: returns<ClusterView>() },
  /** Moves regions to a cluster; each gets the cluster's type as a hand-set label. One undo step. Args: member ids, cluster id. */
  'clusters:move': { args: v.strictTuple([memberIdsSchema, id]), result: returns<ClusterView>() },
  /** Gives regions a sound type (lasso relabel, number keys): they join the cluster of that name, created when missing. Args: member ids, type. */
  'clusters:assignType': { args: v.strictTuple([memberIdsSchema, typeName]), result: returns<ClusterView>() },
  /** Marks a cluster as noise (its regions become silence labels for the silence head) or back. One undo step. Args: cluster id, noise. */
  'clusters:setNoise': { args: v.strictTuple([id, v.boolean()]), result: returns<ClusterView>() },
  /** Cuts the current dendrogram anew (no distances recomputed); names carry over. One undo step. */
  'clusters:cut': { args: v.strictTuple([cutRequestSchema]), result: returns<{ clusters: number; distance: number }>() },
  /** Spectrogram thumbnails of members on shared time and frequency axes, one colour scale. */
  'clusters:thumbnails': { args: v.strictTuple([thumbnailsRequestSchema]), result: returns<MemberThumbnails>() },
  /** Current members of one recording (to highlight them in the review view). Args: recording id. */
  'clusters:membersOf': { args: v.strictTuple([id]), result: returns<ClusterMemberView[]>() },
  /** Sound types with counts (hand-set labels, clustered regions). */
  'types:list': { args: v.strictTuple([]), result: returns<SoundTypeCount[]>() },
  /** The type head's latest training report (null before the first). */
  'types:report': { args: v.strictTuple([]), result: returns<TypeHeadReport | null>() },
  /** Regions whose type the type head is least sure about, least certain first (at most `limit`). */
  'types:uncertain': { args: v.strictTuple([v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))]), result: returns<ClusterMemberView[]>() },
} as const;
