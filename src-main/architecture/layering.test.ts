import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { checkFile, checkRepository, checkSqlPlacement, ENGINE_LAYERS, importSpecifiers } from './layering';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

describe('layering rules', () => {
  it('the repository obeys them', () => {
    const violations = checkRepository(repoRoot);
    expect(violations.map((v) => `${v.file}: ${v.specifier} (${v.rule})`)).toEqual([]);
  });

  it('finds static, dynamic, side-effect and require imports', () => {
    const src = `import a from 'x';\nimport type { B } from "y";\nexport * from './z';\nimport 'side';\nconst c = await import('dyn');\nconst d = require('req');`;
    expect(importSpecifiers(src)).toEqual(['x', 'y', './z', 'side', 'dyn', 'req']);
  });

  it('flags each forbidden edge', () => {
    expect(checkFile('src-shared/a.ts', "import fs from 'node:fs';")).toHaveLength(1);
    expect(checkFile('src-shared/a.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(checkFile('src-shared/a.ts', "import { mount } from 'svelte';")).toHaveLength(1);
    expect(checkFile('src-main/engine/audio/x.ts', "import { app } from 'electron';")).toHaveLength(1);
    expect(checkFile('src-main/electron/main.ts', "import { app } from 'electron';")).toHaveLength(0);
    expect(checkFile('src-renderer/src/x.ts', "import { y } from '../../src-main/engine/store';")).toHaveLength(1);
    expect(checkFile('src-renderer/src/x.ts', "import { y } from '../../src-shared/contract';")).toHaveLength(0);
  });

  it('flags each import against the engine layers, and allows the ones along them', () => {
    const rule = (file: string, spec: string) => checkFile(file, `import { x } from '${spec}';`).map((v) => v.rule);
    // Upwards inside the engine: store/audio/features → project → models → detection/tiles/clusters/exchange → jobs.
    expect(rule('src-main/engine/store/labels.ts', '../models/encoder-registry')).toEqual(['engine/store (layer 1) must not import engine/models (layer 3)']);
    expect(rule('src-main/engine/models/default-model/train.ts', '../../detection')).toEqual(['engine/models (layer 3) must not import engine/detection (layer 4)']);
    expect(rule('src-main/engine/audio/decode.ts', '../project/open-project')).toHaveLength(1);
    expect(rule('src-main/engine/detection/x.ts', '../jobs/job-runner')).toHaveLength(1);
    expect(rule('src-main/engine/util/random.ts', '../store/database')).toHaveLength(1);
    // Out of the engine into app, CLI, servers, shells, bench or tools.
    expect(rule('src-main/engine/jobs/x.ts', '../../app/handlers')).toHaveLength(1);
    expect(rule('src-main/engine/tiles/x.ts', '../../cli/main')).toHaveLength(1);
    expect(rule('src-main/engine/tiles/x.ts', '../../server/browser-server')).toHaveLength(1);
    expect(rule('src-main/engine/models/x.ts', '../../../tools/default-model/corpus')).toEqual(['src-main must not import tools/']);
    expect(rule('src-main/app/handlers.ts', '../server/browser-server')).toHaveLength(1);
    expect(rule('src-main/app/handlers.ts', '../electron/main')).toHaveLength(1);
    // Production code importing test code.
    expect(rule('src-main/engine/features/bench-features.ts', '../testing/synth')).toEqual(['production code must not import test code (engine/testing, test helpers, tests)']);
    expect(rule('src-main/engine/models/default-model/corpus.ts', '../../testing/wav-writer')).toHaveLength(1);
    expect(rule('src-main/app/handlers.ts', './test-helpers')).toHaveLength(1);
    expect(rule('src-main/engine/store/x.ts', './labels.test')).toHaveLength(1);
    expect(rule('src-renderer/src/App.svelte', './lib/testing/fake-api')).toHaveLength(1);
    // Allowed: down or sideways in the engine, the engine from app and shells, test code from tests, benches and tools.
    for (const [file, spec] of [
      ['src-main/engine/detection/x.ts', '../models/encoder-registry'], ['src-main/engine/features/x.ts', '../audio'],
      ['src-main/engine/exchange/x.ts', '../tiles'], ['src-main/engine/jobs/tasks/x.ts', '../../detection/detect-project'],
      ['src-main/app/handlers.ts', '../engine/jobs/job-runner'], ['src-main/server/x.ts', '../app/handlers'],
      ['src-main/engine/store/labels.test.ts', '../testing/synth'], ['src-main/app/x.test.ts', './test-helpers'],
      ['src-main/bench/cases/x.ts', '../../engine/testing/synth'], ['tools/default-model/corpus.ts', '../../src-main/engine/testing/synth'],
    ]) expect(rule(file, spec), `${file} → ${spec}`).toEqual([]);
  });

  it('refuses every upward edge between engine layers and allows every downward one', () => {
    const rules = (from: string, to: string) => checkFile(`src-main/engine/${from}/x.ts`, `import { y } from '../${to}/y';`).map((v) => v.rule);
    ENGINE_LAYERS.forEach((lower, i) => ENGINE_LAYERS.slice(i + 1).forEach((upper, k) => {
      for (const low of lower) for (const high of upper) {
        expect(rules(low, high), `${low} → ${high}`).toEqual([`engine/${low} (layer ${i}) must not import engine/${high} (layer ${i + 1 + k})`]);
        expect(rules(high, low), `${high} → ${low}`).toEqual([]);
      }
    }));
  });

  it('refuses engine code outside the layers: a new folder must be placed in one', () => {
    expect(checkFile('src-main/engine/newthing/x.ts', '').map((v) => v.rule)).toEqual([expect.stringMatching(/belongs to a folder of ENGINE_LAYERS/)]);
    expect(checkFile('src-main/engine/index.ts', '')).toHaveLength(1);
    expect(checkFile('src-main/engine/jobs/x.ts', "import { y } from '../newthing/y';").map((v) => v.rule)).toEqual([expect.stringMatching(/engine\/newthing is in no engine layer/)]);
    expect(checkFile('src-main/engine/testing/synth.ts', '')).toEqual([]);
  });

  it('keeps raw SQL in engine/store', () => {
    const sql = "const n = db.statement('SELECT count(*) FROM labels').get();";
    expect(checkSqlPlacement('src-main/app/review-queries.ts', sql)).toHaveLength(1);
    expect(checkSqlPlacement('src-main/engine/jobs/checkpoint-store.ts', sql)).toHaveLength(1);
    expect(checkSqlPlacement('src-main/engine/clusters/x.ts', 'db.prepare(`DELETE FROM clusters`)')).toHaveLength(1);
    expect(checkSqlPlacement('src-main/engine/store/labels.ts', sql)).toEqual([]);
    expect(checkSqlPlacement('src-main/app/handlers.test.ts', sql)).toEqual([]);
    expect(checkSqlPlacement('src-main/engine/x.ts', 'db.statement(\n  `WITH t AS (SELECT 1) SELECT * FROM t`)')).toHaveLength(1);
    expect(checkSqlPlacement('src-main/app/x.ts', 'const m = /a(b)/.exec(text);')).toEqual([]);
    expect(checkSqlPlacement('src-main/engine/distributed/x.ts', 'await options.prepare(job, answer)')).toEqual([]);
  });
});

