/**
 * Stream values no recorder writes. A damaged or hostile header can declare
 * 1 Hz, 436 MHz or 34,561 channels; taken at face value such a file scans
 * "ok" and then makes the analysis resample by a factor of millions, allocate
 * gigabytes per block, or report a negative length. Every probe passes its
 * result through `assertPlausibleStream`, so such a file is a per-file error
 * with the reason, at scan time, and never reaches detection.
 */
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';

/** Lowest sample rate accepted (infrasound recorders go down to a few hundred Hz). */
export const MIN_SAMPLE_RATE = 100;
/** Highest sample rate accepted (ultrasonic bat and porpoise recorders reach 1–2 MHz). */
export const MAX_SAMPLE_RATE = 5_000_000;
/** Most channels accepted in one file (large hydrophone arrays have a few dozen). */
export const MAX_CHANNELS = 256;

/** Throws NOT_AUDIO with the offending value when `info` cannot describe a real recording. */
export function assertPlausibleStream(info: Pick<AudioInfo, 'sampleRate' | 'channels' | 'frames'>, label = 'The header'): void {
  const { sampleRate, channels, frames } = info;
  if (!Number.isFinite(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new SonotypeError(
      'NOT_AUDIO',
      `${label} is damaged: it declares a sample rate of ${formatRate(sampleRate)} (recordings are ${formatRate(MIN_SAMPLE_RATE)}–${formatRate(MAX_SAMPLE_RATE)})`,
    );
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new SonotypeError('NOT_AUDIO', `${label} is damaged: it declares ${channels} channels (at most ${MAX_CHANNELS} are supported)`);
  }
  if (!Number.isFinite(frames) || frames < 0) {
    throw new SonotypeError('NOT_AUDIO', `${label} is damaged: it declares a length of ${frames} samples`);
  }
}

function formatRate(hz: number): string {
  if (!Number.isFinite(hz)) return String(hz);
  if (hz >= 1_000_000) return `${+(hz / 1_000_000).toFixed(3)} MHz`;
  if (hz >= 1000) return `${+(hz / 1000).toFixed(3)} kHz`;
  return `${hz} Hz`;
}
