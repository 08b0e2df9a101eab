/** What a decoder knows about a recording before decoding its samples. */
export interface AudioInfo {
  /** Native sample rate in Hz, read from the file (never assumed). */
  sampleRate: number;
  /** Number of interleaved channels in the file. */
  channels: number;
  /** Sample frames per channel (exact for PCM, best estimate for compressed formats). */
  frames: number;
  /** frames / sampleRate. */
  durationSeconds: number;
  /** Short codec name: 'pcm_s16le', 'pcm_f32le', 'flac', 'mp3', 'vorbis', 'opus', 'aac', … */
  codec: string;
  /** Container: 'wav' | 'rf64' | 'flac' | 'mp3' | 'ogg' | 'm4a'. */
  container: string;
  /** Bits per sample for PCM formats, undefined for compressed ones. */
  bitsPerSample?: number;
  /** A caveat about a usable file, e.g. "The header says 2.5 s; the file holds 1.1 s …" for a cut-short file. */
  warning?: string;
}

/** Status of one scanned file. */
export type RecordingStatus = 'ok' | 'error';

/** One recording as stored in the project and shown everywhere. */
export interface RecordingSummary {
  id: number;
  /** Path relative to the project's audio root, with forward slashes. */
  path: string;
  sizeBytes: number;
  /** Hex SHA-256 of the file's bytes; re-links moved/renamed files. */
  hash: string | null;
  status: RecordingStatus;
  /** Human-readable reason when status is 'error'. */
  error?: { code: string; message: string };
  /** A caveat about a usable recording (e.g. cut short: it holds less than its header says). */
  warning?: string;
  sampleRate: number | null;
  channels: number | null;
  durationSeconds: number | null;
  codec: string | null;
  /** True when the last completed scan did not find the file (it may have been moved out of the folder). */
  missing: boolean;
}
