/**
 * Building blocks of the contract's valibot schemas: one schema gives both
 * the TypeScript type (`v.InferOutput`) and the runtime check that main, the
 * preload and the browser server run before any handler. Keep this file (and
 * everything src-shared imports) free of Node and DOM: the sandboxed preload
 * bundles it.
 */
import * as v from 'valibot';
import { LABEL_LIMITS } from './label-types';

/** A database id: a positive integer. */
export const id = v.pipe(v.number(), v.integer(), v.minValue(1));

/** A sample position in a recording's native rate: a whole number ≥ 0. */
export const sampleIndex = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A label's value: 'silence', 'sound' or a sound-type name (1–100 characters). */
export const labelValue = v.pipe(v.string(), v.minLength(1), v.maxLength(LABEL_LIMITS.valueLength));

/** A finite number (no NaN, no ±Infinity: they do not survive JSON). */
export const finite = v.pipe(v.number(), v.finite());

/** A positive whole number. */
export const count = v.pipe(v.number(), v.integer(), v.minValue(1));

declare const RESULT: unique symbol;

/**
 * A result type carried by the contract without a runtime schema: main is
 * trusted to return what it declares, and the compiler checks every handler
 * against it (src-main/app/handlers.ts).
 */
export interface Returns<T> {
  readonly [RESULT]?: T;
}

/** Declares what a call resolves to, or what a job returns: `returns<AppInfo>()`. */
export function returns<T>(): Returns<T> {
  return {};
}

export type ResultOf<R> = R extends Returns<infer T> ? T : never;

/** The first problem of a failed parse, readably: `1.startSample: Invalid type: Expected number but received "3"`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = deepestIssue(issues[0]);
  const path = v.getDotPath(issue);
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

/** A union's issue says "invalid type"; the option that came closest (deepest path) says why. */
function deepestIssue(issue: v.BaseIssue<unknown>): v.BaseIssue<unknown> {
  const nested = issue.issues;
  if (!nested?.length) return issue;
  let best = nested[0];
  for (const candidate of nested) if ((candidate.path?.length ?? 0) > (best.path?.length ?? 0)) best = candidate;
  return deepestIssue(best);
}
