import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkerModuleBackend } from '../../conformance/backends/module/worker_module_backend.js';
import { runSuite } from '../../conformance/runner/run_suite.js';
import type { Verdict } from '../../conformance/runner/results.js';
import { PROJECT_ROOT, quantizeCases } from '../support/runner_fixtures.js';
import { runQconform } from '../support/cli_process.js';
import { parseJunit } from '../support/xml_check.js';

/**
 * The module fault suite: a module backend (run in a worker thread) that misbehaves on one case costs
 * that case only. The case gets the listed verdict and a clear detail, every other case is judged (and
 * passes), within a bounded time, and the worker is gone after close. tests/fixtures/backends/faulty_module.ts
 * commits the faults.
 */
const FAULTY_MODULE = resolve(PROJECT_ROOT, 'tests/fixtures/backends/faulty_module.ts');
const CASES = quantizeCases(6);
const TARGET = CASES[2]!.case.id;
const TIMEOUT_MS = 1500;

type Fault = [fault: string, verdict: Verdict, detail: RegExp, restarts: number];
const FAULTS: Fault[] = [
  ['returns-null', 'error', /malformed response: the response is null, not an object/, 0],
  ['returns-undefined', 'error', /malformed response: the response is undefined, not an object/, 0],
  ['returns-string', 'error', /malformed response: the response is a string \("quantized, trust me"\), not an object/, 0],
  ['returns-array', 'error', /malformed response: the response is an array, not an object/, 0],
  ['outputs-array', 'error', /malformed response: outputs is an array, not an object of named outputs/, 0],
  ['throws', 'error', /run\(\) threw RangeError: kernel exploded/, 0],
  ['rejects', 'error', /run\(\) threw Error: async kernel exploded/, 0],
  ['getter-throws', 'error', /cannot be serialized as JSON: Error: outputs getter exploded/, 0],
  ['bigint', 'error', /cannot be serialized as JSON: TypeError: .*BigInt/, 0],
  ['wrong-id', 'error', /malformed response: the response is for id "someone-else", not quantize_per_tensor-/, 0],
  ['control-chars', 'fail', /expected outputs, got error internal_error/, 0],
  ['sync-loop', 'timeout', /no response within 1500 ms; the module's worker was stopped/, 1],
  ['never-settles', 'timeout', /no response within 1500 ms/, 1],
  ['process-exit', 'crash', /the module ended: its worker ended \(exit code 0, e\.g\. process\.exit\(0\)\)/, 1],
  ['uncaught', 'crash', /the module ended: an uncaught Error: timer exploded/, 1],
  ['unhandled-rejection', 'crash', /the module ended: an uncaught Error: nobody handles me/, 1],
];

function withFault<T>(fault: string, on: string, body: () => Promise<T>): Promise<T> {
  process.env.QCONFORM_MODULE_FAULT = fault;
  process.env.QCONFORM_MODULE_FAULT_ON = on;
  return body().finally(() => {
    delete process.env.QCONFORM_MODULE_FAULT;
    delete process.env.QCONFORM_MODULE_FAULT_ON;
  });
}

async function runFaulty(fault: string, on: string) {
  return withFault(fault, on, async () => {
    const backend = await WorkerModuleBackend.start(FAULTY_MODULE);
    const started = performance.now();
    try {
      const results = await runSuite(backend, CASES, { timeoutMs: TIMEOUT_MS });
      return { results, seconds: (performance.now() - started) / 1000, restarts: backend.restarts, backend };
    } finally {
      await backend.close();
      expect(backend.running, 'the worker is gone after close').toBe(false);
    }
  });
}

describe('module backend faults (worker thread)', () => {
  for (const [fault, verdict, detail, restarts] of FAULTS) {
    it(`${fault} on one case: that case is ${verdict}, the other ${CASES.length - 1} pass`, async () => {
      const { results, seconds, restarts: seen } = await runFaulty(fault, TARGET);
      expect(results.map((r) => r.id)).toEqual(CASES.map((s) => s.case.id));
      const target = results.find((r) => r.id === TARGET)!;
      expect(target.verdict, target.detail).toBe(verdict);
      expect(target.detail).toMatch(detail);
      expect(results.filter((r) => r.id !== TARGET).map((r) => r.verdict)).toEqual(Array(CASES.length - 1).fill('pass'));
      expect(seen).toBe(restarts);
      // bound for a hang: one timeout, one worker restart (tsx compiles the module again) and 5 quick cases
      expect(seconds).toBeLessThan(TIMEOUT_MS / 1000 + 30);
    });
  }

  it('run-getter-throws: `run` read for one case throws; that case is error, the others pass', async () => {
    const before = CASES[1]!.case.id;
    const { results } = await runFaulty('run-getter-throws', `next:${before}`);
    expect(results.map((r) => r.verdict)).toEqual(CASES.map((s) => (s.case.id === TARGET ? 'error' : 'pass')));
    expect(results.find((r) => r.id === TARGET)!.detail).toMatch(/run\(\) threw Error: run getter exploded/);
  });

  it('a sync loop on every case: each times out, the worker is restarted each time, and the suite ends', async () => {
    const targets = CASES.filter((_, i) => i % 2 === 0).map((s) => s.case.id);
    const { results, restarts, seconds } = await runFaulty('sync-loop', targets.join(','));
    expect(results.map((r) => r.verdict)).toEqual(CASES.map((_, i) => (i % 2 === 0 ? 'timeout' : 'pass')));
    expect(restarts).toBe(targets.length);
    expect(seconds).toBeLessThan(targets.length * (TIMEOUT_MS / 1000 + 30));
  });

  it('a module that cannot load again after a crash: the remaining cases are crash at once, not one load timeout each', async () => {
    await withFault('process-exit', TARGET, async () => {
      const backend = await WorkerModuleBackend.start(FAULTY_MODULE);
      try {
        process.env.QCONFORM_MODULE_FAULT = 'exit-on-load';
        const results = await runSuite(backend, CASES, { timeoutMs: TIMEOUT_MS });
        expect(results.map((r) => r.verdict)).toEqual(CASES.map((_, i) => (i < 2 ? 'pass' : 'crash')));
        expect(results.at(-1)!.detail).toMatch(/could not be started again: .*worker ended \(exit code 0.*while loading/);
      } finally {
        await backend.close();
      }
    });
  });

  it('load-time faults refuse the backend with a clear message', async () => {
    await withFault('capabilities-getter-throws', '', async () => {
      await expect(WorkerModuleBackend.start(FAULTY_MODULE)).rejects.toThrow(/reading capabilities threw Error: capabilities getter exploded/);
    });
    await withFault('long-version', '', async () => {
      await expect(WorkerModuleBackend.start(FAULTY_MODULE)).rejects.toThrow(/version is 1000000 bytes of UTF-8; at most 256/);
    });
    await withFault('huge-info', '', async () => {
      await expect(WorkerModuleBackend.start(FAULTY_MODULE)).rejects.toThrow(/info is 100011 bytes of JSON; at most 65536/);
    });
    await withFault('exit-on-load', '', async () => {
      await expect(WorkerModuleBackend.start(FAULTY_MODULE)).rejects.toThrow(/worker ended \(exit code 0.*while loading/);
    });
    await expect(WorkerModuleBackend.start(resolve(PROJECT_ROOT, 'tests/support/xml_check.ts'))).rejects.toThrow(/exports no backend/);
  });
});

describe('module faults through `qconform run`', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'qconform-module-faults-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const cases = CASES.map((s) => s.case.id);

  for (const [fault, verdict] of [
    ['sync-loop', 'timeout'],
    ['process-exit', 'crash'],
    ['control-chars', 'fail'],
    ['returns-null', 'error'],
  ] as const) {
    it(`${fault}: exit 1, the reports are written, valid and agree with the exit code`, async () => {
      const report = join(tmp, `${fault}.json`);
      const junit = join(tmp, `${fault}.xml`);
      const started = performance.now();
      const r = await runQconform(
        ['run', '--backend', 'tests/fixtures/backends/faulty_module.ts', '--case', ...cases, '--timeout', String(TIMEOUT_MS), '--report', report, '--junit', junit],
        { QCONFORM_MODULE_FAULT: fault, QCONFORM_MODULE_FAULT_ON: TARGET },
        90_000,
      );
      expect(r.exitCode, r.stdout + r.stderr).toBe(1);
      expect((performance.now() - started) / 1000).toBeLessThan(60);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json.passed).toBe(false);
      expect(json.results.map((x: { id: string; verdict: string }) => [x.id, x.verdict])).toEqual(cases.map((id) => [id, id === TARGET ? verdict : 'pass']));
      const xml = parseJunit(readFileSync(junit, 'utf8'));
      if ('error' in xml) throw new Error(`invalid JUnit XML: ${xml.error}`);
      expect(xml.testcases).toBe(cases.length);
      expect(xml.failures + xml.errors).toBe(1);
      // no raw control characters reach the console
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\ufffe]/);
      if (fault === 'control-chars') {
        expect(r.stdout).toContain('bad \\u{1b}[31mred\\u{1b}[0m \\u{0}nul \\u{fffe} \\u{d800} bell\\u{7}');
        expect(xml.messages.join('\n')).toContain('bad \\u{1b}[31mred');
      }
      expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
    });
  }

  it('a module calling process.exit while loading is refused with exit 2, not a silent exit 0', async () => {
    const r = await runQconform(['run', '--backend', 'tests/fixtures/backends/faulty_module.ts', '--case', cases[0]!], { QCONFORM_MODULE_FAULT: 'exit-on-load' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cannot start backend .*worker ended \(exit code 0/);
  });
});
