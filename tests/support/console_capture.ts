/**
 * What a command printed: console.log and console.error captured per test (a fresh pair of arrays before each test,
 * the real console back after it), for tests that call a command function in process.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedConsole {
  /** console.log lines of the current test */
  out: string[];
  /** console.error lines of the current test */
  err: string[];
}

/** Registers the capture hooks in the calling test file; read `.out` and `.err` inside a test. */
export function captureConsole(): CapturedConsole {
  const captured: CapturedConsole = { out: [], err: [] };
  beforeEach(() => {
    captured.out = [];
    captured.err = [];
    vi.spyOn(console, 'log').mockImplementation((s: unknown) => void captured.out.push(String(s)));
    vi.spyOn(console, 'error').mockImplementation((s: unknown) => void captured.err.push(String(s)));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
