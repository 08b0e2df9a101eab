/**
 * The sound-type calls on a temporary project: a clustering run from
 * detected regions, the view the map and gallery draw, edits with events and
 * undo through the shared history, a new cut, thumbnails on shared axes,
 * the type head's report and queue, and refusals of malformed requests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterProject } from '../engine/clusters/cluster-project';
import { trainProjectTypeHead } from '../engine/clusters/train-type-head';
import { ensureFeatureConfig } from '../engine/store/feature-configs';
import { listLabels } from '../engine/store/labels';
import { createTestApp, openAndScan, setRegions, TEST_RATE, valueOf, type TestApp } from './test-helpers';

/** Six short sound regions per recording, alternating between the tone part and the noise part. */
function regionsOf(seconds: number) {
  const out = [];
  for (let k = 0; k < 6; k++) {
    const start = Math.round(((k * seconds) / 2 / 6) * TEST_RATE);
    out.push({ kind: 'sound' as const, startSample: start, endSample: start + Math.round(0.08 * TEST_RATE), p: 0.2 });
  }
  return out;
}

describe('sound-type calls', () => {
  let app: TestApp;
  let ids: Awaited<ReturnType<typeof openAndScan>>;

  beforeEach(async () => {
    app = createTestApp();
    ids = await openAndScan(app);
    setRegions(app, ids['a.wav'], regionsOf(3));
    setRegions(app, ids['b.wav'], regionsOf(2));
    const project = app.state.project!;
    await clusterProject(project, { k: 3 });
  });
  afterEach(async () => app.close());

  it('shows the current clustering with positions, sizes and media URLs', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    expect(view.members).toHaveLength(12);
    expect(view.clusters.reduce((s, c) => s + c.size, 0)).toBe(12);
    expect(view.clusters.every((c) => c.name === `C${c.id}` && (c.cohesion === null ? c.size === 1 : Number.isFinite(c.cohesion)))).toBe(true);
    expect(view.members.every((m) => Number.isFinite(m.x) && Number.isFinite(m.y) && m.pSilence === 0.2)).toBe(true);
    expect(view.mediaBase).toBe('/media');
    expect(view.percentiles).toHaveLength(101);
  });

  it('renames, moves and assigns types; undo through history:undo says clusters changed', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    const [first, second] = view.clusters;
    app.events.length = 0;
    const renamed = valueOf(await app.call('clusters:rename', first.id, 'whistle'));
    expect(renamed).toMatchObject({ id: first.id, name: 'whistle', named: true, size: first.size });
    expect(app.events.map((e) => e.event)).toContain('clusters:changed');
    const mover = view.members.find((m) => m.clusterId === second.id)!;
    const moved = valueOf(await app.call('clusters:move', [mover.id], first.id));
    expect(moved.size).toBe(first.size + 1);
    expect(app.events).toContainEqual({ event: 'recording:changed', payload: { recordingId: mover.recordingId, what: 'labels' } });
    expect(listLabels(app.state.project!.db, mover.recordingId).map((l) => l.soundType)).toEqual(['whistle']);
    const undone = valueOf(await app.call('history:undo'));
    expect(undone).toMatchObject({ clusters: true, recordingId: mover.recordingId });
    expect(valueOf(await app.call('clusters:current'))!.members.find((m) => m.id === mover.id)!.clusterId).toBe(second.id);
    const typed = valueOf(await app.call('clusters:assignType', [mover.id], 'buzz'));
    expect(typed).toMatchObject({ name: 'buzz', size: 1 });
    expect(valueOf(await app.call('types:list')).map((t) => t.type)).toEqual(expect.arrayContaining(['whistle', 'buzz']));
  });

  it('merges, splits and marks noise, each one undo step', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    const [a, b] = view.clusters;
    expect(valueOf(await app.call('clusters:merge', a.id, [b.id])).size).toBe(a.size + b.size);
    const split = valueOf(await app.call('clusters:split', a.id, null));
    expect(split.size).toBeGreaterThan(0);
    valueOf(await app.call('history:undo'));
    valueOf(await app.call('history:undo'));
    expect(valueOf(await app.call('clusters:current'))!.clusters.map((c) => c.size).sort()).toEqual(view.clusters.map((c) => c.size).sort());
    const noise = valueOf(await app.call('clusters:setNoise', a.id, true));
    expect(noise.noise).toBe(true);
    const silence = [ids['a.wav'], ids['b.wav']].flatMap((r) => listLabels(app.state.project!.db, r)).filter((l) => l.value === 'silence');
    expect(silence).toHaveLength(a.size);
  });

  it('moves the cut without recomputing distances, keeping names', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    const biggest = view.clusters[0];
    valueOf(await app.call('clusters:rename', biggest.id, 'keep-me'));
    const cut = valueOf(await app.call('clusters:cut', { kind: 'count', value: 2 }));
    expect(cut.clusters).toBe(2);
    const after = valueOf(await app.call('clusters:current'))!;
    expect(after.clusters.some((c) => c.name === 'keep-me')).toBe(true);
    expect(after.cut).toMatchObject({ kind: 'count', k: 2 });
    const pct = valueOf(await app.call('clusters:cut', { kind: 'percentile', value: 100 }));
    expect(pct.clusters).toBe(1);
  });

  it('gives thumbnails on shared axes: same seconds per column and rows for every member', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    const t = valueOf(await app.call('clusters:thumbnails', { memberIds: view.members.slice(0, 4).map((m) => m.id), rows: 32 }));
    expect(t).toMatchObject({ secondsPerColumn: 0.005, rows: 32, maxHz: TEST_RATE / 2 });
    for (const item of t.items) {
      expect(item.columns).toBe(Math.ceil(0.08 / 0.005));
      expect(Buffer.from(item.data, 'base64')).toHaveLength(32 * item.columns);
    }
    expect(t.dbRange[1]).toBeGreaterThan(t.dbRange[0]);
  });

  it('reports the type head and queues its least certain regions', async () => {
    const view = valueOf(await app.call('clusters:current'))!;
    expect(valueOf(await app.call('types:report'))).toBeNull();
    const [a, b] = view.clusters;
    const inA = view.members.filter((m) => m.clusterId === a.id).map((m) => m.id);
    const inB = view.members.filter((m) => m.clusterId === b.id).map((m) => m.id);
    valueOf(await app.call('clusters:assignType', inA.slice(0, 2), 'tone'));
    valueOf(await app.call('clusters:assignType', inB.slice(0, 2), 'hiss'));
    const project = app.state.project!;
    await trainProjectTypeHead({ ...project, featureConfigId: () => ensureFeatureConfig(project.db, project.featureConfig()!) });
    const report = valueOf(await app.call('types:report'))!;
    expect(report).toMatchObject({ types: ['hiss', 'tone'], labelled: 4, predicted: 12 });
    const queue = valueOf(await app.call('types:uncertain', 5));
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.every((m) => m.handType === null)).toBe(true);
    expect(queue.map((m) => m.confidence!)).toEqual([...queue.map((m) => m.confidence!)].sort((x, y) => x - y));
  });

  it('refuses malformed requests readably', async () => {
    const bad = await app.callRaw('clusters:rename', [1, '']);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const reserved = await app.call('clusters:rename', valueOf(await app.call('clusters:current'))!.clusters[0].id, 'silence');
    expect(reserved).toMatchObject({ ok: false, error: { message: expect.stringMatching(/reserved/) } });
    const missing = await app.call('clusters:move', [999_999], 1);
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
