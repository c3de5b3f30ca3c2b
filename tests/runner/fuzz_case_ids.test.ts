/**
 * Every request of a --fuzz run has an id of its own (conformance/runner/fuzz/fuzz_trial.ts fuzzCaseId): drawn cases and
 * shrink attempts alike, so a backend's late or repeated answer is told apart from the next case's, as in a vector run: a
 * repeated answer is a backend warning, a second, different one makes its case an `error` (a process backend that
 * answers its third request twice: tests/fixtures/backends/python_fuzz_faults.py). And the path of any request, given to
 * --replay, sends the same request again first (id included) and gets the same verdict.
 * Replay: npx vitest run tests/runner/fuzz_case_ids.test.ts (seeds pinned below).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { fuzzBackend } from '../../conformance/runner/fuzz/fuzz_run.js';
import roundHalfUp from '../fixtures/backends/round_half_up_backend.js';
import { runQconform } from '../support/cli_process.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-fuzz-ids-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SEED = 11;
const RUNS = 30;

/** round-half-up (ties rounded up: it mismatches and is shrunk) recording every request it is sent. */
function recording(): { backend: Backend; requests: WireRequest[] } {
  const requests: WireRequest[] = [];
  return { requests, backend: { ...roundHalfUp, run: (request, o) => (requests.push(request), roundHalfUp.run(request, o)) } };
}

async function fuzzed(path?: string) {
  const { backend, requests } = recording();
  const lines: string[] = [];
  const found = await fuzzBackend(backend, { runs: RUNS, seed: SEED, timeoutMs: 10_000, backendSpec: 'round-half-up', ops: ['quantize_per_tensor'], ...(path ? { path } : {}) }, (s) => lines.push(s));
  return { found, requests, lines };
}

describe('--fuzz request ids', () => {
  it('each request, shrink attempts included, has its own id, and each is one result; the minimal case is fast-check\'s counterexample', async () => {
    const { found, requests, lines } = await fuzzed();
    const ids = requests.map((r) => r.id);
    expect(new Set(ids).size, `replay: seed ${SEED}, --fuzz ${RUNS}`).toBe(ids.length);
    expect(found.results.map((r) => r.id)).toEqual(ids);
    expect(requests.some((r) => r.id.includes('-shrink'))).toBe(true);
    const minimal = found.results.filter((r) => r.fuzz?.minimal);
    expect(minimal).toHaveLength(1);
    // the replay line printed with the MISMATCH names the minimal case's path (fast-check's counterexamplePath)
    expect(lines.join('\n')).toContain(`--replay '${minimal[0]!.fuzz!.path}'`);
    expect(found.problems).toEqual([]);
  });

  it('the replay of any request\'s path sends that very request first and judges it the same', async () => {
    const run = await fuzzed();
    const byId = new Map(run.requests.map((r) => [r.id, r]));
    const results = run.found.results;
    const picks = [
      results.find((r) => r.verdict === 'pass' && !r.fuzz!.path.includes(':')),
      results.find((r) => r.verdict === 'pass' && r.fuzz!.path.includes(':')),
      results.find((r) => r.verdict === 'fail' && !r.fuzz!.path.includes(':')),
      results.find((r) => r.verdict === 'fail' && r.fuzz!.path.split(':').length > 3 && !r.fuzz!.minimal),
      results.find((r) => r.fuzz!.minimal),
    ];
    for (const pick of picks) {
      expect(pick).toBeDefined();
      const replayed = await fuzzed(pick!.fuzz!.path);
      const where = `replay: seed ${SEED}, --fuzz ${RUNS}, --replay ${pick!.fuzz!.path}`;
      expect(replayed.requests[0], where).toEqual(byId.get(pick!.id));
      expect(replayed.found.results[0]!.verdict, where).toBe(pick!.verdict);
      // a case that passes is judged alone; a failing one is shrunk again, to the same minimal case
      if (pick!.verdict === 'pass') expect(replayed.requests, where).toHaveLength(1);
      else expect(replayed.found.results.find((r) => r.fuzz?.minimal)?.id, where).toBe(results.find((r) => r.fuzz?.minimal)!.id);
    }
  });
});

describe('--fuzz answers repeated or contradicted by a process backend', () => {
  const backend = (fault: string) => `python3 tests/fixtures/backends/python_fuzz_faults.py --fault ${fault} --nth 3`;

  it('the same answer again, while the next case is pending: a backend warning, the cases judged as usual (exit 0)', async () => {
    const report = join(tmp, 'duplicate.json');
    const r = await runQconform(['run', '--backend', backend('duplicate'), '--fuzz', '30', '--seed', '1', '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fuzz quantize_per_tensor@1: 30 fresh cases agree with the reference/);
    expect(r.stdout).toMatch(/answered quantize_per_tensor@1_fuzz-s1-\d+ again while quantize_per_tensor@1_fuzz-s1-\d+ was pending/);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ passed: true, counts: { pass: 30 } });
    expect(json.run_info.backend.warnings).toHaveLength(1);
  });

  it('a second, different answer: that case is an error, printed with its replay line, and the run fails (exit 1)', async () => {
    const report = join(tmp, 'contradict.json');
    const r = await runQconform(['run', '--backend', backend('contradict'), '--fuzz', '30', '--seed', '1', '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ passed: false, counts: { pass: 29, error: 1 } });
    const error = json.results.find((x: { verdict: string }) => x.verdict === 'error');
    expect(error.detail).toMatch(/^the backend answered this case twice, differently \(its first answer was judged pass\); the second answer: /);
    expect(error.id).toBe(json.results[2].id);
    expect(r.stdout).toContain(`fuzz quantize_per_tensor@1: ERROR: case ${error.id}: the backend answered this case twice, differently`);
    expect(r.stdout).toContain(`replay: ${error.replay}`);
  });
});
