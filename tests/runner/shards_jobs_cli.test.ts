/**
 * `qconform run --jobs N`, `--shard K/N` and `qconform merge` as a user runs them: the reports of a parallel run and
 * of four merged shards equal the serial run's apart from timings, merge refuses missing, overlapping and foreign
 * shards with a clear message (exit 2), and a shard report with a malformed result (exit 2, naming the file, the result
 * and the field) or results that do not bear out its counts, `passed` or shard (exit 2), and --fuzz streams over --jobs and --shard each shrink a mismatch to one
 * replay line that reproduces it in a single process.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCommand } from '../../conformance/backends/resolve_backend.js';
import { fuzzStreams } from '../../conformance/runner/fuzz/fuzz_run.js';
import { jsonReport } from '../../conformance/runner/reports/json_report.js';
import { MergeError, mergeShardReports } from '../../conformance/runner/reports/merge_reports.js';
import type { RunInfo } from '../../conformance/runner/reports/run_info.js';
import { type CaseResult, countVerdicts, runPassed } from '../../conformance/runner/results.js';
import { InvalidShard, caseIdsDigest, inShard, parseShard } from '../../conformance/runner/shard.js';
import { selectCases } from '../../conformance/runner/vector_selection.js';
import { TORCH_VECTORS_DIR } from '../../conformance/vectors/vector_types.js';
import { sha256 } from '../../conformance/vectors/vector_set.js';
import { runQconform } from '../support/cli_process.js';

const ROUND_HALF_UP = 'tests/fixtures/backends/round_half_up_backend.ts';
/** A whole vector set (1,500 QLinearConv cases): each run validates the set it reads, so a small one keeps the test short. */
const SELECTION = ['--vectors', 'vectors/onnxruntime-1.30'];
const SMALL_SET = ['--vectors', 'vectors/torch-1.13-onednn-haswell'];
const tmp = mkdtempSync(join(tmpdir(), 'qconform-shards-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => join(tmp, name);

/** A JSON report without what differs between equal runs: case timings, start and finish, the shard. */
function comparable(path: string): unknown {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const r of report.results) delete r.ms;
  for (const key of ['started', 'finished', 'shard']) delete report.run_info[key];
  return report;
}
const junitWithoutTimes = (path: string) => readFileSync(path, 'utf8').replace(/ time="[^"]*"/g, '');

describe('--shard and --jobs on the golden vectors', () => {
  it('four merged shards and a --jobs 2 run equal one serial run (JSON and JUnit)', async () => {
    const serial = await runQconform(['run', '--backend', 'impl', ...SELECTION, '--report', at('full.json'), '--junit', at('full.xml')]);
    expect(serial.exitCode, serial.stderr).toBe(0);
    const full = JSON.parse(readFileSync(at('full.json'), 'utf8'));
    expect(full.results.length).toBe(1500);

    const sizes: number[] = [];
    for (const k of [1, 2, 3, 4]) {
      const r = await runQconform(['run', '--backend', 'impl', ...SELECTION, '--shard', `${k}/4`, '--report', at(`shard${k}.json`)]);
      expect(r.exitCode, r.stderr).toBe(0);
      const shard = JSON.parse(readFileSync(at(`shard${k}.json`), 'utf8'));
      expect(shard.run_info.shard).toMatchObject({ index: k, count: 4 });
      sizes.push(shard.results.length);
    }
    // every case in exactly one shard, and the shards about balanced
    expect(sizes.reduce((a, b) => a + b)).toBe(1500);
    for (const n of sizes) expect(Math.abs(n - 375)).toBeLessThan(45);

    // given in any order
    const merged = await runQconform(['merge', at('shard3.json'), at('shard1.json'), at('shard4.json'), at('shard2.json'), '--report', at('merged.json'), '--junit', at('merged.xml')]);
    expect(merged.exitCode, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/1500 cases: 1500 pass/);
    expect(comparable(at('merged.json'))).toEqual(comparable(at('full.json')));
    expect(junitWithoutTimes(at('merged.xml'))).toBe(junitWithoutTimes(at('full.xml')));

    const jobs = await runQconform(['run', '--backend', 'impl', ...SELECTION, '--jobs', '2', '--report', at('jobs.json'), '--junit', at('jobs.xml')]);
    expect(jobs.exitCode, jobs.stderr).toBe(0);
    expect(comparable(at('jobs.json'))).toEqual(comparable(at('full.json')));
    expect(junitWithoutTimes(at('jobs.xml'))).toBe(junitWithoutTimes(at('full.xml')));
  }, 300_000);

  it('a failing TypeScript module backend: --jobs 2 (two worker threads) gives the serial failures, exit 1', async () => {
    const args = ['run', '--backend', ROUND_HALF_UP, '--op', 'quantize_per_tensor'];
    const serial = await runQconform([...args, '--report', at('rhu.json')]);
    expect(serial.exitCode).toBe(1);
    const fails = JSON.parse(readFileSync(at('rhu.json'), 'utf8')).counts.fail;
    expect(fails).toBeGreaterThan(0);
    const jobs = await runQconform([...args, '--jobs', '2', '--report', at('rhu-jobs.json')]);
    expect(jobs.exitCode).toBe(1);
    expect(comparable(at('rhu-jobs.json'))).toEqual(comparable(at('rhu.json')));
  }, 300_000);
});

describe('qconform merge refuses what is not one whole run', () => {
  const shards = () => [1, 2, 3, 4].map((k) => at(`ref${k}.json`));
  it('missing, overlapping and foreign shards, and a report that is no shard: exit 2 with the reason', async () => {
    for (const k of [1, 2, 3, 4]) expect((await runQconform(['run', '--backend', 'impl', ...SMALL_SET, '--shard', `${k}/4`, '--report', at(`ref${k}.json`)])).exitCode).toBe(0);
    expect((await runQconform(['run', '--backend', 'impl', ...SMALL_SET, '--shard', '1/3', '--report', at('third.json')])).exitCode).toBe(0);
    expect((await runQconform(['run', '--backend', 'impl', ...SMALL_SET, '--report', at('whole.json')])).exitCode).toBe(0);
    const [s1, s2, s3, s4] = shards() as [string, string, string, string];

    const missing = await runQconform(['merge', s1, s2, s4, '--report', at('x.json')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('refused: missing shards: 3/4 (3 of 4 given)');
    const twice = await runQconform(['merge', s1, s2, s3, s4, s2]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain(`refused: overlapping shards: shard 2/4 is both ${s2} and ${s2}`);
    const foreign = await runQconform(['merge', s1, s2, s3, s4, at('third.json')]);
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain(`${at('third.json')} is shard 1/3 of another run than ${s1}`);
    const whole = await runQconform(['merge', at('whole.json')]);
    expect(whole.exitCode).toBe(2);
    expect(whole.stderr).toContain('not a shard report: run each part with --shard K/N --report FILE');
    // a shard whose cases were edited into another's: the same case in two shards, which its counts and its shard belie
    const copy = JSON.parse(readFileSync(s1, 'utf8'));
    copy.results.push(JSON.parse(readFileSync(s2, 'utf8')).results[0]);
    writeFileSync(at('s1-overlap.json'), JSON.stringify(copy));
    const overlap = await runQconform(['merge', at('s1-overlap.json'), s2, s3, s4]);
    expect(overlap.exitCode).toBe(2);
    expect(overlap.stderr).toContain(`refused: ${at('s1-overlap.json')}: inconsistent shard report (shard 1/4): counts say pass`);
    copy.counts.pass++;
    writeFileSync(at('s1-overlap.json'), JSON.stringify(copy));
    const recounted = await runQconform(['merge', at('s1-overlap.json'), s2, s3, s4]);
    expect(recounted.exitCode).toBe(2);
    expect(recounted.stderr).toMatch(/refused: \S+s1-overlap.json: inconsistent shard report \(shard 1\/4\): results\[\d+\]: case "\S+" belongs to shard 2\/4, not 1\/4/);
    // a shard run on part of the selection (--case) over the same files: merged, it passed as the whole run
    const someOfEachFile = ['quantized_conv2d-00001', 'quantized_linear-00000', 'quantized_linear-00002', 'quantized_linear_dynamic-00000', 'quantized_linear_dynamic-00001', 'quantized_linear_dynamic-00002'].flatMap((id) => ['--case', id]);
    expect((await runQconform(['run', '--backend', 'impl', ...SMALL_SET, '--shard', '1/4', ...someOfEachFile, '--report', at('narrow1.json')])).exitCode).toBe(0);
    expect((JSON.parse(readFileSync(at('narrow1.json'), 'utf8')).run_info.shard as { files: string[] }).files).toEqual(JSON.parse(readFileSync(s1, 'utf8')).run_info.shard.files);
    const narrowed = await runQconform(['merge', at('narrow1.json'), s2, s3, s4, '--report', at('x.json')]);
    expect(narrowed.exitCode).toBe(2);
    expect(narrowed.stderr).toContain(`${s2} is shard 2/4 of another run than ${at('narrow1.json')} (backend, its --cpu, vector set, shard count, selected files or the run's cases differ`);
    // nothing was written by a refused merge
    expect(() => readFileSync(at('x.json'))).toThrow();
  }, 300_000);

  it('shards judged by other rules (--strict-contract, another waiver file) are not one run: exit 2 (merged before); a waiver naming no case is a warning, recorded', async () => {
    const run = (k: number, name: string, extra: string[] = []) => runQconform(['run', '--backend', 'impl', ...SMALL_SET, '--shard', `${k}/2`, '--report', at(name), ...extra]);
    const waivers = at('misspelt.waivers.txt');
    writeFileSync(waivers, '# a misspelt id waives nothing\nquantized_linear-0000 rounding\nno-such-case-00001 rounding\n');
    const plain = [await run(1, 'j1.json'), await run(2, 'j2.json')];
    for (const r of plain) expect(r.exitCode, r.stderr).toBe(0);
    const strict = await run(2, 'j2-strict.json', ['--strict-contract']);
    expect(strict.exitCode, strict.stderr).toBe(0);
    const waived = await run(2, 'j2-waived.json', ['--waivers', waivers]);
    expect(waived.exitCode, waived.stderr).toBe(0);
    // the unmatched waivers: a warning on the console (the run passes) and in the report
    expect(waived.stderr).toContain(`warning: waiver file ${waivers}: 2 waived ids name no case of the loaded vector sets (a misspelt id waives nothing; run_info.judging.waivers.unmatched_ids): quantized_linear-0000, no-such-case-00001`);
    const judging = JSON.parse(readFileSync(at('j2-waived.json'), 'utf8')).run_info.judging;
    expect(judging).toEqual({ strict_contract: false, waivers: { path: waivers, sha256: sha256(readFileSync(waivers)), unmatched_ids: ['quantized_linear-0000', 'no-such-case-00001'] } });
    expect(JSON.parse(readFileSync(at('j1.json'), 'utf8')).run_info.judging).toEqual({ strict_contract: false, waivers: null });
    expect(JSON.parse(readFileSync(at('j2-strict.json'), 'utf8')).run_info.judging).toEqual({ strict_contract: true, waivers: null });

    expect((await runQconform(['merge', at('j1.json'), at('j2.json')])).exitCode).toBe(0);
    const mixedStrict = await runQconform(['merge', at('j1.json'), at('j2-strict.json'), '--report', at('j-merged.json')]);
    expect(mixedStrict.exitCode).toBe(2);
    expect(mixedStrict.stderr).toContain(`refused: ${at('j2-strict.json')} is shard 2/2 of a run judged by other rules than ${at('j1.json')}: --strict-contract on, no waiver file; ${at('j1.json')}: --strict-contract off, no waiver file`);
    const mixedWaivers = await runQconform(['merge', at('j1.json'), at('j2-waived.json'), '--report', at('j-merged.json')]);
    expect(mixedWaivers.exitCode).toBe(2);
    expect(mixedWaivers.stderr).toContain(`of a run judged by other rules than ${at('j1.json')}: --strict-contract off, waiver file ${waivers} (SHA-256 `);
    expect(() => readFileSync(at('j-merged.json'))).toThrow();
  }, 300_000);

  it('a sharded run none of whose cases the backend claims fails in every shard and merged, as unsharded (each shard passed over 0 cases before)', async () => {
    const linears = ['--vectors', 'vectors/torch-1.13-linear'];
    const whole = await runQconform(['run', '--backend', 'onnxruntime', ...linears]);
    expect(whole.exitCode).toBe(1);
    expect(whole.stderr).toContain('no cases to run');
    for (const k of [1, 2]) {
      const part = await runQconform(['run', '--backend', 'onnxruntime', ...linears, '--shard', `${k}/2`, '--report', at(`unclaimed${k}.json`)]);
      expect(part.exitCode, part.stdout).toBe(1);
      expect(part.stderr).toContain('no cases to run');
    }
    const merged = await runQconform(['merge', at('unclaimed1.json'), at('unclaimed2.json')]);
    expect(merged.exitCode, merged.stdout).toBe(1);
    expect(merged.stdout).toContain('no cases to run');
  }, 120_000);

  it('--shard outside K/N is a usage error (exit 2)', async () => {
    for (const bad of ['0/4', '5/4', '2', 'a/b']) {
      const r = await runQconform(['run', '--backend', 'impl', '--shard', bad]);
      expect(r.exitCode, bad).toBe(2);
      expect(r.stderr).toContain('--shard expects K/N');
    }
    expect(() => parseShard('3/2')).toThrow(InvalidShard);
  });
});

/** The file a synthetic shard report's cases are on. */
const SYNTHETIC_FILE = '/vectors/a.jsonl';

/**
 * A shard report as `qconform run --shard K/N --report` writes it (json_report.ts), of a run over cases c0..c{n-1} of
 * one file, each a pass in the shard its id hashes to; `edit` changes the report's JSON before it is written.
 */
function syntheticShards(name: string, n: number, count: number, edit: (report: any, index: number) => void = () => {}): string[] {
  const results: CaseResult[] = Array.from({ length: n }, (_, i) => ({ id: `c${i}`, op: 'quantize_per_tensor@1', scheme: 'torch-1.13', verdict: 'pass', location: `${SYNTHETIC_FILE}:${i + 1}`, ms: 1 }));
  return Array.from({ length: count }, (_, k) => {
    const shard = { index: k + 1, count, files: [SYNTHETIC_FILE], run_cases: n, run_cases_sha256: caseIdsDigest(results.map((r) => r.id)) };
    const info = { qconform_version: 'test', backend: { name: 'impl', version: '1', capabilities: { ops: [] }, info: {}, warnings: [] }, vectors: { source: '/vectors', manifest_sha256: null, oracle: null, seed: null }, started: '2020-01-01T00:00:00.000Z', shard } as unknown as RunInfo;
    const report = JSON.parse(jsonReport(info, results.filter((r) => inShard(r.id, shard))));
    edit(report, k + 1);
    const path = at(`${name}-${k + 1}.json`);
    writeFileSync(path, JSON.stringify(report));
    return path;
  });
}

describe('qconform merge refuses a malformed shard report', () => {
  it('a null location: exit 2 naming the file, the result and the field, no stack trace (was a TypeError)', async () => {
    const [s1, s2] = syntheticShards('null-location', 20, 2, (r, k) => k === 2 && (r.results[1].location = null));
    const r = await runQconform(['merge', s1!, s2!, '--report', at('null-location-merged.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: refused: ${s2}: malformed shard report: results[1]: location: null, expected "FILE:LINE"`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(() => readFileSync(at('null-location-merged.json'))).toThrow();
  });

  it('an unknown verdict: exit 2 (was counted as a fail with no detail)', async () => {
    const [s1, s2] = syntheticShards('bogus-verdict', 20, 2, (r, k) => k === 1 && (r.results[0].verdict = 'bogus'));
    const r = await runQconform(['merge', s1!, s2!]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${s1}: malformed shard report: results[0]: verdict: "bogus", expected one of pass, fail,`);
  });

  it('each field of a result off its type, by name', () => {
    const mutations: Array<[string, (result: any) => void]> = [
      ['id', (x) => (x.id = 42)],
      ['id', (x) => (x.id = '')],
      ['op', (x) => delete x.op],
      ['scheme', (x) => (x.scheme = null)],
      ['set', (x) => (x.set = 1)],
      ['verdict', (x) => (x.verdict = 'PASS')],
      ['verdict', (x) => delete x.verdict],
      ['detail', (x) => (x.detail = null)],
      ['element', (x) => (x.element = { output: 'y' })],
      ['matchesSchemes', (x) => (x.matchesSchemes = 'torch-1.13')],
      ['waivedVerdict', (x) => (x.waivedVerdict = 'ok')],
      ['location', (x) => (x.location = `${SYNTHETIC_FILE}`)],
      ['location', (x) => (x.location = `${SYNTHETIC_FILE}:0`)],
      ['location', (x) => (x.location = 7)],
      ['ms', (x) => (x.ms = '3')],
      ['ms', (x) => (x.ms = -1)],
      ['ms', (x) => delete x.ms],
    ];
    for (const [i, [field, mutate]] of mutations.entries()) {
      const paths = syntheticShards(`field-${i}`, 20, 2, (r, k) => k === 2 && mutate(r.results[2]));
      expect(() => mergeShardReports(paths), field).toThrow(MergeError);
      expect(() => mergeShardReports(paths), field).toThrow(`${paths[1]}: malformed shard report: results[2]: ${field}: `);
    }
    const notObject = syntheticShards('not-object', 20, 2, (r, k) => k === 1 && (r.results[0] = 'pass'));
    expect(() => mergeShardReports(notObject)).toThrow(`${notObject[0]}: malformed shard report: results[0]: not an object ("pass")`);
    const problems = syntheticShards('problems', 20, 2, (r, k) => k === 1 && (r.runner_problems = [1]));
    expect(() => mergeShardReports(problems)).toThrow('runner_problems: expected an array of strings');
    // the unedited reports merge
    expect(mergeShardReports(syntheticShards('valid', 20, 2)).results.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
  });
});

describe('qconform merge refuses a shard report whose results do not bear out its summary', () => {
  it('a result removed after the run: exit 2 (merged to PASS over one case fewer)', async () => {
    const [s1, s2] = syntheticShards('removed', 20, 2, (r, k) => k === 2 && r.results.pop());
    const r = await runQconform(['merge', s1!, s2!, '--report', at('removed-merged.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`error: refused: ${s2}: inconsistent shard report \\(shard 2/2\\): counts say pass (\\d+) \\(its results hold (\\d+)\\): a result was removed`));
    expect(r.stdout).not.toContain('PASS');
    expect(() => readFileSync(at('removed-merged.json'))).toThrow();
  });

  it('a result removed with its counts edited to match: exit 2, the shards do not hold the run\'s cases (merged to PASS before)', async () => {
    const [s1, s2] = syntheticShards('removed-recounted', 20, 2, (r, k) => {
      if (k !== 2) return;
      r.results.pop();
      r.counts = JSON.parse(jsonReport(r.run_info, r.results)).counts;
    });
    const r = await runQconform(['merge', s1!, s2!, '--report', at('removed-recounted-merged.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: refused: the shards\' results hold 19 cases, the run has 20 (run_info.shard.run_cases): results were removed from a report after the run');
    expect(() => readFileSync(at('removed-recounted-merged.json'))).toThrow();
    // a result's id edited to another case of its shard, counts unchanged: the same number of cases, other ids
    const otherOfShard2 = Array.from({ length: 100 }, (_, n) => `y${n}`).find((id) => inShard(id, { index: 2, count: 2 }))!;
    const edited = syntheticShards('renamed', 20, 2, (x, k) => k === 2 && (x.results[0].id = otherOfShard2));
    expect(() => mergeShardReports(edited)).toThrow('the shards\' results are not the run\'s 20 cases (their ids\' SHA-256 differs from run_info.shard.run_cases_sha256)');
  });

  it('not-run results merge counted apart; shards of not-run results only merge to a run that judged nothing (fails)', () => {
    const notRun = (x: any, k: number, all: boolean) => {
      for (const [i, r] of x.results.entries()) if (all || (k === 2 && i === 0)) Object.assign(r, { verdict: 'not-run', detail: 'not run on the library' });
      Object.assign(x, JSON.parse(jsonReport(x.run_info, x.results)));
    };
    const some = mergeShardReports(syntheticShards('not-run-some', 20, 2, (x, k) => notRun(x, k, false)));
    expect(countVerdicts(some.results)).toMatchObject({ pass: 19, 'not-run': 1 });
    expect(runPassed(some.results, some.problems)).toBe(true);
    const all = mergeShardReports(syntheticShards('not-run-all', 20, 2, (x, k) => notRun(x, k, true)));
    expect(countVerdicts(all.results)).toMatchObject({ pass: 0, 'not-run': 20 });
    expect(runPassed(all.results, all.problems)).toBe(false);
  });

  it('shards judged by other rules are not one run; a report without judging rules (an older qconform) does not merge with one that has them', () => {
    const judged = (strict: boolean, sha: string | null) => ({ strict_contract: strict, waivers: sha === null ? null : { path: '/w.txt', sha256: sha, unmatched_ids: [] } });
    const same = syntheticShards('judging-same', 20, 2, (x) => (x.run_info.judging = judged(true, 'a'.repeat(64))));
    expect(mergeShardReports(same).info.judging).toEqual(judged(true, 'a'.repeat(64)));
    const strict = syntheticShards('judging-strict', 20, 2, (x, k) => (x.run_info.judging = judged(k === 2, null)));
    expect(() => mergeShardReports(strict)).toThrow(`${strict[1]} is shard 2/2 of a run judged by other rules than ${strict[0]}: --strict-contract on, no waiver file; ${strict[0]}: --strict-contract off, no waiver file`);
    const waivers = syntheticShards('judging-waivers', 20, 2, (x, k) => (x.run_info.judging = judged(false, (k === 2 ? 'b' : 'a').repeat(64))));
    expect(() => mergeShardReports(waivers)).toThrow(`${waivers[1]} is shard 2/2 of a run judged by other rules than ${waivers[0]}: --strict-contract off, waiver file /w.txt (SHA-256 bbbbbbbbbbbb...)`);
    const older = syntheticShards('judging-older', 20, 2, (x, k) => (k === 1 ? delete x.run_info.judging : (x.run_info.judging = judged(false, null))));
    expect(() => mergeShardReports(older)).toThrow(`${older[1]} is shard 2/2 of a run judged by other rules than ${older[0]}: --strict-contract off, no waiver file; ${older[0]}: no record of its judging rules`);
  });

  it('shards whose backend ran on different CPU models (--cpu) are not one run (merged before)', () => {
    const cpuOf = (model: string) => ({ model, emulation: null, documented_features: [] });
    const same = syntheticShards('cpu-same', 20, 2, (x) => (x.run_info.backend_cpu = cpuOf('host')));
    expect(mergeShardReports(same).info.backend_cpu).toEqual(cpuOf('host'));
    const mixed = syntheticShards('cpu-mixed', 20, 2, (x, k) => (x.run_info.backend_cpu = cpuOf(k === 1 ? 'host' : 'haswell')));
    expect(() => mergeShardReports(mixed)).toThrow(`${mixed[1]} is shard 2/2 of another run than ${mixed[0]} (backend, its --cpu, vector set`);
  });

  it('counts, passed, the shard of each case, its file and a case twice', () => {
    const ofShard1 = Array.from({ length: 100 }, (_, n) => `x${n}`).find((id) => inShard(id, { index: 1, count: 2 }))!;
    // [what, the edit of shard 2's report, whether the edit keeps counts in step (the fault is elsewhere), the refusal]
    const refused: Array<[string, (report: any) => void, boolean, string]> = [
      ['a pass edited to fail, counts not', (x) => (x.results[0].verdict = 'fail'), false, 'counts say pass '],
      ['counts missing', (x) => delete x.counts, false, 'counts: missing or not an object'],
      ['counts with an unknown verdict', (x) => (x.counts.bogus = 0), false, 'counts: unknown verdict "bogus"'],
      ['passed flipped', (x) => (x.passed = false), true, 'passed is false, but its results and runner problems make it true'],
      ['a runner problem added', (x) => (x.runner_problems = ['lost']), true, 'passed is true, but its results and runner problems make it false'],
      ['a case of shard 1 in shard 2', (x) => x.results.push({ ...x.results[0], id: ofShard1 }), true, `case "${ofShard1}" belongs to shard 1/2, not 2/2`],
      ['a case in another file', (x) => (x.results[0].location = '/elsewhere.jsonl:3'), true, 'results[0]: location "/elsewhere.jsonl:3" is in none of the run\'s selected files'],
      ['a case twice', (x) => x.results.push(x.results[0]), true, 'is also results[0]'],
      ['a shard 3/2', (x) => (x.run_info.shard.index = 3), true, 'run_info.shard: expected index K and count N with 1 <= K <= N'],
      ['no run_cases', (x) => delete x.run_info.shard.run_cases, true, 'run_info.shard: expected run_cases, the whole run\'s case count, and run_cases_sha256'],
      ['a run_cases_sha256 that is no digest', (x) => (x.run_info.shard.run_cases_sha256 = 'abc'), true, 'run_info.shard: expected run_cases'],
    ];
    for (const [i, [what, edit, recount, message]] of refused.entries()) {
      const paths = syntheticShards(`inconsistent-${i}`, 20, 2, (r, k) => {
        if (k !== 2) return;
        edit(r);
        if (recount) r.counts = JSON.parse(jsonReport(r.run_info, r.results)).counts;
      });
      expect(() => mergeShardReports(paths), what).toThrow(MergeError);
      expect(() => mergeShardReports(paths), what).toThrow(`${paths[1]}: `);
      expect(() => mergeShardReports(paths), what).toThrow(message);
    }
  });
});

describe('shard selection', () => {
  it('puts every case in exactly one shard, by its id alone (stable when a set grows)', () => {
    const ids = selectCases(TORCH_VECTORS_DIR).cases.map((s) => s.case.id);
    expect(ids.length).toBeGreaterThan(10_000);
    for (const count of [2, 3, 4, 7]) {
      const sizes = Array.from({ length: count }, (_, k) => ids.filter((id) => inShard(id, { index: k + 1, count })).length);
      expect(sizes.reduce((a, b) => a + b)).toBe(ids.length);
      for (const n of sizes) expect(Math.abs(n - ids.length / count)).toBeLessThan(0.05 * (ids.length / count));
    }
    // a case's shard depends on its id only: the same in a set of one and in the whole set
    const id = ids[123]!;
    expect([1, 2, 3, 4].filter((k) => inShard(id, { index: k, count: 4 }))).toHaveLength(1);
  });
});

describe('--fuzz with --jobs and --shard', () => {
  it('draws a disjoint seed for every shard and worker, and splits the runs', () => {
    const seeds = new Set<number>();
    let runs = 0;
    for (const k of [1, 2, 3]) {
      for (const s of fuzzStreams(1000, 42, { index: k, count: 3 }, 4)) {
        seeds.add(s.seed);
        runs += s.runs;
      }
    }
    expect(seeds.size).toBe(12);
    expect(runs).toBe(1000);
    expect(fuzzStreams(100, 42, undefined, 1)).toEqual([{ runs: 100, seed: 42 }]);
  });

  it('each stream shrinks its mismatch and prints one replay line, which reproduces it in one process', async () => {
    const r = await runQconform(['run', '--backend', ROUND_HALF_UP, '--op', 'quantize_per_tensor', '--fuzz', '60', '--seed', '5', '--jobs', '2', '--shard', '2/3']);
    expect(r.exitCode, r.stderr).toBe(1);
    const streams = [...r.stdout.matchAll(/^stream (\d)\/2: (\d+) cases per op, seed (-?\d+)$/gm)];
    expect(streams.map((m) => Number(m[2]))).toEqual([10, 10]);
    expect(new Set(streams.map((m) => m[3])).size).toBe(2);
    const replays = [...r.stdout.matchAll(/^\s+npx qconform (run .* --replay .*)$/gm)].map((m) => m[1]!);
    expect(replays.length).toBeGreaterThanOrEqual(1);
    const cases = [...r.stdout.matchAll(/^\s+(\{"id".*\})$/gm)].map((m) => m[1]);
    expect(cases.length).toBe(replays.length);
    const replayed = await runQconform(splitCommand(replays[0]!));
    expect(replayed.exitCode).toBe(1);
    expect(replayed.stdout).toContain(cases[0]);
    expect(replayed.stdout).not.toMatch(/^stream /m);
  }, 300_000);
});
