/**
 * `npm run bench -- detection`: detection quality on the dev sets of issue 7
 * beside an energy detector tuned on each set's own truth (same run), the
 * simulated correction curve, whole-file teaching, and the speed of a first
 * detect. Lines (per set unless "mean"):
 * - detection_dayone_{onset_f1,balanced_accuracy}_<set>, detection_dayone_mean_* (targets 0.8 / 0.9)
 * - detection_baseline_{onset_f1,balanced_accuracy}_<set> (tuned on the truth)
 * - detection_corrections_k<k>_onset_f1_<set>, detection_corrections_k20_mean_onset_f1 (target 0.9)
 * - detection_whole_file_{before,after}_onset_f1_<set> (the other files of the finch sets)
 * - detection_first_detect_48k_x_realtime (target 30)
 * - detection_first_detect_embed_48k_x_realtime: the same with `--embed` (window embeddings through the encoder
 *   worker pool), beside the embedding time of the encoder run in one thread
 * - detection_tonal_*: the opt-in tonal mode on unannotated recordings (tonal-mode.ts)
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchLine, BenchSuite } from '../../types';
import { probeAudio } from '../../../engine/audio';
import { detectProject } from '../../../engine/detection/detect-project';
import { openProject } from '../../../engine/project/open-project';
import { scanProject } from '../../../engine/project/scan-project';
import { writeBenchRecording } from '../bench-audio';
import { loadDevSets } from './dev-sets';
import { tuneEnergyBaseline } from './energy-baseline';
import { correctionCurve, devSetProject, scoreProject, wholeFileTeaching } from './simulated-review';
import { tonalModeLines } from './tonal-mode';

const KS = [0, 5, 10, 20];
const SPEED_SECONDS = 600;
const r3 = (x: number | null) => (x === null ? 0 : Math.round(x * 1000) / 1000);

export const detectionSuite: BenchSuite = {
  names: [
    'detection_dayone', 'detection_baseline', 'detection_corrections', 'detection_whole_file', 'detection_first_detect_48k_x_realtime',
    'detection_first_detect_embed_48k_x_realtime', 'detection_tonal',
  ],
  async run(ctx, emit) {
    const line = (name: string, value: number, extra: Partial<BenchLine> = {}) => emit({ name, value: r3(value), unit: 'ratio', better: 'higher', ...extra });
    const wanted = ctx.wanted ?? (() => true);
    const quality = ['detection_dayone', 'detection_baseline', 'detection_corrections', 'detection_whole_file'].some(wanted);
    const sets = quality ? await loadDevSets() : [];
    if (quality && sets.length === 0) ctx.log('../shared/data is absent: detection quality lines skipped');
    const dayOne: { onset: number; ba: number }[] = [];
    const finalK: number[] = [];
    const monotone: boolean[] = [];
    for (const set of sets) {
      ctx.log(`dev set ${set.name}: ${set.files.length} files, ${set.files.reduce((s, f) => s + f.events.length, 0)} events`);
      const rate = (await probeAudio(set.files[0].path)).sampleRate;
      const baseline = await tuneEnergyBaseline(set.files, rate);
      const project = await devSetProject(ctx.tmpDir, set);
      try {
        const curve = await correctionCurve(project, set, KS);
        const day = curve[0].scores;
        const detail = {
          overlapF1: r3(day.overlapF1), events: day.events, regions: day.predictions, meanOnsetErrorMs: r3((day.meanOnsetErrorSeconds ?? 0) * 1000),
          baseline: { onsetF1: r3(baseline.scores.onsetF1), balancedAccuracy: r3(baseline.scores.balancedAccuracy), overlapF1: r3(baseline.scores.overlapF1), params: baseline.params, combinations: baseline.combinations },
          complete: set.complete,
        };
        line(`detection_dayone_onset_f1_${set.name}`, day.onsetF1 ?? 0, { detail });
        line(`detection_dayone_balanced_accuracy_${set.name}`, day.balancedAccuracy ?? 0, { detail });
        line(`detection_baseline_onset_f1_${set.name}`, baseline.scores.onsetF1 ?? 0, { detail: { params: baseline.params } });
        line(`detection_baseline_balanced_accuracy_${set.name}`, baseline.scores.balancedAccuracy ?? 0, { detail: { params: baseline.params } });
        for (const point of curve) {
          line(`detection_corrections_k${point.k}_onset_f1_${set.name}`, point.scores.onsetF1 ?? 0, {
            detail: { corrections: point.made, balancedAccuracy: r3(point.scores.balancedAccuracy), overlapF1: r3(point.scores.overlapF1), adopted: point.adopted, head: point.activeHeadVersion },
          });
        }
        if (set.complete) {
          dayOne.push({ onset: day.onsetF1 ?? 0, ba: day.balancedAccuracy ?? 0 });
          finalK.push(curve.at(-1)!.scores.onsetF1 ?? 0);
          monotone.push(curve.every((p, i) => i === 0 || (p.scores.onsetF1 ?? 0) >= (curve[i - 1].scores.onsetF1 ?? 0)));
        }
      } finally {
        project.close();
      }
      if (set.files.length > 1) {
        const fresh = await devSetProject(ctx.tmpDir, set);
        try {
          const taught = await wholeFileTeaching(fresh, set);
          const detail = { taught: taught.taught, adopted: taught.adopted, balancedAccuracyBefore: r3(taught.before.balancedAccuracy), balancedAccuracyAfter: r3(taught.after.balancedAccuracy) };
          line(`detection_whole_file_before_onset_f1_${set.name}`, taught.before.onsetF1 ?? 0, { detail });
          line(`detection_whole_file_after_onset_f1_${set.name}`, taught.after.onsetF1 ?? 0, { detail });
        } finally {
          fresh.close();
        }
      }
    }
    if (dayOne.length) {
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      line('detection_dayone_mean_onset_f1', mean(dayOne.map((d) => d.onset)), { target: 0.8, detail: { sets: dayOne.length } });
      line('detection_dayone_mean_balanced_accuracy', mean(dayOne.map((d) => d.ba)), { target: 0.9, detail: { sets: dayOne.length } });
      line('detection_corrections_k20_mean_onset_f1', mean(finalK), { target: 0.9, detail: { everyRoundAtLeastThePrevious: monotone.every(Boolean), perSet: monotone } });
    }
    if (wanted('detection_tonal')) await tonalModeLines(line, ctx.log);
    if (process.env.SONOTYPE_BENCH_SKIP_SPEED) return;
    if (wanted('detection_first_detect_48k_x_realtime')) await firstDetectSpeed(ctx.tmpDir, ctx.log, emit);
    if (wanted('detection_first_detect_embed_48k_x_realtime')) await firstEmbedSpeed(ctx.tmpDir, ctx.log, emit);
  },
};

/** A first `detect` of a folder of 48-kHz files, end to end (decode → frame features → head → regions → database). */
async function firstDetectSpeed(tmpDir: string, log: (m: string) => void, emit: (l: BenchLine) => void): Promise<void> {
  const dir = join(tmpDir, 'speed-48k');
  const files = 4;
  await mkdir(join(dir, 'audio'), { recursive: true });
  for (let i = 0; i < files; i++) await writeBenchRecording(join(dir, 'audio', `rec${i}.wav`), 48_000, SPEED_SECONDS / files);
  const project = await openProject(join(dir, 'project'), { audioRoot: join(dir, 'audio') });
  try {
    await scanProject(project);
    log(`first detect of ${SPEED_SECONDS} s at 48 kHz`);
    const t = performance.now();
    const result = await detectProject(project);
    const seconds = (performance.now() - t) / 1000;
    const again = performance.now();
    const second = await detectProject(project);
    emit({
      name: 'detection_first_detect_48k_x_realtime', value: Math.round((result.audioSeconds / seconds) * 10) / 10, unit: 'x realtime', better: 'higher', target: 30,
      detail: { audioSeconds: result.audioSeconds, seconds: r3(seconds), files, secondDetectSeconds: r3((performance.now() - again) / 1000), secondDetectDecoded: second.work.recordingsDecoded },
    });
  } finally {
    project.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const EMBED_SECONDS = 240;

/** A first `detect --embed` of 48-kHz files: regions plus window embeddings on the worker pool; then one thread. */
async function firstEmbedSpeed(tmpDir: string, log: (m: string) => void, emit: (l: BenchLine) => void): Promise<void> {
  const dir = join(tmpDir, 'speed-embed-48k');
  const files = 2;
  await mkdir(join(dir, 'audio'), { recursive: true });
  for (let i = 0; i < files; i++) await writeBenchRecording(join(dir, 'audio', `rec${i}.wav`), 48_000, EMBED_SECONDS / files);
  const run = async (name: string, encoderWorkers?: number) => {
    const project = await openProject(join(dir, name), { audioRoot: join(dir, 'audio') });
    try {
      await scanProject(project);
      const t = performance.now();
      const result = await detectProject(project, { embed: true, encoderWorkers });
      return { result, seconds: (performance.now() - t) / 1000 };
    } finally {
      project.close();
    }
  };
  try {
    log(`first detect --embed of ${EMBED_SECONDS} s at 48 kHz, encoder pool then one thread`);
    const pool = await run('pool');
    const single = await run('single', 0);
    emit({
      name: 'detection_first_detect_embed_48k_x_realtime', value: Math.round((pool.result.audioSeconds / pool.seconds) * 10) / 10, unit: 'x realtime', better: 'higher',
      detail: {
        audioSeconds: pool.result.audioSeconds, seconds: r3(pool.seconds), windows: pool.result.work.windowsEmbedded, embeddingSeconds: r3(pool.result.work.embeddingSeconds),
        oneThreadSeconds: r3(single.seconds), oneThreadEmbeddingSeconds: r3(single.result.work.embeddingSeconds), backend: pool.result.encoder?.backend ?? null,
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export { scoreProject };
