import { describe, expect, it } from 'vitest';
import { queryRecordings, type RecordingQuery } from './recordings-query';
import { recordingRow, threeRows } from './test-rows';

const q = (over: Partial<RecordingQuery>): RecordingQuery => ({ text: '', status: 'all', sortKey: 'path', direction: 'asc', ...over });
const ids = (query: Partial<RecordingQuery>) => queryRecordings(threeRows, q(query)).map((r) => r.id);

describe('queryRecordings', () => {
  it('sorts by each column both ways, unknown values always last', () => {
    expect(ids({})).toEqual([2, 1, 3]);
    expect(ids({ direction: 'desc' })).toEqual([3, 1, 2]);
    expect(ids({ sortKey: 'duration' })).toEqual([1, 2, 3]);
    expect(ids({ sortKey: 'duration', direction: 'desc' })).toEqual([2, 1, 3]);
    expect(ids({ sortKey: 'rate', direction: 'desc' })).toEqual([1, 2, 3]);
    expect(ids({ sortKey: 'silence', direction: 'desc' })).toEqual([2, 1, 3]);
    // 4/4 reviewed vs 1/10 reviewed; no regions is unknown.
    expect(ids({ sortKey: 'progress' })).toEqual([2, 1, 3]);
    expect(ids({ sortKey: 'channels' })).toEqual([2, 1, 3]);
  });

  it('filters by text in the path or the error message, and by status', () => {
    expect(ids({ text: 'WHALE' })).toEqual([2]);
    expect(ids({ text: 'empty' })).toEqual([3]);
    expect(ids({ status: 'error' })).toEqual([3]);
    expect(ids({ status: 'ok' })).toEqual([2, 1]);
    expect(ids({ status: 'unreviewed' })).toEqual([2]);
  });

  it('treats missing files as not reviewable', () => {
    const rows = [recordingRow({ id: 7, path: 'gone.wav', missing: true })];
    expect(queryRecordings(rows, q({ status: 'error' })).map((r) => r.id)).toEqual([7]);
    expect(queryRecordings(rows, q({ status: 'ok' }))).toEqual([]);
  });
});
