/** Listening helpers: the gain that makes a quiet recording audible without clipping. */
import { MAX_PLAYBACK_GAIN_DB, MIN_PLAYBACK_GAIN_DB } from '../../../../src-shared/display-types';

/** The gain (whole dB) that brings a recording whose largest amplitude is `peak` (full scale = 1) to −3 dBFS, within the allowed range. */
export function fitGain(peak: number): number {
  const db = -3 - 20 * Math.log10(peak);
  return Math.round(Math.min(MAX_PLAYBACK_GAIN_DB, Math.max(MIN_PLAYBACK_GAIN_DB, db)));
}
