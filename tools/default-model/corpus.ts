/**
 * The corpus the default model is trained on: only recordings whose licences
 * allow redistribution (MIT, BSD, Open Government Licence – Canada; see
 * ../shared/data/recordings/MANIFEST.md) plus synthetic scenes generated here,
 * so the shipped weights carry no GPL/AGPL/NC obligations.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from '../../src-main/engine/testing/wav-writer';
import { synthScene, type SceneSegment } from '../../src-main/engine/testing/synth';

/** Redistributable files of the shared corpus used for training. */
export const REDISTRIBUTABLE_TRAINING_FILES = [
  'dolphin_osmose_220925_223450.wav',
  'dolphin_osmose_220925_223500.wav',
  'dolphin_osmose_220925_223510.wav',
  'dolphin_osmose_220925_223600.wav',
  'dolphin_osmose_220925_223610.wav',
  'dolphin_osmose_220925_223620.wav',
  'underwater_ambient_orcasound_live000.wav',
  'underwater_ambient_orcasound_live001.wav',
  'audiomoth_field_opensoundscape.wav',
  'birds_10s_opensoundscape.wav',
  'ruffed_grouse_drum_opensoundscape.wav',
  'soundscape_S4A03895_20190522_000000.wav',
  'soundscape_S4A03895_20190522_060000.wav',
  'soundscape_S4A03895_20190522_120000.wav',
  'soundscape_S4A03895_20190522_180000.wav',
  'orca_srkw_calltype_S01-J_L-2.wav',
  'orca_srkw_calltype_S04-J-2.wav',
  'orca_srkw_calltype_S07-J-2.wav',
  'orca_srkw_calltype_S12-J-2.wav',
  'orca_srkw_calltype_S16-K_L-2.wav',
  'orca_srkw_calltype_S19-L-2.wav',
];

/**
 * Held out from training, for the metrics in the README: a BSD soundscape
 * with human annotations (Audacity labels).
 */
export const EVALUATION_FILE = { audio: 'birds_spinetail_maad.wav', truth: 'birds_spinetail_maad.audacity_labels.txt' };

/** Writes synthetic dolphin-like scenes (whistles, clicks, bursts, silences, exact zeros) into `dir`. */
export async function writeSyntheticScenes(dir: string, count = 6): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const rate = 48_000;
    const t = 12;
    const kinds: SceneSegment['kind'][] = ['whistle', 'clicks', 'burst'];
    const segments: SceneSegment[] = [];
    let at = 0.7 + (i % 3) * 0.3;
    let k = i;
    while (at < t - 1.5) {
      const length = 0.4 + ((k * 37) % 10) / 10;
      segments.push({ kind: kinds[k % 3], startSeconds: at, endSeconds: at + length });
      at += length + 0.8 + ((k * 53) % 10) / 10;
      k++;
    }
    const noise = 0.0005 * (1 + (i % 3) * 4);
    const samples = synthScene(rate, segments, t, noise, 100 + i);
    // One scene starts with exact digital zeros, as recorders write before the first buffer.
    if (i === 0) samples.fill(0, 0, rate);
    const name = `synthetic_scene_${i}.wav`;
    await writeFile(join(dir, name), encodeWav([samples], { sampleRate: rate, format: 'pcm16' }));
    names.push(name);
  }
  return names;
}
