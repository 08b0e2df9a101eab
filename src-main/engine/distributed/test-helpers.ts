/**
 * Test helper: a private redis-server on a free loopback port, in its own
 * temporary folder, so tests can stop and restart it (other engineers' test
 * runs use their own). When the binary is missing, tests skip with a clear
 * message — except in CI, where `.ci/run` installs redis-server and a
 * missing one is an error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Stops the server (SIGTERM; with appendonly the data survives a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

export interface TestRedisOptions {
  password?: string;
  /** Keep the data across stop/start (appendonly). */
  persist?: boolean;
  /** Extra redis-server arguments (TLS…). */
  args?: string[];
  /** Port to listen on with plain TCP (0 disables it, e.g. TLS only); default: a free one. */
  port?: number;
}

/** Why Redis tests cannot run here, or null when redis-server is available. */
export function redisUnavailableReason(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = 'redis-server is not installed (apt-get install redis-server): distributed-analysis tests are skipped';
    if (process.env.CI === 'true') throw new Error(`${why}, but CI must run them: .ci/run installs it.`);
    return why;
  }
  return null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPing(port: number, args: string[], child: ChildProcess, deadline: number): Promise<void> {
  const tls = args.includes('--tls-port');
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (tls) {
      // With TLS only, readiness = the port accepts connections.
      const open = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      if (open) return;
    } else {
      const r = spawnSync('redis-cli', ['-p', String(port), '--no-auth-warning', ...(args.includes('--requirepass') ? ['-a', args[args.indexOf('--requirepass') + 1]] : []), 'ping'], { encoding: 'utf8' });
      if (r.stdout?.trim() === 'PONG') return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not become ready`);
}

/** Starts a private redis-server (see the file header). */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sonotype-redis-'));
  const port = options.port ?? (await freePort());
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', options.persist ? 'yes' : 'no', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning',
    ...(options.password ? ['--requirepass', options.password] : []),
    ...(options.args ?? []),
  ];
  const readyPort = args.includes('--tls-port') ? Number(args[args.indexOf('--tls-port') + 1]) : port;
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPing(readyPort, args, child, Date.now() + 10_000);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    port,
    dir,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
