/**
 * Tables too big for one call, staged chunk by chunk ('exchange:stageTable')
 * in a temporary folder until 'exchange:import' hands them to its job, which
 * reads files (a job's parameters are stored with it; table bytes are not).
 * A table the page never imported (a reload or a failed read mid-upload) is
 * dropped once it has not been touched for STALE_MS.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SonotypeError } from '../../src-shared/errors';
import { MAX_IMPORT_BYTES } from '../../src-shared/exchange-types';

interface StagedTable {
  path: string;
  bytes: number;
  touchedAt: number;
}

/** A staged table left this long without a chunk or an import is abandoned. */
export const STALE_MS = 30 * 60_000;

export interface TableStagingOptions {
  /** Most bytes staged at once (default MAX_IMPORT_BYTES). */
  maxBytes?: number;
  now?: () => number;
}

export class TableStaging {
  /** This app session's folder: made when a table is staged, removed again when none is left. */
  private readonly dir = path.join(tmpdir(), `sonotype-import-${randomUUID()}`);
  private readonly tables = new Map<string, StagedTable>();
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: TableStagingOptions = {}) {
    this.maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;
    this.now = options.now ?? Date.now;
  }

  /** Appends a chunk to the table `uploadId` (a new table when absent); its id and bytes so far. */
  async append(uploadId: string | undefined, bytes: Uint8Array): Promise<{ uploadId: string; bytes: number }> {
    await this.dropAbandoned();
    const id = uploadId ?? randomUUID();
    let table = this.tables.get(id);
    if (!table) {
      if (uploadId !== undefined) throw new SonotypeError('NOT_FOUND', 'That staged table is gone (imported or abandoned): choose the table again.');
      table = { path: path.join(this.dir, `${id}.table`), bytes: 0, touchedAt: this.now() };
      this.tables.set(id, table);
    }
    if (this.stagedBytes() + bytes.length > this.maxBytes) {
      await this.remove([id]);
      throw new SonotypeError('INVALID_ARGUMENT', `The tables are bigger than the app imports at once (${this.maxBytes / 2 ** 20} MB): import them with \`npx sonotype import\`.`);
    }
    await this.appendMakingFolder(table.path, bytes);
    table.bytes += bytes.length;
    table.touchedAt = this.now();
    return { uploadId: id, bytes: table.bytes };
  }

  /** Path of a staged table; NOT_FOUND when it is not staged (any more). */
  pathOf(uploadId: string): string {
    const table = this.tables.get(uploadId);
    if (!table) throw new SonotypeError('NOT_FOUND', 'A staged table is gone (imported or abandoned): choose the table again.');
    table.touchedAt = this.now();
    return table.path;
  }

  /** Stages a table sent inline (in one call); its upload id. */
  async stageWhole(bytes: Uint8Array): Promise<string> {
    return (await this.append(undefined, bytes)).uploadId;
  }

  async remove(uploadIds: readonly string[]): Promise<void> {
    for (const id of uploadIds) {
      const table = this.tables.get(id);
      this.tables.delete(id);
      if (table) await rm(table.path, { force: true });
    }
    // rmdir only removes an empty folder: a table staged meanwhile keeps it.
    if (this.tables.size === 0) await rmdir(this.dir).catch(() => {});
  }

  private async appendMakingFolder(file: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      await appendFile(file, bytes);
    } catch (error) {
      // The folder was removed between the two steps (the last other table just went): make it again, once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.dir, { recursive: true });
      await appendFile(file, bytes);
    }
  }

  private async dropAbandoned(): Promise<void> {
    const stale = [...this.tables].filter(([, t]) => this.now() - t.touchedAt > STALE_MS).map(([id]) => id);
    if (stale.length > 0) await this.remove(stale);
  }

  private stagedBytes(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.bytes;
    return n;
  }
}
