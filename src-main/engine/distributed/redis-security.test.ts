/**
 * A Redis with a password behind TLS (rediss://), as a lab would run one
 * reachable from its workers: the coordinator and workers connect with the
 * URL (and the server's CA), a wrong password or missing CA fails with a
 * readable message that never shows the password.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFeatureConfig } from '../features';
import { parseRedisUrl } from './redis-url';
import { shardJobId, type RecordingJob } from './shard-jobs';
import { runShardJobs, type PlannedJob } from './shard-queue';
import { decodeRecordingResult } from './shard-results';
import { startFakeWorkers } from './testing/fake-workers';
import { freePort, redisUnavailableReason, startTestRedis, type TestRedis } from './test-helpers';

const PASSWORD = 'correct horse battery';
const noOpenssl = spawnSync('openssl', ['version']).status === 0 ? null : 'openssl is not installed';
const skip = redisUnavailableReason() ?? noOpenssl;

function jobs(n: number): PlannedJob[] {
  return Array.from({ length: n }, (_, i) => {
    const data: RecordingJob = {
      v: 1,
      recording: { path: `site/r${i}.wav`, hash: String(i).padStart(64, '0'), sampleRate: 48_000, channels: 1, frames: 96_000, sizeBytes: 192_044 },
      featureConfig: defaultFeatureConfig(48_000),
    };
    return { id: shardJobId({ kind: 'recording', data }), name: 'recording' as const, data };
  });
}

describe.skipIf(skip)(`Redis with TLS and a password${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let redis: TestRedis;
  let tlsPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonotype-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' });
    tlsPort = await freePort();
    redis = await startTestRedis({
      port: 0,
      password: PASSWORD,
      args: ['--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no'],
    });
    writeFileSync(join(dir, 'wrong-ca.pem'), '');
  });

  afterAll(async () => {
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs jobs through rediss:// with a password', async () => {
    const settings = parseRedisUrl(`rediss://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${tlsPort}`, { caFile: join(dir, 'cert.pem'), env: {} });
    const workers = await startFakeWorkers(settings, 2, 2);
    try {
      const planned = jobs(6);
      const applied: string[] = [];
      const outcome = await runShardJobs({
        redis: settings,
        queueName: 'sonotype-analysis',
        jobs: planned,
        verify: async (job, answer) => decodeRecordingResult(Buffer.from(answer.inline!, 'base64'), answer.checksum, job.id),
        commit: (batch) => batch.forEach(({ job }) => applied.push(job.id)),
        onFailure: (job, error) => applied.push(`failed ${job.id}: ${error.message}`),
        redisTimeoutMs: 10_000,
      });
      expect(outcome).toEqual({ applied: 6, failed: 0 });
      expect(applied.sort()).toEqual(planned.map((j) => j.id).sort());
    } finally {
      await workers.close();
    }
  });

  it('says why it cannot connect, without showing the password', async () => {
    const attempt = (url: string, caFile?: string) =>
      runShardJobs({
        redis: parseRedisUrl(url, { caFile, env: {} }),
        queueName: 'sonotype-analysis',
        jobs: jobs(1),
        verify: async () => null,
        commit: () => {},
        onFailure: () => {},
        redisTimeoutMs: 1500,
      });
    const wrong = attempt(`rediss://:not-it@127.0.0.1:${tlsPort}`, join(dir, 'cert.pem'));
    await expect(wrong).rejects.toThrow(/Lost the connection to Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*(WRONGPASS|invalid|NOAUTH)/i);
    await expect(wrong).rejects.not.toThrow(/not-it/);
    // No CA for a self-signed server: the certificate is not trusted.
    await expect(attempt(`rediss://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${tlsPort}`)).rejects.toThrow(/self[- ]signed|certificate/i);
  });
});
