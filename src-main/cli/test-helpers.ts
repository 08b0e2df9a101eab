/** Shared helpers for the CLI's in-process tests. */
import type { CliIo } from './output';

/** A CliIo that records everything written, one newline-terminated line per call. */
export function captureIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTty: false,
    out(t: string) { io.stdout += t.endsWith('\n') ? t : `${t}\n`; },
    err(t: string) { io.stderr += t.endsWith('\n') ? t : `${t}\n`; },
  };
  return io;
}
