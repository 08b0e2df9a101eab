/**
 * One piece of data fetched from main, with the loading/error/loaded states
 * every panel shows. `load()` never throws: failures land in `error` as a
 * readable message.
 */
import { errorMessage } from './format';

/** Wraps a fetch function; `data` stays null until the first successful load. */
export function createAsyncResource<T, A extends unknown[] = []>(fetch: (...args: A) => Promise<T>) {
  let data = $state<T | null>(null);
  let loading = $state(false);
  let loaded = $state(false);
  let error = $state<string | null>(null);
  // Only the newest request may write its answer (older ones can arrive late).
  let generation = 0;

  async function load(...args: A): Promise<void> {
    const mine = ++generation;
    loading = true;
    error = null;
    try {
      const value = await fetch(...args);
      if (mine !== generation) return;
      data = value;
      loaded = true;
    } catch (e) {
      if (mine === generation) error = errorMessage(e);
    } finally {
      if (mine === generation) loading = false;
    }
  }

  return {
    get data() { return data; },
    get loading() { return loading; },
    get loaded() { return loaded; },
    get error() { return error; },
    load,
  };
}

export type AsyncResource<T, A extends unknown[] = []> = ReturnType<typeof createAsyncResource<T, A>>;
