/**
 * Numeric command-line options, checked when they are parsed: a value that is not an integer in range
 * is a usage error (exit 2, see main.ts) with a message naming the option and the range, never NaN,
 * zero or a negative number passed on to a timer or a loop.
 */
import { InvalidArgumentError } from 'commander';

/** setTimeout's limit: a longer delay fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
export const MAX_FUZZ_RUNS = 1_000_000;

/** A parser for commander: a decimal integer in [min, max]. */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`);
    return n;
  };
}
