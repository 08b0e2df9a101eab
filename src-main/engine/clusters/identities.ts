/**
 * Which cluster identity each region of a new clustering gets, so names
 * survive re-clustering and moving the cut:
 * 1. regions are matched to the previous clustering's members by time
 *    overlap (same recording, intersection over union ≥ 0.5), since a new
 *    detection may have moved their edges;
 * 2. new clusters take over old identities by the best total Jaccard overlap
 *    (Hungarian, hungarian.ts); unmatched new clusters get new identities,
 *    unmatched old identities are retired;
 * 3. a region's hand-set type (a person's sound-type label) always wins: it
 *    goes to the live cluster of that name, created if there is none.
 */
import { matchByJaccard, type Overlap } from './hungarian';
import { UNCLUSTERED } from './cut';
import { sampleSpanIoU } from '../util/sample-spans';

export interface Span {
  recordingId: number;
  startSample: number;
  endSample: number;
}

export interface PreviousMember extends Span {
  clusterId: number | null;
}

export interface IdentityPlan {
  /** Per new item: an existing identity id, or a placeholder 'new:<flat label>' / 'type:<name>'; null = unclustered. */
  assignment: (number | string | null)[];
  /** Existing identities no new cluster took over (to retire), unless a hand-set type keeps them. */
  retired: number[];
}

/** Index of the previous member each item overlaps best with IoU ≥ minIoU, or −1. */
export function matchSpans(items: readonly Span[], previous: readonly Span[], minIoU = 0.5): Int32Array {
  const out = new Int32Array(items.length).fill(-1);
  const byRecording = new Map<number, number[]>();
  previous.forEach((p, i) => byRecording.set(p.recordingId, [...(byRecording.get(p.recordingId) ?? []), i]));
  const longest = new Map<number, number>();
  for (const [recordingId, list] of byRecording) {
    list.sort((a, b) => previous[a].startSample - previous[b].startSample);
    longest.set(recordingId, Math.max(...list.map((i) => previous[i].endSample - previous[i].startSample)));
  }
  items.forEach((item, k) => {
    const list = byRecording.get(item.recordingId);
    if (!list) return;
    // Binary search for the first previous member that could overlap (sorted by start; spans are short).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (previous[list[mid]].startSample < item.endSample) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    let bestIoU = minIoU;
    const reach = longest.get(item.recordingId)!;
    for (let j = lo - 1; j >= 0; j--) {
      const p = previous[list[j]];
      // Sorted by start: once a span starts more than the longest span before the item, none further back can reach it.
      if (p.startSample + reach <= item.startSample) break;
      const iou = sampleSpanIoU(p, item);
      if (iou > 0 && iou >= bestIoU) {
        bestIoU = iou;
        best = list[j];
      }
    }
    out[k] = best;
  });
  return out;
}

/**
 * Plans the identities of a new flat clustering (`labels[i]` per item,
 * UNCLUSTERED allowed) given the previous members and each item's hand-set
 * type (null when none).
 */
export function planIdentities(
  items: readonly Span[],
  labels: Int32Array,
  previous: readonly PreviousMember[],
  handSetTypes: readonly (string | null)[],
  liveIdentities: readonly { id: number; name: string }[],
  options: { typesDefineClusters?: boolean } = {},
): IdentityPlan {
  const match = matchSpans(items, previous);
  const newSizes = new Map<number, number>();
  labels.forEach((l) => {
    if (l !== UNCLUSTERED) newSizes.set(l, (newSizes.get(l) ?? 0) + 1);
  });
  const live = new Set(liveIdentities.map((c) => c.id));
  const oldSizes = new Map<number, number>();
  for (const p of previous) if (p.clusterId !== null && live.has(p.clusterId)) oldSizes.set(p.clusterId, (oldSizes.get(p.clusterId) ?? 0) + 1);
  const shared = new Map<string, Overlap>();
  items.forEach((_, i) => {
    const old = match[i] >= 0 ? previous[match[i]].clusterId : null;
    if (labels[i] === UNCLUSTERED || old === null || !oldSizes.has(old)) return;
    const key = `${labels[i]}:${old}`;
    const o = shared.get(key) ?? { newCluster: labels[i], oldCluster: old, shared: 0 };
    o.shared++;
    shared.set(key, o);
  });
  // A cluster holding regions a person typed takes that type's identity (the majority type when they disagree).
  const byName = new Map(liveIdentities.map((c) => [c.name, c.id]));
  const typeVotes = new Map<number, Map<string, number>>();
  items.forEach((_, i) => {
    const type = handSetTypes[i];
    if (type === null || labels[i] === UNCLUSTERED) return;
    const votes = typeVotes.get(labels[i]) ?? new Map<string, number>();
    votes.set(type, (votes.get(type) ?? 0) + 1);
    typeVotes.set(labels[i], votes);
  });
  const typed = new Map<number, number | string>();
  const claimedTypes = new Set<string>();
  const candidates = [...typeVotes.entries()]
    .filter(([flat, votes]) => votes.size === 1 && (options.typesDefineClusters || 2 * [...votes.values()][0] >= newSizes.get(flat)!))
    .sort((a, b) => [...b[1].values()][0] - [...a[1].values()][0]);
  for (const [flat, votes] of candidates) {
    const [type] = [...votes.keys()];
    if (claimedTypes.has(type)) continue;
    claimedTypes.add(type);
    typed.set(flat, byName.get(type) ?? `type:${type}`);
  }
  const claimedIds = new Set([...typed.values()].filter((v): v is number => typeof v === 'number'));
  const carried = matchByJaccard(
    [...shared.values()].filter((o) => !typed.has(o.newCluster) && !claimedIds.has(o.oldCluster)),
    newSizes,
    oldSizes,
  );
  const assignment = items.map((_, i): number | string | null => {
    const type = handSetTypes[i];
    if (type !== null) return byName.get(type) ?? `type:${type}`;
    if (labels[i] === UNCLUSTERED) return null;
    return typed.get(labels[i]) ?? carried.get(labels[i]) ?? `new:${labels[i]}`;
  });
  const used = new Set(assignment.filter((a): a is number => typeof a === 'number'));
  const retired = liveIdentities.map((c) => c.id).filter((id) => !used.has(id));
  return { assignment, retired };
}
