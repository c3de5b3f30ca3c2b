/**
 * `--replay PATH`: the fast-check path of one drawn case, its checks before any work, and the line that replays a case.
 *
 * fast-check (4.11, src/check/runner/utils/PathWalker.ts `pathWalk`) reads PATH as numbers joined by ':': the first is the
 * index of the case among the values the run generated (skipped draws counted, RunnerIterator.ts), which it reaches by
 * generating every earlier index synchronously (about 1.5 µs each; no signal handler runs meanwhile); each further number
 * is the index of a shrink candidate of the value before. It reads every part with `+text`: 'abc' fails only once the run
 * has started ("Unable to replay", a stack trace), '-3' drops nothing, '1e3' is 1000, and a huge first index spins for hours.
 * So only the form qconform prints is taken: non-negative decimal integers joined by ':', the first below the number of
 * values a `--fuzz N` run can generate at all (N judged ones and at most N × MAX_SKIPS_PER_RUN skipped ones:
 * SourceValuesIterator.ts; not below N, as a draw after skipped ones has an index of N or more), and a path fast-check
 * can walk at that seed (walking a level costs at most generating its shrink candidates, some 12,000 for a long tape).
 */
import fc from 'fast-check';
import { fuzzSeed } from './fuzz_seed.js';
import { tapeArbitrary } from './tape_random.js';

/** fast-check's maxSkipsPerRun of every --fuzz run: draws skipped (outside the claims, ...) per judged draw at most. */
export const MAX_SKIPS_PER_RUN = 1000;

const EXPECTED = "fast-check's path as a replay line prints it: non-negative integers joined by ':' (e.g. 17 or 17:0:3)";

/** The --replay text as quoted in a message: JSON, at most 80 characters of it. */
function quoted(text: string): string {
  return text.length <= 80 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 80))}... (${text.length} characters)`;
}

/** The most values a fuzz run of `runs` cases per op generates (so the first index of any path it prints is below). */
export function valuesDrawnAtMost(runs: number): number {
  return runs * (1 + MAX_SKIPS_PER_RUN);
}

/** Null when fast-check can walk `path` at `seed` (it reaches a value to run), else why not; runs no property. */
function walkProblem(path: string, seed: number): string | null {
  let reached = false;
  try {
    // a property failing on its first value, not shrunk: fast-check walks the path and stops at the value it names
    fc.check(
      fc.property(tapeArbitrary, () => {
        reached = true;
        return false;
      }),
      { seed, path, numRuns: 1, endOnFailure: true },
    );
  } catch (e) {
    const message = (e as Error).message.replace(/path=.*/, 'path=...');
    return `fast-check cannot replay it at seed ${seed} (${message}): it has more shrink steps than the shrinking of that draw can take`;
  }
  return reached ? null : `it names no value at seed ${seed}: a shrink index past the last candidate of its level`;
}

/**
 * The usage error in `--replay` (with the `--fuzz` and `--seed` it replays), or null. Checked before the backend starts;
 * walking the path costs what replaying it costs (bounded by valuesDrawnAtMost), and no signal handler is installed yet.
 */
export function replayUsageProblem(o: { readonly replay?: string; readonly fuzz?: number; readonly seed?: string }): string | null {
  if (o.replay === undefined) return null;
  const form = `--replay takes ${EXPECTED}`;
  if (o.fuzz === undefined || o.seed === undefined) return `${form}, with the --fuzz N and --seed S of the run that printed it; --replay ${quoted(o.replay)} is given without ${o.fuzz === undefined ? '--fuzz' : '--seed'}`;
  if (!/^\d+(:\d+)*$/.test(o.replay)) return `${form}; got ${quoted(o.replay)}`;
  const parts = o.replay.split(':').map(Number);
  if (!parts.every(Number.isSafeInteger)) return `${form}, each at most ${Number.MAX_SAFE_INTEGER}; got ${quoted(o.replay)}`;
  const most = valuesDrawnAtMost(o.fuzz);
  if (parts[0]! >= most) {
    return `--replay ${quoted(o.replay)}: its first index names draw ${parts[0]}, but a --fuzz ${o.fuzz} run generates at most ${most} values (indices 0 to ${most - 1}: ${o.fuzz} judged, up to ${MAX_SKIPS_PER_RUN} skipped per judged one); ${form}`;
  }
  // fast-check generates a value at every first index: only a path with shrink steps can name none
  if (parts.length === 1) return null;
  const walk = walkProblem(o.replay, fuzzSeed(o.seed));
  return walk === null ? null : `--replay ${quoted(o.replay)}: ${walk}; ${form}`;
}

/** The line that replays the case at `path` of a fuzz stream (its --fuzz and --seed), in a single process. */
export function fuzzReplayLine(backendSpec: string, op: string, runs: number, seed: number, path: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `npx qconform run --backend ${quote(backendSpec)} --op ${op} --fuzz ${runs} --seed ${seed} --replay ${quote(path)}`;
}
