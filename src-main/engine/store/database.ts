/**
 * Opening a Sonotype project database (`sonotype.db` in the project folder):
 * connection settings, migration on open, statement caching and transactions
 * whose SQLite failures come out as readable DATABASE errors.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SonotypeError } from '../../../src-shared/errors';
import { applyMigrations, readSchemaVersion, SCHEMA_VERSION, SONOTYPE_APPLICATION_ID } from './migrate';
import { markInterruptedJobs } from './jobs';

/** How long a write waits for another connection's write lock before it is refused (ms). */
export const BUSY_TIMEOUT_MS = 15_000;

/** File name of the database inside a project folder. */
export const PROJECT_DB_FILENAME = 'sonotype.db';

/** Path of the database for a project folder chosen by the user. */
export function projectDbPath(projectFolder: string): string {
  return path.join(projectFolder, PROJECT_DB_FILENAME);
}

/** An open project database. Repositories take this as their first argument. */
export interface ProjectDb {
  /** Absolute or caller-given path of the database file. */
  readonly path: string;
  /** The raw connection, for repositories and tests; prefer the repository functions. */
  readonly sql: Database.Database;
  /** Prepared statement for `source`, compiled once per connection and reused. */
  statement(source: string): Database.Statement;
  /**
   * Runs `work` in one transaction (a savepoint when nested). If it throws,
   * nothing it wrote is kept; SQLite errors are rethrown as DATABASE errors.
   * `work` must be synchronous (an await inside would commit early).
   */
  transaction<T>(work: () => T): T;
  /** Closes the connection (idempotent). */
  close(): void;
}

export interface OpenProjectDbOptions {
  /**
   * Mark jobs still 'running' as failed ("interrupted"): they belong to a
   * process that crashed. Default true; pass false when another process (e.g.
   * the app while the CLI runs) may legitimately be running jobs.
   */
  recoverInterruptedJobs?: boolean;
}

/**
 * Opens (creating if absent) and migrates the project database at `dbPath`.
 * Refuses, without writing to it, a file that is not a Sonotype database or
 * was written by a newer Sonotype (user_version above SCHEMA_VERSION).
 */
export function openProjectDb(dbPath: string, options: OpenProjectDbOptions = {}): ProjectDb {
  const folder = path.dirname(path.resolve(dbPath));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new SonotypeError('NOT_FOUND', `Project folder does not exist: ${folder}`);
  }
  if (existsSync(dbPath)) checkExistingFileBeforeWriting(dbPath);

  let sql: Database.Database;
  try {
    sql = new Database(dbPath, nativeBindingOption());
  } catch (cause) {
    throw toDatabaseError(cause, `Could not open the project database ${dbPath}`);
  }
  try {
    // busy_timeout first so the WAL switch waits for other connections' locks. Another process
    // (the app while `sonotype detect` runs, a second window's server) may hold the write lock for
    // a moment: SQLite retries for up to this long before a write is refused as busy.
    sql.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sql.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS
    // crash/power loss can lose the last commits, never corrupt the file.
    sql.pragma('synchronous = NORMAL');
    sql.pragma('foreign_keys = ON');
    applyMigrations(sql);
    const db = new ProjectDatabase(dbPath, sql);
    if (options.recoverInterruptedJobs ?? true) markInterruptedJobs(db);
    return db;
  } catch (error) {
    sql.close();
    throw error instanceof SonotypeError ? error : toDatabaseError(error, 'Could not prepare the project database');
  }
}

/**
 * The Electron app loads better-sqlite3 compiled for Electron's ABI from its
 * own folder (src-main/electron/build-native.mjs); plain Node (CLI, tests)
 * uses the copy in node_modules.
 */
function nativeBindingOption(): Database.Options {
  const binding = process.env.SONOTYPE_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

class ProjectDatabase implements ProjectDb {
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;

  constructor(
    readonly path: string,
    readonly sql: Database.Database,
  ) {}

  statement(source: string): Database.Statement {
    let prepared = this.statements.get(source);
    if (!prepared) {
      if (this.closed) throw new SonotypeError('DATABASE', 'The project database is closed.');
      prepared = this.sql.prepare(source);
      this.statements.set(source, prepared);
    }
    return prepared;
  }

  transaction<T>(work: () => T): T {
    if (this.closed) throw new SonotypeError('DATABASE', 'The project database is closed.');
    try {
      // IMMEDIATE takes the write lock at BEGIN, where SQLite's busy handler waits for it. A deferred
      // transaction that reads first and then writes cannot wait (the upgrade would deadlock), so it
      // failed at once with SQLITE_BUSY whenever another process was writing. Nested calls are savepoints.
      return this.sql.transaction(work).immediate();
    } catch (error) {
      // Only SQLite's own failures become DATABASE errors; a bug in `work`
      // keeps its original type and stack.
      if (error instanceof Database.SqliteError) throw toDatabaseError(error, 'The project database rejected the change');
      throw error;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.sql.close();
  }
}

/** Reads header facts through a read-only connection so a refused file stays untouched. */
function checkExistingFileBeforeWriting(dbPath: string): void {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(dbPath, { ...nativeBindingOption(), readonly: true, fileMustExist: true });
    const version = readSchemaVersion(probe);
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
    if (applicationId !== 0 && applicationId !== SONOTYPE_APPLICATION_ID) {
      throw new SonotypeError('DATABASE', `${dbPath} belongs to another application, not Sonotype.`);
    }
    if (version > SCHEMA_VERSION) {
      throw new SonotypeError(
        'DATABASE',
        `This project was saved by a newer version of Sonotype (database version ${version}, this version understands up to ${SCHEMA_VERSION}). Update Sonotype to open it; the file was not changed.`,
      );
    }
    const tables = probe.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (version === 0 && tables.n > 0) {
      throw new SonotypeError('DATABASE', `${dbPath} is an SQLite database of another application, not a Sonotype project.`);
    }
  } catch (error) {
    if (error instanceof SonotypeError) throw error;
    throw toDatabaseError(error, `${dbPath} is not a Sonotype project database (or it is damaged)`);
  } finally {
    probe?.close();
  }
}

/** Turns a SQLite failure into a DATABASE error a researcher can act on. */
export function toDatabaseError(error: unknown, context: string): SonotypeError {
  const code = (error as { code?: unknown })?.code;
  const detail = error instanceof Error ? error.message : String(error);
  let reason: string;
  if (code === 'SQLITE_FULL') reason = 'the disk is full';
  else if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') reason = 'the file or its folder cannot be written (check permissions)';
  else if (code === 'SQLITE_BUSY') reason = 'another Sonotype window or command is writing to this project; try again';
  else if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') reason = 'the file is not a valid database or is damaged';
  else if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') reason = 'it refers to a recording, window, model or label that does not exist';
  else if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') reason = `an entry with the same key already exists (${detail})`;
  else if (code === 'SQLITE_CONSTRAINT_CHECK') reason = `a value is out of its allowed range (${detail})`;
  else reason = detail;
  return new SonotypeError('DATABASE', `${context}: ${reason}.`, { cause: error });
}
