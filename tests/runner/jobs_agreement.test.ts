/**
 * `--jobs 2` gives the verdicts of a serial run on every committed vector set: impl on every case, the reference on
 * every 13th case (bigint convs are slow), each serial in process against the in-process instance plus a
 * `qconform eval` process, the second instance --jobs starts (run_suite.ts runSuiteOn).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { implBackend, referenceBackend } from '../../conformance/backends/module/in_process_builtins.js';
import type { CaseResult } from '../../conformance/runner/results.js';
import { runSuite, runSuiteOn } from '../../conformance/runner/run_suite.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { VECTORS_ROOT } from '../../conformance/vectors/vector_types.js';

const SETS = readdirSync(VECTORS_ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'schema')
  .map((e) => e.name)
  .sort();

const withoutTimes = (rs: readonly CaseResult[]) => rs.map(({ ms: _, ...r }) => r);

const started: Backend[] = [];
const instances: Record<'impl' | 'reference', [Backend, Backend]> = {} as never;
beforeAll(async () => {
  for (const b of [implBackend, referenceBackend]) {
    const pair: [Backend, Backend] = [await b.create(), await b.createJob!()];
    started.push(...pair);
    instances[b.name as 'impl' | 'reference'] = pair;
  }
}, 60_000);
afterAll(() => Promise.all(started.map((b) => b.close?.())));

describe('--jobs 2 and a serial run agree on every vector set', () => {
  it('covers every committed set (not vacuous)', () => {
    expect(SETS).toEqual(expect.arrayContaining(['torch-1.13', 'onnxruntime-1.30', 'xnnpack-2022', 'gemmlowp', 'litert-2.5', 'tosa-mlir-19']));
    expect(SETS.length).toBeGreaterThanOrEqual(9);
  });

  for (const [name, every] of [['impl', 1], ['reference', 13]] as const) {
    it.each(SETS)(`${name} on %s`, async (set) => {
      const cases = selectCases(join(VECTORS_ROOT, set)).cases.filter((_, i) => i % every === 0);
      const options = { timeoutMs: 60_000, strictContract: false };
      const [inProcess, evalProcess] = instances[name];
      const serial = await runSuite(inProcess, cases, options);
      let byEvalProcess = 0;
      const counted: Backend = { ...evalProcess, name: evalProcess.name, capabilities: evalProcess.capabilities, run: (request, o) => (byEvalProcess++, evalProcess.run(request, o)) };
      const parallel = await runSuiteOn([inProcess, counted], cases, options);
      expect(withoutTimes(parallel)).toEqual(withoutTimes(serial));
      expect(parallel.map((r) => r.id)).toEqual(cases.map((s) => s.case.id));
      // both instances judged cases, and the run is not vacuous: every case got a verdict, most of them pass
      expect(byEvalProcess).toBeGreaterThan(0);
      expect(byEvalProcess).toBeLessThan(cases.length);
      expect(serial.length).toBe(cases.length);
      // the ONNX project's node tests are a small third-party set (14 cases); every generated set has hundreds
      expect(cases.length).toBeGreaterThan(set === 'onnx-testdata-1.12' ? 1 : 25);
      expect(serial.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(serial.length / 2);
    }, 300_000);
  }
});
