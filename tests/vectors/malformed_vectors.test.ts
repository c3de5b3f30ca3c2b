/**
 * The malformed-vectors suite (issue 10): every mutation of a small valid vector set in
 * tests/support/malformed_vectors.ts is refused by the loader the runner uses (selectCases) with a
 * VectorFileError naming the rule and file:line (or the file), within a time bound, and a
 * representative subset is refused by the real CLI with exit 2, the same location and rule, and no
 * stack trace. The unmutated control set loads and passes on the reference backend (non-vacuity).
 */
import { appendFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { VectorFileError } from '../../conformance/vectors/vector_set.js';
import { runQconform } from '../support/cli_process.js';
import { MUTATIONS, type Mutation, removeSet, writeSet } from '../support/malformed_vectors.js';

/** A refusal must come quickly: the sets are a few kilobytes (one mutation writes a 16 MiB line). */
const LOADER_BOUND_MS = 15_000;
const CLI_BOUND_MS = 90_000;
const STACK_FRAME = /\n\s+at .+[:(]/;

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeSet));

function prepare(m?: Mutation): { dir: string; source: string; location: string } {
  const dir = writeSet(m);
  dirs.push(dir);
  const source = m?.source ? m.source(dir) : dir;
  const location = m ? (isAbsolute(m.at) ? m.at : join(dir, m.at)) : dir;
  return { dir, source, location };
}

describe('malformed vector sets', () => {
  it('has at least 60 distinct named mutations, a third of the rules exercised through the CLI', () => {
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(MUTATIONS.map((m) => m.rule)).size).toBeGreaterThanOrEqual(15);
    expect(MUTATIONS.filter((m) => m.cli).length).toBeGreaterThanOrEqual(10);
  });

  it('control: the unmutated set loads completely', () => {
    const { source } = prepare();
    const selection = selectCases(source);
    expect(selection.cases).toHaveLength(15);
    expect(new Set(selection.cases.map((s) => s.case.op)).size).toBe(8);
    expect(selection.cases.filter((s) => 'error' in s.case.expect)).toHaveLength(2);
  });

  it('control: the unmutated set passes on the reference backend through the CLI (exit 0)', { timeout: CLI_BOUND_MS + 10_000 }, async () => {
    const { source } = prepare();
    const r = await runQconform(['run', '--backend', 'reference', '--vectors', source], {}, CLI_BOUND_MS);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\b15\b/);
  });

  it('changed: a case file edited after validation is refused when its case is read back, not run', () => {
    const { dir } = prepare();
    const selection = selectCases(dir);
    const target = selection.cases[1]!;
    expect(target.case.id).toBe('quantize_per_tensor-00245');
    appendFileSync(join(dir, 'quantize_per_tensor.v1.jsonl'), '{}\n');
    let error: unknown;
    try {
      void selection.cases[0]!.case; // not the case read last, which is cached
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VectorFileError);
    expect((error as VectorFileError).rule).toBe('changed');
    expect((error as VectorFileError).location).toBe(`${join(dir, 'quantize_per_tensor.v1.jsonl')}:1`);
  });

  it('changed in place: a line edited after validation, the file\'s size and mtime kept, is refused when its case is read back', () => {
    const { dir } = prepare();
    const file = join(dir, 'quantize_per_tensor.v1.jsonl');
    utimesSync(file, 1_700_000_000, 1_700_000_000); // a whole second, restored exactly below
    const selection = selectCases(dir);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines[2]!.indexOf('"expect"');
    lines[2] = lines[2]!.slice(0, at) + lines[2]!.slice(at).replace(/[0-8]/, (d) => String(Number(d) + 1));
    writeFileSync(file, lines.join('\n'));
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(statSync(file).mtimeMs).toBe(1_700_000_000_000);
    expect(selection.cases[0]!.case.op, 'an unedited line still reads').toBe('quantize_per_tensor@1');
    let error: unknown;
    try {
      void selection.cases[2]!.case;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VectorFileError);
    expect((error as VectorFileError).rule).toBe('changed');
    expect((error as VectorFileError).location).toBe(`${file}:3`);
    expect((error as VectorFileError).message).toContain('the vector file changed during the run: line 3 is not the line validated when the run began');
  });

  describe.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    it(`loader refuses it: ${m.rule} at ${m.at}`, { timeout: LOADER_BOUND_MS + 5_000 }, () => {
      const { source, location } = prepare(m);
      const started = performance.now();
      let error: unknown;
      try {
        selectCases(source);
      } catch (e) {
        error = e;
      }
      const elapsed = performance.now() - started;
      expect(error, 'accepted although malformed').toBeInstanceOf(VectorFileError);
      const e = error as VectorFileError;
      expect({ rule: e.rule, location: e.location }, e.message).toEqual({ rule: m.rule, location });
      expect(e.message.startsWith(`${location}: ${m.rule}: `), e.message).toBe(true);
      expect(e.message).not.toMatch(STACK_FRAME);
      if (m.says !== undefined) expect(e.message).toContain(m.says);
      expect(elapsed).toBeLessThan(LOADER_BOUND_MS);
    });

    // the real CLI on a representative subset (each run starts a process)
    if (m.cli) {
      it(`CLI exits 2 naming ${m.rule} at ${m.at}, without a stack trace`, { timeout: CLI_BOUND_MS + 10_000 }, async () => {
        const { source, location } = prepare(m);
        const r = await runQconform(['run', '--backend', 'reference', '--vectors', source], {}, CLI_BOUND_MS);
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toContain(`${location}: ${m.rule}: `);
        if (m.says !== undefined) expect(r.stderr).toContain(m.says);
        expect(r.stderr + r.stdout).not.toMatch(STACK_FRAME);
      });
    }
  });
});
