// Entry of a job worker thread when the engine runs from TypeScript sources
// (vitest, tsx, the CLI): registers tsx in this thread so the TypeScript
// worker host and task module can be imported. See resolveWorkerEntry() in
// worker-entry.ts; the Electron build uses bundled JavaScript instead.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.hostModuleUrl);
