/**
 * The map's geometry and colours, as pure functions (tested without a
 * canvas): fitting the UMAP positions into the canvas, hit-testing a point,
 * the lasso (point in polygon), and each region's colour for the chosen
 * "colour by".
 */
import { interpolateViridis, schemeTableau10 } from 'd3';
import type { ClusterMemberView } from '../../../../src-shared/cluster-types';

export type ColorBy = 'cluster' | 'type' | 'recording' | 'pSilence';
export const COLOR_BY: readonly { id: ColorBy; label: string }[] = [
  { id: 'cluster', label: 'Cluster' },
  { id: 'type', label: 'Type' },
  { id: 'recording', label: 'Recording' },
  { id: 'pSilence', label: 'p(silence)' },
];

export interface Point {
  x: number;
  y: number;
}

/** Maps data positions into a width × height box (with a margin), keeping the aspect ratio. */
export function fitPositions(members: readonly ClusterMemberView[], width: number, height: number, margin = 16): Point[] {
  const xs = members.map((m) => m.x ?? 0);
  const ys = members.map((m) => m.y ?? 0);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 1e-9);
  const scale = Math.min(width - 2 * margin, height - 2 * margin) / span;
  const ox = (width - (x1 - x0) * scale) / 2;
  const oy = (height - (y1 - y0) * scale) / 2;
  return members.map((m) => ({ x: ox + ((m.x ?? 0) - x0) * scale, y: oy + ((m.y ?? 0) - y0) * scale }));
}

/** Index of the point nearest to `p` within `radius` (screen units), or −1. */
export function nearestPoint(points: readonly Point[], p: Point, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  points.forEach((q, i) => {
    const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Even–odd rule: whether `p` lies inside the polygon. */
export function insidePolygon(p: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Indices of the points inside a lasso polygon (fewer than three vertices select nothing). */
export function lassoSelect(points: readonly Point[], polygon: readonly Point[]): number[] {
  if (polygon.length < 3) return [];
  const out: number[] = [];
  points.forEach((p, i) => {
    if (insidePolygon(p, polygon)) out.push(i);
  });
  return out;
}

/** A stable categorical colour for a key (cluster id, type name, recording). */
export function categoryColor(key: string | number): string {
  const text = String(key);
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return schemeTableau10[h % schemeTableau10.length];
}

export const UNASSIGNED_COLOR = '#6e7681';

/** The colour of a region under the chosen colouring. */
export function memberColor(m: ClusterMemberView, by: ColorBy, clusterName: (id: number) => string | undefined): string {
  switch (by) {
    case 'cluster':
      return m.clusterId === null ? UNASSIGNED_COLOR : categoryColor(`c${m.clusterId}`);
    case 'type': {
      const type = m.handType ?? (m.clusterId !== null ? clusterName(m.clusterId) : undefined) ?? m.predictedType;
      return type ? categoryColor(type) : UNASSIGNED_COLOR;
    }
    case 'recording':
      return categoryColor(`r${m.recordingId}`);
    case 'pSilence':
      return m.pSilence === null ? UNASSIGNED_COLOR : interpolateViridis(1 - m.pSilence);
  }
}
