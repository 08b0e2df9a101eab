import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProject } from '../project/open-project.ts';
import { scanProject } from '../project/scan-project.ts';
import { synthScene, concat, digitalSilence } from '../testing/synth.ts';
import { encodeWav } from '../testing/wav-writer.ts';
import { detectProject } from './detect-project.ts';
import { loadEmbeddedWindows } from './head-training.ts';
import * as store from '../store/index.ts';
const RATE = 16000;
const root = mkdtempSync(join(tmpdir(), 'dbg-'));
mkdirSync(join(root, 'audio'));
const one = synthScene(RATE, [{ kind: 'whistle', startSeconds: 2, endSeconds: 4 }, { kind: 'clicks', startSeconds: 7, endSeconds: 9 }], 11, 0.002, 4);
const two = concat(digitalSilence(RATE, 3), synthScene(RATE, [{ kind: 'burst', startSeconds: 2, endSeconds: 4 }], 6.3, 0.002, 6));
writeFileSync(join(root, 'audio', 'one.wav'), encodeWav([one], { sampleRate: RATE, format: 'pcm16' }));
writeFileSync(join(root, 'audio', 'two.wav'), encodeWav([two], { sampleRate: RATE, format: 'pcm16' }));
const p = await openProject(join(root, 'proj'), { audioRoot: join(root, 'audio') });
await scanProject(p);
const r = await detectProject(p, { backend: 'wasm' });
const fc = store.ensureFeatureConfig(p.db, p.featureConfig()!);
for (const rec of store.listRecordings(p.db)) {
  const set = loadEmbeddedWindows(p.db, r.encoder.id, fc, [rec.id]);
  const preds = store.listSilencePredictions(p.db, r.head.id, rec.id);
  console.log(rec.path, Array.from(set.silence).join(''));
  console.log(rec.path, preds.map((x) => (x.p >= 0.5 ? 1 : 0)).join(''));
  console.log(preds.map((x) => x.p.toFixed(2)).join(' '));
}
console.log(JSON.stringify(r.head.metrics));
