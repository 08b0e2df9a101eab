// Runs fake workers in their own process (so the coordinator under test does
// not share an event loop with them): node fake-workers-bin.mjs URL COUNT CONCURRENCY [QUEUE]
import { register } from 'tsx/esm/api';

register();
const { parseRedisUrl } = await import('../redis-url.ts');
const { startFakeWorkers } = await import('./fake-workers.ts');
const [url, count, concurrency, queue] = process.argv.slice(2);
const workers = await startFakeWorkers(parseRedisUrl(url), Number(count), Number(concurrency), queue);
process.stdout.write('ready\n');
process.on('SIGTERM', () => workers.close().then(() => process.exit(0)));
