/** The JSON report: run info, tallies and every case's result. Written atomically. */
import { writeFileAtomic } from '../../vectors/atomic_write.js';
import { type CaseResult, countVerdicts, runPassed } from '../results.js';
import type { RunInfo } from './run_info.js';

export const REPORT_FORMAT = 'qconform-report/1';

export function jsonReport(info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = []): string {
  const problems = runnerProblems.length ? { runner_problems: runnerProblems } : {};
  const report = { format: REPORT_FORMAT, run_info: info, passed: runPassed(results, runnerProblems), counts: countVerdicts(results), ...problems, results };
  return `${JSON.stringify(report, null, 1)}\n`;
}

export function writeJsonReport(path: string, info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = []): void {
  writeFileAtomic(path, jsonReport(info, results, runnerProblems));
}
