/**
 * Every report a run (or `qconform merge`) writes, from one set of run data: the run info, every case's result and
 * the runner's problems. A new format is one more line here.
 */
import { FileWriteError } from '../../vectors/atomic_write.js';
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
  const writes: Array<() => void> = [];
  if (to.report) writes.push(() => writeJsonReport(to.report!, info, results, problems));
  if (to.junit) writes.push(() => writeJunitReport(to.junit!, info, results, problems));
  if (to.html) writes.push(() => writeHtmlReport(to.html!, info, results, problems, to.backend ?? '<backend>'));
  // one report that cannot be written (a destination that changed since the run checked it) costs no other report
  const failed: FileWriteError[] = [];
  for (const write of writes) {
    try {
      write();
    } catch (e) {
      if (!(e instanceof FileWriteError)) throw e;
      failed.push(e);
    }
  }
  if (failed.length === 1) throw failed[0];
  if (failed.length > 1) throw new FileWriteError(failed.map((f) => f.path).join(' and '), failed.map((f) => `${f.path}: ${f.why}`).join('; '));
}
