/**
 * `npm run bench -- reliability`: the fault trials of issue 9 at full size,
 * so their counts and outcomes are visible run over run (CI runs the same
 * harnesses smaller, in src-main/reliability/*.test.ts):
 * - kill -9 during label editing over the WebSocket API (acknowledged and lost edits);
 * - kill -9 during an import, detect, head retraining, model saving and training;
 * - fuzzed WAV/FLAC/MP3/Ogg/Opus/M4A files through scan and detect (crashes, hangs, memory);
 * - two servers and a detection run on one project (edits refused as busy).
 * The outcome lines have target 0 (lost edits, dirty databases, crashes, refused edits).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from '../types';
import { openProject } from '../../engine/project/open-project';
import { scanProject } from '../../engine/project/scan-project';
import { runMonitored } from '../../engine/testing/reliability/child-monitor';
import { writeFuzzCorpus } from '../../engine/testing/reliability/fuzz-corpus';
import { addHumanLabels, addRecording, completeWork, runWorkTrials, trialScene, WORK_CHILD, type WorkKind } from '../../engine/testing/reliability/work-trials';
import { whiteNoise } from '../../engine/testing/synth';
import { encodeWav } from '../../engine/testing/wav-writer';
import { createRng } from '../../engine/util/random';
import { checkAfterKill, connect, LabelModel, runLabelKillTrial, settleUncertain, startServerProcess } from '../../server/testing/label-trials';
import { callOver } from '../../server/test-helpers';

const LABEL_TRIALS = Number(process.env.SONOTYPE_BENCH_LABEL_TRIALS ?? 60);
const WORK_TRIALS = Number(process.env.SONOTYPE_BENCH_WORK_TRIALS ?? 8);
const FUZZ_WAV = Number(process.env.SONOTYPE_BENCH_FUZZ_WAV ?? 3000);
const FUZZ_COMPRESSED = Number(process.env.SONOTYPE_BENCH_FUZZ_COMPRESSED ?? 900);

export const reliabilitySuite: BenchSuite = {
  names: [
    'reliability_label_kill_trials', 'reliability_lost_edits', 'reliability_work_kill_trials', 'reliability_work_dirty_after_kill',
    'reliability_fuzz_inputs', 'reliability_fuzz_crashes_or_hangs', 'reliability_two_process_refused_edits',
  ],
  async run(ctx, emit) {
    // ---- kill -9 during label editing ------------------------------------------------
    {
      const dir = join(ctx.tmpDir, 'labels');
      mkdirSync(dir, { recursive: true });
      const frames = 20 * 8000;
      writeFileSync(join(dir, 'a.wav'), encodeWav([whiteNoise(8000, 20, 0.05, 4)], { sampleRate: 8000, format: 'pcm16' }));
      const project = await openProject(dir);
      const recordingId = (await scanProject(project)).recordings[0].id;
      project.close();
      const model = new LabelModel();
      const recordingOf = new Map<number, number>();
      const rng = createRng(9);
      let lost = 0;
      let dirty = 0;
      const started = performance.now();
      for (let trial = 0; trial < LABEL_TRIALS; trial++) {
        await runLabelKillTrial({ projectDir: dir, recordingId, frames, seed: 1000 + trial, killAfter: 5 + Math.floor(rng() * 200) }, model, recordingOf);
        const check = checkAfterKill(dir, model);
        lost += check.lost.length;
        if (check.integrity !== 'ok' || check.foreignKeyErrors > 0) dirty++;
        settleUncertain(dir, model);
        if (trial % 10 === 9) ctx.log(`label kill trials: ${trial + 1}/${LABEL_TRIALS}, ${model.acknowledged} edits acknowledged, ${lost} lost`);
      }
      const detail = { acknowledgedEdits: model.acknowledged, lostEdits: lost, dirtyDatabases: dirty, seconds: (performance.now() - started) / 1000 };
      emit({ name: 'reliability_label_kill_trials', value: LABEL_TRIALS, unit: 'kills', better: 'higher', detail });
      emit({ name: 'reliability_lost_edits', value: lost + dirty, unit: 'edits', better: 'lower', target: 0, detail });
    }

    // ---- kill -9 during long work ------------------------------------------------------
    {
      const dir = join(ctx.tmpDir, 'work');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 3; i++) writeFileSync(join(dir, `r${i}.wav`), trialScene(40 + i));
      const project = await openProject(dir);
      await scanProject(project);
      project.close();
      const rng = createRng(17);
      const perKind: Record<string, { kills: number; attempts: number; problems: string[] }> = {};
      for (const kind of ['import', 'detect', 'retrain-head', 'model-save', 'train'] as WorkKind[]) {
        if (kind === 'retrain-head') await addHumanLabels(dir);
        const before = kind === 'detect' ? (attempt: number) => addRecording(dir, `new-${attempt}.wav`, 60 + attempt) : undefined;
        const series = await runWorkTrials(kind, dir, WORK_TRIALS, rng, before);
        // The run after the kills must complete (detection finishes what was interrupted; training runs anew).
        const after = kind === 'detect' || kind === 'train' ? await completeWork(kind, dir) : null;
        if (after) series.problems.push(`the ${kind} run after the kills failed: ${after.message}`);
        perKind[kind] = { kills: series.kills, attempts: series.attempts, problems: series.problems.slice(0, 5) };
        ctx.log(`${kind}: ${series.kills} kills in ${series.attempts} runs, ${series.problems.length} problems`);
      }
      const kills = Object.values(perKind).reduce((s, k) => s + k.kills, 0);
      const problems = Object.values(perKind).reduce((s, k) => s + k.problems.length, 0);
      emit({ name: 'reliability_work_kill_trials', value: kills, unit: 'kills', better: 'higher', detail: perKind });
      emit({ name: 'reliability_work_dirty_after_kill', value: problems, unit: 'problems', better: 'lower', target: 0, detail: perKind });
    }

    // ---- fuzzing scan and detect ---------------------------------------------------------
    {
      const base = join(ctx.tmpDir, 'fuzz');
      const corpus = await writeFuzzCorpus(join(base, 'audio'), { wavCount: FUZZ_WAV, compressedCount: FUZZ_COMPRESSED, seed: 7 });
      type FuzzReport = { step: string; scan?: { status: string }[]; detect?: { recordings: { path: string }[]; failures: unknown[] } };
      const run = await runMonitored<FuzzReport>(join(WORK_CHILD, '..', 'fuzz-child.ts'), [join(base, 'project'), join(base, 'audio')], { stallMs: 30_000, maxRssBytes: 1024 ** 3 });
      const done = run.reports.at(-1);
      const finished = run.outcome === 'exited' && done?.step === 'done';
      const detected = new Set(done?.detect?.recordings.map((r) => r.path) ?? []);
      const detail = {
        wav: FUZZ_WAV, compressed: FUZZ_COMPRESSED, skippedFormats: corpus.skippedFormats, outcome: run.outcome,
        peakRssMb: Math.round(run.peakRssBytes / 2 ** 20), longestWaitSeconds: Math.round(run.longestGapMs) / 1000,
        scanErrors: done?.scan?.filter((s) => s.status === 'error').length ?? null,
        detectFailures: done?.detect?.failures.length ?? null, detected: detected.size,
        goodDetected: corpus.good.filter((g) => detected.has(g)).length,
      };
      emit({ name: 'reliability_fuzz_inputs', value: corpus.mutated.length, unit: 'files', better: 'higher', detail });
      emit({ name: 'reliability_fuzz_crashes_or_hangs', value: finished ? 0 : 1, unit: 'runs', better: 'lower', target: 0, detail });
    }

    // ---- two processes on one project ----------------------------------------------------
    {
      const dir = join(ctx.tmpDir, 'two');
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 6; i++) writeFileSync(join(dir, `r${i}.wav`), trialScene(80 + i));
      const project = await openProject(dir);
      const recordingId = (await scanProject(project)).recordings[0].id;
      project.close();
      const servers = await Promise.all([startServerProcess(dir), startServerProcess(dir)]);
      let edits = 0;
      let refused = 0;
      try {
        let detecting = true;
        const detection = runMonitored(WORK_CHILD, ['detect', dir], { stallMs: 120_000 }).finally(() => (detecting = false));
        await Promise.all(servers.map(async (server, s) => {
          const ws = await connect(server);
          let n = 0;
          await Promise.all(Array.from({ length: 4 }, async () => {
            while (detecting || n < 500) {
              const i = n++;
              const start = ((s * 100_000 + i) * 10) % (8 * 8000 - 20);
              const reply = await callOver(ws, s * 1e7 + i + 1, 'labels:create', [{ recordingId, startSample: start, endSample: start + 8, value: 'sound' }]);
              edits++;
              if (!reply.result.ok) refused++;
            }
          }));
          ws.close();
        }));
        await detection;
      } finally {
        await Promise.all(servers.map((s) => s.kill()));
      }
      emit({ name: 'reliability_two_process_refused_edits', value: refused, unit: 'edits', better: 'lower', target: 0, detail: { edits } });
    }
  },
};
