/**
 * `--replay PATH` is checked before any work (conformance/runner/fuzz/replay_path.ts replayUsageProblem): only the form
 * a replay line prints (non-negative integers joined by ':'), with --fuzz and --seed, a first index below what a --fuzz N
 * run can draw, and a path fast-check can walk; anything else is a usage error (exit 2) naming that form, never a stack
 * trace or an hours-long spin. And SIGINT stops a replay while fast-check skips to a far draw (synchronously).
 * Seeds are pinned; each failure message names the command.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayUsageProblem } from '../../conformance/runner/fuzz/replay_path.js';
import { runAndInterrupt } from '../support/interrupted_cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'qconform-fuzz-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FORM = "--replay takes fast-check's path as a replay line prints it: non-negative integers joined by ':' (e.g. 17 or 17:0:3)";
/** A path longer than the shrinking of seed 5's first draw can go. */
const TOO_LONG = Array.from({ length: 301 }, () => '0').join(':');

describe('--replay usage errors', () => {
  const refused: Array<[replay: string, fuzz: number | undefined, seed: string | undefined, why: RegExp]> = [
    ['abc', 5, '1', /got "abc"$/],
    ['1:2:-3', 5, '1', /got "1:2:-3"$/],
    ['1e3', 5, '1', /got "1e3"$/],
    [' 1', 5, '1', /got " 1"$/],
    ['', 5, '1', /got ""$/],
    ['1::2', 5, '1', /got "1::2"$/],
    ['0x10', 5, '1', /got "0x10"$/],
    ['1:99999999999999999999', 5, '1', /each at most 9007199254740991/],
    ['99999999999', 5, '1', /its first index names draw 99999999999, but a --fuzz 5 run generates at most 5005 values/],
    ['5005', 5, '1', /but a --fuzz 5 run generates at most 5005 values \(indices 0 to 5004/],
    ['3', undefined, '1', /given without --fuzz$/],
    ['3', 5, undefined, /given without --seed$/],
    [TOO_LONG, 5, '5', /fast-check cannot replay it at seed 5 \(Unable to replay, got wrong path=\.\.\.\): it has more shrink steps than the shrinking of that draw can take/],
    ['0:99999999', 5, '5', /it names no value at seed 5: a shrink index past the last candidate of its level/],
  ];
  it('each is refused, naming the form (and the bound or the walk that failed)', () => {
    for (const [replay, fuzz, seed, why] of refused) {
      const problem = replayUsageProblem({ replay, fuzz, seed });
      expect(problem, `--replay ${JSON.stringify(replay)} --fuzz ${fuzz} --seed ${seed}`).toMatch(why);
      expect(problem).toContain(FORM);
    }
  });

  it('the forms a run prints are taken: a draw up to the bound, a shrink path fast-check can walk', () => {
    for (const replay of ['0', '17', '5004', '13:2:0:2', '3:0']) expect(replayUsageProblem({ replay, fuzz: 5, seed: '5' }), replay).toBeNull();
    expect(replayUsageProblem({ fuzz: 5, seed: '5' })).toBeNull();
  });

  for (const replay of ['abc', '99999999999', TOO_LONG]) {
    it(`qconform run --replay ${replay.slice(0, 20)}: exit 2 at once, one line naming the form, no stack trace`, async () => {
      const command = ['run', '--backend', 'impl', '--op', 'quantize_per_tensor', '--fuzz', '5', '--seed', '5', '--replay', replay];
      // a run still going after 30 s (the old spin) is SIGKILLed, so nothing is left behind
      const r = await runAndInterrupt(command, { ready: () => true, signal: 'SIGKILL', afterMs: 30_000, boundMs: 1000 });
      const where = `qconform ${command.join(' ').slice(0, 200)}\n${r.stdout}${r.stderr}`;
      expect(r.exitAfterSignalMs, `${where}: still running after 30 s`).toBeNull();
      expect(r.exitCode, where).toBe(2);
      expect(r.stderr, where).toMatch(/^error: --replay /);
      expect(r.stderr, where).toContain(FORM);
      expect(r.stderr, where).not.toMatch(/^\s+at /m);
      expect(r.stdout, where).toBe(''); // refused before the backend started
    });
  }
});

describe('SIGINT during a replay', () => {
  it('stops fast-check skipping to a far draw: exit 130 within seconds, the reports written', async () => {
    const report = join(tmp, 'far.json');
    // a draw a --fuzz 1000000 run can reach; fast-check generates every draw before it first (about 25 minutes)
    const command = ['run', '--backend', 'impl', '--op', 'quantize_per_tensor', '--fuzz', '1000000', '--seed', '1', '--replay', '999999999', '--report', report];
    const r = await runAndInterrupt(command, { ready: (stdout) => stdout.includes('fuzzing:'), signal: 'SIGINT', afterMs: 500, boundMs: 10_000 });
    const where = `qconform ${command.join(' ')}\n${r.stdout}${r.stderr}`;
    expect(r.killed, where).toBe(false);
    expect(r.exitCode, where).toBe(130);
    expect(r.exitAfterSignalMs!, where).toBeLessThan(10_000);
    expect(r.stderr, where).toContain('qconform: SIGINT: stopping');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json, where).toMatchObject({ passed: false, results: [], runner_problems: [expect.stringMatching(/^fuzz quantize_per_tensor@1: INTERRUPTED \(SIGINT\) after 0 judged cases/)] });
    expect(json.run_info.fuzz, where).toMatchObject({ runs: 1_000_000, seed: 1, replay: '999999999' });
  });
});
