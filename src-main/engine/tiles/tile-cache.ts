/**
 * Tile cache: encoded tiles on disk under the project folder plus an
 * in-memory LRU of recently served tiles.
 *
 * Disk layout: <project>/sonotype-cache/tiles/<recordingId>-<file>-<display>/L<level>/<index>.bin
 * where <file> hashes the file's content hash, size, mtime, the channel and
 * the tile format version, and <display> the display settings — any change
 * means a new folder, so a stale tile can never be shown. Folders of other
 * display settings of the same file version are kept (switching back is free);
 * folders of older file versions are removed. Files are written to a temporary name and
 * renamed, so a reader sees either the old tile or the new one, never half.
 * An approximate tile never replaces an exact one.
 */
import { LRUCache } from 'lru-cache';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTile, encodeTile, HEADER_BYTES, TILE_FORMAT_VERSION, type Tile } from './tile-format';

/** Folder (relative to the project) holding every recording's tiles. */
export const TILE_CACHE_SUBDIR = join('sonotype-cache', 'tiles');
const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;

/** What identifies the input of a recording's tiles. */
export interface TileSourceIdentity {
  recordingId: number;
  /** displaySettingsKey() of the display settings. */
  displayKey: string;
  contentHash: string | null;
  sizeBytes: number;
  mtimeMs: number;
  channel: number;
}

function shortHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** `<recordingId>-<16 hex digits>-<display key>`: the folder name for this exact input. */
export function tileFolderName(id: TileSourceIdentity): string {
  const file = shortHash([TILE_FORMAT_VERSION, id.contentHash, id.sizeBytes, id.mtimeMs, id.channel]);
  return `${id.recordingId}-${file}-${id.displayKey.replace(/[^a-z0-9.]+/gi, '_')}`;
}

/** `<recordingId>-<file hash>-`: what folders of one file version share. */
function fileVersionPrefix(folder: string): string {
  const [recording, file] = folder.split('-', 2);
  return `${recording}-${file}-`;
}

export interface TileCache {
  /**
   * The tile's bytes (memory, then disk), or null when not cached. An approximate
   * tile in memory is checked against the disk, where another process (a 'tiles'
   * job) may have written the exact one since.
   */
  read(folder: string, level: number, index: number): Promise<{ bytes: Uint8Array; tile: Tile } | null>;
  /** Stores a tile (atomically on disk); an approximate tile does not overwrite an exact one. */
  write(folder: string, tile: Tile): Promise<{ bytes: Uint8Array; tile: Tile }>;
  /** Removes the folders of older file versions of the same recording (other display settings stay). */
  removeStale(folder: string): Promise<void>;
  /** Absolute folder of a tile folder name. */
  pathOf(folder: string): string;
}

/** Creates the cache rooted at `<projectDir>/sonotype-cache/tiles`. */
export function createTileCache(projectDir: string, memoryBytes = DEFAULT_MEMORY_BYTES): TileCache {
  const root = join(projectDir, TILE_CACHE_SUBDIR);
  // Least recently used tiles leave first once their bytes exceed the budget.
  const memory = new LRUCache<string, { bytes: Uint8Array; tile: Tile }>({
    maxSize: Math.max(1, memoryBytes),
    sizeCalculation: (entry) => Math.max(1, entry.bytes.length),
  });

  const fileOf = (folder: string, level: number, index: number) => join(root, folder, `L${level}`, `${index}.bin`);
  const keyOf = (folder: string, level: number, index: number) => `${folder}/${level}/${index}`;

  const remember = (key: string, entry: { bytes: Uint8Array; tile: Tile }): void => void memory.set(key, entry);

  async function isExactOnDisk(file: string): Promise<boolean> {
    try {
      const fh = await open(file, 'r');
      try {
        const head = Buffer.alloc(HEADER_BYTES);
        const { bytesRead } = await fh.read(head, 0, HEADER_BYTES, 0);
        const t = bytesRead === HEADER_BYTES ? decodeHeaderFlags(head) : null;
        return t === false;
      } finally {
        await fh.close();
      }
    } catch {
      return false;
    }
  }

  return {
    pathOf: (folder) => join(root, folder),
    async read(folder, level, index) {
      const key = keyOf(folder, level, index);
      const hit = memory.get(key);
      if (hit && !(hit.tile.approximate && (await isExactOnDisk(fileOf(folder, level, index))))) {
        remember(key, hit); // refresh its LRU position
        return hit;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(fileOf(folder, level, index)));
      } catch {
        return null;
      }
      const tile = decodeTile(bytes);
      // A damaged or foreign file is treated as absent and recomputed.
      if (!tile || tile.level !== level || tile.index !== index) return null;
      const entry = { bytes, tile };
      remember(key, entry);
      return entry;
    },
    async write(folder, tile) {
      const key = keyOf(folder, tile.level, tile.index);
      const file = fileOf(folder, tile.level, tile.index);
      if (tile.approximate) {
        const known = memory.peek(key);
        if (known && !known.tile.approximate) return known;
        if (!known && (await isExactOnDisk(file))) {
          const exact = await this.read(folder, tile.level, tile.index);
          if (exact) return exact;
        }
      }
      const bytes = encodeTile(tile);
      await mkdir(join(root, folder, `L${tile.level}`), { recursive: true });
      const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      const entry = { bytes, tile };
      remember(key, entry);
      return entry;
    },
    async removeStale(folder) {
      const prefix = `${folder.slice(0, folder.indexOf('-'))}-`;
      const current = fileVersionPrefix(folder);
      let names: string[];
      try {
        names = await readdir(root);
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith(prefix) && !name.startsWith(current)) {
          await rm(join(root, name), { recursive: true, force: true });
          for (const k of [...memory.keys()]) if (k.startsWith(`${name}/`)) memory.delete(k);
        }
      }
    },
  };
}

/** The approximate flag of an encoded header, or null when it is not a tile header. */
function decodeHeaderFlags(head: Buffer): boolean | null {
  if (head.toString('latin1', 0, 4) !== 'STIL' || head.readUInt16LE(4) !== TILE_FORMAT_VERSION) return null;
  return (head.readUInt16LE(6) & 1) !== 0;
}
