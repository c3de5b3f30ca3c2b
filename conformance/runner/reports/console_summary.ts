/**
 * The console summary: an op × scheme table of passed / total (a row per set and op when the run holds several
 * vector sets), the verdict tallies, and the first few non-passing cases with their reason and file:line (failing cases
 * first, then cases not run by the backend's library). A cell counts not-run cases apart: "3/4 (1 not run)".
 */
import { type CaseResult, NOT_FAILING_VERDICTS, OK_VERDICTS, VERDICTS, countVerdicts, groupResults, runPassed } from '../results.js';
import { notRunNote } from './not_run_note.js';
import { identificationLines } from '../scheme_identification.js';
import type { RunInfo } from './run_info.js';
import { consoleText } from './safe_text.js';

function cell(rs: readonly CaseResult[] | undefined): string {
  if (!rs?.length) return '-';
  const ok = rs.filter((r) => OK_VERDICTS.has(r.verdict)).length;
  const unsupported = rs.filter((r) => r.verdict === 'unsupported').length;
  const notRun = rs.filter((r) => r.verdict === 'not-run').length;
  if (unsupported === rs.length) return 'unsupported';
  return `${ok}/${rs.length}${notRun ? ` (${notRun} not run)` : ''}${ok + unsupported + notRun === rs.length ? '' : ' ✗'}`;
}

/** Columns before `labels` are left-aligned (names), the others right-aligned (counts). */
function table(rows: string[][], labels = 1): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((text, c) => (c < labels ? text.padEnd(widths[c]!) : text.padStart(widths[c]!))).join('  ')).join('\n');
}

/** When the run fails only because of `unsupported` cases: what that means and what to do. */
function unsupportedAdvice(counts: Record<string, number>, results: readonly CaseResult[]): string[] {
  const unsupported = counts.unsupported ?? 0;
  if (!unsupported || results.some((r) => !NOT_FAILING_VERDICTS.has(r.verdict) && r.verdict !== 'unsupported')) return [];
  return [
    '',
    `The run fails only because ${unsupported} cases are unsupported: outside the backend's claims (run with --all-cases) or answered unknown_op.`,
    'Run without --all-cases to judge only the claimed cases, narrow the run with --op/--scheme, widen the claims if the backend handles them, or waive them.',
  ];
}

export function consoleSummary(info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = [], maxListed = 10): string {
  const schemes = [...groupResults(results, (r) => r.scheme).keys()];
  const bySet = (info.vectors?.sets?.length ?? 0) > 1;
  const rows = [[...(bySet ? ['set'] : []), 'op', ...schemes]];
  for (const [, rs] of groupResults(results, (r) => (bySet ? `${r.set ?? '?'}\u0000${r.op}` : r.op))) {
    const byScheme = groupResults(rs, (r) => r.scheme);
    rows.push([...(bySet ? [rs[0]!.set ?? '?'] : []), rs[0]!.op, ...schemes.map((s) => cell(byScheme.get(s)))]);
  }
  const counts = countVerdicts(results);
  const tally = VERDICTS.filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${v}`)
    .join(', ');
  const failing = results.filter((r) => !NOT_FAILING_VERDICTS.has(r.verdict) && r.verdict !== 'unsupported');
  const notRun = results.filter((r) => r.verdict === 'not-run');
  const notOk = [...failing, ...notRun];
  const listed = notOk.slice(0, maxListed).map((r) => `  ${r.verdict.padEnd(12)} ${consoleText(r.id)}  ${consoleText(r.detail ?? '')}\n               at ${r.location}`);
  const more = notOk.length > maxListed ? [`  ... and ${notOk.length - maxListed} more (see the JSON report)`] : [];
  const emulation = info.backend_cpu.emulation ? ` (${String(info.backend_cpu.emulation)})` : '';
  const head = `${consoleText(info.backend.name)} ${consoleText(info.backend.version)} on cpu ${String(info.backend_cpu.model)}${emulation} against ${info.vectors.source}`;
  const problems = runnerProblems.map((p) => `  runner       ${consoleText(p)}`);
  const verdict = runPassed(results, runnerProblems) ? 'PASS' : 'FAIL';
  const note = notRunNote(results);
  const notRunLines = note === null ? [] : ['', note];
  const identified = identificationLines(results);
  return [head, '', table(rows, bySet ? 2 : 1), '', `${results.length} cases: ${tally}`, ...listed, ...more, ...problems, ...(identified.length ? ['', ...identified] : []), ...(runnerProblems.length ? [] : unsupportedAdvice(counts, results)), ...notRunLines, '', verdict].join('\n');
}
