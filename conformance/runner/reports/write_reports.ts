/**
 * Every report a run (or `qconform merge`) writes, from one set of run data: the run info, every case's result and
 * the runner's problems. A new format is one more line here.
 */
import type { CaseResult } from '../results.js';
import { writeJsonReport } from './json_report.js';
import { writeJunitReport } from './junit_report.js';
import { writeHtmlReport } from './html_report.js';
import type { RunInfo } from './run_info.js';

export interface ReportDestinations {
  readonly report?: string;
  readonly junit?: string;
  readonly html?: string;
  /** the backend named in the HTML report's replay lines */
  readonly backend?: string;
}

export function writeRunReports(to: ReportDestinations, info: RunInfo, results: readonly CaseResult[], problems: readonly string[]): void {
  if (to.report) writeJsonReport(to.report, info, results, problems);
  if (to.junit) writeJunitReport(to.junit, info, results, problems);
  if (to.html) writeHtmlReport(to.html, info, results, problems, to.backend ?? '<backend>');
}
