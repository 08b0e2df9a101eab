/**
 * The contract's single sources of truth: call argument schemas (types and
 * runtime checks from one object), job kinds and their params, event names
 * and error codes. The `@ts-expect-error` lines are checked by `npm run check`:
 * they fail the type check the day a misspelt kind or parameter compiles.
 */
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, CALLS, checkCall, EVENT_NAMES, EVENTS, isCallName, isEventName, type CallArgs, type StartJobArgs } from './contract';
import { ERROR_CODES, isErrorCode, toErrorInfo } from './errors';
import { isJobKind, JOB_KIND_NAMES, JOB_KINDS, jobResultOf, STARTABLE_JOB_KINDS, type JobParams } from './job-kinds';

describe('type-level contract', () => {
  it('refuses misspelt job kinds and parameters at compile time', () => {
    const ok: StartJobArgs[] = [['detect', {}], ['train', { model: 'v1', epochs: 2 }], ['tiles', { recordingIds: [1] }]];
    // @ts-expect-error a misspelt kind
    const kindTypo: StartJobArgs = ['trian', { model: 'v1' }];
    // @ts-expect-error a misspelt parameter
    const paramTypo: StartJobArgs = ['train', { modle: 'v1' }];
    // @ts-expect-error a kind the UI may not start
    const notStartable: StartJobArgs = ['test-sleep', {}];
    // @ts-expect-error wrong argument type
    const wrongArg: CallArgs<'review:open'> = ['1'];
    const params: JobParams<'train'> = { model: 'v3', predictFrames: 10 };
    expect([ok.length, kindTypo, paramTypo, notStartable, wrongArg, params].length).toBe(6);
  });
});

describe('checkCall', () => {
  it('accepts well-formed calls and returns the parsed arguments without unknown keys', () => {
    expect(checkCall('app:info', [])).toEqual({ ok: true, name: 'app:info', args: [] });
    expect(checkCall('labels:update', [3, { value: 'sound', extra: 1 }])).toEqual({ ok: true, name: 'labels:update', args: [3, { value: 'sound' }] });
    expect(checkCall('review:nextUncertain', [null])).toMatchObject({ ok: true });
    expect(checkCall('jobs:start', ['retrain-head', {}])).toMatchObject({ ok: true });
  });

  it('refuses each malformed request with a readable reason', () => {
    const cases: [string, unknown, RegExp][] = [
      ['no:such-call', [], /^Refused: unknown call no:such-call\.$/],
      ['app:info', [1], /malformed call app:info/],
      ['app:info', 'not a list', /malformed call app:info/],
      ['project:open', [''], /malformed call project:open \(arguments 0: /],
      ['labels:create', [{ recordingId: 1, startSample: 2.5, endSample: 3, value: 'x' }], /arguments 0\.startSample: /],
      ['labels:merge', [[1]], /malformed call labels:merge/],
      ['jobs:start', ['train', { model: 'v2' }], /arguments 1\.model: .*"v1" \| "v3"/],
      ['jobs:start', ['train', { model: 'v1', epochs: 0 }], /arguments 1\.epochs: /],
      ['jobs:start', ['detect', { typo: true }], /arguments 1\.typo: /],
      ['jobs:start', ['scan', {}], /malformed call jobs:start/],
      ['jobs:start', ['detect'], /malformed call jobs:start/],
    ];
    for (const [name, args, why] of cases) {
      const checked = checkCall(name, args);
      expect(checked.ok, `${name} ${JSON.stringify(args)}`).toBe(false);
      if (!checked.ok) expect(checked.message).toMatch(why);
    }
  });
});

describe('lists derived from the contract objects', () => {
  it('names every call, event, error code and job kind exactly once', () => {
    expect(CALL_NAMES).toEqual(Object.keys(CALLS));
    expect(EVENT_NAMES).toEqual(Object.keys(EVENTS));
    expect(JOB_KIND_NAMES).toEqual(Object.keys(JOB_KINDS));
    expect(STARTABLE_JOB_KINDS).toEqual(['detect', 'retrain-head', 'train', 'tiles', 'cluster', 'type-head']);
    expect(isCallName('jobs:start') && !isCallName('toString') && !isCallName('__proto__')).toBe(true);
    expect(isEventName('jobs:progress') && !isEventName('hasOwnProperty')).toBe(true);
    expect(isJobKind('detect') && !isJobKind('embed') && !isJobKind('constructor')).toBe(true);
    expect(isErrorCode('NOT_FOUND') && !isErrorCode('toString')).toBe(true);
    expect(Object.keys(ERROR_CODES)).toContain('CANCELLED');
    expect(toErrorInfo({ code: 'NOT_FOUND', message: 'x' })).toEqual({ code: 'NOT_FOUND', message: 'x' });
    expect(toErrorInfo(Object.assign(new Error('x'), { code: 'NOT_A_CODE' }))).toEqual({ code: 'INTERNAL', message: 'x' });
  });

  it('types a succeeded job result by its kind only', () => {
    const job = { kind: 'tiles', state: 'succeeded', result: { recordingIds: [1], tiles: 4, failed: [] } };
    expect(jobResultOf(job, 'tiles')?.tiles).toBe(4);
    expect(jobResultOf(job, 'detect')).toBeUndefined();
    expect(jobResultOf({ ...job, state: 'failed' }, 'tiles')).toBeUndefined();
  });
});
