/**
 * Flag values, parsed one way for every command: absent → undefined; a value
 * that is not a finite number or not one of the choices, or fails the
 * command's check, is a usage error naming the flag, what it expects and what
 * was given.
 */
import { UsageError } from './exit-codes';

/** `--name <number>` passing `check`; `expected` completes "--name must be …". */
export function numberFlag(values: Record<string, unknown>, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${expected}, got '${String(raw)}'`);
  return n;
}

/** `--name <whole number ≥ min>`. */
export function integerFlag(values: Record<string, unknown>, name: string, min = 0): number | undefined {
  return numberFlag(values, name, (n) => Number.isInteger(n) && n >= min, `a whole number ≥ ${min}`);
}

/** `--name <number > 0>`. */
export function positiveNumberFlag(values: Record<string, unknown>, name: string): number | undefined {
  return numberFlag(values, name, (n) => n > 0, 'a number > 0');
}

/** `--name <one of choices>` (the choices come from where the value is defined: the contract, the engine). */
export function choiceFlag<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${String(raw)}'`);
  return raw as T;
}

/** "a|b|c": the choices as the usage line writes them. */
export function choicesHelp(choices: readonly string[]): string {
  return choices.join('|');
}
