/**
 * Decoding and probing through an ffmpeg child process: ffmpeg writes raw
 * little-endian float32 of the chosen channel to stdout, which we read as a
 * stream (backpressure keeps memory bounded). The child is killed whenever the
 * consumer stops early, aborts, or an error occurs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AudioInfo } from '../../../src-shared/audio-types';
import { SonotypeError } from '../../../src-shared/errors';
import { BlockAssembler, clampToUnit } from './block-assembler';
import { throwIfAborted } from './fs-errors';

const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1, stereo: 2, '2.1': 3, '3.0': 3, '3.0(back)': 3, quad: 4, '4.0': 4, '4.1': 5,
  '5.0': 5, '5.0(side)': 5, '5.1': 6, '5.1(side)': 6, '6.0': 6, '6.1': 7, '7.0': 7, '7.1': 8,
};

/** Parses the `ffmpeg -i` banner (stderr) for the first audio stream. Exported for tests. */
export function parseFfmpegBanner(stderr: string): Omit<AudioInfo, 'container'> | null {
  const stream = /Stream #\d+:\d+[^:]*: Audio: ([^\s,]+)[^,\n]*, (\d+) Hz, ([^,\n]+)/.exec(stderr);
  if (!stream) return null;
  const sampleRate = Number(stream[2]);
  const layout = stream[3].trim();
  const counted = /^(\d+) channels/.exec(layout);
  const channels = counted ? Number(counted[1]) : LAYOUT_CHANNELS[layout];
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  if (!channels || !sampleRate || !duration) return null;
  const durationSeconds = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
  const frames = Math.round(durationSeconds * sampleRate);
  return { sampleRate, channels, frames, durationSeconds: frames / sampleRate, codec: stream[1] };
}

function collectStderr(child: ChildProcess, limit = 16_384): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
}

function spawnFailure(error: unknown): SonotypeError {
  return new SonotypeError('NEEDS_FFMPEG', `Could not start ffmpeg: ${error instanceof Error ? error.message : String(error)}`);
}

/** Reads stream info with `ffmpeg -i`; throws DECODE_FAILED/NOT_AUDIO when ffmpeg finds no audio. */
export async function probeWithFfmpeg(ffmpeg: string, absPath: string): Promise<Omit<AudioInfo, 'container'>> {
  const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-i', absPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = collectStderr(child, 65_536);
  try {
    await waitForExit(child); // exits 1 ("At least one output file must be specified") by design
  } catch (error) {
    throw spawnFailure(error);
  }
  const info = parseFfmpegBanner(stderr());
  if (!info) {
    const reason = stderr().trim().split('\n').slice(-1)[0] ?? '';
    throw new SonotypeError('NOT_AUDIO', `ffmpeg found no readable audio stream in this file${reason ? `: ${reason}` : ''}`);
  }
  return info;
}

/**
 * Yields channel `channel` of the file's first audio stream at its native rate,
 * decoded by ffmpeg, in blocks of `blockFrames`.
 */
export async function* readFfmpegBlocks(
  ffmpeg: string,
  absPath: string,
  channel: number,
  blockFrames: number,
  signal?: AbortSignal,
): AsyncGenerator<Float32Array> {
  throwIfAborted(signal);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', absPath, '-map', '0:a:0',
    '-af', `pan=mono|c0=c${channel}`, '-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1'];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = collectStderr(child);
  const exited = waitForExit(child);
  exited.catch(() => undefined); // surfaced below; avoid an unhandled rejection if we return early
  const assembler = new BlockAssembler(blockFrames);
  let carry = Buffer.alloc(0);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      throwIfAborted(signal);
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const usable = bytes.length - (bytes.length % 4);
      // Copy into a fresh, aligned buffer (f32le is the host order on x64/arm64).
      const samples = new Float32Array(usable / 4);
      new Uint8Array(samples.buffer).set(bytes.subarray(0, usable));
      carry = Buffer.from(bytes.subarray(usable));
      for (const block of assembler.push(clampToUnit(samples))) yield block;
    }
    let code: number | null;
    try {
      code = await exited;
    } catch (error) {
      throw spawnFailure(error);
    }
    if (code !== 0) {
      const detail = stderr().trim().split('\n').slice(-3).join(' ');
      throw new SonotypeError('DECODE_FAILED', `ffmpeg could not decode this file${detail ? `: ${detail}` : ` (exit code ${code})`}`);
    }
    const last = assembler.flush();
    if (last) yield last;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
