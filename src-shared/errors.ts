/**
 * Errors cross every boundary (engine → CLI, main → renderer, worker → main)
 * as plain `{ code, message }` objects so they survive structured cloning and
 * JSON, and the UI can show `message` verbatim.
 */

/** Stable machine-readable error codes. Add new ones here, never reuse. */
export type ErrorCode =
  | 'EMPTY_FILE'
  | 'TRUNCATED'
  | 'NOT_AUDIO'
  | 'UNSUPPORTED_CODEC'
  | 'NEEDS_FFMPEG'
  | 'UNREADABLE'
  | 'DECODE_FAILED'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'DATABASE'
  | 'CANCELLED'
  | 'INTERNAL';

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

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'EMPTY_FILE', 'TRUNCATED', 'NOT_AUDIO', 'UNSUPPORTED_CODEC', 'NEEDS_FFMPEG', 'UNREADABLE',
  'DECODE_FAILED', 'NOT_FOUND', 'INVALID_ARGUMENT', 'INVALID_CONFIG', 'DATABASE', 'CANCELLED', 'INTERNAL',
]);

export function isErrorCode(code: string): code is ErrorCode {
  return CODES.has(code);
}
