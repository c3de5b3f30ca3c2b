import { describe, expect, it } from 'vitest';
import { runSuite } from '../../conformance/runner/run_suite.js';
import type { Verdict } from '../../conformance/runner/results.js';
import { quantizeCases, startFaultyBackend } from '../support/runner_fixtures.js';

/**
 * A backend that misbehaves on one case costs that case only: the runner records the case's verdict,
 * restarts the process when its stream can no longer be trusted, and every other case still passes.
 * A whole garbage line keeps the process (one line still pairs with one request); a process that dies
 * right after an answer may have exited after it, so the pending case is run once more on a fresh
 * process before it is called a crash (two restarts). tests/runner/faults/ has the full fault suite.
 */
const CASES = quantizeCases(8);

/**
 * How many pending cases the backend ran again on a fresh process because the old one died right after an answer
 * (each adds a restart). Whether a death counts as "right after" is a time window, so a loaded machine may see fewer.
 */
function rerunsOnFreshProcess(backend: { warnings: readonly string[] }): number {
  return backend.warnings.filter((w) => /was run again on a fresh process/.test(w)).length;
}

const TARGET = CASES[3]!.case.id;

const FAULTS: Array<[fault: string, verdict: Verdict, detail: RegExp, restarts: number]> = [
  ['crash', 'crash', /process ended \(exit code 3\)/, 1],
  ['hang', 'timeout', /no response within 1500 ms/, 1],
  ['garbage', 'error', /not JSON/, 0],
  ['partial', 'error', /not JSON/, 0],
  ['wrong-length', 'error', /malformed response: outputs\.\w+\.(hex|values): expected \d+ elements for shape \[[\d,]*\]; got \d+$/, 0],
  ['wrong-shape', 'fail', /shape differs/, 0],
  ['wrong-dtype', 'fail', /dtype differs: expected \w+, got \w+/, 0],
];

describe('faulty backends', () => {
  for (const [fault, verdict, detail, restarts] of FAULTS) {
    it(`${fault} on one case: that case is ${verdict}, the other ${CASES.length - 1} pass`, async () => {
      const backend = await startFaultyBackend(fault, [TARGET]);
      try {
        const results = await runSuite(backend, CASES, { timeoutMs: 1500 });
        expect(results.map((r) => r.id)).toEqual(CASES.map((s) => s.case.id));
        const target = results.find((r) => r.id === TARGET)!;
        expect(target.verdict).toBe(verdict);
        expect(target.detail).toMatch(detail);
        expect(results.filter((r) => r.id !== TARGET).map((r) => r.verdict)).toEqual(Array(CASES.length - 1).fill('pass'));
        expect(rerunsOnFreshProcess(backend)).toBeLessThanOrEqual(fault === 'crash' ? 1 : 0);
        expect(backend.restarts).toBe(restarts + rerunsOnFreshProcess(backend));
      } finally {
        await backend.close();
      }
    });
  }

  it('a crash on every other case: each is recorded and the process restarted each time (twice after an answer)', async () => {
    const targets = CASES.filter((_, i) => i % 2 === 0).map((s) => s.case.id);
    const backend = await startFaultyBackend('crash', targets);
    try {
      const results = await runSuite(backend, CASES, { timeoutMs: 5000 });
      expect(results.map((r) => r.verdict)).toEqual(CASES.map((_, i) => (i % 2 === 0 ? 'crash' : 'pass')));
      // case 0 crashes a fresh process (one restart); cases 2, 4, 6 crash right after an answer: a rerun and a restart
      // each when the death came within EXIT_AFTER_ANSWER_MS of the answer (timing: a loaded machine may take longer)
      const reruns = rerunsOnFreshProcess(backend);
      expect(reruns).toBeLessThanOrEqual(targets.length - 1);
      expect(backend.restarts).toBe(targets.length + reruns);
    } finally {
      await backend.close();
    }
  });

  it('heavy stderr (256 KiB per case) neither blocks the backend nor changes a verdict', async () => {
    const backend = await startFaultyBackend('stderr-flood', []);
    try {
      const results = await runSuite(backend, CASES, { timeoutMs: 5000 });
      expect(results.map((r) => r.verdict)).toEqual(Array(CASES.length).fill('pass'));
    } finally {
      await backend.close();
    }
  });
});
