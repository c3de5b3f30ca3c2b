/** One case's outcome in a run, and the run's tallies. */
import type { ElementDifference } from './output_diff.js';

export const VERDICTS = ['pass', 'fail', 'unsupported', 'error', 'timeout', 'crash', 'waived', 'stale-waiver', 'not-run'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts that count as passed: pass, or waived. */
export const OK_VERDICTS: ReadonlySet<Verdict> = new Set(['pass', 'waived']);

/**
 * Verdicts that do not fail a run: the passed ones, and `not-run` (the backend's library was not run on the case: the
 * backend's answer said so with `not_run`, and its stand-in answer is the expected one), which is counted apart and is
 * never a pass; a run of `not-run` cases only fails (nothingJudged).
 */
export const NOT_FAILING_VERDICTS: ReadonlySet<Verdict> = new Set([...OK_VERDICTS, 'not-run']);

/** How the HTML and JUnit reports mark a fuzz run's shrunk counterexample (CaseResult.fuzz.minimal). */
export const MINIMAL_CASE = 'the shrunk minimal case';

export interface CaseResult {
  readonly id: string;
  readonly op: string;
  readonly scheme: string;
  /** The vector set the case comes from (its directory's name). */
  readonly set?: string;
  readonly verdict: Verdict;
  /** Why it failed, what it did instead, the waiver's reason, or (not-run) why the library was not run. */
  readonly detail?: string;
  readonly element?: ElementDifference;
  /** For `fail` of a case with a scheme attribute: other schemes under which the reference gives the backend's outputs. */
  readonly matchesSchemes?: readonly string[];
  /** For `waived`: the verdict the waiver covered. */
  readonly waivedVerdict?: Verdict;
  /** Replay: file:line of the case (a --fuzz draw: "fuzz seed S, path P"). */
  readonly location: string;
  /** A --fuzz draw: its fast-check path (what --replay takes), and `minimal` on the shrunk counterexample of a mismatch. */
  readonly fuzz?: { readonly path: string; readonly minimal?: true };
  /** The command line that runs this case again where its vector file and id cannot: a --fuzz draw's replay line. */
  readonly replay?: string;
  readonly ms: number;
}

export function countVerdicts(results: readonly CaseResult[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/**
 * Whether a run passed: the one place this is decided, so the reports' `passed`, JUnit's counts and the
 * exit code agree. `runnerProblems` are faults outside any case (an unhandled promise rejection).
 */
export function runPassed(results: readonly CaseResult[], runnerProblems: readonly string[] = []): boolean {
  return runnerProblems.length === 0 && results.every((r) => NOT_FAILING_VERDICTS.has(r.verdict)) && !nothingJudged(results);
}

/**
 * Whether every case is `not-run`: the backend's library answered none of them. Such a run judged nothing about the
 * library and fails (as a fuzz run that judged nothing does), whatever its stand-in answers were.
 */
export function nothingJudged(results: readonly CaseResult[]): boolean {
  return results.length > 0 && results.every((r) => r.verdict === 'not-run');
}

/** Results grouped by a key, groups in first-seen order. */
export function groupResults(results: readonly CaseResult[], key: (r: CaseResult) => string): Map<string, CaseResult[]> {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const k = key(r);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** A result's `location` (run_case.ts writes it as FILE:LINE) split into its vector file and line. */
export function locationParts(location: string): { file: string; line: number } {
  const at = location.lastIndexOf(':');
  return { file: location.slice(0, at), line: Number(location.slice(at + 1)) };
}
