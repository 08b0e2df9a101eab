/**
 * How regions and labels look over the spectrogram: regions shaded by the
 * model's silence probability (darker = surer it is silence, hatched when
 * detected as silence), labels outlined by who made them.
 */
import type { LabelSource, RegionView } from '../../../../src-shared/review-types';

/** Border style per label source: people (and tables they made) solid, the model dashed, the heuristic dotted. */
export const SOURCE_BORDER: Record<LabelSource, 'solid' | 'dashed' | 'dotted'> = {
  human: 'solid',
  imported: 'solid',
  model: 'dashed',
  heuristic: 'dotted',
};

/** Colour per label value: silence, sound (not silence), any named sound type. */
export function labelColour(value: string): string {
  if (value === 'silence') return '#9ad1ff';
  if (value === 'sound') return '#ffb454';
  return '#d6a2ff';
}

/** Opacity of a region's dark veil: 0.1 (surely sound) … 0.6 (surely silence); unknown p in the middle. */
export function regionShade(pSilence: number | null): number {
  const p = pSilence ?? 0.5;
  return 0.1 + 0.5 * Math.min(1, Math.max(0, p));
}

/** Colour of the confidence strip: red-orange where the model is unsure, grey where it is sure. */
export function certaintyColour(pSilence: number | null): string {
  if (pSilence === null) return '#8b949e';
  const certainty = Math.abs(pSilence - 0.5) * 2;
  return certainty < 0.3 ? '#ff7b54' : certainty < 0.6 ? '#e3b341' : '#56606b';
}

/** Readable tooltip of a region. */
export function regionTitle(r: RegionView): string {
  const p = r.pSilence === null ? 'unknown' : `${Math.round(r.pSilence * 100)} %`;
  return `${r.kind === 'silence' ? 'Silence' : 'Sound'} region, p(silence) ${p}${r.reviewed ? ', reviewed' : ''}`;
}
