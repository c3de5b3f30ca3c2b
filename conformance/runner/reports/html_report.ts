/**
 * `qconform run --html FILE`: a self-contained HTML report of a run, written (atomically) from the same run info
 * and results as the JSON report (json_report.ts): the op x scheme x verdict matrix, every non-passing case with
 * its first difference and replay line, and the run info.
 */
import { writeFileAtomic } from '../../vectors/atomic_write.js';
import { type CaseResult, MINIMAL_CASE, VERDICTS, countVerdicts, groupResults, runPassed } from '../results.js';
import { escapeHtml, htmlPage, htmlTable } from './html_page.js';
import type { RunInfo } from './run_info.js';
import { notRunNote } from './not_run_note.js';

const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The line that re-runs one case: the --backend given to the run (else the backend's name), its vector file, its id; a fuzz draw's own replay line. */
export function replayLine(backendSpec: string, r: CaseResult): string {
  if (r.replay !== undefined) return r.replay;
  return `npx qconform run --backend ${shellWord(backendSpec)} --vectors ${shellWord(r.location.replace(/:\d+$/, ''))} --case ${shellWord(r.id)}`;
}

export function htmlReport(info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = [], backendSpec: string = info.backend.name): string {
  const counts = countVerdicts(results);
  const passed = runPassed(results, runnerProblems);
  const note = notRunNote(results);
  // a run of several vector sets (a built-in's default sets, repeated --vectors) has a row per set, op and scheme
  const bySet = (info.vectors?.sets?.length ?? 0) > 1;
  const groups = groupResults(results, (r) => `${bySet ? (r.set ?? '?') : ''}\u0000${r.op}\u0000${r.scheme}`);
  const shown = VERDICTS.filter((v) => counts[v] > 0);
  const matrix = htmlTable(
    [...(bySet ? ['set'] : []), 'op', 'scheme', ...shown, 'total'],
    [...groups].map(([key, rs]) => {
      const [set, op, scheme] = key.split('\u0000') as [string, string, string];
      const c = countVerdicts(rs);
      return [...(bySet ? [set] : []), op, scheme, ...shown.map((v) => ({ html: c[v] ? String(c[v]) : '', cls: c[v] ? (v === 'pass' || v === 'waived' ? 'pass' : v === 'fail' ? 'fail' : 'other') : '' })), rs.length];
    }),
    'matrix',
  );
  const bad = results.filter((r) => r.verdict !== 'pass');
  const LIMIT = 500;
  const cases = htmlTable(
    ['case', 'op', 'scheme', 'verdict', 'first difference / detail', 'replay'],
    bad.slice(0, LIMIT).map((r) => [
      r.fuzz?.minimal ? { html: `${escapeHtml(r.id)}<br><b>${MINIMAL_CASE}</b>` } : r.id,
      r.op,
      r.scheme,
      { html: escapeHtml(r.verdict), cls: r.verdict === 'waived' ? 'pass' : r.verdict === 'fail' ? 'fail' : 'other' },
      { html: `${escapeHtml(r.detail ?? '')}${r.element && !(r.detail ?? '').includes(`${r.element.output}[${r.element.index}]`) ? `<br><span class="mono">${escapeHtml(`${r.element.output}[${r.element.index}]: expected ${r.element.expected}, got ${r.element.got}${r.element.tags.length ? ` [${r.element.tags.join(', ')}]` : ''}`)}</span>` : ''}${r.matchesSchemes?.length ? `<br>matches ${escapeHtml(r.matchesSchemes.join(', '))}` : ''}` },
      { html: `<code>${escapeHtml(replayLine(backendSpec, r))}</code><br><span class="muted">${escapeHtml(r.location)}</span>` },
    ]),
    'cases',
  );
  const body = `<h1>qconform run: ${escapeHtml(info.backend.name)} ${escapeHtml(info.backend.version)}: ${passed ? 'PASSED' : 'FAILED'}</h1>
<p>${results.length} cases: ${shown.map((v) => `${counts[v]} ${escapeHtml(v)}`).join(', ')}.${runnerProblems.length ? ` Runner problems: ${escapeHtml(runnerProblems.join('; '))}` : ''}</p>${note === null ? '' : `\n<p>${escapeHtml(note)}</p>`}
<h2>op x scheme x verdict</h2>${matrix}
<h2>Cases that did not pass (${bad.length}${bad.length > LIMIT ? `, first ${LIMIT} shown; all in --report` : ''})</h2>${bad.length ? cases : '<p>None.</p>'}
<h2>Run info</h2>${htmlTable(['field', 'value'], Object.entries(info).map(([k, v]) => [k, { html: `<code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v, null, 1))}</code>` }]), 'info')}`;
  return htmlPage(`qconform run ${info.backend.name}`, body);
}

export function writeHtmlReport(path: string, info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = [], backendSpec?: string): void {
  writeFileAtomic(path, htmlReport(info, results, runnerProblems, backendSpec));
}
