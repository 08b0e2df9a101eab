/**
 * Which recording of the project a table row (or a whole table) belongs to.
 *
 * A row's file column may hold a path relative to the audio root, an
 * absolute path from this or another machine (Raven's Begin Path, the Java
 * labeller's source_file), or a bare file name (Begin File, events.csv): the
 * longest trailing part of the path that names exactly one recording wins;
 * the same without the extension next; case is ignored as a last resort.
 * A table without a file column is matched by its own name:
 * `<recording>.Table.1.selections.txt`, `<recording>.txt`,
 * `<recording>.audacity_labels.txt`, `<recording>.wav.txt` — dotted parts are
 * dropped from the end until a recording's name (with or without extension)
 * matches; recordings in the table's own folder come first.
 */
import path from 'node:path';

export interface MatchableRecording {
  id: number;
  /** Path relative to the audio root, forward slashes. */
  path: string;
}

export type MatchResult<R> = { recording: R } | { error: string };

const slashes = (p: string) => p.replace(/\\/g, '/');
const stem = (name: string) => name.replace(/\.[^./]*$/, '');

export class RecordingMatcher<R extends MatchableRecording> {
  private readonly byPath = new Map<string, R>();
  /** Rows of a table mostly name a few recordings: each distinct name is resolved once. */
  private readonly cache = new Map<string, MatchResult<R>>();

  constructor(
    private readonly recordings: readonly R[],
    private readonly audioRoot: string,
  ) {
    for (const r of recordings) this.byPath.set(r.path, r);
  }

  /** The recording a file column names. */
  matchReference(reference: string): MatchResult<R> {
    let result = this.cache.get(reference);
    if (!result) {
      result = this.resolveReference(reference);
      this.cache.set(reference, result);
    }
    return result;
  }

  private resolveReference(reference: string): MatchResult<R> {
    let ref = slashes(reference.trim());
    const root = slashes(path.resolve(this.audioRoot)) + '/';
    if (ref.startsWith(root)) ref = ref.slice(root.length);
    const exact = this.byPath.get(ref);
    if (exact) return { recording: exact };
    const parts = ref.split('/').filter((p) => p !== '' && p !== '.');
    for (const ignoreCase of [false, true]) {
      for (const withExtension of [true, false]) {
        for (let from = 0; from < parts.length; from++) {
          const suffix = parts.slice(from).join('/');
          const found = this.withSuffix(withExtension ? suffix : stem(suffix), withExtension, ignoreCase);
          if (found.length === 1) return { recording: found[0] };
          if (found.length > 1 && from === parts.length - 1) {
            return { error: `"${reference}" matches ${found.length} recordings (${found.slice(0, 3).map((r) => r.path).join(', ')}); give its path under the audio root or use --recording.` };
          }
        }
      }
    }
    return { error: `no recording of this project matches "${reference}".` };
  }

  /** The recording a table's file name points to, or why none does. */
  matchTableName(tablePath: string): MatchResult<R> {
    const base = path.basename(slashes(tablePath));
    const tableDir = this.relativeDir(tablePath);
    let candidate = base;
    while (candidate.includes('.')) {
      candidate = stem(candidate);
      if (candidate === '') break;
      const byName = this.recordings.filter((r) => {
        const name = path.posix.basename(r.path);
        return name === candidate || stem(name) === candidate;
      });
      const local = tableDir === null ? [] : byName.filter((r) => path.posix.dirname(r.path) === tableDir);
      const found = local.length > 0 ? local : byName;
      if (found.length === 1) return { recording: found[0] };
      if (found.length > 1) {
        return { error: `the table's name matches ${found.length} recordings (${found.slice(0, 3).map((r) => r.path).join(', ')}); use --recording.` };
      }
    }
    return {
      error: `cannot tell which recording this table belongs to: it has no file column and its name matches no recording ` +
        `(name it <recording>.Table.1.selections.txt or <recording>.txt, or use --recording).`,
    };
  }

  /** The table's folder relative to the audio root ('.' for the root), or null when it lies outside. */
  private relativeDir(tablePath: string): string | null {
    if (!path.isAbsolute(tablePath)) return null;
    const rel = slashes(path.relative(this.audioRoot, path.dirname(tablePath)));
    return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel === '' ? '.' : rel;
  }

  private withSuffix(suffix: string, withExtension: boolean, ignoreCase: boolean): R[] {
    const want = ignoreCase ? suffix.toLowerCase() : suffix;
    return this.recordings.filter((r) => {
      let p = withExtension ? r.path : stem(r.path);
      if (ignoreCase) p = p.toLowerCase();
      return p === want || p.endsWith('/' + want);
    });
  }
}
