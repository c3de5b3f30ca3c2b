/**
 * The sentence every report format says about a run's not-run cases (the backend's library was not run on them, their
 * stand-in answers the expected ones): how many, that they are neither passes nor failures, or that the run judged
 * nothing when every case is not-run (results.ts nothingJudged). Null when no case is not-run.
 */
import { type CaseResult, nothingJudged } from '../results.js';

export function notRunNote(results: readonly CaseResult[]): string | null {
  const notRun = results.filter((r) => r.verdict === 'not-run').length;
  if (notRun === 0) return null;
  if (nothingJudged(results)) return `NOTHING JUDGED: the backend's library ran none of the ${results.length} cases (not-run: it answered in the library's place, each case says why), so the run fails.`;
  return `${notRun} of ${results.length} cases were not run by the backend's library (not-run: it answered in the library's place, each case says why); they are neither passes nor failures.`;
}
