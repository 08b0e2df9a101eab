/**
 * A job's parameters in one readable line ("model v1 · epochs 5 · windows 2,000"),
 * so a researcher can tell two training runs apart in the jobs panel.
 */

/** Parameter names as a researcher reads them. */
const NAMES: Record<string, string> = {
  maxWindows: 'windows',
  batchSize: 'batch',
  predictFrames: 'predict frames',
  learningRate: 'learning rate',
  audioRoot: 'folder',
  minSoundSeconds: 'min sound (s)',
  mergeGapSeconds: 'merge gap (s)',
  smoothingWindows: 'smoothing',
  retrainHead: 'retrain head',
};

function valueText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en') : String(Number(value.toPrecision(4)));
  if (typeof value === 'string') return value.length > 60 ? `…${value.slice(-57)}` : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length <= 4 && value.every((v) => typeof v !== 'object') ? value.join(', ') : `${value.length} items`;
  return null;
}

/** Nested settings (a detect job's regionParams) read as their own names. */
function flatten(params: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(params).flatMap(([key, value]): Array<[string, unknown]> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? flatten(value as Record<string, unknown>) : [[key, value]],
  );
}

/** The parameters as one line, or '' when there are none worth showing. */
export function describeParams(params: Record<string, unknown> | undefined): string {
  if (!params) return '';
  return flatten(params)
    .map(([key, value]) => {
      const text = valueText(value);
      return text === null ? null : `${NAMES[key] ?? key} ${text}`;
    })
    .filter((part): part is string => part !== null)
    .join(' · ');
}
