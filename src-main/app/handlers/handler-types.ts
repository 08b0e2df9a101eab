/** The shape of a group of contract handlers (each file under handlers/ implements some calls). */
import type { ApiCalls, CallName } from '../../../src-shared/contract';

export type HandlersFor<K extends CallName> = { [C in K]: (...args: ApiCalls[C]['args']) => Promise<ApiCalls[C]['result']> };
