import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headRetrainSuite } from './head-retrain.ts';
const tmpDir = await mkdtemp(join(tmpdir(), 'bench-'));
await headRetrainSuite.run({ tmpDir, log: (m) => console.error(m) }, (l) => console.log(JSON.stringify(l)));
