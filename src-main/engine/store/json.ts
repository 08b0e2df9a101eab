/**
 * JSON helpers private to the store: a stable (sorted-key) serialisation used
 * as a lookup key, and a tolerant reader for JSON columns.
 */
import { SonotypeError } from '../../../src-shared/errors';

/**
 * Serialises `value` with object keys sorted at every depth, so two objects
 * that differ only in key order produce the same string (used as a unique key
 * for feature configs). Rejects values JSON cannot represent faithfully.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value, '$'));
}

function sortKeysDeep(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // NaN/Infinity would silently become null and collide with a real null.
    if (!Number.isFinite(value)) {
      throw new SonotypeError('INVALID_ARGUMENT', `Setting ${where} is not a finite number (${value}).`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => sortKeysDeep(item, `${where}[${i}]`));
  if (typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeysDeep(item, `${where}.${key}`);
    }
    return sorted;
  }
  throw new SonotypeError('INVALID_ARGUMENT', `Setting ${where} cannot be stored (type ${typeof value}).`);
}

/** Parses a JSON column; a damaged value becomes a DATABASE error naming the column. */
export function parseJsonColumn<T>(text: string | null, column: string): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new SonotypeError('DATABASE', `The project database holds unreadable data in ${column}.`, { cause });
  }
}
