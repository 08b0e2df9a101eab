import { formatPercent } from '../../../src-shared/format';
import { numberFlag } from '../number-flags';
import type { CliCommand } from '../main';
import { UsageError, EXIT_OK } from '../exit-codes';
import { formatTable } from '../output';
import { evaluateDetections, type DetectionEvaluation } from '../../engine/detection/evaluate-detections';
import { formatConfusionMatrix } from '../../engine/detection/confusion';
import { openExistingProject } from './detect';
import { withTruthTable } from '../truth-source';

/**
 * `sonotype eval --truth <file>|reference [--project <dir>] [--recording <path>] [--min-iou x] [--json]`
 *
 * `--truth reference` scores against the project's reference labels (`sonotype import --as reference`).
 * Scores the project's stored detections against a reference table (Raven
 * selection table, Audacity labels, or CSV with start/end columns): the
 * window-level confusion matrix (truth rows: not silence / silence) and
 * event-level precision/recall of the sound regions.
 */
export const evalCommand: CliCommand = {
  name: 'eval',
  synopsis: 'eval --truth <file>|reference [--project <dir>] [--recording <path>] [--min-iou x] [--json]   score detections against annotations',
  options: {
    truth: { type: 'string' },
    project: { type: 'string' },
    recording: { type: 'string' },
    'min-iou': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ positionals, values, io }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (typeof values.truth !== 'string' || values.truth === '') throw new UsageError('--truth <file> is required');
    const minIoU = numberFlag(values, 'min-iou', (n) => n >= 0 && n <= 1, 'a number between 0 and 1');
    const project = await openExistingProject(values.project as string | undefined);
    try {
      const result = await withTruthTable(values.truth, project.db, (truth) => evaluateDetections(project, truth, { recording: values.recording as string | undefined, minIoU }));
      io.out(values.json ? JSON.stringify(result) : formatEvaluation(result));
      return EXIT_OK;
    } finally {
      project.close();
    }
  },
};


function formatEvaluation(e: DetectionEvaluation): string {
  const rows = e.recordings.map((r) => [
    r.path, String(r.events), String(r.eventScores.predictions), String(r.windows),
    formatPercent(summaryAccuracy(r.confusion.counts)), formatPercent(r.eventScores.precision), formatPercent(r.eventScores.recall),
  ]);
  const s = e.eventScores;
  return [
    `truth: ${e.truthFile} (${e.truthFormat}); silence head v${e.head.version}, window threshold ${e.threshold}`,
    '',
    formatTable(['file', 'events', 'sound regions', 'windows', 'window acc.', 'precision', 'recall'], rows, [false, true, true, true, true, true, true]),
    '',
    formatConfusionMatrix(e.confusion, 'Window-level confusion matrix (rows: truth, columns: prediction)'),
    '',
    `Event level (a sound region matches an event when they overlap${s.minIoU > 0 ? ` with IoU ≥ ${s.minIoU}` : ''}): ` +
      `precision ${formatPercent(s.precision)} (${s.matchedPredictions}/${s.predictions} regions), recall ${formatPercent(s.recall)} (${s.detectedEvents}/${s.events} events), F1 ${formatPercent(s.f1)}`,
    ...(e.unmatched.length ? [`not in this project: ${e.unmatched.join(', ')}`] : []),
  ].join('\n');
}

function summaryAccuracy(c: [[number, number], [number, number]]): number | null {
  const total = c[0][0] + c[0][1] + c[1][0] + c[1][1];
  return total ? (c[0][0] + c[1][1]) / total : null;
}
