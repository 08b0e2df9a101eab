/**
 * Errors cross every boundary (engine → CLI, main → renderer, worker → main)
 * as plain `{ code, message }` objects so they survive structured cloning and
 * JSON, and the UI can show `message` verbatim.
 */

/**
 * Stable machine-readable error codes, each with what it means. Add new ones
 * here, never reuse one: `ErrorCode` and `isErrorCode` are derived from this object.
 */
export const ERROR_CODES = {
  EMPTY_FILE: 'the file has no bytes',
  TRUNCATED: 'the file ends before its header says it should',
  NOT_AUDIO: 'the file is not an audio format Sonotype knows',
  UNSUPPORTED_CODEC: 'an audio container whose codec cannot be decoded',
  NEEDS_FFMPEG: 'a format only ffmpeg decodes, and ffmpeg was not found',
  UNREADABLE: 'the file or folder cannot be read (permissions, I/O error)',
  DECODE_FAILED: 'the decoder failed on the audio data',
  NOT_FOUND: 'a file, folder, recording, label, job or model that does not exist',
  INVALID_ARGUMENT: 'a request the caller can correct (malformed call, bad value, no project open)',
  INVALID_CONFIG: 'settings or project state that do not allow the request',
  DATABASE: 'sonotype.db cannot be opened or written',
  CANCELLED: 'the work was cancelled',
  CORRUPT_DATA: 'bytes that fail their checksum or structure check (e.g. a shard result from a worker)',
  SERVICE_UNAVAILABLE: 'a service Sonotype talks to (Redis for distributed analysis) cannot be reached',
  INTERNAL: 'a bug or an unexpected failure',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The wire form of an error. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** An Error that carries a stable code; thrown inside the engine. */
export class SonotypeError extends Error implements ErrorInfo {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SonotypeError';
    this.code = code;
  }
}

/** Turns anything thrown into the wire form, keeping codes of known errors. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof SonotypeError) return { code: error.code, message: error.message };
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error as { code: unknown; message: unknown };
    if (typeof code === 'string' && typeof message === 'string' && isErrorCode(code)) return { code, message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
