import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STALE_MS, TableStaging } from './table-staging';

describe('staged tables', () => {
  it('appends chunks in order, refuses past the limit (dropping that table), and forgets abandoned tables', async () => {
    let clock = 0;
    const staging = new TableStaging({ maxBytes: 10, now: () => clock });
    const a = await staging.append(undefined, Buffer.from('abc'));
    expect(await staging.append(a.uploadId, Buffer.from('def'))).toEqual({ uploadId: a.uploadId, bytes: 6 });
    expect(readFileSync(staging.pathOf(a.uploadId), 'utf8')).toBe('abcdef');

    const b = await staging.append(undefined, Buffer.from('12'));
    await expect(staging.append(b.uploadId, Buffer.from('345'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/sonotype import/) });
    expect(() => staging.pathOf(b.uploadId)).toThrow(/gone/);
    expect(staging.pathOf(a.uploadId)).toBeTruthy();

    const aPath = staging.pathOf(a.uploadId);
    clock += STALE_MS + 1;
    const c = await staging.append(undefined, Buffer.from('x'));
    expect(existsSync(aPath)).toBe(false);
    await expect(staging.append(a.uploadId, Buffer.from('g'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const folder = dirname(staging.pathOf(c.uploadId));
    await staging.remove([c.uploadId]);
    expect(() => staging.pathOf(c.uploadId)).toThrow(/gone/);
    // Nothing staged: no folder left behind; the next table makes it again.
    expect(existsSync(folder)).toBe(false);
    const d = await staging.append(undefined, Buffer.from('y'));
    expect(readFileSync(staging.pathOf(d.uploadId), 'utf8')).toBe('y');
    await staging.remove([d.uploadId]);
    expect(existsSync(folder)).toBe(false);
  });
});
