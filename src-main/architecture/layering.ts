/**
 * The architecture's import rules, checked by layering.test.ts on every test run:
 * - src-shared holds types and the contract only: no electron, no Node
 *   built-ins, no svelte, nothing from src-main or src-renderer;
 * - only src-main/electron and src-main/preload may import electron, so the
 *   engine, CLI, tests and benchmarks run in plain Node;
 * - src-renderer never imports src-main (it talks through the contract) nor
 *   Node built-ins or electron;
 * - the engine is layered (ENGINE_LAYERS): a module imports its own layer or
 *   lower ones, never a higher one, and never app, CLI, server, shell, bench
 *   or tools code; app never imports the CLI, servers or shells;
 * - production code never imports test code (engine/testing, test helpers,
 *   *.test files); tests, benches and tools/ may;
 * - raw SQL lives in engine/store (repositories): no other production file
 *   prepares statements.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * Engine folders from the bottom up. Same-layer imports are allowed (audio ↔
 * features); `testing` (synthetic audio, WAV writer) is test code, outside the layers.
 */
export const ENGINE_LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['store', 'audio', 'features'],
  ['project'],
  ['models'],
  ['detection', 'tiles', 'clusters', 'exchange'],
  // Detection on workers through BullMQ (uses detection's analysis units; jobs may start it).
  ['distributed'],
  ['jobs'],
];

/** src-main folders above the engine, which the engine and app must not import. */
const ABOVE_APP = ['cli', 'server', 'electron', 'preload', 'bench'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT_RE = /(?:^|[^\w.])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every module specifier imported by a TypeScript/Svelte source text. */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

function isBuiltin(spec: string): boolean {
  return BUILTINS.has(spec) || spec.startsWith('node:');
}

function engineLayerOf(folder: string): number {
  return ENGINE_LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Where a relative import points, as a repository path ('src-main/engine/store/labels'); null for packages. */
function resolveImport(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return posix.normalize(posix.join(posix.dirname(fromFile), spec));
}

/** Test code: tests, their helpers and fixtures, synthetic audio. */
function isTestCode(path: string): boolean {
  return /\.test(\.[cm]?[jt]s)?$/.test(path) || /(^|\/)test-helpers(\.[cm]?[jt]s)?$/.test(path) || path.startsWith('src-main/engine/testing/') ||
    /(^|\/)testing\//.test(path) || path.startsWith('e2e/');
}

/** Code that may use test code: tests themselves, benches and tools, and the jobs' test task / crash fixture. */
function mayUseTestCode(path: string): boolean {
  return isTestCode(path) || path.startsWith('src-main/bench/') || path.startsWith('tools/') ||
    path === 'src-main/engine/jobs/crash-test-child.ts' || path === 'src-main/engine/jobs/tasks/test-sleep-task.ts';
}

/** The engine layering, app/shell direction and test-code rules for one import of a src-main file. */
function checkSrcMainImport(relPath: string, target: string, add: (rule: string) => void): void {
  const [, fromArea, fromFolder] = relPath.split('/');
  const [top, toArea, toFolder] = target.split('/');
  if (!mayUseTestCode(relPath) && isTestCode(target)) add('production code must not import test code (engine/testing, test helpers, tests)');
  if (top === 'tools') add('src-main must not import tools/');
  if (top !== 'src-main') return;
  if (fromArea === 'engine') {
    if (toArea !== 'engine') {
      if (!isTestCode(relPath) || toArea !== 'architecture') add(`the engine must not import src-main/${toArea} (engine code is plain Node below app, CLI and shells)`);
      return;
    }
    const from = engineLayerOf(fromFolder);
    const to = engineLayerOf(toFolder);
    // A folder (or a file at the engine's root) outside every layer would escape the rules unnoticed.
    if (to < 0 && toFolder !== 'testing') add(`engine/${toFolder} is in no engine layer (add it to ENGINE_LAYERS in src-main/architecture/layering.ts)`);
    if (from >= 0 && to > from) add(`engine/${fromFolder} (layer ${from}) must not import engine/${toFolder} (layer ${to})`);
  } else if (fromArea === 'app' && ABOVE_APP.includes(toArea)) {
    add(`app must not import src-main/${toArea} (the shells import app, not the reverse)`);
  }
}

/** Whether an engine file sits in a folder of ENGINE_LAYERS (or in engine/testing, which is test code). */
function isLayeredEngineFile(relPath: string): boolean {
  const parts = relPath.split('/');
  return parts.length > 3 && (parts[2] === 'testing' || engineLayerOf(parts[2]) >= 0);
}

/** Checks one file (path relative to the repo root, forward slashes) against the rules. */
export function checkFile(relPath: string, source: string): Violation[] {
  const violations: Violation[] = [];
  const specs = importSpecifiers(source);
  const add = (specifier: string, rule: string) => violations.push({ file: relPath, specifier, rule });
  if (relPath.startsWith('src-main/engine/') && !isLayeredEngineFile(relPath)) {
    add('', 'every engine file belongs to a folder of ENGINE_LAYERS (src-main/architecture/layering.ts): add a new folder to its layer there');
  }
  for (const spec of specs) {
    const isElectron = spec === 'electron' || spec.startsWith('electron/');
    const target = resolveImport(relPath, spec);
    if (relPath.startsWith('src-shared/')) {
      if (isElectron) add(spec, 'src-shared must not import electron');
      if (isBuiltin(spec)) add(spec, 'src-shared must not import Node built-ins');
      if (spec === 'svelte' || spec.startsWith('svelte/')) add(spec, 'src-shared must not import svelte');
      if (spec.includes('src-main') || spec.includes('src-renderer')) add(spec, 'src-shared must not import src-main or src-renderer');
    } else if (relPath.startsWith('src-main/')) {
      const shell = relPath.startsWith('src-main/electron/') || relPath.startsWith('src-main/preload/');
      if (isElectron && !shell) add(spec, 'only src-main/electron and src-main/preload may import electron');
      if (spec.includes('src-renderer')) add(spec, 'src-main must not import src-renderer');
      if (target) checkSrcMainImport(relPath, target, (rule) => add(spec, rule));
    } else if (relPath.startsWith('src-renderer/')) {
      if (spec.includes('src-main')) add(spec, 'src-renderer must not import src-main (use the contract)');
      if (isElectron) add(spec, 'src-renderer must not import electron');
      if (isBuiltin(spec)) add(spec, 'src-renderer must not import Node built-ins');
      if (target && !mayUseTestCode(relPath) && isTestCode(target)) add(spec, 'production code must not import test code');
    }
  }
  return violations;
}

/** Raw SQL (a prepared statement) in a production file outside engine/store. */
export function checkSqlPlacement(relPath: string, source: string): Violation[] {
  if (!relPath.startsWith('src-main/') || relPath.startsWith('src-main/engine/store/') || mayUseTestCode(relPath)) return [];
  const match = /\.(statement|prepare|exec)\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|REPLACE|PRAGMA)\b/i.exec(source);
  return match ? [{ file: relPath, specifier: match[0], rule: 'raw SQL belongs in src-main/engine/store (add a repository function there)' }] : [];
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (/\.(ts|mts|cts|js|mjs|svelte)$/.test(entry.name)) yield full;
  }
}

/** Checks every source file under src-shared, src-main and src-renderer. */
export function checkRepository(repoRoot: string): Violation[] {
  const violations: Violation[] = [];
  for (const top of ['src-shared', 'src-main', 'src-renderer', 'tools']) {
    for (const file of walk(join(repoRoot, top))) {
      const rel = relative(repoRoot, file).split(sep).join('/');
      // The rules' own test holds forbidden imports as fixtures in strings.
      if (rel === 'src-main/architecture/layering.test.ts') continue;
      const source = readFileSync(file, 'utf8');
      violations.push(...checkFile(rel, source), ...checkSqlPlacement(rel, source));
    }
  }
  return violations;
}
