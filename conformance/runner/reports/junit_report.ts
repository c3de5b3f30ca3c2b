/**
 * JUnit XML for CI: one <testsuite> per op (per set and op when the run holds several sets), one <testcase> per case. Every verdict that fails the run
 * is counted: fail, stale-waiver and unsupported (outside the claims, run with --all-cases) are
 * <failure>, error/timeout/crash are <error>; waived and not-run cases (the backend's library was not run on them) are
 * <skipped>, its message starting with the verdict. Faults outside any case
 * (an unhandled promise rejection) are <error>s of a last "runner" suite. So the failure and error
 * counts are non-zero exactly when the run exits non-zero. Backend text is escaped for XML 1.0
 * (safe_text.ts). Written atomically.
 */
import { writeFileAtomic } from '../../vectors/atomic_write.js';
import { type CaseResult, MINIMAL_CASE, groupResults } from '../results.js';
import type { RunInfo } from './run_info.js';
import { xmlText as xml } from './safe_text.js';

function testcase(r: CaseResult): string {
  const open = `    <testcase classname="${xml(r.op)}" name="${xml(r.id)}" time="${(r.ms / 1000).toFixed(4)}"`;
  // where the case is: its file:line, or a fuzz draw's replay line
  const detail = xml(`${r.fuzz?.minimal ? `${MINIMAL_CASE}: ` : ''}${r.detail ?? ''} (${r.replay ?? r.location})`);
  switch (r.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'fail':
    case 'stale-waiver':
    case 'unsupported':
      return `${open}>\n      <failure type="${r.verdict}" message="${detail}"/>\n    </testcase>`;
    case 'error':
    case 'timeout':
    case 'crash':
      return `${open}>\n      <error type="${r.verdict}" message="${detail}"/>\n    </testcase>`;
    case 'waived':
    case 'not-run':
      return `${open}>\n      <skipped message="${xml(r.verdict)}: ${detail}"/>\n    </testcase>`;
  }
}

function runnerSuite(info: RunInfo, problems: readonly string[]): string[] {
  if (!problems.length) return [];
  const cases = problems.map((p, i) => `    <testcase classname="runner" name="runner problem ${i + 1}" time="0">\n      <error type="runner" message="${xml(p)}"/>\n    </testcase>`);
  return [`  <testsuite name="${xml(`${info.backend.name}: runner`)}" tests="${problems.length}" failures="0" errors="${problems.length}" skipped="0">\n${cases.join('\n')}\n  </testsuite>`];
}

export function junitReport(info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = []): string {
  // a run of several vector sets: a suite per set and op, named `<backend>: <set>/<op>`
  const bySet = (info.vectors?.sets?.length ?? 0) > 1;
  const byOp = groupResults(results, (r) => (bySet ? `${r.set ?? '?'}/${r.op}` : r.op));
  const suites = [...byOp].map(([op, rs]) => {
    const n = (pred: (r: CaseResult) => boolean) => rs.filter(pred).length;
    const failures = n((r) => r.verdict === 'fail' || r.verdict === 'stale-waiver' || r.verdict === 'unsupported');
    const errors = n((r) => ['error', 'timeout', 'crash'].includes(r.verdict));
    const skipped = n((r) => r.verdict === 'waived' || r.verdict === 'not-run');
    const attrs = `name="${xml(`${info.backend.name}: ${op}`)}" tests="${rs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
    return `  <testsuite ${attrs}>\n${rs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  const all = [...suites, ...runnerSuite(info, runnerProblems)];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="qconform ${xml(info.backend.name)} ${xml(info.backend.version)}">\n${all.join('\n')}\n</testsuites>\n`;
}

export function writeJunitReport(path: string, info: RunInfo, results: readonly CaseResult[], runnerProblems: readonly string[] = []): void {
  writeFileAtomic(path, junitReport(info, results, runnerProblems));
}
