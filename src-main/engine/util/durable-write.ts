/**
 * Writing a file so it survives a crash or power cut once this returns: the
 * bytes are written in full and flushed to the disk (fsync). Callers write
 * into a staging folder and rename it into place, so readers never see half
 * a file (job checkpoints, model folders).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export function writeFileDurably(file: string, contents: Uint8Array | string): void {
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
