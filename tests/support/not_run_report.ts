import { expect } from 'vitest';
import type { VectorLinesRun } from './cli_process.js';

/**
 * A `qconform run` (runVectorLines) whose `notRun` cases the backend's library was not run on (its answers marked
 * `not_run`, detail matching `reason`) and whose other cases passed: each its own verdict `not-run`, counted apart in
 * the JSON report and the console tally, a JUnit <skipped> (no failure, no error), and the run passes (exit 0).
 */
export function expectNotRunReported(r: VectorLinesRun, notRun: readonly string[], passed: readonly string[], reason: RegExp): void {
  const { run } = r;
  expect(run.exitCode, `exit ${run.exitCode}: ${run.stderr.slice(-500)}`).toBe(0);
  const want = new Map([...notRun.map((id) => [id, 'not-run'] as const), ...passed.map((id) => [id, 'pass'] as const)]);
  expect(r.verdicts).toEqual(r.verdicts.map(([id]) => [id, want.get(id) ?? 'a case not given']));
  expect(r.verdicts.length).toBe(want.size);
  for (const id of notRun) expect(r.details.get(id), id).toMatch(reason);
  expect(r.counts, 'the JSON report counts not-run apart').toMatchObject({ pass: passed.length, 'not-run': notRun.length, fail: 0, error: 0 });
  expect(r.passed).toBe(true);
  const skipped = [...r.junit.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>\s*<skipped message="not-run: ([^"]*)"/g)];
  expect(skipped.map((m) => m[1]).sort(), 'a JUnit <skipped> per not-run case').toEqual([...notRun].sort());
  const suites = [...r.junit.matchAll(/<testsuite [^>]*failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)];
  expect(suites.reduce((n, m) => n + Number(m[3]), 0), 'JUnit skipped counts').toBe(notRun.length);
  expect(suites.every((m) => m[1] === '0' && m[2] === '0'), 'no JUnit failure or error').toBe(true);
  expect(run.stdout).toMatch(new RegExp(`\\b${notRun.length} not-run\\b`));
  expect(run.stdout).toContain(`${notRun.length} of ${want.size} cases were not run by the backend's library`);
  expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('PASS');
}
