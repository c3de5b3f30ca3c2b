/**
 * What `qconform run` and `qconform merge` read besides the backend's answers: the waiver file, the shard reports, the
 * vector file during the run, and where the reports go. Each fault is refused as a usage error (exit 2, one `error:`
 * line, no stack trace, nothing left running) or, once cases ran, costs only the cases it touches: every case keeps a
 * verdict and the reports are written.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQconform } from '../support/cli_process.js';
import { PROJECT_ROOT } from '../support/runner_fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-run-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FAULTY = join(PROJECT_ROOT, 'tests/fixtures/backends/faulty_process.mjs');
/** The first 6 cases of the torch 1.13 quantize_per_tensor vectors, as a loose .jsonl file of the test's own. */
function caseFile(name: string): string {
  const lines = readFileSync(join(PROJECT_ROOT, 'vectors/torch-1.13/quantize_per_tensor.v1.jsonl'), 'utf8').split('\n').slice(0, 6);
  const path = join(tmp, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const idsOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);

interface JsonReport {
  readonly passed: boolean;
  readonly results: readonly { id: string; verdict: string; detail?: string }[];
  readonly runner_problems?: readonly string[];
}
const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as JsonReport;

/** A refusal: exit 2, one error line naming `mentions`, no stack trace. */
function expectRefused(r: { exitCode: number | null; stderr: string; stdout: string }, mentions: string): void {
  expect(r.exitCode, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toContain('error: ');
  expect(r.stderr).toContain(mentions);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('--waivers that is not a regular file is refused before the backend starts', () => {
  it('a FIFO: refused at once (it would block the runner and its signal handlers)', async () => {
    const fifo = join(tmp, 'waivers.fifo');
    execFileSync('mkfifo', [fifo]);
    const vectors = caseFile('fifo.jsonl');
    const started = Date.now();
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', vectors, '--waivers', fifo, '--report', join(tmp, 'fifo.json')], {}, 30_000);
    expectRefused(r, 'a FIFO');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(existsSync(join(tmp, 'fifo.json'))).toBe(false);
  });

  it('/dev/zero (it would stream forever) and a directory', async () => {
    const vectors = caseFile('special.jsonl');
    for (const [path, kind] of [['/dev/zero', 'a character device'], [tmp, 'a directory']] as const) {
      const r = await runQconform(['run', '--backend', 'reference', '--vectors', vectors, '--waivers', path], {}, 30_000);
      expectRefused(r, kind);
    }
  });

  it('a waiver file over 4 MiB', async () => {
    const big = join(tmp, 'big.waivers.txt');
    writeFileSync(big, `# ${'x'.repeat(4 * 1024 * 1024)}\n`);
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', caseFile('big.jsonl'), '--waivers', big], {}, 30_000);
    expectRefused(r, 'too-large');
  });
});

describe('qconform merge refuses a shard report that is not a regular file', () => {
  it('/dev/zero and a FIFO: exit 2 at once', async () => {
    const fifo = join(tmp, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [path, kind] of [['/dev/zero', 'a character device'], [fifo, 'a FIFO']] as const) {
      const r = await runQconform(['merge', path, join(tmp, 'other.json')], {}, 30_000);
      expectRefused(r, kind);
    }
  });
});

describe('a report destination that would overwrite an input or another report is refused before the run', () => {
  it('--report naming the --vectors file: refused, the vectors intact', async () => {
    const vectors = caseFile('own.jsonl');
    const before = readFileSync(vectors, 'utf8');
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', vectors, '--report', vectors]);
    expectRefused(r, 'would overwrite the vectors');
    expect(readFileSync(vectors, 'utf8')).toBe(before);
  });

  it('--report inside the --vectors directory, and --report and --junit on one file', async () => {
    const dir = join(tmp, 'set');
    mkdirSync(dir);
    const inside = await runQconform(['run', '--backend', 'reference', '--vectors', dir, '--report', join(dir, 'run.json')]);
    expectRefused(inside, 'would overwrite a file in the vectors');
    const same = join(tmp, 'same.out');
    const both = await runQconform(['run', '--backend', 'reference', '--vectors', caseFile('both.jsonl'), '--report', same, '--junit', same]);
    expectRefused(both, 'is also the --report destination');
  });

  it('--report on the manifest of the set a --vectors file belongs to (selection reads the whole set)', async () => {
    const set = join(tmp, 'gemmlowp');
    mkdirSync(set);
    for (const f of ['manifest.json', 'requantize.v1.jsonl']) copyFileSync(join(PROJECT_ROOT, 'vectors/gemmlowp', f), join(set, f));
    const before = readFileSync(join(set, 'manifest.json'), 'utf8');
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', join(set, 'requantize.v1.jsonl'), '--report', join(set, 'manifest.json')]);
    expectRefused(r, 'would overwrite a file in the vectors');
    expect(readFileSync(join(set, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('--report naming the backend command\'s script, its path quoted with a space in it', async () => {
    const dir = join(tmp, 'with space');
    mkdirSync(dir);
    const script = join(dir, 'backend.mjs');
    copyFileSync(FAULTY, script);
    const vectors = caseFile('spaced.jsonl');
    const r = await runQconform(['run', '--backend', `node "${script}" --vectors ${vectors}`, '--vectors', vectors, '--report', script]);
    expectRefused(r, "would overwrite the backend command's file");
  });

  it('--report naming the backend command\'s script', async () => {
    const script = join(tmp, 'backend.mjs');
    copyFileSync(FAULTY, script);
    const vectors = caseFile('script.jsonl');
    const before = readFileSync(script, 'utf8');
    const r = await runQconform(['run', '--backend', `node ${script} --vectors ${vectors}`, '--vectors', vectors, '--report', script]);
    expectRefused(r, "would overwrite the backend command's file");
    expect(readFileSync(script, 'utf8')).toBe(before);
  });
});

describe('faults after the run started cost only what they touch', () => {
  it('a vector file changed during the run: the cases not yet read are error, naming the vector file; the reports are written', async () => {
    const vectors = caseFile('changing.jsonl');
    const ids = idsOf(vectors);
    const report = join(tmp, 'changing.json');
    const backend = `node ${FAULTY} --vectors ${vectors} --fault edit-vectors --on ${ids[2]}`;
    const r = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report, '--junit', join(tmp, 'changing.xml')]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    const results = readReport(report).results;
    expect(results.map((x) => x.id)).toEqual(ids);
    expect(results.slice(0, 3).map((x) => x.verdict)).toEqual(['pass', 'pass', 'pass']);
    for (const x of results.slice(3)) {
      expect(x.verdict).toBe('error');
      expect(x.detail).toContain('not run: the vector file could not be read again');
      expect(x.detail).toContain('changed');
    }
    expect(existsSync(join(tmp, 'changing.xml'))).toBe(true);
  });

  it('a vector line edited in place during the run, size and mtime kept: that case is error, naming the vector file; the backend is not blamed', async () => {
    const vectors = caseFile('edited-in-place.jsonl');
    utimesSync(vectors, 1_700_000_000, 1_700_000_000); // a whole second, which the fault restores exactly
    const ids = idsOf(vectors);
    const report = join(tmp, 'edited-in-place.json');
    const backend = `node ${FAULTY} --vectors ${vectors} --fault edit-vector-line --on ${ids[2]}`;
    const r = await runQconform(['run', '--backend', backend, '--vectors', vectors, '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(statSync(vectors).mtimeMs, 'the edit kept the mtime').toBe(1_700_000_000_000);
    const results = readReport(report).results;
    expect(results.map((x) => x.id)).toEqual(ids);
    expect(results.map((x) => x.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'error']);
    expect(results[5]!.detail).toBe(`not run: the vector file could not be read again (${vectors}:6: changed: the vector file changed during the run: line 6 is not the line validated when the run began (size and modification time unchanged); run again); the backend was not asked`);
  });

  it('--jobs 2 whose second instance cannot start: the run goes on with one, every case judged', async () => {
    const vectors = caseFile('jobs.jsonl');
    const once = join(tmp, 'started-once');
    const report = join(tmp, 'jobs.json');
    const r = await runQconform(['run', '--backend', `node ${FAULTY} --vectors ${vectors} --start-once ${once}`, '--vectors', vectors, '--jobs', '2', '--report', report]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('cannot start instance 2');
    expect(readReport(report).results.map((x) => x.verdict)).toEqual(idsOf(vectors).map(() => 'pass'));
  });

  it('a backend that claims none of the selected ops: "no cases to run", exit 1, and reports that say so', async () => {
    const vectors = caseFile('unclaimed.jsonl');
    const report = join(tmp, 'unclaimed.json');
    const junit = join(tmp, 'unclaimed.xml');
    const handshake = JSON.stringify({ protocol: 'qconform-eval/1', backend: 'claims-nothing', version: '1', ops: ['requantize@1'] });
    const script = join(tmp, 'claims_nothing.mjs');
    writeFileSync(script, `process.stdout.write(${JSON.stringify(handshake)} + '\\n'); process.stdin.resume();\n`);
    const r = await runQconform(['run', '--backend', `node ${script}`, '--vectors', vectors, '--report', report, '--junit', junit]);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('no cases to run');
    const written = readReport(report);
    expect(written.passed).toBe(false);
    expect(written.results).toEqual([]);
    expect(written.runner_problems?.[0]).toContain('no cases to run');
    expect(readFileSync(junit, 'utf8')).toContain('no cases to run');
  });
});
