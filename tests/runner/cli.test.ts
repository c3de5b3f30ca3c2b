import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCases } from '../../conformance/vectors/vector_set.js';
import { runQconform } from '../support/cli_process.js';
import { copyVectorSet, editCaseLines, removeVectorSet } from '../support/vector_set_tampering.js';

/** `qconform run` as a user runs it: exit codes, the summary, reports, waivers, refusals, fuzzing. */
const ROUND_HALF_UP = 'tests/fixtures/backends/round_half_up_backend.ts';
const PYTHON_EXAMPLE = 'python3 examples/python_backend/qconform_backend.py';
const tmp = mkdtempSync(join(tmpdir(), 'qconform-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qconform run', () => {
  it('passes the reference on one op, prints the op × scheme table and writes JSON and JUnit reports', async () => {
    const report = join(tmp, 'report.json');
    const junit = join(tmp, 'junit.xml');
    const r = await runQconform(['run', '--backend', 'reference', '--op', 'dequantize_per_tensor', '--report', report, '--junit', junit]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dequantize_per_tensor@1\s+500\/500/);
    expect(r.stdout).toMatch(/PASS$/m);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ format: 'qconform-report/1', passed: true, counts: { pass: 500 } });
    expect(json.run_info).toMatchObject({ backend: { name: 'reference' }, vectors: { manifest_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(json.run_info.qconform_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.results).toHaveLength(500);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="reference: dequantize_per_tensor@1" tests="500" failures="0" errors="0" skipped="0">/);
  });

  it('fails a module backend with the first differing element and its tags, and exits 1', async () => {
    const r = await runQconform(['run', '--backend', ROUND_HALF_UP, '--op', 'quantize_per_tensor', '--claimed-only']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/fail\s+quantize_per_tensor-\d{5}\s+output q\[\d+\]: expected \d+, got \d+ \[tie\]/);
    expect(r.stdout).toMatch(/FAIL$/m);
  });

  it('exits 0 when every failure is waived, and 1 for a stale waiver', async () => {
    const waivers = join(tmp, 'waivers.txt');
    writeFileSync(waivers, '# known\nquantize_per_tensor-00030 rounds ties up, fix pending\nquantize_per_tensor-00001 passes, so this waiver is stale\n');
    const waived = await runQconform(['run', '--backend', ROUND_HALF_UP, '--case', 'quantize_per_tensor-00030', '--waivers', waivers]);
    expect(waived.exitCode, waived.stdout).toBe(0);
    expect(waived.stdout).toMatch(/1 cases: 1 waived/);
    const stale = await runQconform(['run', '--backend', ROUND_HALF_UP, '--case', 'quantize_per_tensor-00001', '--waivers', waivers]);
    expect(stale.exitCode).toBe(1);
    expect(stale.stdout).toMatch(/stale-waiver\s+quantize_per_tensor-00001\s+waived \("passes, so this waiver is stale"\) but it now passes/);
  });

  it('refuses a tampered vector set with file:line and the rule, exit 2', async () => {
    const dir = copyVectorSet();
    try {
      editCaseLines(dir, 'quantize_per_tensor.v1.jsonl', (lines) => (lines[2] = '{"id": broken'), { rehash: true });
      const r = await runQconform(['run', '--backend', 'reference', '--vectors', dir]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(`refused: ${join(dir, 'quantize_per_tensor.v1.jsonl')}:3: json: line is not valid JSON`);
    } finally {
      removeVectorSet(dir);
    }
  });

  it('reports a backend that is not installed as unavailable with its install command: exit 3, every case an error in the reports', async () => {
    const env = { QCONFORM_TORCH_PYTHON: '/nonexistent/python3' };
    const report = join(tmp, 'unavailable.json');
    const junit = join(tmp, 'unavailable.xml');
    const r = await runQconform(['run', '--backend', 'torch-qnnpack', '--op', 'quantize_per_tensor', '--report', report, '--junit', junit], env);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/UNAVAILABLE: backend torch-qnnpack is not available here: .*Install it with: apt-get update && apt-get install -y python3-torch/);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ passed: false, counts: { error: 1200, pass: 0 } });
    expect(json.results[0].detail).toMatch(/^backend unavailable: /);
    expect(readFileSync(junit, 'utf8')).toMatch(/tests="1200" failures="0" errors="1200"/);
    expect((await runQconform(['run', '--backend', 'torch-qnnpack', '--require-available', '--case', 'quantize_per_tensor-00001'], env)).exitCode).toBe(3);
    const list = await runQconform(['backends'], env);
    expect(list.stdout).toMatch(/torch-onednn\s+unavailable: .*\n\s+install: apt-get/);
    expect(list.stdout).toMatch(/reference\s+available\n/);
  });

  it('validates a backend written in Python over the protocol', async () => {
    const r = await runQconform(['run', '--backend', PYTHON_EXAMPLE, '--op', 'quantize_per_tensor', '--claimed-only']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/python-example 0\.1\.0/);
    expect(r.stdout).toMatch(/\d+ of 1200 selected cases are outside python-example's claims and were left out \(--all-cases runs them as unsupported\)/);
  });
});

describe('qconform run --fuzz', () => {
  it('shrinks a mismatch to a committable vector line and a replay line that reproduces it', async () => {
    const r = await runQconform(['run', '--backend', ROUND_HALF_UP, '--fuzz', '200', '--seed', '5']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/fuzz quantize_per_tensor@1: MISMATCH after \d+ cases, shrunk \d+ times/);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    const vectorLine = lines[lines.indexOf('minimal case as a vector line (expectation: the exact reference):') + 1]!;
    const [c] = parseCases(`${vectorLine}\n`, 'fuzz');
    expect(c!.op).toBe('quantize_per_tensor@1');
    const replay = lines[lines.indexOf('replay:') + 1]!;
    const path = /--replay '([\d:]+)'/.exec(replay)![1]!;
    const again = await runQconform(['run', '--backend', ROUND_HALF_UP, '--op', 'quantize_per_tensor@1', '--fuzz', '200', '--seed', '5', '--replay', path]);
    expect(again.stdout).toContain(vectorLine);
  });

  it('finds nothing when the backend is the impl', async () => {
    const r = await runQconform(['run', '--backend', 'impl', '--fuzz', '30', '--seed', '1', '--op', 'quantize_per_tensor', 'fake_quantize_per_tensor_affine']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/fuzz quantize_per_tensor@1: 30 fresh cases agree with the reference/);
  });

  it('exits 1 when it judges nothing (no op of the backend selected)', async () => {
    const r = await runQconform(['run', '--backend', ROUND_HALF_UP, '--fuzz', '3', '--seed', '1', '--op', 'dequantize_per_tensor']);
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/fuzz: NOTHING JUDGED/);
  });
});
