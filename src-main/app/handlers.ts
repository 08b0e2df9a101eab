/**
 * Implementations of every call in the shared contract. Plain Node: the
 * Electron shell (src-main/electron) and the browser-mode server both route
 * validated requests here, so the two modes cannot drift apart. The calls are
 * grouped by subject under handlers/; `Handlers` is a complete mapped type,
 * so the compiler reports any call of the contract left without a handler.
 */
import type { ApiCalls, CallName } from '../../src-shared/contract';
import type { AppState } from './app-state';
import { displayHandlers } from './handlers/display-handlers';
import { detectionSettingsHandlers } from './handlers/detection-settings-handlers';
import { exchangeHandlers } from './handlers/exchange-handlers';
import { clusterHandlers } from './handlers/cluster-handlers';
import { detectionHandlers } from './handlers/detection-handlers';
import { figureHandlers } from './handlers/figure-handlers';
import { jobHandlers } from './handlers/job-handlers';
import { labelHandlers } from './handlers/label-handlers';
import { projectHandlers } from './handlers/project-handlers';
import { reviewHandlers } from './handlers/review-handlers';
import { reviewLoopHandlers } from './handlers/review-loop-handlers';
import { workersHandlers } from './handlers/workers-handlers';

export type Handlers = { [K in CallName]: (...args: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']> };

export type { AppState, MediaLocation, ProjectSession } from './app-state';
export { closeProject, requireSession, switchProject } from './app-state';

export function createHandlers(state: AppState): Handlers {
  return {
    ...projectHandlers(state),
    ...reviewHandlers(state),
    ...labelHandlers(state),
    ...jobHandlers(state),
    ...figureHandlers(state),
    ...clusterHandlers(state),
    ...exchangeHandlers(state),
    ...displayHandlers(state),
    ...detectionSettingsHandlers(state),
    ...workersHandlers(state),
    ...detectionHandlers(state),
    ...reviewLoopHandlers(state),
  };
}
