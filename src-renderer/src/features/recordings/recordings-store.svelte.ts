/**
 * The recordings table's data: rows from main (`recordings:table`), the
 * researcher's sort and filter, and readable loading/error state. Refreshes
 * itself when main reports new recordings or changed labels/regions.
 */
import type { RecordingRow } from '../../../../src-shared/review-types';
import { call, getApi } from '../../lib/api';
import { errorMessage } from '../../lib/format';
import { queryRecordings, type RecordingSortKey, type RecordingStatusFilter, type SortDirection } from './recordings-query';

/** Label edits arrive in bursts while reviewing; refresh the table at most this often. */
const REFRESH_DELAY_MS = 500;

/** Creates the store; call `load()` once a project is open and `dispose()` when done. */
export function createRecordingsStore() {
  let rows = $state<RecordingRow[]>([]);
  let loaded = $state(false);
  let loading = $state(false);
  let error = $state<string | null>(null);
  let text = $state('');
  let status = $state<RecordingStatusFilter>('all');
  let sortKey = $state<RecordingSortKey>('path');
  let direction = $state<SortDirection>('asc');
  const visible = $derived(queryRecordings(rows, { text, status, sortKey, direction }));
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribers: Array<() => void> = [];

  async function load(): Promise<void> {
    loading = true;
    error = null;
    try {
      rows = await call('recordings:table');
      loaded = true;
    } catch (e) {
      error = errorMessage(e);
    } finally {
      loading = false;
    }
  }

  function scheduleRefresh(): void {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void load();
    }, REFRESH_DELAY_MS);
  }

  /** Listens for main's change events; returns nothing, undone by `dispose()`. */
  function subscribe(): void {
    try {
      const api = getApi();
      unsubscribers.push(api.on('recordings:changed', () => void load()));
      unsubscribers.push(api.on('recording:changed', (e) => e.what === 'regions' || e.what === 'labels' ? scheduleRefresh() : undefined));
    } catch (e) {
      error = errorMessage(e);
    }
  }

  function dispose(): void {
    for (const off of unsubscribers.splice(0)) off();
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = null;
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
    get loaded() { return loaded; },
    get loading() { return loading; },
    get error() { return error; },
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
