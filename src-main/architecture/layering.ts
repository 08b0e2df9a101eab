/**
 * The architecture's import rules, checked by layering.test.ts on every test run:
 * - src-shared holds types and the contract only: no electron, no Node
 *   built-ins, no svelte, nothing from src-main or src-renderer;
 * - only src-main/electron and src-main/preload may import electron, so the
 *   engine, CLI, tests and benchmarks run in plain Node;
 * - src-renderer never imports src-main (it talks through the contract) nor
 *   Node built-ins or electron.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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

/** Checks one file (path relative to the repo root, forward slashes) against the rules. */
export function checkFile(relPath: string, source: string): Violation[] {
  const violations: Violation[] = [];
  const specs = importSpecifiers(source);
  const add = (specifier: string, rule: string) => violations.push({ file: relPath, specifier, rule });
  for (const spec of specs) {
    const isElectron = spec === 'electron' || spec.startsWith('electron/');
    if (relPath.startsWith('src-shared/')) {
      if (isElectron) add(spec, 'src-shared must not import electron');
      if (isBuiltin(spec)) add(spec, 'src-shared must not import Node built-ins');
      if (spec === 'svelte' || spec.startsWith('svelte/')) add(spec, 'src-shared must not import svelte');
      if (spec.includes('src-main') || spec.includes('src-renderer')) add(spec, 'src-shared must not import src-main or src-renderer');
    } else if (relPath.startsWith('src-main/')) {
      const shell = relPath.startsWith('src-main/electron/') || relPath.startsWith('src-main/preload/');
      if (isElectron && !shell) add(spec, 'only src-main/electron and src-main/preload may import electron');
      if (spec.includes('src-renderer')) add(spec, 'src-main must not import src-renderer');
    } else if (relPath.startsWith('src-renderer/')) {
      if (spec.includes('src-main')) add(spec, 'src-renderer must not import src-main (use the contract)');
      if (isElectron) add(spec, 'src-renderer must not import electron');
      if (isBuiltin(spec)) add(spec, 'src-renderer must not import Node built-ins');
    }
  }
  return violations;
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
  for (const top of ['src-shared', 'src-main', 'src-renderer']) {
    for (const file of walk(join(repoRoot, top))) {
      const rel = relative(repoRoot, file).split(sep).join('/');
      // The rules' own test holds forbidden imports as fixtures in strings.
      if (rel === 'src-main/architecture/layering.test.ts') continue;
      violations.push(...checkFile(rel, readFileSync(file, 'utf8')));
    }
  }
  return violations;
}
