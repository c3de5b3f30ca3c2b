import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FUZZ_RUNS, MAX_TIMER_MS, integerIn } from '../../conformance/cli/numeric_options.js';
import { FileWriteError, writeFileAtomic } from '../../conformance/vectors/atomic_write.js';
import { runQconform } from '../support/cli_process.js';

/** `qconform run` refuses bad options and report destinations before it runs anything (exit 2), and never succeeds wrongly. */
const tmp = mkdtempSync(join(tmpdir(), 'qconform-hardening-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ONE_CASE = ['--backend', 'reference', '--case', 'quantize_per_tensor-00001'];

describe('numeric options', () => {
  const bad: Array<[option: string, value: string]> = [
    ['--timeout', 'NaN'],
    ['--timeout', 'abc'],
    ['--timeout', '0'],
    ['--timeout', '-5'],
    ['--timeout', '1.5'],
    ['--timeout', '2147483648'],
    ['--timeout', '1e3'],
    ['--fuzz', 'abc'],
    ['--fuzz', '0'],
    ['--fuzz', '-1'],
    ['--fuzz', '1000001'],
  ];
  it('the parser refuses each bad value, naming the range', () => {
    for (const [option, value] of bad) {
      const parse = option === '--timeout' ? integerIn(1, MAX_TIMER_MS) : integerIn(1, MAX_FUZZ_RUNS);
      expect(() => parse(value), `${option} ${value}`).toThrow(/expected an integer from 1 to \d+/);
    }
    expect(integerIn(1, MAX_TIMER_MS)('2147483647')).toBe(MAX_TIMER_MS);
  });

  for (const [option, value] of [['--timeout', 'NaN'], ['--fuzz', '0']] as const) {
    it(`qconform run ${option} ${value}: usage error, exit 2`, async () => {
      const r = await runQconform(['run', ...ONE_CASE, option, value]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain(`option '${option} <`);
      expect(r.stderr).toMatch(/expected an integer from 1 to \d+/);
    });
  }

  it('the limits themselves are accepted', async () => {
    const r = await runQconform(['run', ...ONE_CASE, '--timeout', '2147483647']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  });

  for (const backend of ['', '   ', '""']) {
    it(`--backend ${JSON.stringify(backend)}: usage error, exit 2, one line without a stack trace`, async () => {
      const r = await runQconform(['run', '--backend', backend]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toBe(`error: --backend needs a built-in name, a module path or a command; got ${JSON.stringify(backend)}\n`);
    });
  }

  it('an unknown option is a usage error too (exit 2)', async () => {
    expect((await runQconform(['run', ...ONE_CASE, '--no-such-option'])).exitCode).toBe(2);
  });
});

describe('report destinations are checked before the run', () => {
  it('--junit naming a directory: exit 2 at once, nothing written', async () => {
    const dir = join(tmp, 'a-directory');
    mkdirSync(dir);
    const r = await runQconform(['run', '--backend', 'reference', '--junit', dir]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: --junit: cannot write the report: ${dir} is a directory`);
    expect(r.stdout).toBe('');
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('--report under a file: exit 2', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const r = await runQconform(['run', ...ONE_CASE, '--report', join(file, 'run.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--report: cannot write the report: .* is not a directory/);
  });

  it('a write that fails anyway leaves no temporary file behind', () => {
    const target = join(tmp, 'occupied');
    mkdirSync(join(target, 'child'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x')).toThrow(FileWriteError);
    const underFile = join(tmp, 'plain-file');
    writeFileSync(underFile, '');
    expect(() => writeFileAtomic(join(underFile, 'x.json'), 'x')).toThrow(/cannot write .*plain-file\/x.json: (ENOTDIR|EEXIST)/);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a FIFO is never replaced by a report: --report on one is refused before the run, writeFileAtomic refuses it', async () => {
    const fifo = join(tmp, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runQconform(['run', ...ONE_CASE, '--report', fifo]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: --report: cannot write the report: ${fifo}: it is a FIFO, which writing the file would replace`);
    expect(() => writeFileAtomic(fifo, 'x')).toThrow(/it is a FIFO/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('a destination that passes the checks but cannot be written: one line and exit 2, no stack trace', async () => {
    // /proc/version: a regular file to stat (and writable to root's access check), but no file can be created in /proc
    const junit = join(tmp, 'beside-proc.xml');
    const r = await runQconform(['run', ...ONE_CASE, '--report', '/proc/version', '--junit', junit]);
    expect(r.exitCode, r.stderr).toBe(2);
    // root passes the checks and fails at the write: the summary is printed and the other report written first
    if (!r.stderr.includes('is not writable')) {
      expect(r.stdout).toContain('1 cases: 1 pass');
      expect(readFileSync(junit, 'utf8')).toContain('<testsuites');
      expect(r.stderr).toMatch(/cannot write \/proc\/version: \w+ while /);
    }
    expect(r.stderr).toMatch(/^error: (--report: cannot write the report: \/proc\/version is not writable|cannot write \/proc\/version: .*)$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('what a run holds by default', () => {
  it('only the claimed cases; --all-cases adds the others as unsupported, and the summary says what to do', async () => {
    const backend = ['--backend', 'python3 examples/python_backend/qconform_backend.py', '--op', 'quantize_per_tensor'];
    const claimed = await runQconform(['run', ...backend]);
    expect(claimed.exitCode, claimed.stdout + claimed.stderr).toBe(0);
    expect(claimed.stdout).toMatch(/(\d+) of 1200 selected cases are outside python-example's claims and were left out/);
    const all = await runQconform(['run', ...backend, '--all-cases']);
    expect(all.exitCode).toBe(1);
    expect(all.stdout).toMatch(/The run fails only because \d+ cases are unsupported/);
    expect(all.stdout).toMatch(/Run without --all-cases/);
  });
});

describe("options of the other mode (conformance/runner/mode_options.ts): a usage error, not silently ignored", () => {
  const conflicts: Array<[args: string[], named: RegExp]> = [
    [['--fuzz', '3', '--seed', '1', '--case', 'quantize_per_tensor-00001'], /--case selects or judges vector cases; a --fuzz run draws fresh cases/],
    [['--fuzz', '3', '--seed', '1', '--scheme', 'torch-1.13', '--vectors', 'vectors/torch-1.13', '--all-cases'], /--vectors, --scheme, --all-cases select or judge vector cases/],
    [['--fuzz', '3', '--waivers', 'none.txt', '--strict-contract'], /--waivers, --strict-contract select or judge/],
    [['--case', 'quantize_per_tensor-00001', '--seed', '7'], /--seed is the seed of a --fuzz run; a vector run has no randomness/],
  ];
  for (const [args, named] of conflicts) {
    it(`qconform run --backend reference ${args.join(' ')}: exit 2, one line naming them`, async () => {
      const r = await runQconform(['run', '--backend', 'reference', ...args]);
      expect(r.exitCode, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(named);
    });
  }
});
