/**
 * Redis connection settings from a URL, for BullMQ.
 *
 *   redis://HOST:PORT[/DB]             plain TCP
 *   redis://:PASSWORD@HOST:PORT        AUTH with a password (Redis ≥ 6: USER:PASSWORD@ for an ACL user)
 *   rediss://…                         TLS; the server certificate is verified against the system CAs,
 *                                      or against the CA file in SONOTYPE_REDIS_CA / --redis-ca
 * A password may also come from SONOTYPE_REDIS_PASSWORD, which keeps it out
 * of the process list and shell history. Printed URLs never show it.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { SonotypeError } from '../../../src-shared/errors';

/** The ioredis options BullMQ is given (it opens its own connections from them). */
export interface RedisOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: { ca?: Buffer; servername?: string };
  /** BullMQ workers need blocking commands to wait as long as it takes. */
  maxRetriesPerRequest: null;
  /** Connection attempts back off up to this many ms. */
  retryStrategy: (times: number) => number;
  connectTimeout: number;
  /** Names the connection in CLIENT LIST (BullMQ's live-worker count). */
  connectionName?: string;
}

export interface RedisSettings {
  url: string;
  /** The URL with any password replaced by ***. */
  display: string;
  options: RedisOptions;
}

export interface RedisUrlOptions {
  /** CA certificate file for rediss:// (PEM). */
  caFile?: string;
  env?: NodeJS.ProcessEnv;
}

function usage(url: string, why: string): never {
  throw new SonotypeError('INVALID_ARGUMENT', `Invalid Redis URL '${redactRedisUrl(url)}': ${why}. Expected redis://HOST:PORT or rediss://[:PASSWORD@]HOST:PORT[/DB].`);
}

/** The URL with its password (if any) replaced by ***. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon >= 0 ? `${auth.slice(0, colon)}:***` : auth}@`;
  });
}

/** Parses a redis:// or rediss:// URL into BullMQ connection options. */
export function parseRedisUrl(url: string, opts: RedisUrlOptions = {}): RedisSettings {
  const env = opts.env ?? process.env;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    usage(url, 'not a URL');
  }
  const scheme = parsed.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:') usage(url, `scheme '${parsed.protocol}' is neither redis: nor rediss:`);
  if (!parsed.hostname) usage(url, 'no host');
  const port = parsed.port ? Number(parsed.port) : 6379;
  if (!Number.isInteger(port) || port < 1 || port > 65535) usage(url, `port ${parsed.port} is out of range`);
  const dbText = parsed.pathname.replace(/^\/+/, '');
  const db = dbText === '' ? undefined : Number(dbText);
  if (db !== undefined && (!Number.isInteger(db) || db < 0)) usage(url, `database '${dbText}' is not a whole number`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const password = parsed.password ? decodeURIComponent(parsed.password) : env.SONOTYPE_REDIS_PASSWORD || undefined;
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  const options: RedisOptions = {
    host,
    port,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
    connectTimeout: 10_000,
  };
  if (username) options.username = username;
  if (password) options.password = password;
  if (db !== undefined) options.db = db;
  if (scheme === 'rediss:') {
    const caFile = opts.caFile ?? env.SONOTYPE_REDIS_CA;
    let ca: Buffer | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile);
      } catch (cause) {
        throw new SonotypeError('NOT_FOUND', `Cannot read the Redis CA certificate ${caFile}.`, { cause });
      }
    }
    // SNI takes names only; an IP address is checked against the certificate's IP entries.
    options.tls = { ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) };
  }
  return { url, display: redactRedisUrl(url), options };
}
