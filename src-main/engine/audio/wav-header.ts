/**
 * Streaming WAV header parser: RIFF and RF64 (ds64), any chunk order, odd-size
 * padding, fmt chunks of 16/18/40 bytes, PCM / IEEE float / EXTENSIBLE.
 * Reads only the header bytes it needs, so multi-GiB files cost nothing.
 */
import { SonotypeError } from '../../../src-shared/errors';

/** How one sample is stored on disk. */
export type WavSampleKind = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64';

export interface WavHeader {
  container: 'wav' | 'rf64';
  sampleKind: WavSampleKind;
  codec: string;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** File offset of the first sample byte. */
  dataOffset: number;
  /** Whole frames actually present on disk (declared size clamped to the file). */
  frames: number;
  /** Whole frames the data chunk declares (Infinity for "to the end of the file"); above `frames` when the file was cut short. */
  declaredFrames: number;
}

/** Random-access reader over the file; returns fewer bytes at end of file. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Tail shared by every KSDATAFORMAT_SUBTYPE GUID: {xxxxxxxx-0000-0010-8000-00aa00389b71}. */
const KS_GUID_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

/** Real files have a handful of chunks (fmt, LIST, bext, iXML, cue…); past this the header is damaged. */
const MAX_CHUNKS_BEFORE_DATA = 100_000;

/** Names of compressed WAV format tags researchers meet, for readable errors. */
const KNOWN_TAGS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x0161: 'Windows Media Audio',
};

function tagName(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0').toUpperCase()}`;
  return KNOWN_TAGS[tag] ? `${KNOWN_TAGS[tag]} (format tag ${hex})` : `format tag ${hex}`;
}

function sampleKindOf(isFloat: boolean, bytesPerSample: number, tagText: string): WavSampleKind {
  if (isFloat) {
    if (bytesPerSample === 4) return 'float32';
    if (bytesPerSample === 8) return 'float64';
  } else {
    if (bytesPerSample === 1) return 'uint8';
    if (bytesPerSample === 2) return 'int16';
    if (bytesPerSample === 3) return 'int24';
    if (bytesPerSample === 4) return 'int32';
  }
  throw new SonotypeError(
    'UNSUPPORTED_CODEC',
    `Unsupported WAV sample size: ${bytesPerSample * 8}-bit ${isFloat ? 'float' : 'integer'} (${tagText})`,
  );
}

const CODEC_NAMES: Record<WavSampleKind, string> = {
  uint8: 'pcm_u8',
  int16: 'pcm_s16le',
  int24: 'pcm_s24le',
  int32: 'pcm_s32le',
  float32: 'pcm_f32le',
  float64: 'pcm_f64le',
};

interface FmtInfo {
  isFloat: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  tagText: string;
}

function parseFmt(fmt: Buffer): FmtInfo {
  if (fmt.length < 16) throw new SonotypeError('TRUNCATED', `WAV fmt chunk is too short (${fmt.length} bytes)`);
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bitsPerSample = fmt.readUInt16LE(14);
  let tagText = tagName(tag);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.length < 40) throw new SonotypeError('TRUNCATED', 'WAVE_FORMAT_EXTENSIBLE fmt chunk is too short');
    const sub = fmt.subarray(24, 40);
    tag = sub.readUInt16LE(0);
    tagText = `WAVE_FORMAT_EXTENSIBLE with sub-format ${tagName(tag)}`;
    if (sub.readUInt16LE(2) !== 0 || !sub.subarray(4).equals(KS_GUID_TAIL)) {
      throw new SonotypeError('UNSUPPORTED_CODEC', `Unsupported WAV sub-format GUID ${sub.toString('hex')}`);
    }
  }
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
    throw new SonotypeError('UNSUPPORTED_CODEC', `Unsupported WAV encoding: ${tagText}. Convert it to PCM WAV or FLAC.`);
  }
  if (channels === 0) throw new SonotypeError('NOT_AUDIO', 'WAV header declares 0 channels');
  if (sampleRate === 0) throw new SonotypeError('NOT_AUDIO', 'WAV header declares a sample rate of 0 Hz');
  return { isFloat: tag === WAVE_FORMAT_IEEE_FLOAT, channels, sampleRate, blockAlign, bitsPerSample, tagText };
}

/**
 * Parses the header of a RIFF/RF64 WAVE file of `fileSize` bytes. Throws
 * SonotypeError: EMPTY_FILE, NOT_AUDIO, TRUNCATED (no data chunk before EOF)
 * or UNSUPPORTED_CODEC (ADPCM, MP3-in-WAV, …).
 */
export async function parseWavHeader(readAt: ReadAt, fileSize: number): Promise<WavHeader> {
  if (fileSize === 0) throw new SonotypeError('EMPTY_FILE', 'File is empty (0 bytes)');
  const riff = await readAt(0, 12);
  const magic = riff.subarray(0, 4).toString('latin1');
  if (magic !== 'RIFF' && magic !== 'RF64' && magic !== 'BW64') {
    throw new SonotypeError('NOT_AUDIO', 'Not a WAV file: it does not start with a RIFF or RF64 header');
  }
  if (riff.length < 12) throw new SonotypeError('TRUNCATED', `WAV file is truncated: only ${fileSize} bytes`);
  if (riff.subarray(8, 12).toString('latin1') !== 'WAVE') {
    throw new SonotypeError('NOT_AUDIO', 'Not a WAV file: RIFF container without a WAVE form type');
  }
  const isRf64 = magic !== 'RIFF';
  let ds64DataSize: number | undefined;
  let fmt: FmtInfo | undefined;
  let pos = 12;
  for (let chunks = 0; ; chunks++) {
    if (chunks > MAX_CHUNKS_BEFORE_DATA) {
      throw new SonotypeError('NOT_AUDIO', `This WAV header is damaged: more than ${MAX_CHUNKS_BEFORE_DATA.toLocaleString('en')} chunks before the audio data`);
    }
    const head = await readAt(pos, 8);
    if (head.length < 8) {
      throw new SonotypeError('TRUNCATED', `WAV header is truncated: no audio data chunk before the end of the file (${fileSize} bytes)`);
    }
    const id = head.subarray(0, 4).toString('latin1');
    const size = head.readUInt32LE(4);
    const body = pos + 8;
    if (id === 'ds64') {
      const ds64 = await readAt(body, Math.min(size, 28));
      if (ds64.length < 24) throw new SonotypeError('TRUNCATED', 'RF64 ds64 chunk is truncated');
      ds64DataSize = Number(ds64.readBigUInt64LE(8));
    } else if (id === 'fmt ') {
      const bytes = await readAt(body, Math.min(size, 64));
      if (bytes.length < Math.min(size, 16)) throw new SonotypeError('TRUNCATED', 'WAV fmt chunk is truncated');
      fmt = parseFmt(bytes);
    } else if (id === 'data') {
      if (!fmt) throw new SonotypeError('NOT_AUDIO', 'WAV file has a data chunk but no fmt chunk before it');
      // RF64 puts the real size in ds64; a bare 0xFFFFFFFF (streaming writers, >4 GiB RIFF) means "to the end".
      const declared = size === 0xffffffff ? (ds64DataSize ?? Infinity) : size;
      return buildHeader(fmt, isRf64, body, declared, fileSize);
    }
    // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
    pos = body + size + (size % 2);
  }
}

function buildHeader(fmt: FmtInfo, isRf64: boolean, dataOffset: number, declared: number, fileSize: number): WavHeader {
  const minBytes = Math.ceil(fmt.bitsPerSample / 8);
  // Trust blockAlign when it is consistent (it covers e.g. 24-bit samples in 4-byte slots).
  const perSample =
    fmt.blockAlign > 0 && fmt.blockAlign % fmt.channels === 0 && fmt.blockAlign / fmt.channels >= minBytes
      ? fmt.blockAlign / fmt.channels
      : minBytes;
  const sampleKind = sampleKindOf(fmt.isFloat, perSample, fmt.tagText);
  const blockAlign = perSample * fmt.channels;
  const onDisk = Math.max(0, fileSize - dataOffset);
  // A size beyond EOF (crashed recorder, unknown size): read what is on disk.
  const dataBytes = Math.min(declared, onDisk);
  return {
    container: isRf64 ? 'rf64' : 'wav',
    sampleKind,
    codec: CODEC_NAMES[sampleKind],
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bitsPerSample: perSample * 8,
    blockAlign,
    dataOffset,
    frames: Math.floor(dataBytes / blockAlign),
    declaredFrames: Number.isFinite(declared) ? Math.floor(declared / blockAlign) : Infinity,
  };
}
