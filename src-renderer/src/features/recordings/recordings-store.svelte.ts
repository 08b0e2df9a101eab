/**
 * The recordings table's data: rows from main (`recordings:table`), the
 * researcher's sort and filter, and readable loading/error state. Refreshes
 * itself when main reports new recordings or changed labels/regions.
 */
import type { RecordingRow } from '../../../../src-shared/review-types';
import { Scope } from '../../../../src-shared/scope';
import { call, getApi } from '../../lib/api';
import { createAsyncResource } from '../../lib/async-resource.svelte';
import { errorMessage } from '../../lib/format';
import { queryRecordings, type RecordingSortKey, type RecordingStatusFilter, type SortDirection } from './recordings-query';

/** Label edits arrive in bursts while reviewing; refresh the table at most this often. */
const REFRESH_DELAY_MS = 500;

/** Creates the store; call `load()` once a project is open and `dispose()` when done. */
export function createRecordingsStore() {
  const table = createAsyncResource(() => call('recordings:table'));
  const rows = $derived<RecordingRow[]>(table.data ?? []);
  let subscribeError = $state<string | null>(null);
  let text = $state('');
  let status = $state<RecordingStatusFilter>('all');
  let sortKey = $state<RecordingSortKey>('path');
  let direction = $state<SortDirection>('asc');
  const visible = $derived(queryRecordings(rows, { text, status, sortKey, direction }));
  /** Event subscriptions and the refresh timer, released by dispose(). */
  const scope = new Scope();
  let refreshPending = false;

  const load = (): Promise<void> => table.load();

  function scheduleRefresh(): void {
    if (refreshPending) return;
    refreshPending = true;
    scope.timeout(() => {
      refreshPending = false;
      void load();
    }, REFRESH_DELAY_MS);
  }

  /** Listens for main's change events; returns nothing, undone by `dispose()`. */
  function subscribe(): void {
    try {
      const api = getApi();
      scope.add(api.on('recordings:changed', () => void load()));
      scope.add(api.on('recording:changed', (e) => e.what === 'regions' || e.what === 'labels' ? scheduleRefresh() : undefined));
    } catch (e) {
      subscribeError = errorMessage(e);
    }
  }

  function dispose(): void {
    scope.dispose();
  }

  /** Sorts by a column; choosing the current column again flips the direction. */
  function sortBy(key: RecordingSortKey): void {
    if (sortKey === key) direction = direction === 'asc' ? 'desc' : 'asc';
    else {
      sortKey = key;
      direction = 'asc';
    }
  }

  return {
    get rows() { return rows; },
    get visible() { return visible; },
    get loaded() { return table.loaded; },
    get loading() { return table.loading; },
    get error() { return table.error ?? subscribeError; },
    get text() { return text; },
    set text(v: string) { text = v; },
    get status() { return status; },
    set status(v: RecordingStatusFilter) { status = v; },
    get sortKey() { return sortKey; },
    get direction() { return direction; },
    load,
    subscribe,
    dispose,
    sortBy,
  };
}

export type RecordingsStore = ReturnType<typeof createRecordingsStore>;
