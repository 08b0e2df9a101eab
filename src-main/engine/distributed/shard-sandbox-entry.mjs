// Entry of BullMQ's sandboxed processor threads for `sonotype worker`: the
// engine is TypeScript, so each thread registers tsx before loading it
// (as src-main/engine/jobs/worker-bootstrap.mjs does for job threads).
import { register } from 'tsx/esm/api';

register();
const processor = await import('./shard-sandbox.ts');
export default processor.default;
