/**
 * `qconform run --fuzz` writes --report, --junit and --html as a vector run does (conformance/runner/run_command.ts
 * runFuzz): one result per case the backend was asked (shrink attempts too), each with its fuzz path and replay line, the
 * shrunk minimal case marked; ops that judged nothing are runner problems, so `passed`, JUnit's counts and the exit code
 * agree; a stale report from an earlier run is replaced; SIGINT mid-run still writes them (exit 130).
 * Seeds are pinned in each command; each failure message names the command.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../conformance/runner/reports/html_page.js';
import { runQconform } from '../support/cli_process.js';
import { runAndInterrupt } from '../support/interrupted_cli.js';
import { parseJunit } from '../support/xml_check.js';

const ROUND_HALF_UP = 'tests/fixtures/backends/round_half_up_backend.ts';
const tmp = mkdtempSync(join(tmpdir(), 'qconform-fuzz-reports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  id: string;
  verdict: string;
  detail?: string;
  location: string;
  fuzz: { path: string; minimal?: true };
  replay: string;
}

function reports(name: string) {
  const files = { report: join(tmp, `${name}.json`), junit: join(tmp, `${name}.xml`), html: join(tmp, `${name}.html`) };
  const args = ['--report', files.report, '--junit', files.junit, '--html', files.html];
  const read = () => ({
    json: JSON.parse(readFileSync(files.report, 'utf8')) as { passed: boolean; counts: Record<string, number>; runner_problems?: string[]; run_info: Record<string, unknown>; results: Result[] },
    junit: parseJunit(readFileSync(files.junit, 'utf8')),
    html: readFileSync(files.html, 'utf8'),
  });
  return { files, args, read };
}

describe('qconform run --fuzz with --report, --junit and --html', () => {
  it('a mismatch: every case asked is a result with its replay line, the minimal case marked, a stale report replaced (exit 1)', async () => {
    const out = reports('mismatch');
    writeFileSync(out.files.report, '{"passed": true}\n'); // a stale report of an earlier run
    const command = ['run', '--backend', ROUND_HALF_UP, '--op', 'quantize_per_tensor', '--fuzz', '30', '--seed', '11', ...out.args];
    const r = await runQconform(command);
    const where = `qconform ${command.join(' ')}`;
    expect(r.exitCode, `${where}\n${r.stdout}${r.stderr}`).toBe(1);
    const { json, junit, html } = out.read();
    expect(json.passed, where).toBe(false);
    expect(json.run_info.fuzz, where).toEqual({ runs: 30, seed: 11, replay: null, streams: [{ runs: 30, seed: 11 }] });
    const results = json.results;
    expect(new Set(results.map((x) => x.id)).size, where).toBe(results.length);
    for (const x of results) {
      expect(x.replay, where).toBe(`npx qconform run --backend '${ROUND_HALF_UP}' --op quantize_per_tensor@1 --fuzz 30 --seed 11 --replay '${x.fuzz.path}'`);
      expect(x.location, where).toBe(`fuzz seed 11, path ${x.fuzz.path}`);
    }
    const fails = results.filter((x) => x.verdict === 'fail').length;
    expect(fails, where).toBeGreaterThan(1); // the first failing draw and the failing shrink attempts
    expect(json.counts, where).toMatchObject({ pass: results.length - fails, fail: fails });
    const minimal = results.filter((x) => x.fuzz.minimal);
    expect(minimal, where).toHaveLength(1);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    // the vector line carries a vector file's id (the request's is the run's own)
    expect(JSON.parse(lines[lines.indexOf('minimal case as a vector line (expectation: the exact reference):') + 1]!).id, where).toBe('quantize_per_tensor_fuzz-00011');
    expect(lines[lines.indexOf('replay:') + 1], where).toBe(minimal[0]!.replay);
    expect(junit, where).toMatchObject({ tests: results.length, testcases: results.length, failures: fails, errors: 0 });
    expect(junit, where).toHaveProperty('messages', expect.arrayContaining([expect.stringMatching(/^the shrunk minimal case: output q\[\d+\]: expected/)]));
    expect(html, where).toContain(`${escapeHtml(minimal[0]!.id)}<br><b>the shrunk minimal case</b>`);
    expect(html, where).toContain(escapeHtml(minimal[0]!.replay));
  });

  it('a clean run: every judged draw a pass in all three reports (exit 0)', async () => {
    const out = reports('clean');
    const command = ['run', '--backend', 'impl', '--op', 'quantize_per_tensor', '--fuzz', '20', '--seed', '1', ...out.args];
    const r = await runQconform(command);
    const where = `qconform ${command.join(' ')}`;
    expect(r.exitCode, `${where}\n${r.stdout}${r.stderr}`).toBe(0);
    const { json, junit, html } = out.read();
    expect(json, where).toMatchObject({ passed: true, counts: { pass: 20 } });
    expect(json.results, where).toHaveLength(20);
    expect(junit, where).toMatchObject({ tests: 20, failures: 0, errors: 0 });
    expect(html, where).toContain('PASSED');
    // a fuzz report is no shard of a selection: merge refuses it, saying so
    const merge = await runQconform(['merge', out.files.report]);
    expect(merge.exitCode).toBe(2);
    expect(merge.stderr).toContain('a --fuzz report: fuzz runs are not merged');
  });

  it('no op judged (--op names a catalogue op the backend does not claim): the reports hold the runner problem and say failed (exit 1)', async () => {
    const out = reports('nothing');
    const command = ['run', '--backend', ROUND_HALF_UP, '--op', 'dequantize_per_tensor', '--fuzz', '3', '--seed', '1', ...out.args];
    const r = await runQconform(command);
    const where = `qconform ${command.join(' ')}`;
    expect(r.exitCode, `${where}\n${r.stdout}${r.stderr}`).toBe(1);
    const { json, junit, html } = out.read();
    expect(json, where).toMatchObject({ passed: false, results: [], runner_problems: [expect.stringMatching(/^fuzz: NOTHING JUDGED/)] });
    expect(junit, where).toMatchObject({ errors: 1 });
    expect(html, where).toContain('FAILED');
  });

  it('a built-in not available here: the reports say so (a runner problem, failed), exit 3', async () => {
    const out = reports('unavailable');
    writeFileSync(out.files.report, '{"passed": true}\n'); // a stale report of an earlier run
    const command = ['run', '--backend', 'torch-qnnpack', '--fuzz', '3', '--seed', '2', ...out.args];
    const r = await runQconform(command, { QCONFORM_TORCH_PYTHON: '/nonexistent/python3' });
    const where = `qconform ${command.join(' ')}`;
    expect(r.exitCode, `${where}\n${r.stdout}${r.stderr}`).toBe(3);
    const { json, junit } = out.read();
    expect(json, where).toMatchObject({ passed: false, results: [], runner_problems: [expect.stringMatching(/^backend unavailable: /)] });
    expect(junit, where).toMatchObject({ errors: 1 });
  });

  it('SIGINT while a case is pending: that case error "run interrupted", the cases before kept, the reports written (exit 130)', async () => {
    const out = reports('interrupted');
    const marker = join(tmp, 'pending');
    const backend = `python3 tests/fixtures/backends/python_fuzz_faults.py --fault hang --nth 3 --marker ${marker}`;
    const command = ['run', '--backend', backend, '--fuzz', '30', '--seed', '1', '--timeout', '60000', ...out.args];
    const r = await runAndInterrupt(command, { ready: () => existsSync(marker), signal: 'SIGINT', afterMs: 0, boundMs: 15_000 });
    const where = `qconform ${command.join(' ')}`;
    expect(r.killed, `${where}\n${r.stdout}${r.stderr}`).toBe(false);
    expect(r.exitCode, `${where}\n${r.stdout}${r.stderr}`).toBe(130);
    const { json, junit } = out.read();
    const pending = readFileSync(marker, 'utf8').trim();
    expect(json.passed, where).toBe(false);
    expect(json.results.map((x) => x.verdict), where).toEqual(['pass', 'pass', 'error']);
    expect(json.results[2], where).toMatchObject({ id: pending, detail: 'run interrupted (SIGINT) while this case ran' });
    expect(json.runner_problems, where).toEqual([expect.stringMatching(/^fuzz quantize_per_tensor@1: INTERRUPTED \(SIGINT\) after 2 judged cases/)]);
    expect(junit, where).toMatchObject({ tests: 4, errors: 2 });
  });
});
