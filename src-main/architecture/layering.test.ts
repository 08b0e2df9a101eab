import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { checkFile, checkRepository, importSpecifiers } from './layering';

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
});
