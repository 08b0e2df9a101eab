/**
 * The media routes, independent of transport: the browser-mode HTTP server
 * and Electron's `sonotype:` protocol both forward here.
 *
 *   GET /media/tile-info/<recordingId>[?fft=512&window=hann&overlap=50]
 *       → JSON TileInfo (levels, columns, axes, dB range) for those display
 *         settings (display-types.ts; absent parameters take the defaults).
 *   GET /media/tiles/<recordingId>/<level>/<index>[?fft=…&window=…&overlap=…]
 *       → application/octet-stream: one tile in the layout of tile-format.ts
 *         (32-byte header, float32 min/max peaks, uint8 columns × bins);
 *         header `x-sonotype-approximate: 1` when it is a sampled preview.
 *   GET /media/audio/<recordingId>?start=<s>&end=<s>[&format=s16|f32][&dc=remove][&gain=<dB>]
 *       → audio/wav, mono, native rate, the shown channel, at most
 *         MAX_AUDIO_SECONDS (and MAX_AUDIO_FRAMES) per request; supports
 *         `Range: bytes=…` (206/416) so a media element can seek in the page.
 *         `dc=remove` subtracts the DC offset (dc-offset.ts), `gain` amplifies
 *         by −40…+80 dB for listening (quiet hydrophone files sit at −80 dBFS);
 *         s16 output clips at full scale.
 *
 * Only numeric ids and parameters are accepted; the recording's path comes
 * from the database and must lie inside the project's audio root (checked
 * after resolving symlinks). Failures answer 400/404/416/500 with a plain-text
 * message a researcher can read.
 */
import type { Readable } from 'node:stream';
import { toErrorInfo, type ErrorCode } from '../../../src-shared/errors';
import { MAX_PLAYBACK_GAIN_DB, MIN_PLAYBACK_GAIN_DB, parseDisplaySettingsQuery } from '../../../src-shared/display-types';
import type { Project } from '../project/open-project';
import type { TileService } from './tile-service';
import { parseByteRange, wavRangeBody, type WavOutputFormat } from './wav-response';

/** Longest audio page served by one request, in seconds. */
export const MAX_AUDIO_SECONDS = 600;
/** Longest audio page in frames (caps very high sample rates: 2^26 frames = 128 MiB of PCM16). */
export const MAX_AUDIO_FRAMES = 1 << 26;

export interface MediaResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | Readable;
}

export interface MediaRequestHeaders {
  range?: string;
}

/** One encoder for every response (stateless, so safe to share). */
const utf8 = new TextEncoder();

const ID = /^[1-9]\d{0,14}$/;
const INDEX = /^\d{1,9}$/;
const SECONDS = /^\d{1,9}(\.\d{1,9})?$/;
const GAIN_DB = /^-?\d{1,2}(\.\d{1,3})?$/;

function text(status: number, message: string): MediaResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
    body: utf8.encode(message),
  };
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  INVALID_CONFIG: 409,
  CANCELLED: 499,
};

/**
 * Answers one media request. `urlPathAndQuery` is the path and query of the
 * URL as received (still percent-encoded), e.g. `/media/tiles/3/0/12`.
 */
export async function handleMediaRequest(
  project: Project | null,
  tiles: TileService | null,
  urlPathAndQuery: string,
  headers: MediaRequestHeaders = {},
  signal?: AbortSignal,
): Promise<MediaResponse> {
  const [rawPath, rawQuery = ''] = urlPathAndQuery.split('?', 2);
  // Refuse anything that could be a traversal attempt before any decoding.
  if (/\.\.|%|\\|\/\//.test(rawPath) || rawPath.includes('\0')) return text(400, 'Refused: media paths contain only numbers.');
  const parts = rawPath.split('/').slice(1); // ['media', route, ...]
  if (parts[0] !== 'media') return text(404, 'Not found');
  if (!project || !tiles) return text(404, 'No project is open.');
  const [route, ...args] = parts.slice(1);
  if (args.length === 0 || !ID.test(args[0])) return text(400, 'Refused: the recording id must be a positive whole number.');
  const recordingId = Number(args[0]);
  const query = new URLSearchParams(rawQuery);
  try {
    switch (route) {
      case 'tile-info': {
        if (args.length !== 1) break;
        const settings = parseDisplaySettingsQuery(query);
        if (typeof settings === 'string') return text(400, `Refused: ${settings}`);
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' },
          body: utf8.encode(JSON.stringify(await tiles.tileInfo(recordingId, { settings }))),
        };
      }
      case 'tiles': {
        if (args.length !== 3) break;
        if (!INDEX.test(args[1]) || !INDEX.test(args[2])) return text(400, 'Refused: tile level and index must be whole numbers.');
        const settings = parseDisplaySettingsQuery(query);
        if (typeof settings === 'string') return text(400, `Refused: ${settings}`);
        const tile = await tiles.getTile(recordingId, Number(args[1]), Number(args[2]), { signal, settings });
        return {
          status: 200,
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(tile.bytes.length),
            // Approximate tiles are replaced by exact ones later: never let a cache keep them.
            'cache-control': tile.approximate ? 'no-store' : 'no-cache',
            'x-sonotype-approximate': tile.approximate ? '1' : '0',
          },
          body: tile.bytes,
        };
      }
      case 'audio':
        if (args.length !== 1) break;
        return await audioResponse(tiles, recordingId, query, headers, signal);
    }
    return text(404, 'Not found');
  } catch (error) {
    const info = toErrorInfo(error);
    return text(STATUS_OF[info.code] ?? 500, info.message);
  }
}

async function audioResponse(
  tiles: TileService,
  recordingId: number,
  query: URLSearchParams,
  headers: MediaRequestHeaders,
  signal?: AbortSignal,
): Promise<MediaResponse> {
  const startText = query.get('start') ?? '0';
  const endText = query.get('end');
  const format = (query.get('format') ?? 's16') as WavOutputFormat;
  if (!SECONDS.test(startText) || (endText !== null && !SECONDS.test(endText))) {
    return text(400, 'Refused: start and end must be times in seconds (numbers ≥ 0).');
  }
  if (format !== 's16' && format !== 'f32') return text(400, 'Refused: format must be s16 or f32.');
  const gainText = query.get('gain') ?? '0';
  const gainDb = Number(gainText);
  if (!GAIN_DB.test(gainText) || gainDb < MIN_PLAYBACK_GAIN_DB || gainDb > MAX_PLAYBACK_GAIN_DB) {
    return text(400, `Refused: gain must be a number of dB from ${MIN_PLAYBACK_GAIN_DB} to ${MAX_PLAYBACK_GAIN_DB}.`);
  }
  const dcText = query.get('dc') ?? 'keep';
  if (dcText !== 'keep' && dcText !== 'remove') return text(400, 'Refused: dc must be keep or remove.');
  const { reader, geometry: g, dc } = await tiles.source(recordingId);
  const rate = g.nativeRate;
  const duration = g.nativeFrames / rate;
  const start = Number(startText);
  const end = endText === null ? Math.min(duration, start + MAX_AUDIO_SECONDS) : Number(endText);
  if (start >= duration) return text(400, `Refused: start ${start} s is at or past the end of the recording (${duration.toFixed(3)} s).`);
  if (end <= start) return text(400, `Refused: end ${end} s must be after start ${start} s.`);
  if (end - start > MAX_AUDIO_SECONDS) {
    return text(400, `Refused: at most ${MAX_AUDIO_SECONDS} s of audio per request (asked for ${(end - start).toFixed(3)} s).`);
  }
  const startFrame = Math.floor(start * rate);
  const endFrame = Math.min(g.nativeFrames, Math.ceil(end * rate));
  if (endFrame - startFrame > MAX_AUDIO_FRAMES) {
    return text(400, `Refused: at most ${MAX_AUDIO_FRAMES} samples per request at ${rate} Hz; ask for a shorter range.`);
  }
  const body = wavRangeBody(reader, g.channel, rate, startFrame, endFrame - startFrame, format, {
    dc: dcText === 'remove' ? dc : undefined,
    gainDb,
  });
  const common = {
    'content-type': 'audio/wav',
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    'x-sonotype-start-frame': String(startFrame),
  };
  const range = parseByteRange(headers.range, body.totalBytes);
  if (range === 'unsatisfiable') {
    const refusal = text(416, `Requested byte range is outside this ${body.totalBytes}-byte audio page.`);
    return { ...refusal, headers: { ...refusal.headers, 'content-range': `bytes */${body.totalBytes}` } };
  }
  if (range) {
    return {
      status: 206,
      headers: { ...common, 'content-length': String(range.to - range.from + 1), 'content-range': `bytes ${range.from}-${range.to}/${body.totalBytes}` },
      body: body.stream(range.from, range.to, signal),
    };
  }
  return { status: 200, headers: { ...common, 'content-length': String(body.totalBytes) }, body: body.stream(0, body.totalBytes - 1, signal) };
}
