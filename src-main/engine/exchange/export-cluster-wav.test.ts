import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudioRange } from '../audio/read-range';
import { probeAudio } from '../audio/probe';
import { createLabel, listLabels } from '../store/labels';
import { listRecordings } from '../store/recordings';
import { createClusterRun, createSoundCluster, writeMemberCluster } from '../store/sound-clusters';
import { whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import type { Project } from '../project/open-project';
import { CLUSTER_INDEX_FILE } from './export-cluster-wav';
import { exportLabels } from './export-project';
import { importFiles, scannedProject, scratchDir } from './test-helpers';

/** Two recordings at different rates, 16-bit: every sample survives the float32 output exactly. */
const RECORDINGS = { 'a.wav': { rate: 16_000, seconds: 2, seed: 1 }, 'sub/b.wav': { rate: 8_000, seconds: 3, seed: 2 } } as const;

describe('cluster-wav export', () => {
  const scratch = scratchDir('sonotype-cluster-wav-');
  let project: Project;
  let audioRoot: string;
  const audio: Record<string, Float32Array> = {};

  beforeAll(async () => {
    audioRoot = path.join(scratch.dir, 'audio');
    for (const [name, r] of Object.entries(RECORDINGS)) {
      mkdirSync(path.dirname(path.join(audioRoot, name)), { recursive: true });
      writeFileSync(path.join(audioRoot, name), encodeWav([whiteNoise(r.rate, r.seconds, 0.2, r.seed)], { sampleRate: r.rate, format: 'pcm16' }));
      audio[name] = await readAudioRange(path.join(audioRoot, name), { startFrame: 0, frames: r.rate * r.seconds });
    }
    project = await scannedProject(path.join(scratch.dir, 'project'), audioRoot);
    const id = Object.fromEntries(listRecordings(project.db).map((r) => [r.path, r.id]));
    const label = (p: string, start: number, end: number, soundType: string | null, extra: object = {}) =>
      createLabel(project.db, { recordingId: id[p], startSample: start, endSample: end, value: 'sound', soundType, ...extra });
    label('a.wav', 1_000, 2_600, 'whistle', { lowHz: 2_000, highHz: 6_000 });
    label('a.wav', 20_000, 20_800, 'click');
    label('sub/b.wav', 100, 900, 'whistle');
    label('sub/b.wav', 4_000, 4_400, 'whistle');
    label('a.wav', 30_000, 31_000, null); // no type: not written
    createLabel(project.db, { recordingId: id['a.wav'], startSample: 5_000, endSample: 6_000, value: 'silence' });
  });
  afterAll(() => {
    project.close();
    scratch.cleanup();
  });

  it('writes one WAV per type and rate: members joined by 0.1 s of silence, samples exact; an index says where each came from', async () => {
    const out = path.join(scratch.dir, 'out');
    const report = await exportLabels(project.db, { format: 'cluster-wav', outDir: out, resolvePath: (p) => project.resolveRecordingPath(p) });
    expect(report.files).toEqual(['click.wav', 'whistle_16000Hz.wav', 'whistle_8000Hz.wav', CLUSTER_INDEX_FILE]);
    expect(report).toMatchObject({ labels: 4, skipped: 2 });

    const expectWav = async (file: string, rate: number, parts: [string, number, number][]) => {
      const info = await probeAudio(path.join(out, file));
      expect(info).toMatchObject({ sampleRate: rate, channels: 1 });
      const gap = new Float32Array(rate / 10);
      const pieces = parts.flatMap(([p, s, e], i) => [...(i > 0 ? [gap] : []), audio[p].subarray(s, e)]);
      const expected = Float32Array.from(pieces.flatMap((x) => Array.from(x)));
      const got = await readAudioRange(path.join(out, file), { startFrame: 0, frames: info.frames });
      expect(got.length).toBe(expected.length);
      expect(Array.from(got)).toEqual(Array.from(expected));
    };
    await expectWav('click.wav', 16_000, [['a.wav', 20_000, 20_800]]);
    await expectWav('whistle_16000Hz.wav', 16_000, [['a.wav', 1_000, 2_600]]);
    await expectWav('whistle_8000Hz.wav', 8_000, [['sub/b.wav', 100, 900], ['sub/b.wav', 4_000, 4_400]]);

    const index = readFileSync(path.join(out, CLUSTER_INDEX_FILE), 'utf8').trim().split('\n');
    expect(index[0]).toBe('offset,annotation,source_file,source_start,source_stop,output_file,offset_s,source_start_s,source_stop_s,low_hz,high_hz,label_id');
    expect(index.slice(1).map((l) => l.split(',').slice(0, 6))).toEqual([
      ['0', 'click', 'a.wav', '20000', '20800', 'click.wav'],
      ['0', 'whistle', 'a.wav', '1000', '2600', 'whistle_16000Hz.wav'],
      ['0', 'whistle', 'sub/b.wav', '100', '900', 'whistle_8000Hz.wav'],
      ['1600', 'whistle', 'sub/b.wav', '4000', '4400', 'whistle_8000Hz.wav'],
    ]);

    // The index is the original Java labeller's format: it imports back as the same typed labels.
    const fresh = await scannedProject(path.join(scratch.dir, 'fresh'), audioRoot);
    try {
      const report2 = importFiles(fresh, [path.join(out, CLUSTER_INDEX_FILE)]);
      expect(report2).toMatchObject({ imported: 4, rejected: 0 });
      const all = listRecordings(fresh.db).flatMap((r) => listLabels(fresh.db, r.id).map((l) => [r.path, l.startSample, l.endSample, l.soundType, l.lowHz]));
      expect(all).toEqual([['a.wav', 1_000, 2_600, 'whistle', 2_000], ['a.wav', 20_000, 20_800, 'click', null], ['sub/b.wav', 100, 900, 'whistle', null], ['sub/b.wav', 4_000, 4_400, 'whistle', null]]);
    } finally {
      fresh.close();
    }
  });

  it('with a clustering run: one WAV per cluster, a person\'s sound type wins, the Cluster column names the cluster', async () => {
    const id = Object.fromEntries(listRecordings(project.db).map((r) => [r.path, r.id]));
    const members = [
      { recordingId: id['a.wav'], startSample: 1_000, endSample: 2_600 }, // the 'whistle' label: the type wins
      { recordingId: id['a.wav'], startSample: 8_000, endSample: 9_000 }, // no label: goes by its cluster
      { recordingId: id['sub/b.wav'], startSample: 5_000, endSample: 5_500 },
    ];
    const { memberIds } = createClusterRun(project.db, {
      algorithm: 'test', modelId: null, params: {}, members, tree: new Float64Array(8), quantiles: new Float64Array(1001), cut: {},
    });
    const upsweeps = createSoundCluster(project.db, { name: 'upsweep' });
    const other = createSoundCluster(project.db);
    writeMemberCluster(project.db, memberIds[0], upsweeps.id);
    writeMemberCluster(project.db, memberIds[1], upsweeps.id);
    writeMemberCluster(project.db, memberIds[2], other.id);
    const out = path.join(scratch.dir, 'out-clusters');
    const report = await exportLabels(project.db, { format: 'cluster-wav', outDir: out, resolvePath: (p) => project.resolveRecordingPath(p) });
    // Typed labels no member matches (click, the two b.wav whistles) are written too.
    expect(report.files).toEqual([`${other.name}.wav`, 'click.wav', 'upsweep.wav', 'whistle_16000Hz.wav', 'whistle_8000Hz.wav', CLUSTER_INDEX_FILE]);
    const index = readFileSync(path.join(out, CLUSTER_INDEX_FILE), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(1, 5));
    expect(index).toContainEqual(['whistle', 'a.wav', '1000', '2600']);
    expect(index).toContainEqual(['upsweep', 'a.wav', '8000', '9000']);
    expect(index).toContainEqual([other.name, 'sub/b.wav', '5000', '5500']);
    const raven = await exportLabels(project.db, { format: 'raven', outDir: path.join(scratch.dir, 'out-raven'), resolvePath: (p) => project.resolveRecordingPath(p) });
    const rows = readFileSync(path.join(scratch.dir, 'out-raven', raven.files[0]), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const col = (name: string) => rows[0].indexOf(name);
    expect(rows.find((r) => r[col('Begin Time (s)')] === (1_000 / 16_000).toFixed(9))?.[col('Cluster')]).toBe('upsweep');
  });
});
