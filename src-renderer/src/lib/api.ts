/**
 * The renderer's only door to the main process. In Electron the preload puts
 * the contract on `window.sonotype`; tests replace it with a mock.
 */
import type { CallArgs, CallName, CallReturn, SonotypeApi } from '../../../src-shared/contract';

declare global {
  interface Window {
    sonotype?: SonotypeApi;
  }
}

/** A failed call, with the readable message from main. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export function getApi(): SonotypeApi {
  if (!window.sonotype) throw new ApiError('INTERNAL', 'Sonotype backend is not connected.');
  return window.sonotype;
}

/** Calls the backend and unwraps the result, throwing ApiError on failure. */
export async function call<K extends CallName>(name: K, ...args: CallArgs<K>): Promise<CallReturn<K>> {
  const result = await getApi().call(name, ...args);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value;
}
