/**
 * Applies schema migrations, one transaction each, tracked in PRAGMA user_version.
 */
import type Database from 'better-sqlite3';
import { SonotypeError } from '../../../src-shared/errors';
import { migrations as allMigrations, type Migration } from './migrations';

export { SCHEMA_VERSION, SONOTYPE_APPLICATION_ID, migrations } from './migrations';
export type { Migration } from './migrations';

/** The database's PRAGMA user_version (0 for a new file). */
export function readSchemaVersion(sql: Database.Database): number {
  return sql.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `sql` up to the last version in `list`. Each migration and its
 * user_version bump commit together, so a crash leaves the database at a
 * whole version. Refuses a database newer than `list` without changing it.
 */
export function applyMigrations(
  sql: Database.Database,
  list: readonly Migration[] = allMigrations,
): { from: number; to: number } {
  list.forEach((migration, i) => {
    if (migration.version !== i + 1) {
      throw new SonotypeError('INTERNAL', `Migration list is out of order at position ${i} (version ${migration.version}).`);
    }
  });
  const from = readSchemaVersion(sql);
  const target = list.length;
  if (from > target) {
    throw new SonotypeError(
      'DATABASE',
      `This project was saved by a newer version of Sonotype (database version ${from}, this version understands up to ${target}). Update Sonotype to open it; the file was not changed.`,
    );
  }
  for (const migration of list.slice(from)) {
    // IMMEDIATE takes the write lock up front; re-reading the version inside
    // it lets two processes opening the same new project race safely.
    sql
      .transaction(() => {
        if (readSchemaVersion(sql) >= migration.version) return;
        migration.up(sql);
        const violations = sql.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) {
          throw new SonotypeError(
            'DATABASE',
            `Upgrading the project database to version ${migration.version} would break ${violations.length} references; nothing was changed.`,
          );
        }
        sql.pragma(`user_version = ${migration.version}`);
      })
      .immediate();
  }
  return { from, to: Math.max(from, target) };
}
