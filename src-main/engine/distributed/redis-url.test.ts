import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-url';

describe('Redis URLs', () => {
  it('parses host, port, database and defaults', () => {
    const s = parseRedisUrl('redis://127.0.0.1:6390/2', { env: {} });
    expect(s.options).toMatchObject({ host: '127.0.0.1', port: 6390, db: 2, maxRetriesPerRequest: null });
    expect(s.options.tls).toBeUndefined();
    expect(parseRedisUrl('redis://cache.lab', { env: {} }).options.port).toBe(6379);
    expect(parseRedisUrl('redis://[::1]:7000', { env: {} }).options.host).toBe('::1');
  });

  it('takes passwords from the URL or the environment and never prints them', () => {
    const s = parseRedisUrl('rediss://:s3cr%40t@redis.lab:6380', { env: {} });
    expect(s.options.password).toBe('s3cr@t');
    expect(s.options.tls).toEqual({ servername: 'redis.lab' });
    expect(s.display).toBe('rediss://:***@redis.lab:6380');
    expect(s.display).not.toContain('s3cr');
    const acl = parseRedisUrl('redis://worker:pw@h:1', { env: {} });
    expect(acl.options).toMatchObject({ username: 'worker', password: 'pw' });
    expect(acl.display).toBe('redis://worker:***@h:1');
    expect(parseRedisUrl('redis://h:1', { env: { SONOTYPE_REDIS_PASSWORD: 'fromenv' } }).options.password).toBe('fromenv');
    expect(redactRedisUrl('redis://h:1')).toBe('redis://h:1');
  });

  it('loads a CA file for rediss://', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonotype-ca-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const s = parseRedisUrl('rediss://h:1', { env: { SONOTYPE_REDIS_CA: join(dir, 'ca.pem') } });
    expect(s.options.tls?.ca?.toString()).toBe('PEM');
    expect(parseRedisUrl('rediss://127.0.0.1:1', { env: {} }).options.tls).toEqual({});
    expect(() => parseRedisUrl('rediss://h:1', { caFile: join(dir, 'missing.pem'), env: {} })).toThrow(/CA certificate/);
  });

  it('rejects what is not a Redis URL, without echoing a password', () => {
    for (const bad of ['http://h:1', 'redis://', 'redis://h:99999', 'redis://h:1/x', 'not a url']) {
      expect(() => parseRedisUrl(bad, { env: {} })).toThrow(/Invalid Redis URL/);
    }
    expect(() => parseRedisUrl('http://:pw@h', { env: {} })).toThrow(/http:\/\/:\*\*\*@h/);
  });
});
