/**
 * Fault suite, SIGINT/SIGTERM while the backend starts: a start may take up to its 30 s handshake timeout, and a signal
 * then (to the only instance, or to a --jobs instance after others started, or under --fuzz) stops the run as a signal
 * mid-run does: every selected case `error` "run interrupted", the reports written, the backend processes ended, exit
 * 130/143, without waiting for the start. Before, the runner exited 130/143 at once with no verdict and no report.
 * The fixture backend writes its handshake 30 s after it starts (--start-delay; with --slow-from 2 only its second
 * process, so the first instance of a --jobs run starts at once); the module fixture takes 30 s to load (slow-load), which
 * the run, once its reports are written, does not wait for either.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTY_PROCESS, SCENARIO_BOUND_MS, expectJudged, expectNoProcessLeft, faultVectors, runScenario } from '../../support/fault_scenario.js';
import { runAndInterrupt } from '../../support/interrupted_cli.js';

const START_DELAY = ['--start-delay', '30000'];
const interrupted = (signal: string): Record<number, ['error', RegExp]> => Object.fromEntries(Array.from({ length: 7 }, (_, i) => [i, ['error', new RegExp(`^run interrupted \\(${signal}\\) before this case ran$`)]]));

describe('fault suite: a signal while the backend starts', () => {
  it('SIGINT while the only instance starts: every case error "run interrupted", reports written, exit 130', async () => {
    const run = await runScenario({ backendArgs: START_DELAY, interrupt: { signal: 'SIGINT', afterMs: 1000 } });
    await expectJudged(run, interrupted('SIGINT'), 130);
    expect(run.stderr).toContain('qconform: SIGINT: stopping');
    expect(run.pids, 'one process started').toHaveLength(1);
  });

  it('SIGTERM while the second of --jobs 3 starts (the first started): every case error "run interrupted", reports written, exit 143', async () => {
    const run = await runScenario({ jobs: 3, backendArgs: [...START_DELAY, '--slow-from', '2'], interrupt: { signal: 'SIGTERM', afterMs: 500, afterStarts: 2 } });
    await expectJudged(run, interrupted('SIGTERM'), 143);
    expect(run.pids, 'the first instance and the second, starting').toHaveLength(2);
  });

  for (const [signal, code, jobs] of [
    ['SIGINT', 130, 1],
    ['SIGTERM', 143, 2],
  ] as const) {
    it(`--fuzz --jobs ${jobs}: ${signal} while an instance starts writes the reports (runner problem INTERRUPTED), exit ${code}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
      const { file } = faultVectors(dir);
      const pids = join(dir, 'pids');
      const backend = [process.execPath, FAULTY_PROCESS, '--vectors', file, '--pids', pids, ...START_DELAY, ...(jobs > 1 ? ['--slow-from', '2'] : [])].join(' ');
      const out = { report: join(dir, 'f.json'), junit: join(dir, 'f.xml'), html: join(dir, 'f.html') };
      const command = ['run', '--backend', backend, '--fuzz', '5', '--seed', '1', '--jobs', String(jobs), '--report', out.report, '--junit', out.junit, '--html', out.html];
      const started = () => existsSync(pids) && readFileSync(pids, 'utf8').split('\n').filter(Boolean).length >= jobs;
      const r = await runAndInterrupt(command, { ready: started, signal, afterMs: 500, boundMs: SCENARIO_BOUND_MS });
      const where = `qconform ${command.join(' ')}\n${r.stdout}${r.stderr}`;
      expect(r.killed, where).toBe(false);
      expect(r.exitCode, where).toBe(code);
      expect(r.exitAfterSignalMs!, 'the start was not waited out').toBeLessThan(SCENARIO_BOUND_MS);
      const json = JSON.parse(readFileSync(out.report, 'utf8'));
      expect(json, where).toMatchObject({ passed: false, results: [], runner_problems: [expect.stringMatching(new RegExp(`^fuzz \\S+: INTERRUPTED \\(${signal}\\) after 0 judged cases`))] });
      expect(readFileSync(out.junit, 'utf8'), where).toContain('INTERRUPTED');
      expect(readFileSync(out.html, 'utf8'), where).toContain('FAILED');
      await expectNoProcessLeft(readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number));
    });
  }

  it('SIGINT while a module backend loads in its worker (30 s): the reports written and the run exits 130 without waiting for the load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-fault-'));
    const { file, ids } = faultVectors(dir);
    const loading = join(dir, 'loading');
    const report = join(dir, 'm.json');
    const command = ['run', '--backend', 'tests/fixtures/backends/faulty_module.ts', '--vectors', file, '--report', report];
    const r = await runAndInterrupt(command, { ready: () => existsSync(loading), signal: 'SIGINT', afterMs: 200, boundMs: SCENARIO_BOUND_MS, env: { QCONFORM_MODULE_FAULT: 'slow-load', QCONFORM_MODULE_LOADING: loading } });
    const where = `qconform ${command.join(' ')}\n${r.stdout}${r.stderr}`;
    expect(r.killed, where).toBe(false);
    expect(r.exitCode, where).toBe(130);
    expect(r.exitAfterSignalMs!, `${where}\nthe load was not waited for`).toBeLessThan(10_000);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { results: Array<{ id: string; verdict: string; detail: string }> };
    expect(json.results.map((c) => [c.id, c.verdict, c.detail]), where).toEqual(ids.map((id) => [id, 'error', 'run interrupted (SIGINT) before this case ran']));
  });
});
