/**
 * `qconform merge A.json B.json ... [--report FILE.json] [--junit FILE.xml]`: the shard reports of one run
 * (reports/merge_reports.ts) into the reports of the whole run, with its summary. Exit codes: 0 the merged run
 * passed, 1 it did not, 2 the reports were refused (not shard reports; shards of another run: another backend, CPU
 * model, vector set, selection or shard count; overlapping or missing shards; a malformed result; results that
 * disagree with their report's counts, passed or shard; shards whose results together are not the run's cases) or a
 * destination cannot be written.
 */
import { runPassed } from './results.js';
import { consoleSummary } from './reports/console_summary.js';
import { consoleText } from './reports/safe_text.js';
import { MergeError, mergeShardReports } from './reports/merge_reports.js';
import { type ReportDestinations, writeRunReports } from './reports/write_reports.js';
import { destinationsProblem } from './report_destinations.js';

export async function mergeCommand(reports: readonly string[], to: ReportDestinations): Promise<number> {
  const problem = destinationsProblem([['--report', to.report], ['--junit', to.junit], ['--html', to.html]], reports.map((path) => ({ what: 'shard report', path })));
  if (problem) {
    console.error(`error: ${problem}`);
    return 2;
  }
  try {
    const { info, results, problems } = mergeShardReports(reports);
    console.log(`merged ${reports.length} shard reports`);
    console.log(consoleSummary(info, results, problems));
    writeRunReports(to, info, results, problems); // after the summary: a report that cannot be written loses nothing else
    return runPassed(results, problems) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    // a shard report's text (a field's value, a path) may hold terminal controls
    console.error(`error: refused: ${consoleText(e.message)}`);
    return 2;
  }
}
