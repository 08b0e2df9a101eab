import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWavHeader } from '../audio/wav-header';
import { upsertScannedRecording } from '../store/recordings';
import { scannedWav } from '../store/test-helpers';
import { createRng, whiteNoise } from '../testing/synth';
import { encodeWav } from '../testing/wav-writer';
import { handleMediaRequest, type MediaResponse } from './media-handler';
import { createTileFixture, pcm16RoundTrip, type TileFixture } from './test-helpers';
import { decodeTile } from './tile-format';
import { createTileService, type TileService } from './tile-service';

const RATE = 8000;

async function bodyBytes(r: MediaResponse): Promise<Buffer> {
  if (!(r.body instanceof Readable)) return Buffer.from(r.body);
  const chunks: Buffer[] = [];
  for await (const c of r.body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

async function bodyText(r: MediaResponse): Promise<string> {
  return (await bodyBytes(r)).toString('utf8');
}

/** Parses a WAV with the engine's header parser and returns its samples as raw integers or floats. */
async function wavSamples(bytes: Buffer): Promise<{ rate: number; values: number[]; kind: string }> {
  const header = await parseWavHeader(async (pos, len) => bytes.subarray(pos, pos + len), bytes.length);
  const values: number[] = [];
  for (let i = 0; i < header.frames; i++) {
    const o = header.dataOffset + i * header.blockAlign;
    values.push(header.sampleKind === 'int16' ? bytes.readInt16LE(o) : bytes.readFloatLE(o));
  }
  return { rate: header.sampleRate, values, kind: header.sampleKind };
}

describe('media routes', () => {
  let fx: TileFixture;
  let tiles: TileService;
  let outside: string;
  let source: Float32Array;
  const seconds = 30;

  beforeAll(async () => {
    source = whiteNoise(RATE, seconds, 0.2, 9);
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) source[Math.floor(rng() * source.length)] = 0.95;
    fx = await createTileFixture([{ name: 'a.wav', samples: source, sampleRate: RATE }], RATE);
    tiles = createTileService(fx.project);
    // A file outside the audio root, reachable through a symlink inside it.
    outside = mkdtempSync(join(tmpdir(), 'sonotype-outside-'));
    writeFileSync(join(outside, 'secret.wav'), encodeWav([source], { sampleRate: RATE, format: 'pcm16' }));
    symlinkSync(join(outside, 'secret.wav'), join(fx.dir, 'link.wav'));
    const db = fx.project.db;
    fx.ids.set('link.wav', upsertScannedRecording(db, scannedWav('link.wav')).id);
    // The store refuses '..' in a recording path; a row written by an older or tampered database must still be
    // refused by the media route itself, so the path is rewritten under the store's feet.
    const escapeId = upsertScannedRecording(db, scannedWav('escape.wav')).id;
    db.statement('UPDATE recordings SET rel_path = ? WHERE id = ?').run('../escape.wav', escapeId);
    fx.ids.set('../escape.wav', escapeId);
  });
  afterAll(async () => {
    await tiles.close();
    fx.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  const ask = (path: string, range?: string) => handleMediaRequest(fx.project, tiles, path, { range });

  it('serves a tile in the documented binary layout', async () => {
    const r = await ask(`/media/tiles/${fx.ids.get('a.wav')}/0/1`);
    expect(r.status).toBe(200);
    const tile = decodeTile(new Uint8Array(await bodyBytes(r)))!;
    expect(tile).not.toBeNull();
    expect(tile.level).toBe(0);
    expect(tile.index).toBe(1);
    expect(tile.bins).toBe(256);
    expect(tile.columns).toBe(Math.min(512, Math.ceil((seconds * RATE) / 256) - 512));
    expect(r.headers['x-sonotype-approximate']).toBe('0');
    const info = JSON.parse(await bodyText(await ask(`/media/tile-info/${fx.ids.get('a.wav')}`)));
    expect(info.frameCount).toBe(Math.ceil((seconds * RATE) / 256));
  });

  it('refuses traversal, non-numeric ids and unknown recordings with readable messages', async () => {
    for (const path of ['/media/tiles/../../etc/passwd', '/media/tiles/%2e%2e/1/0/0', '/media/audio/1/..', '/media/tiles/1\\..\\0/0']) {
      const r = await ask(path);
      expect(r.status, path).toBe(400);
      expect(await bodyText(r)).toMatch(/Refused/);
    }
    for (const path of ['/media/tiles/abc/0/0', '/media/tiles/-1/0/0', '/media/tiles/0/0/0', '/media/audio/1e3', '/media/tiles/1/x/0']) {
      expect((await ask(path)).status, path).toBe(400);
    }
    const unknown = await ask('/media/tiles/999/0/0');
    expect(unknown.status).toBe(404);
    expect(await bodyText(unknown)).toMatch(/No recording with id 999/);
    expect((await ask(`/media/tiles/${fx.ids.get('a.wav')}/0/99`)).status).toBe(404);
    expect((await ask(`/media/tiles/${fx.ids.get('a.wav')}/40/0`)).status).toBe(404);
    expect((await ask('/other/1')).status).toBe(404);
    expect((await handleMediaRequest(null, null, '/media/tiles/1/0/0')).status).toBe(404);
  });

  it('refuses recordings whose path leaves the audio root (symlink or ..)', async () => {
    const viaLink = await ask(`/media/audio/${fx.ids.get('link.wav')}?start=0&end=1`);
    expect(viaLink.status).toBe(404);
    expect(await bodyText(viaLink)).toMatch(/not inside the project's audio folder/);
    expect((await ask(`/media/tiles/${fx.ids.get('link.wav')}/0/0`)).status).toBe(404);
    expect((await ask(`/media/tiles/${fx.ids.get('../escape.wav')}/0/0`)).status).toBe(404);
  });

  it('serves a time range as a WAV whose samples equal the source', async () => {
    const id = fx.ids.get('a.wav');
    const r = await ask(`/media/audio/${id}?start=12.5&end=14`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('audio/wav');
    const bytes = await bodyBytes(r);
    expect(bytes.length).toBe(Number(r.headers['content-length']));
    const wav = await wavSamples(bytes);
    expect(wav.rate).toBe(RATE);
    const from = 12.5 * RATE;
    const expected = Array.from(source.subarray(from, 14 * RATE), (x) => Math.round(Math.max(-1, Math.min(1, x)) * 32767) || 0);
    expect(wav.values).toEqual(expected);
    // float32 output carries the decoder's values exactly
    const f = await wavSamples(await bodyBytes(await ask(`/media/audio/${id}?start=12.5&end=14&format=f32`)));
    expect(f.kind).toBe('float32');
    expect(f.values).toEqual(Array.from(pcm16RoundTrip(source.subarray(from, 14 * RATE))));
    // the last page is clipped at the end of the recording
    const tail = await wavSamples(await bodyBytes(await ask(`/media/audio/${id}?start=29&end=35`)));
    expect(tail.values).toHaveLength(RATE);
  });

  it('serves tiles and tile info for the display settings in the query, and refuses invalid ones', async () => {
    const id = fx.ids.get('a.wav');
    const info = JSON.parse(await bodyText(await ask(`/media/tile-info/${id}?fft=1024&window=blackman&overlap=75`)));
    expect(info).toMatchObject({ binCount: 512, nyquistHz: RATE / 2, display: { fftSize: 1024, window: 'blackman', overlapPercent: 75 } });
    expect(info.hopSeconds).toBeCloseTo(256 / RATE, 12);
    const tile = decodeTile(new Uint8Array(await bodyBytes(await ask(`/media/tiles/${id}/0/0?fft=1024&window=blackman&overlap=75`))))!;
    expect(tile.bins).toBe(512);
    expect(JSON.parse(await bodyText(await ask(`/media/tile-info/${id}`))).binCount).toBe(256);
    for (const q of ['fft=1000', 'window=kaiser', 'overlap=60']) {
      const r = await ask(`/media/tiles/${id}/0/0?${q}`);
      expect(r.status, q).toBe(400);
      expect(await bodyText(r)).toMatch(/Refused: (FFT size|Window|Overlap)/);
    }
  });

  it('removes the DC offset and applies a listening gain on request, identically in any byte range', async () => {
    const id = fx.ids.get('a.wav');
    const plain = (await wavSamples(await bodyBytes(await ask(`/media/audio/${id}?start=1&end=2&format=f32`)))).values;
    const url = `/media/audio/${id}?start=1&end=2&format=f32&dc=remove&gain=6`;
    const whole = await bodyBytes(await ask(url));
    const loud = (await wavSamples(whole)).values;
    // The source's block mean (0.2-rms noise plus clicks) is removed, then × 10^(6/20).
    const { DcBlocks } = await import('./dc-offset');
    const src = await tiles.source(id!);
    const dcFree = await new DcBlocks(src.reader, 0, src.geometry.nativeFrames).readWithoutDc(RATE, 2 * RATE);
    const g = 10 ** (6 / 20);
    loud.forEach((v, i) => expect(v).toBeCloseTo(Math.fround(dcFree[i] * g), 6));
    expect(loud[10]).not.toBeCloseTo(plain[10] * g, 6);
    const part = await bodyBytes(await ask(url, 'bytes=1000-2003'));
    expect(part.equals(whole.subarray(1000, 2004))).toBe(true);
    for (const q of ['gain=81', 'gain=loud', 'dc=maybe']) {
      const r = await ask(`/media/audio/${id}?start=1&end=2&${q}`);
      expect(r.status, q).toBe(400);
    }
  });

  it('supports byte ranges and refuses ranges out of bounds', async () => {
    const id = fx.ids.get('a.wav');
    const whole = await bodyBytes(await ask(`/media/audio/${id}?start=1&end=2`));
    const part = await ask(`/media/audio/${id}?start=1&end=2`, 'bytes=40-1001');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 40-1001/${whole.length}`);
    expect((await bodyBytes(part)).equals(whole.subarray(40, 1002))).toBe(true);
    const suffix = await ask(`/media/audio/${id}?start=1&end=2`, 'bytes=-7');
    expect((await bodyBytes(suffix)).equals(whole.subarray(whole.length - 7))).toBe(true);
    expect((await ask(`/media/audio/${id}?start=1&end=2`, `bytes=${whole.length}-`)).status).toBe(416);
    for (const q of ['start=30&end=31', 'start=5&end=5', 'start=0&end=601', 'start=-1&end=2', 'start=abc', 'start=1&end=2&format=mp3']) {
      const r = await ask(`/media/audio/${id}?${q}`);
      expect(r.status, q).toBe(400);
      expect(await bodyText(r)).toMatch(/Refused/);
    }
  });
});
