/**
 * The project's detection settings as the app edits them: the region
 * settings (how frame probabilities become regions; previewed live) and the
 * band the detector analyses (applied by a new detection).
 */
import * as v from 'valibot';
import { finite, returns } from './schemas';

/** Band the detector analyses, Hz; either end may be left to the detector's default for each recording's rate. */
export const detectionBandSchema = v.pipe(
  v.strictObject({
    lowHz: v.optional(v.pipe(finite, v.minValue(0))),
    highHz: v.optional(v.pipe(finite, v.minValue(0))),
  }),
  v.check((b) => b.lowHz === undefined || b.highHz === undefined || b.lowHz < b.highHz, 'the band\'s low end must be below its high end'),
);
export type DetectionBand = v.InferOutput<typeof detectionBandSchema>;

/** The settings in use: every region setting filled in, and the band. */
export interface DetectionSettings {
  region: {
    threshold: number;
    smoothingFrames: number;
    mergeGapSeconds: number;
    minSoundSeconds: number;
  };
  band: DetectionBand;
  /** Tonal mode: faint narrow-band contours (whistles, up-calls) are detected too; applied by a new detection. */
  tonal: boolean;
}

const noArgs = v.strictTuple([]);

/**
 * The detection settings calls of the contract (spread into CALLS in
 * contract.ts); handlers in src-main/app/handlers/detection-settings-handlers.ts.
 * The live preview itself is 'detection:previewRegions'.
 */
export const DETECTION_SETTINGS_CALLS = {
  /** The region settings in use (those the active head's regions were derived with, defaults filled in) and the band. */
  'detection:settings': { args: noArgs, result: returns<DetectionSettings>() },
  /**
   * Stores the band the detector analyses (`{}` = each recording's default band); the next 'detect' job analyses
   * the recordings again with it. Args: the band.
   */
  'detection:setBand': { args: v.strictTuple([detectionBandSchema]), result: returns<DetectionSettings>() },
  /**
   * Turns tonal mode on or off (faint whistles and up-calls are tracked as contours; off by default because it also
   * follows background tones and reverberation); the next 'detect' job analyses the recordings again. Args: on.
   */
  'detection:setTonal': { args: v.strictTuple([v.boolean()]), result: returns<DetectionSettings>() },
} as const;
