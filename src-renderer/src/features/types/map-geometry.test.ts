import { describe, expect, it } from 'vitest';
import type { ClusterMemberView } from '../../../../src-shared/cluster-types';
import { categoryColor, fitPositions, insidePolygon, lassoSelect, memberColor, nearestPoint, UNASSIGNED_COLOR } from './map-geometry';
import { galleryCommand } from './gallery-keys';

function member(id: number, x: number, y: number, extra: Partial<ClusterMemberView> = {}): ClusterMemberView {
  return {
    id, recordingId: 1, path: 'a.wav', sampleRate: 1000, startSample: 0, endSample: 10, clusterId: 7, x, y,
    pSilence: 0.25, handType: null, predictedType: null, confidence: null, ...extra,
  };
}

describe('map geometry', () => {
  it('fits positions into the canvas keeping the aspect ratio', () => {
    const points = fitPositions([member(1, 0, 0), member(2, 10, 5), member(3, 5, 2.5)], 220, 120, 10);
    // Scale 10 px per unit (the height limits it), centred: x 60…160, y 35…85.
    expect(points[0]).toEqual({ x: 60, y: 35 });
    expect(points[1]).toEqual({ x: 160, y: 85 });
    expect(points[2].x).toBeCloseTo(110);
  });

  it('finds the nearest point within a radius, and lassoes points inside a polygon', () => {
    const pts = [{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 50, y: 50 }];
    expect(nearestPoint(pts, { x: 9, y: 8 }, 5)).toBe(1);
    expect(nearestPoint(pts, { x: 30, y: 30 }, 5)).toBe(-1);
    const triangle = [{ x: -5, y: -5 }, { x: 30, y: -5 }, { x: -5, y: 30 }];
    expect(lassoSelect(pts, triangle)).toEqual([0, 1]);
    expect(lassoSelect(pts, triangle.slice(0, 2))).toEqual([]);
    // A concave polygon: the notch is outside.
    const u = [{ x: 0, y: 0 }, { x: 30, y: 0 }, { x: 30, y: 30 }, { x: 20, y: 30 }, { x: 20, y: 10 }, { x: 10, y: 10 }, { x: 10, y: 30 }, { x: 0, y: 30 }];
    expect(insidePolygon({ x: 15, y: 20 }, u)).toBe(false);
    expect(insidePolygon({ x: 5, y: 20 }, u)).toBe(true);
  });

  it('colours by cluster, type (hand-set first), recording and p(silence)', () => {
    const m = member(1, 0, 0, { handType: 'whistle', predictedType: 'burst' });
    expect(memberColor(m, 'cluster', () => undefined)).toBe(categoryColor('c7'));
    expect(memberColor(m, 'type', () => 'C7')).toBe(categoryColor('whistle'));
    expect(memberColor({ ...m, handType: null, clusterId: null }, 'type', () => undefined)).toBe(categoryColor('burst'));
    expect(memberColor({ ...m, clusterId: null }, 'cluster', () => undefined)).toBe(UNASSIGNED_COLOR);
    expect(memberColor(m, 'pSilence', () => undefined)).toMatch(/^(#|rgb)/);
    expect(memberColor({ ...m, pSilence: null }, 'pSilence', () => undefined)).toBe(UNASSIGNED_COLOR);
  });
});

describe('gallery keys', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => galleryCommand({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('maps the keys of the table', () => {
    expect(key('r')).toEqual({ kind: 'rename' });
    expect(key('M')).toEqual({ kind: 'merge' });
    expect(key('3')).toEqual({ kind: 'assign', index: 2 });
    expect(key('0')).toBeNull();
    expect(key('z', { ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(key('r', { altKey: true })).toBeNull();
    expect(key(' ')).toEqual({ kind: 'playAll' });
  });
});
