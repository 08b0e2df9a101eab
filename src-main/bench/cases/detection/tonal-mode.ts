/**
 * Tonal mode (opt-in ridge tracking of faint contours, engine/detection/frames/tonal-ridge.ts)
 * on the recordings beside the checkout, which hold no annotation of whistles:
 * - detection_tonal_sound_fraction_osmose: the share of the six OSmOSE dolphin files that is sound with
 *   tonal mode (detail: without it, and per file), whistles being visible over much of them;
 * - detection_tonal_added_fraction_quiet: the share of frames tonal mode adds in recordings the loudness
 *   detector calls (nearly) all silence and whose spectrograms show no contour (target 0: what it adds
 *   there is noise it followed);
 * - detection_tonal_blue_whale_sound_fraction: the 1-kHz blue whale call, which the loudness detector misses;
 * - detection_tonal_right_whale_sound_fraction: the 15-min 2-kHz right-whale file, whose faint up-calls (12–13 dB
 *   over the floor) the loudness detector misses (it also holds a tonal instrument noise every 180 s).
 * Day-one quality with tonal mode off is unchanged: its column is 0 (detection_dayone_* lines).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchLine } from '../../types';
import { probeAudio, readAudioBlocks } from '../../../engine/audio';
import { frameAnalysisFor } from '../../../engine/detection/frames/frame-analysis';
import { extractFrameFeatures } from '../../../engine/detection/frames/frame-features';
import { teacherDecisions } from '../../../engine/detection/frames/frame-teacher';
import { SHARED_DATA } from './dev-sets';

const OSMOSE = ['223450', '223500', '223510', '223600', '223610', '223620'].map((t) => `dolphin_osmose_220925_${t}.wav`);
const QUIET = ['underwater_ambient_orcasound_live000.wav', 'soundscape_S4A03895_20190522_000000.wav', 'soundscape_S4A03895_20190522_120000.wav'];
const BLUE_WHALE = 'blue_whale_pamguard_float32.wav';
const RIGHT_WHALE = 'right_whale_NOPP6_20090329_121500_15min.wav';

/** Sound frames of one recording with tonal mode off and on. */
async function soundFrames(path: string): Promise<{ frames: number; plain: number; tonal: number }> {
  const { sampleRate } = await probeAudio(path);
  const count = async (tonal: boolean) => {
    const analysis = frameAnalysisFor(sampleRate, { tonal });
    const f = await extractFrameFeatures(() => readAudioBlocks(path, { channel: 0 }), analysis);
    return { frames: f.frames, sound: teacherDecisions(f.data, f.frames, {}, analysis).sound.reduce((s, v) => s + v, 0) };
  };
  const plain = await count(false);
  const tonal = await count(true);
  return { frames: plain.frames, plain: plain.sound, tonal: tonal.sound };
}

export async function tonalModeLines(line: (name: string, value: number, extra?: Partial<BenchLine>) => void, log: (m: string) => void): Promise<void> {
  const dir = join(SHARED_DATA, 'recordings');
  const present = (names: string[]) => names.filter((n) => existsSync(join(dir, n)));
  if (present([...OSMOSE, ...QUIET, BLUE_WHALE, RIGHT_WHALE]).length === 0) {
    log('../shared/data/recordings is absent: tonal mode lines skipped');
    return;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const pooled = async (names: string[]) => {
    if (names.length === 0) return null;
    const per: Record<string, { plain: number; tonal: number }> = {};
    let frames = 0, plain = 0, tonal = 0;
    for (const n of names) {
      const s = await soundFrames(join(dir, n));
      per[n] = { plain: r3(s.plain / s.frames), tonal: r3(s.tonal / s.frames) };
      frames += s.frames;
      plain += s.plain;
      tonal += s.tonal;
    }
    return { per, plain: plain / frames, tonal: tonal / frames };
  };
  const osmose = await pooled(present(OSMOSE));
  if (osmose) line('detection_tonal_sound_fraction_osmose', osmose.tonal, { detail: { withoutTonalMode: r3(osmose.plain), files: osmose.per } });
  const quiet = await pooled(present(QUIET));
  if (quiet) line('detection_tonal_added_fraction_quiet', quiet.tonal - quiet.plain, { better: 'lower', target: 0, detail: { files: quiet.per } });
  const blue = await pooled(present([BLUE_WHALE]));
  if (blue) line('detection_tonal_blue_whale_sound_fraction', blue.tonal, { detail: { withoutTonalMode: r3(blue.plain) } });
  const right = await pooled(present([RIGHT_WHALE]));
  if (right) line('detection_tonal_right_whale_sound_fraction', right.tonal, { detail: { withoutTonalMode: r3(right.plain) } });
}
