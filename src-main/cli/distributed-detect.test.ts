/**
 * `sonotype worker` + `sonotype detect --distributed` as a researcher runs
 * them: separate processes, a real redis-server, real recordings from
 * ../shared, compared with local `detect` on a copy of the same project.
 *
 * - results equal local detect (frame features, regions, window labels and
 *   embeddings), while one worker is killed (-9) mid-job: its job is redone
 *   by the other, nothing lost, nothing duplicated;
 * - a worker refuses a job whose path leaves its storage root;
 * - the coordinator killed (-9) mid-run resumes where it stopped;
 * - Redis stopped mid-run: a clear error, and a resume once it is back.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, copyFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectJson } from './commands/detect';
import { runCli } from './main';
import {
  captureIo, copyProject, countRows, embeddingsOf, frameFeaturesOf, heuristicLabelsOf, maxEmbeddingDifference, startCli, until, type CliProcess,
} from './test-helpers';
import { detectProject } from '../engine/detection/detect-project';
import { openProject } from '../engine/project/open-project';
import { parseRedisUrl } from '../engine/distributed/redis-url';
import { DEFAULT_QUEUE, QUEUE_PREFIX } from '../engine/distributed/shard-jobs';
import { redisUnavailableReason, startTestRedis, type TestRedis } from '../engine/distributed/test-helpers';

const shared = resolve(fileURLToPath(new URL('../../../shared/data/recordings', import.meta.url)));
const FILES = ['dolphin_osmose_220925_223450.wav', 'dolphin_osmose_220925_223500.wav', 'orca_srkw_calltype_S12-J-1.wav', 'right_whale_example_pamguard_8k.wav'];
const skip = redisUnavailableReason() ?? (existsSync(shared) ? null : `${shared} is absent`);
if (skip) console.warn(`Skipping distributed detect tests: ${skip}`);

/** Shards of one encoder batch (64 windows, ~1.4 s of 48-kHz audio): several per file. */
const SHARD = ['--shard-minutes', '0.02'];

type Regions = ReturnType<typeof detectJson>['regions'];

function expectSameRegions(got: Regions, want: Regions): void {
  expect(got.map((r) => [r.path, r.startSeconds, r.endSeconds, r.kind])).toEqual(want.map((r) => [r.path, r.startSeconds, r.endSeconds, r.kind]));
  got.forEach((r, i) => expect(Math.abs(r.pSilence - want[i].pSilence)).toBeLessThan(1e-6));
}

describe.skipIf(skip)('detect --distributed with worker processes on real recordings', () => {
  let base: string;
  let storage: string;
  let redis: TestRedis;
  let p0: string;
  let local: { dir: string; regions: Regions; embeddings: Map<string, Float32Array>; labels: string[]; features: Map<string, Buffer> };
  const processes: CliProcess[] = [];

  const worker = async (...extra: string[]): Promise<CliProcess> => {
    const w = startCli(['worker', '--redis', redis.url, '--storage', storage, '--lock-seconds', '2', ...extra]);
    processes.push(w);
    await w.waitFor(/sonotype worker/);
    return w;
  };
  const coordinator = (project: string, ...extra: string[]): CliProcess => {
    const c = startCli(['detect', '--project', project, '--distributed', redis.url, ...SHARD, '--retry-delay', '0.5', '--json', ...extra]);
    processes.push(c);
    return c;
  };
  const featuresToRun = (c: CliProcess): number => Number(/(\d+) recordings to analyse/.exec(c.lines.find((l) => /recordings to analyse/.test(l)) ?? '')?.[1] ?? 0);
  /** Jobs a coordinator planned: recordings to analyse (frame features) + window jobs (embeddings). */
  const jobsToRun = (c: CliProcess): number =>
    [/(\d+) recordings to analyse/, /(\d+) jobs to run/].reduce((sum, re) => sum + Number(re.exec(c.lines.find((l) => re.test(l)) ?? '')?.[1] ?? 0), 0);

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'sonotype-distributed-'));
    storage = join(base, 'storage');
    mkdirSync(join(storage, 'season'), { recursive: true });
    for (const f of FILES) copyFileSync(join(shared, f), join(storage, 'season', f));
    redis = await startTestRedis({ persist: true });
    p0 = join(base, 'p0');
    const io = captureIo();
    expect(await runCli(['scan', storage, '--project', p0], io)).toBe(0);
    // The reference: local detect on a copy.
    const dir = join(base, 'local');
    copyProject(p0, dir);
    const project = await openProject(dir);
    try {
      const result = await detectProject(project, { backend: 'wasm', embed: true });
      local = { dir, regions: detectJson(result).regions, embeddings: new Map(), labels: [], features: new Map() };
    } finally {
      project.close();
    }
    local.embeddings = embeddingsOf(dir);
    local.labels = heuristicLabelsOf(dir);
    local.features = frameFeaturesOf(dir);
    expect(local.embeddings.size).toBeGreaterThan(250);
    expect(local.features.size).toBe(FILES.length);
  });

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await redis?.dispose();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('gives the results of local detect while a worker is killed mid-shard; a worker refuses paths outside its storage', { timeout: 180_000 }, async () => {
    const w1 = await worker();
    const w2 = await worker();
    // A worker only connects out: it listens on no port at all.
    expect(listeningSockets(w1.pid)).toEqual([]);
    const queue = new Queue(DEFAULT_QUEUE, { connection: parseRedisUrl(redis.url).options, prefix: QUEUE_PREFIX });
    try {
      // A job that tries to leave the storage root is refused, not run.
      const evil = { ...validLookingJob(), recording: { ...validLookingJob().recording, path: '../../etc/passwd' } };
      const id = `rec-${randomBytes(32).toString('hex')}`;
      await queue.add('recording', evil, { jobId: id, attempts: 1 });
      await until(async () => (await queue.getJobState(id)) === 'failed', 'the refused job');
      expect((await queue.getJob(id))!.failedReason).toMatch(/Refused path '\.\.\/\.\.\/etc\/passwd'/);
      expect([...w1.lines, ...w2.lines].some((l) => /failed rec-.*Refused path/.test(l))).toBe(true);
      await queue.remove(id);

      const dir = join(base, 'workers');
      copyProject(p0, dir);
      // With --embed: the map's window labels and embeddings too (windows jobs in shards).
      const c = coordinator(dir, '--embed');
      let killed = '';
      const onW1 = (job: { processedBy?: string } | undefined): boolean => String(job?.processedBy ?? '').endsWith(`:${w1.pid}`);
      await until(async () => {
        if (c.child.exitCode !== null) return true;
        const mine = (await queue.getActive()).find(onW1);
        if (!mine) return false;
        // Frozen first, then checked: the job is certainly still running on worker 1 when it is killed (on a fast
        // machine it could otherwise finish between the look and the kill).
        w1.child.kill('SIGSTOP');
        const id = String(mine.id);
        if ((await queue.getJobState(id)) === 'active' && onW1(await queue.getJob(id))) {
          killed = id;
          return true;
        }
        w1.child.kill('SIGCONT');
        return false;
      }, 'a job on worker 1');
      expect(killed).not.toBe('');
      w1.child.kill('SIGKILL');
      expect(await c.exited).toBe(0);
      // The killed worker's job was redone by the other one.
      expect(w2.lines.some((l) => l.includes(`done ${killed.slice(0, 16)}`))).toBe(true);
      expect(c.lines.some((l) => /stalled/.test(l))).toBe(true);

      // Everything equals local detect: frame features bit for bit, hence the same regions; window labels and embeddings.
      const json = JSON.parse(c.stdout()) as ReturnType<typeof detectJson>;
      expect(json.regions).toEqual(local.regions);
      expect(frameFeaturesOf(dir)).toEqual(local.features);
      expect(maxEmbeddingDifference(embeddingsOf(dir), local.embeddings)).toBeLessThan(1e-6);
      expect(heuristicLabelsOf(dir)).toEqual(local.labels);
      // Nothing duplicated, nothing left behind: one embedding per window, no jobs, no result files.
      expect(countRows(dir, 'embeddings')).toBe(countRows(dir, 'windows'));
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
      expect(counts).toEqual({ wait: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
      expect(readdirSync(join(storage, '.sonotype-work', 'results')).filter((f) => f.endsWith('.bin'))).toEqual([]);
      // SIGTERM: the worker finishes what it has (nothing now) and exits cleanly.
      w2.child.kill('SIGTERM');
      expect(await w2.exited).toBe(0);
      expect(w2.lines.some((l) => /SIGTERM: taking no new jobs/.test(l)) && /stopped$/.test(w2.lines.at(-1) ?? '')).toBe(true);
    } finally {
      await queue.close();
    }
  });

  it('resumes after the coordinator is killed mid-run', { timeout: 180_000 }, async () => {
    const dir = join(base, 'resume');
    copyProject(p0, dir);
    const first = coordinator(dir);
    await first.waitFor(/recordings to analyse/);
    const w = await worker();
    // The worker is frozen after its first job, so the coordinator certainly has work left when it is killed.
    await w.waitFor(/ done frm-/);
    w.child.kill('SIGSTOP');
    await until(() => countRows(dir, 'frame_features') > 0, 'the first results in the project');
    first.child.kill('SIGKILL');
    await first.exited;
    w.child.kill('SIGCONT');
    const planned = featuresToRun(first);
    const second = coordinator(dir);
    expect(await second.exited).toBe(0);
    // Only what was not applied is planned again; the result is the local one.
    expect(featuresToRun(second)).toBeGreaterThan(0);
    expect(featuresToRun(second)).toBeLessThan(planned);
    expect(frameFeaturesOf(dir)).toEqual(local.features);
    expect(JSON.parse(second.stdout()).regions).toEqual(local.regions);
    // Everything is in the project now: running it again enqueues nothing.
    const third = coordinator(dir);
    expect(await third.exited).toBe(0);
    expect(jobsToRun(third)).toBe(0);
  });

  it('stops with a clear error when Redis goes away mid-run, and resumes once it is back', { timeout: 180_000 }, async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    const dir = join(base, 'redis-down');
    copyProject(p0, dir);
    const c = coordinator(dir, '--redis-timeout', '3');
    await c.waitFor(/recordings to analyse/);
    const w = await worker();
    await until(() => countRows(dir, 'frame_features') > 0, 'the first results in the project');
    // Freeze the worker so the run cannot finish while Redis shuts down (on a
    // quiet machine the remaining jobs take less time than the shutdown).
    w.child.kill('SIGSTOP');
    await redis.stop();
    w.child.kill('SIGCONT');
    const code = await Promise.race([c.exited, new Promise((r) => setTimeout(() => r('still running'), 60_000))]);
    expect(code, c.lines.join('\n')).toBe(1);
    expect(c.lines.join('\n')).toMatch(/Lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ .*run the same command again once Redis is back/);
    await w.waitFor(/redis: /);
    await redis.start();
    const again = coordinator(dir);
    expect(await again.exited).toBe(0);
    expect(JSON.parse(again.stdout()).regions).toEqual(local.regions);
    expect(frameFeaturesOf(dir)).toEqual(local.features);
  });
});

/** TCP sockets in LISTEN state owned by process `pid` (Linux /proc; [] elsewhere). */
function listeningSockets(pid: number): string[] {
  if (!existsSync(`/proc/${pid}/fd`)) return [];
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const path = `/proc/${pid}/net/${table}`;
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && inodes.has(cols[9])) listening.push(`${table} ${cols[1]}`);
    }
  }
  return listening;
}

/** A well-formed recording job (its path is replaced by the test). */
function validLookingJob() {
  return {
    v: 1,
    recording: { path: 'season/x.wav', hash: null, sampleRate: 48_000, channels: 1, frames: 48_000, sizeBytes: 96_044 },
    featureConfig: { version: 1 },
  };
}
