import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorageRoot, writeFileAtomic } from './storage-root';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'sonotype-storage-'));
  mkdirSync(join(base, 'root', 'site1'), { recursive: true });
  writeFileSync(join(base, 'root', 'site1', 'a.wav'), 'x');
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(base, 'root', 'escape.wav'));
  symlinkSync(join(base), join(base, 'root', 'up'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('storage root', () => {
  it('resolves paths inside the root', async () => {
    const root = openStorageRoot(join(base, 'root'));
    expect(await root.resolveExisting('site1/a.wav')).toBe(join(root.dir, 'site1', 'a.wav'));
    expect(await root.resolveExisting('./site1//a.wav')).toBe(join(root.dir, 'site1', 'a.wav'));
    expect(root.relativeOf(join(base, 'root', 'site1', 'a.wav'))).toBe('site1/a.wav');
    expect(root.relativeOf(join(base, 'secret.txt'))).toBeNull();
  });

  it('refuses paths that leave the root, lexically or through links', async () => {
    const root = openStorageRoot(join(base, 'root'));
    for (const bad of ['../secret.txt', 'site1/../../secret.txt', join(base, 'secret.txt'), '/etc/passwd', 'C:\\x', 'a\0b', '', 'escape.wav', 'up/secret.txt']) {
      expect(await refusal(root.resolveExisting(bad))).toMatch(/Refused path|does not exist/);
    }
    expect(await refusal(root.resolveExisting('escape.wav'))).toMatch(/Refused path 'escape.wav': it resolves to .*secret\.txt/);
    expect(await refusal(root.resolveForWrite('up/evil.bin'))).toMatch(/Refused path/);
    expect(await refusal(root.resolveForWrite('../evil.bin'))).toMatch(/Refused path/);
  });

  it('writes atomically inside the root', async () => {
    const root = openStorageRoot(join(base, 'root'));
    const abs = await root.resolveForWrite('.sonotype-work/results/r1.bin');
    await writeFileAtomic(abs, Buffer.from('result'));
    expect(readFileSync(abs, 'utf8')).toBe('result');
  });

  it('says when the root is missing', () => {
    expect(() => openStorageRoot(join(base, 'nope'))).toThrow(/does not exist/);
  });
});
