/**
 * Test helper: transcodes a WAV into compressed formats with an ffmpeg binary,
 * so decoder tests compare against a known, synthesized original.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Encoder arguments per output extension (bundled ffmpeg 4.x encoders). */
export const ENCODER_ARGS: Record<string, string[]> = {
  flac: ['-c:a', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '192k'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '6'],
  opus: ['-c:a', 'libopus', '-b:a', '128k'],
  m4a: ['-c:a', 'aac', '-b:a', '192k'],
};

/** Encodes `wavPath` to `outPath` using the arguments for `ext`. */
export async function encodeWithFfmpeg(ffmpeg: string, wavPath: string, outPath: string, ext: keyof typeof ENCODER_ARGS): Promise<void> {
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', wavPath, ...ENCODER_ARGS[ext], outPath]);
}
