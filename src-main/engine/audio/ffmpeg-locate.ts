/**
 * Finds an ffmpeg executable for containers we do not decode in-process
 * (M4A/AAC and anything else ffmpeg understands).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(): string | null {
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function findInstallerBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const installed = require('@ffmpeg-installer/ffmpeg') as { path?: string };
    if (!installed.path) return null;
    // Inside a packaged Electron app the binary lives next to the asar archive, not in it.
    const unpacked = installed.path.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return isExecutableFile(unpacked) ? unpacked : isExecutableFile(installed.path) ? installed.path : null;
  } catch {
    // Optional dependency missing or unsupported platform: ffmpeg is simply unavailable.
    return null;
  }
}

/**
 * Path of the ffmpeg to use, or null. Order: `SONOTYPE_FFMPEG` (explicit
 * path), `ffmpeg` on PATH, the bundled `@ffmpeg-installer/ffmpeg` binary.
 * `SONOTYPE_NO_FFMPEG=1` disables ffmpeg entirely. Re-evaluated on every call
 * so settings changes apply without a restart.
 */
export function findFfmpeg(): string | null {
  if (process.env.SONOTYPE_NO_FFMPEG === '1') return null;
  const explicit = process.env.SONOTYPE_FFMPEG;
  if (explicit) return isExecutableFile(explicit) ? explicit : null;
  return findOnPath() ?? findInstallerBinary();
}

/** Message for files that need ffmpeg when none is available. */
export function needsFfmpegMessage(what: string): string {
  return (
    `${what} needs ffmpeg to decode, and none was found. Install ffmpeg and put it on your PATH, ` +
    'or set SONOTYPE_FFMPEG to the full path of an ffmpeg executable.' +
    (process.env.SONOTYPE_NO_FFMPEG === '1' ? ' (ffmpeg is currently disabled by SONOTYPE_NO_FFMPEG=1.)' : '')
  );
}
