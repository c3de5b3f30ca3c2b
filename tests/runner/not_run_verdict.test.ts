/**
 * The `not-run` verdict: a backend marks an answer its library did not compute with `not_run` (docs/protocol.md; the
 * onnxruntime backend does for the requests known to kill ORT's process). The runner reports such a case `not-run`
 * with the reason when its stand-in answer is the expected one (a wrong one fails): counted apart in the JSON report
 * and the console, a JUnit <skipped>, never a pass and not a failure (the run passes when every other case does, and
 * fails when every case is not-run: nothing judged). Waivers do not touch it; a
 * `not_run` that is not a non-empty string is a malformed answer. Backends that never send it are judged as before.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireResponse } from '../../conformance/protocol/messages.js';
import { consoleSummary } from '../../conformance/runner/reports/console_summary.js';
import { htmlReport } from '../../conformance/runner/reports/html_report.js';
import { jsonReport } from '../../conformance/runner/reports/json_report.js';
import { junitReport } from '../../conformance/runner/reports/junit_report.js';
import { runInfo } from '../../conformance/runner/reports/run_info.js';
import { runPassed } from '../../conformance/runner/results.js';
import { runSuite } from '../../conformance/runner/run_suite.js';
import { toVectorCase } from '../../conformance/vectors/build_vector_set.js';
import { reference } from '../../reference/index.js';
import { quantizeCases } from '../support/runner_fixtures.js';
import { parseJunit } from '../support/xml_check.js';

const CASES = quantizeCases(4);
const IDS = CASES.map((s) => s.case.id);
const WHY = 'not run on the library (its process dies of this shape)';

/** The reference's answers; on `notRun` ids marked not_run, the stand-in `wrong` (outputs that differ) if asked. */
function backend(notRun: ReadonlyMap<string, unknown>, wrong = false): Backend {
  return {
    name: 'stand-in',
    version: '1',
    capabilities: { ops: ['quantize_per_tensor@1'] },
    run: (r) => {
      const answer = evaluateRequest(reference, r) as WireResponse;
      if (!notRun.has(r.id)) return answer;
      const standIn = wrong ? { id: r.id, error: { code: 'backend_error', message: 'no answer' } } : answer;
      return { ...standIn, not_run: notRun.get(r.id) } as WireResponse;
    },
  };
}

const replay = 'replay: npx vitest run tests/runner/not_run_verdict.test.ts (fixed cases: the first 4 golden quantize_per_tensor cases)';

describe('the not-run verdict', () => {
  it('a not_run answer whose stand-in is the expected answer is reported not-run with its reason; the others are judged as before', async () => {
    const results = await runSuite(backend(new Map([[IDS[1]!, WHY]])), CASES, { timeoutMs: 5000 });
    expect(results.map((r) => r.verdict), replay).toEqual(['pass', 'not-run', 'pass', 'pass']);
    expect(results[1]!.detail).toBe(WHY);
  });

  it('a wrong stand-in fails as any wrong answer does: not_run excuses no answer (it was not-run, a hole a backend could pass a run through)', async () => {
    const results = await runSuite(backend(new Map([[IDS[1]!, WHY]]), true), CASES, { timeoutMs: 5000 });
    expect(results.map((r) => r.verdict), replay).toEqual(['pass', 'fail', 'pass', 'pass']);
    expect(results[1]!.detail).toContain(`(the backend's answer, marked not run by its library: ${WHY})`);
    expect(runPassed(results)).toBe(false);
  });

  it('a run whose every case is not-run judged nothing and fails, as a fuzz run that judged nothing does (it passed)', async () => {
    const results = await runSuite(backend(new Map(IDS.map((id) => [id, WHY]))), CASES, { timeoutMs: 5000 });
    expect(results.map((r) => r.verdict), replay).toEqual(['not-run', 'not-run', 'not-run', 'not-run']);
    expect(runPassed(results), replay).toBe(false);
    const info = runInfo(backend(new Map()), { source: 'test', manifest: null, manifestSha256: null, sets: [], cases: [], ids: new Set<string>() }, new Date(0));
    const summary = consoleSummary(info, results);
    expect(summary).toContain("NOTHING JUDGED: the backend's library ran none of the 4 cases");
    expect(summary.split('\n').at(-1)).toBe('FAIL');
    expect(JSON.parse(jsonReport(info, results))).toMatchObject({ passed: false });
    const html = htmlReport(info, results);
    expect(html).toContain('FAILED</h1>');
    expect(html).toContain('NOTHING JUDGED: the backend');
  });

  it('counted apart in JSON, console and JUnit (a <skipped>), never a pass, not a failure: the run passes', async () => {
    const results = await runSuite(backend(new Map([[IDS[1]!, WHY], [IDS[2]!, WHY]])), CASES, { timeoutMs: 5000 });
    const info = runInfo(backend(new Map()), { source: 'test', manifest: null, manifestSha256: null, sets: [], cases: [], ids: new Set<string>() }, new Date(0));
    expect(runPassed(results), replay).toBe(true);
    const json = JSON.parse(jsonReport(info, results)) as { passed: boolean; counts: Record<string, number> };
    expect(json).toMatchObject({ passed: true, counts: { pass: 2, 'not-run': 2, fail: 0 } });
    const junit = parseJunit(junitReport(info, results));
    if ('error' in junit) throw new Error(junit.error);
    expect(junit).toMatchObject({ tests: 4, failures: 0, errors: 0, skipped: 2 });
    expect(junit.messages).toEqual([`not-run: ${WHY} (${results[1]!.location})`, `not-run: ${WHY} (${results[2]!.location})`]);
    const summary = consoleSummary(info, results);
    expect(summary).toMatch(/quantize_per_tensor@1\s+2\/4 \(2 not run\)\n/);
    expect(summary).toContain('4 cases: 2 pass, 2 not-run');
    expect(summary).toMatch(new RegExp(`not-run\\s+${IDS[1]}\\s+${WHY.replace(/[()]/g, '\\$&')}`));
    expect(summary).toContain("2 of 4 cases were not run by the backend's library");
    expect(summary.split('\n').at(-1)).toBe('PASS');
    expect(htmlReport(info, results)).toContain("2 of 4 cases were not run by the backend&#39;s library");
    // beside a failure the run still fails, and the failure is listed first
    const failing = [...results, { ...results[0]!, id: 'failed-one', verdict: 'fail' as const, detail: 'differs' }];
    expect(runPassed(failing)).toBe(false);
    expect(consoleSummary(info, failing)).toMatch(/\n {2}fail\s+failed-one[^\n]*\n[^\n]*\n {2}not-run /);
    expect(consoleSummary(info, failing).split('\n').at(-1)).toBe('FAIL');
  });

  it('a waiver neither applies to a not-run case nor goes stale on it', async () => {
    const results = await runSuite(backend(new Map([[IDS[1]!, WHY]])), CASES, { timeoutMs: 5000, waivers: new Map([[IDS[1]!, 'known to differ']]) });
    expect(results[1], replay).toMatchObject({ verdict: 'not-run', detail: WHY });
  });

  it('a not_run that is not a non-empty string is a malformed answer (error)', async () => {
    for (const bad of ['', 7, null, { why: 'x' }]) {
      const [r] = await runSuite(backend(new Map([[IDS[0]!, bad]])), CASES.slice(0, 1), { timeoutMs: 5000 });
      expect(r, `not_run ${JSON.stringify(bad)}; ${replay}`).toMatchObject({ verdict: 'error' });
      expect(r!.detail).toMatch(/malformed response: not_run is .*, not a non-empty string/);
    }
  });

  it('a vector generator refuses to record a not_run answer as the oracle', () => {
    const c = CASES[0]!.case;
    const answer = { ...(evaluateRequest(reference, c) as WireResponse), not_run: WHY } as WireResponse;
    expect(() => toVectorCase(c, answer)).toThrow(/the oracle was not run on this request/);
  });
});
