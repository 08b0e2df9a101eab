/**
 * The one path every request takes from a page to a handler: Electron's IPC
 * (src-main/electron/main.ts), the browser-mode WebSocket
 * (src-main/server/browser-server.ts) and the handler tests
 * (app/test-helpers.ts) all call `dispatchCall`, so the tests run exactly
 * what the shells run. The request is checked against the contract's schema
 * first (nothing reaches a handler otherwise); errors come back as
 * `{ code, message }`, never as a thrown exception.
 */
import { checkCall, type CallResult } from '../../src-shared/contract';
import { toErrorInfo } from '../../src-shared/errors';
import { withEditClient } from '../engine/store/edit-clients';
import type { Handlers } from './handlers';

/** Who is calling: the window (edit client) whose undo history the call's edits join. */
export interface CallContext {
  client?: string;
}

export async function dispatchCall(handlers: Handlers, name: unknown, args: unknown, context: CallContext = {}): Promise<CallResult<unknown>> {
  const checked = checkCall(name, args);
  if (!checked.ok) return { ok: false, error: { code: 'INVALID_ARGUMENT', message: checked.message } };
  try {
    const handler = handlers[checked.name] as (...a: unknown[]) => Promise<unknown>;
    return { ok: true, value: await withEditClient(context.client, () => handler(...checked.args)) };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
