import { expect } from 'vitest';
import { type ErrorCode, QconformError } from '../../contract/errors.js';

/** What `run` threw; fails the test if it returned normally. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return expect.fail('expected a throw, but the call returned normally');
}

/**
 * `run` must throw a QconformError with `code` whose message carries the rule tag `[code]` and every
 * fragment of `mentions` (what was checked, the offending value as `got <value>`).
 */
export function expectQconformError(run: () => unknown, code: ErrorCode, mentions: readonly string[] = []): QconformError {
  const e = thrownBy(run);
  if (!(e instanceof QconformError)) return expect.fail(`expected QconformError(${code}), got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  expect(e.code, e.message).toBe(code);
  expect(e.message).toContain(`[${code}]`);
  for (const fragment of mentions) expect(e.message).toContain(fragment);
  return e;
}
