/**
 * Child process for job-resume.test.ts (not a test itself): opens the project
 * database, starts a checkpointing 'test-sleep' job and prints "done <n>" for
 * each progress report, so the parent can SIGKILL this whole process mid-job,
 * as a real crash would.
 *
 * Usage: node --import tsx crash-test-child.ts <dbPath> <logPath>
 */
import { openProjectDb } from '../store/database';
import { JobRunner } from './job-runner';

const [dbPath, logPath] = process.argv.slice(2);
if (!dbPath || !logPath) throw new Error('usage: crash-test-child.ts <dbPath> <logPath>');
const runner = new JobRunner(openProjectDb(dbPath));
runner.onProgress((p) => process.stdout.write(`job ${p.jobId} ${p.state} done ${p.done}\n`));
runner.start('test-sleep', { steps: 40, stepMs: 40, checkpointEvery: 4, logPath });
