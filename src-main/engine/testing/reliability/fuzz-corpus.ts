/**
 * The fuzz corpus: a folder of good recordings (which must still be detected)
 * and seeded mutations of small WAV, FLAC, MP3, Ogg Vorbis/Opus and M4A files
 * (which must each end with a clear per-file error or be analysed, never crash,
 * hang or blow up memory). Compressed bases are encoded with the bundled
 * ffmpeg; formats whose encoder is missing are left out and said so.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFfmpeg } from '../../audio/ffmpeg-locate';
import { encodeWithFfmpeg, type ENCODER_ARGS } from '../ffmpeg-encode';
import { mutatedCompressed, mutatedWavs, type MutatedFile } from '../fuzz-audio';
import { concat, digitalSilence, synthScene } from '../synth';
import { encodeWav, type WavSampleFormat } from '../wav-writer';
import { readFile } from 'node:fs/promises';

export interface FuzzCorpus {
  dir: string;
  /** Names of the unmutated recordings that must come out of detection with regions. */
  good: string[];
  mutated: MutatedFile[];
  /** Compressed formats that could not be made here (no ffmpeg or no encoder), with the reason. */
  skippedFormats: string[];
}

export interface FuzzCorpusOptions {
  wavCount: number;
  compressedCount: number;
  seed: number;
}

/** A whistle in noise, then digital silence: both classes for the silence head. */
function goodScene(rate: number, seed: number): Float32Array {
  return concat(synthScene(rate, [{ kind: 'whistle', startSeconds: 0.3, endSeconds: 1.1 }], 1.5, 0.01, seed), digitalSilence(rate, 1.5));
}

const WAV_BASES: { rate: number; channels: number; format: WavSampleFormat }[] = [
  { rate: 8000, channels: 1, format: 'pcm16' },
  { rate: 16_000, channels: 2, format: 'pcm24' },
  { rate: 11_025, channels: 1, format: 'pcm8' },
  { rate: 8000, channels: 2, format: 'pcm32' },
];
const COMPRESSED: (keyof typeof ENCODER_ARGS)[] = ['flac', 'mp3', 'ogg', 'opus', 'm4a'];

/** Writes the corpus into `dir` (created), returning what is where. */
export async function writeFuzzCorpus(dir: string, options: FuzzCorpusOptions): Promise<FuzzCorpus> {
  await mkdir(dir, { recursive: true });
  const scratch = join(dir, '..', `${dir.split(/[\\/]/).pop()}-bases`);
  await mkdir(scratch, { recursive: true });
  const good = ['good-a.wav', 'good-b.wav', 'good-c.wav'];
  for (const [i, name] of good.entries()) {
    await writeFile(join(dir, name), encodeWav([goodScene(8000, 11 + i)], { sampleRate: 8000, format: 'pcm16' }));
  }
  const wavBases = WAV_BASES.map((b, i) => {
    const mono = synthScene(b.rate, [{ kind: 'clicks', startSeconds: 0.2, endSeconds: 0.6 }], 1, 0.01, 20 + i);
    return encodeWav(Array.from({ length: b.channels }, () => mono), { sampleRate: b.rate, format: b.format });
  });
  const mutated = mutatedWavs(wavBases, options.wavCount, options.seed);

  const skippedFormats: string[] = [];
  const compressedBases = new Map<string, Buffer>();
  if (options.compressedCount > 0) {
    const ffmpeg = findFfmpeg();
    const source = join(scratch, 'base.wav');
    // 8 kHz mono: the Opus file made from it is the one whose length and rate were misreported.
    await writeFile(source, encodeWav([goodScene(8000, 31)], { sampleRate: 8000, format: 'pcm16' }));
    for (const ext of COMPRESSED) {
      if (!ffmpeg) {
        skippedFormats.push(`${ext}: no ffmpeg`);
        continue;
      }
      const out = join(scratch, `base.${ext}`);
      try {
        await encodeWithFfmpeg(ffmpeg, source, out, ext);
        compressedBases.set(ext, await readFile(out));
      } catch (error) {
        skippedFormats.push(`${ext}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    if (compressedBases.size > 0) mutated.push(...mutatedCompressed(compressedBases, options.compressedCount, options.seed + 1));
  }
  for (const file of mutated) await writeFile(join(dir, file.name), file.bytes);
  return { dir, good, mutated, skippedFormats };
}
