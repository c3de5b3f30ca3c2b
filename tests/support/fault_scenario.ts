/**
 * The fault suite's harness (tests/runner/faults/): runs `qconform run` on the deliberately faulty process
 * backend tests/fixtures/backends/faulty_process.mjs over a small vector file, then hands back what a user
 * would see: exit code, console, the JSON report, the JUnit report parsed by a real XML parser, the HTML report, the time
 * taken, and the pid of every process the backend started (to check none is left behind).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import type { CaseResult, Verdict } from '../../conformance/runner/results.js';
import { TORCH_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { PROJECT_ROOT } from './runner_fixtures.js';

export const FAULTY_PROCESS = resolve(PROJECT_ROOT, 'tests/fixtures/backends/faulty_process.mjs');
/** Generous bound on one scenario, from spawning the runner to its exit. */
export const SCENARIO_BOUND_MS = 20_000;

/** The first 7 golden quantize_per_tensor cases, in a vector file of their own. */
export function faultVectors(dir: string): { file: string; ids: string[] } {
  const lines = readFileSync(join(TORCH_VECTORS_DIR, 'quantize_per_tensor.v1.jsonl'), 'utf8').split('\n').slice(0, 7);
  const file = join(dir, 'cases.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, ids: lines.map((l) => (JSON.parse(l) as { id: string }).id) };
}

export interface Scenario {
  /** --fault of the fixture, committed on the case indices in `on`. */
  readonly fault?: string;
  readonly on?: readonly number[];
  /** Further fixture arguments (--handshake KIND, --exit-at-once, --delay MS, ...). */
  readonly backendArgs?: readonly string[];
  readonly timeoutMs?: number;
  /** --jobs: instances of the backend run at once (default 1). */
  readonly jobs?: number;
  /**
   * Send this signal to the runner `afterMs` after the backend's `afterStarts`-th process (default 1) was spawned (its
   * pid recorded: before its handshake).
   */
  readonly interrupt?: { readonly signal: NodeJS.Signals; readonly afterMs: number; readonly afterStarts?: number };
}

export interface JunitCase {
  readonly id: string;
  /** pass, or the element the case carries: failure, error, skipped. */
  readonly outcome: 'pass' | 'failure' | 'error' | 'skipped';
  readonly type?: string;
  readonly message?: string;
}

export interface ScenarioRun {
  readonly ids: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly report: { passed: boolean; counts: Record<Verdict, number>; results: CaseResult[]; run_info: { backend: { warnings: string[] } } } | null;
  readonly junit: { valid: true | string; cases: JunitCase[]; failures: number; errors: number; skipped: number } | null;
  /** The --html report's text. */
  readonly html: string | null;
  /** The size in bytes of each report written (json, junit, html). */
  readonly reportBytes: { readonly json: number; readonly junit: number; readonly html: number };
  readonly pids: readonly number[];
}

function parseJunit(xml: string): NonNullable<ScenarioRun['junit']> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { valid: JSON.stringify(valid.err), cases: [], failures: 0, errors: 0, skipped: 0 };
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
    testsuites: { testsuite: Array<{ failures: string; errors: string; skipped: string; testcase: Array<Record<string, { type?: string; message?: string } | string>> }> };
  };
  const suites = doc.testsuites.testsuite;
  const cases = suites.flatMap((s) =>
    s.testcase.map((tc): JunitCase => {
      const outcome = (['failure', 'error', 'skipped'] as const).find((k) => k in tc);
      const el = outcome ? (tc[outcome] as { type?: string; message?: string }) : undefined;
      return { id: tc.name as string, outcome: outcome ?? 'pass', ...(el?.type ? { type: el.type } : {}), ...(el?.message ? { message: el.message } : {}) };
    }),
  );
  const sum = (k: 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + Number(s[k]), 0);
  return { valid: true, cases, failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') };
}

const sizeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
const readPids = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);

/** Run `qconform run` on the faulty process backend in a fresh temporary directory. */
export async function runScenario(s: Scenario): Promise<ScenarioRun> {
  const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
  const { file, ids } = faultVectors(dir);
  const pidFile = join(dir, 'pids');
  const on = (s.on ?? []).map((i) => ids[i]).join(',');
  const backend = [process.execPath, FAULTY_PROCESS, '--vectors', file, '--pids', pidFile, '--fault', s.fault ?? 'none', ...(on ? ['--on', on] : []), ...(s.backendArgs ?? [])].join(' ');
  const report = join(dir, 'run.json');
  const junit = join(dir, 'run.xml');
  const html = join(dir, 'run.html');
  const args = ['run', '--backend', backend, '--vectors', file, '--timeout', String(s.timeoutMs ?? 2000), '--report', report, '--junit', junit, '--html', html, ...(s.jobs ? ['--jobs', String(s.jobs)] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/qconform.mjs'), ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 3 * SCENARIO_BOUND_MS); // never hang the test suite itself
  if (s.interrupt) {
    const { signal, afterMs, afterStarts = 1 } = s.interrupt;
    void (async () => {
      while (readPids(pidFile).length < afterStarts && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, afterMs));
      child.kill(signal);
    })();
  }
  const exitCode = await new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  clearTimeout(killer);
  const ms = performance.now() - started;
  return {
    ids,
    exitCode,
    stdout,
    stderr,
    ms,
    report: existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : null,
    junit: existsSync(junit) ? parseJunit(readFileSync(junit, 'utf8')) : null,
    html: existsSync(html) ? readFileSync(html, 'utf8') : null,
    reportBytes: { json: sizeOf(report), junit: sizeOf(junit), html: sizeOf(html) },
    pids: readPids(pidFile),
  };
}

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every process the backend started, and its process group, is gone (allowing 2 s for the kernel to reap them). */
export async function expectNoProcessLeft(pids: readonly number[]): Promise<void> {
  expect(pids.length, 'the fixture recorded its pids').toBeGreaterThan(0);
  for (let waited = 0; waited < 2000 && pids.some(alive); waited += 50) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(alive), 'processes left behind').toEqual([]);
}

const JUNIT_OUTCOME: Record<Verdict, JunitCase['outcome']> = {
  pass: 'pass',
  fail: 'failure',
  'stale-waiver': 'failure',
  error: 'error',
  timeout: 'error',
  crash: 'error',
  unsupported: 'skipped',
  waived: 'skipped',
  'not-run': 'skipped',
};

/**
 * The whole contract of a scenario: each case has the expected verdict (`pass` unless listed), with a
 * detail matching the pattern given; the JSON, JUnit and HTML reports were written, the JUnit XML is valid and
 * agrees case by case; the exit code is the one given; it took less than SCENARIO_BOUND_MS; and no process
 * of the backend is left.
 */
export async function expectJudged(run: ScenarioRun, expected: Record<number, [Verdict, RegExp]>, exitCode: number): Promise<void> {
  const want = run.ids.map((id, i) => ({ id, verdict: expected[i]?.[0] ?? 'pass', detail: expected[i]?.[1] }));
  const context = `exit ${run.exitCode}\nstdout:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-3000)}`;
  expect(run.report, `JSON report written\n${context}`).not.toBeNull();
  const results = run.report!.results;
  expect(results.map((r) => [r.id, r.verdict]), context).toEqual(want.map((w) => [w.id, w.verdict]));
  for (const w of want) if (w.detail) expect(results.find((r) => r.id === w.id)!.detail, w.id).toMatch(w.detail);
  expect(run.report!.passed).toBe(want.every((w) => w.verdict === 'pass'));
  expect(run.junit, 'JUnit report written').not.toBeNull();
  expect(run.junit!.valid).toBe(true);
  expect(run.junit!.cases.map((c) => [c.id, c.outcome])).toEqual(want.map((w) => [w.id, JUNIT_OUTCOME[w.verdict]]));
  expect(run.junit!.errors).toBe(want.filter((w) => JUNIT_OUTCOME[w.verdict] === 'error').length);
  expect(run.html, 'HTML report written').not.toBeNull();
  expect(run.exitCode, context).toBe(exitCode);
  expect(run.ms).toBeLessThan(SCENARIO_BOUND_MS);
  await expectNoProcessLeft(run.pids);
}
