import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatTable } from '../output';
import { evaluateDetections, type DetectionEvaluation } from '../../engine/detection/evaluate-detections';
import type { DetectionScores } from '../../engine/detection/scoring/detection-metrics';
import { openExistingProject } from './detect';
import { withTruthTable } from '../truth-source';

/**
 * `sonotype eval --truth <file>|reference [--project <dir>] [--recording <path>] [--json]`
 *
 * `--truth reference` scores against the project's reference labels (`sonotype import --as reference`).
 * Scores the project's detections (the active detector's regions) against a
 * reference table (Raven selection table, Audacity labels, or CSV with
 * start/end columns): onset-F1 (one-to-one, onset within max(50 ms, 20 % of
 * the event)), overlap F1 (one-to-one) and balanced accuracy over 10-ms
 * segments — none of which one file-long region can pass.
 */
export const evalCommand: CliCommand = {
  name: 'eval',
  synopsis: 'eval --truth <file>|reference [--project <dir>] [--recording <path>] [--json]   score detections against annotations (onset-F1, overlap F1, 10-ms balanced accuracy)',
  options: {
    truth: { type: 'string' },
    project: { type: 'string' },
    recording: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (typeof values.truth !== 'string' || values.truth === '') throw new UsageError('--truth <file> is required');
    const project = await openExistingProject(values.project as string | undefined);
    try {
      const result = await withTruthTable(values.truth, project.db, (truth) => evaluateDetections(project, truth, { recording: values.recording as string | undefined }));
      io.out(values.json ? JSON.stringify(result) : formatEvaluation(result));
      return EXIT_OK;
    } finally {
      project.close();
    }
  },
};

function ratio(x: number | null): string {
  return x === null ? '-' : x.toFixed(3);
}

function row(name: string, s: DetectionScores): string[] {
  return [
    name, String(s.events), String(s.predictions), ratio(s.onsetF1), ratio(s.overlapF1), ratio(s.balancedAccuracy),
    s.meanOnsetErrorSeconds === null ? '-' : `${(1000 * s.meanOnsetErrorSeconds).toFixed(1)} ms`,
  ];
}

function formatEvaluation(e: DetectionEvaluation): string {
  const m = e.metric;
  const s = e.scores;
  return [
    `truth: ${e.truthFile} (${e.truthFormat}); detection head v${e.head.version}`,
    '',
    formatTable(
      ['file', 'events', 'sound regions', 'onset-F1', 'overlap F1', 'bal. acc.', 'onset error'],
      [...e.recordings.map((r) => row(r.path, r.scores)), row('all', s)],
      [false, true, true, true, true, true, true],
    ),
    '',
    `onset-F1: one-to-one matches whose onset is within max(${1000 * m.onsetCollarSeconds} ms, ${100 * m.onsetCollarFraction} % of the event): ` +
      `${s.onsetMatches} of ${s.events} events, ${s.predictions} regions (precision ${ratio(s.onsetPrecision)}, recall ${ratio(s.onsetRecall)})`,
    `balanced accuracy over ${1000 * m.segmentSeconds}-ms segments: sound ${s.soundAsSound}/${s.soundAsSound + s.soundAsSilence} found, ` +
      `silence ${s.silenceAsSilence}/${s.silenceAsSilence + s.silenceAsSound} kept silent`,
    ...(e.unmatched.length ? [`not in this project: ${e.unmatched.join(', ')}`] : []),
  ].join('\n');
}
