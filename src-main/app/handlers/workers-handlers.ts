/**
 * "Run on workers": the project's Redis queue and shared storage for
 * detection on `sonotype worker` processes (engine/distributed). The URL is
 * stored in the project as typed; what goes back to the page never shows a
 * password.
 */
import { SonotypeError } from '../../../src-shared/errors';
import type { WorkersSettings } from '../../../src-shared/workers-types';
import { openStorageRoot } from '../../engine/distributed/storage-root';
import { clearSetting, getSetting, setSetting } from '../../engine/store/settings';
import { requireProject, type AppState } from '../app-state';
import type { HandlersFor } from './handler-types';

type WorkersCalls = 'workers:get' | 'workers:set' | 'workers:check';

/**
 * Loaded on first use: the distributed engine pulls in BullMQ, ioredis and tfjs, which
 * would otherwise add seconds to every start of the app and of `npm run serve`.
 */
const distributed = () => import('../../engine/distributed/workers-settings');

export function workersHandlers(state: AppState): HandlersFor<WorkersCalls> {
  return {
    'workers:get': async () => {
      const { db, audioRoot } = requireProject(state);
      const { workersStatus } = await distributed();
      return workersStatus(getSetting(db, 'workers'), audioRoot);
    },
    'workers:set': async (patch) => {
      const { db, audioRoot } = requireProject(state);
      const { checkWorkersSettings, DEFAULT_SHARD_MINUTES, workersStatus } = await distributed();
      if (patch.redisUrl === null) {
        clearSetting(db, 'workers');
        return workersStatus(undefined, audioRoot);
      }
      const current = getSetting(db, 'workers');
      const redisUrl = patch.redisUrl?.trim() || current?.redisUrl;
      if (!redisUrl) throw new SonotypeError('INVALID_ARGUMENT', 'Give the Redis URL of the queue the workers listen on, e.g. redis://10.0.0.5:6379.');
      const next: WorkersSettings = checkWorkersSettings({
        redisUrl,
        storage: patch.storage !== undefined ? patch.storage?.trim() || null : (current?.storage ?? null),
        shardMinutes: patch.shardMinutes ?? current?.shardMinutes ?? DEFAULT_SHARD_MINUTES,
      });
      // Refuses a folder that does not exist here (workers find the recordings by their path inside it).
      if (next.storage) openStorageRoot(next.storage);
      setSetting(db, 'workers', next);
      return workersStatus(next, audioRoot);
    },
    'workers:check': async () => {
      const { db, audioRoot } = requireProject(state);
      const { checkWorkers, workersStatus } = await distributed();
      const settings = getSetting(db, 'workers');
      if (!settings) return workersStatus(undefined, audioRoot, { ok: false, message: 'No Redis URL is set for this project.' });
      return workersStatus(settings, audioRoot, await checkWorkers(settings));
    },
  };
}
