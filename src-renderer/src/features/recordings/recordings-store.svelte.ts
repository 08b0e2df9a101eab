/** Recordings of the open project, loaded from main; `error` holds a readable message. */
import type { RecordingSummary } from '../../../../src-shared/audio-types';
import { call } from '../../lib/api';

export function createRecordingsStore() {
  let items = $state<RecordingSummary[]>([]);
  let loading = $state(false);
  let error = $state<string | null>(null);

  async function load(): Promise<void> {
    loading = true;
    error = null;
    try {
      items = await call('recordings:list');
    } catch (e) {
      error = (e as Error).message;
    } finally {
      loading = false;
    }
  }

  return {
    get items() { return items; },
    get loading() { return loading; },
    get error() { return error; },
    load,
  };
}
