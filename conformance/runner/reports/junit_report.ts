/**
 * JUnit XML for CI: one <testsuite> per op, one <testcase> per case. fail and stale-waiver are
 * <failure>, error/timeout/crash are <error>, unsupported and waived are <skipped> with the reason.
 * Written atomically.
 */
import { writeFileAtomic } from '../../vectors/vector_set.js';
import { type CaseResult, groupResults } from '../results.js';
import type { RunInfo } from './run_info.js';

function xml(text: string): string {
  // XML 1.0 cannot hold most control characters even escaped; drop them
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function testcase(r: CaseResult): string {
  const open = `    <testcase classname="${xml(r.op)}" name="${xml(r.id)}" time="${(r.ms / 1000).toFixed(4)}"`;
  const detail = xml(`${r.detail ?? ''} (${r.location})`);
  switch (r.verdict) {
    case 'pass':
      return `${open}/>`;
    case 'fail':
    case 'stale-waiver':
      return `${open}>\n      <failure type="${r.verdict}" message="${detail}"/>\n    </testcase>`;
    case 'error':
    case 'timeout':
    case 'crash':
      return `${open}>\n      <error type="${r.verdict}" message="${detail}"/>\n    </testcase>`;
    case 'unsupported':
    case 'waived':
      return `${open}>\n      <skipped message="${xml(r.verdict)}: ${detail}"/>\n    </testcase>`;
  }
}

export function junitReport(info: RunInfo, results: readonly CaseResult[]): string {
  const byOp = groupResults(results, (r) => r.op);
  const suites = [...byOp].map(([op, rs]) => {
    const n = (pred: (r: CaseResult) => boolean) => rs.filter(pred).length;
    const failures = n((r) => r.verdict === 'fail' || r.verdict === 'stale-waiver');
    const errors = n((r) => ['error', 'timeout', 'crash'].includes(r.verdict));
    const skipped = n((r) => r.verdict === 'unsupported' || r.verdict === 'waived');
    const attrs = `name="${xml(`${info.backend.name}: ${op}`)}" tests="${rs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
    return `  <testsuite ${attrs}>\n${rs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="qconform ${xml(info.backend.name)} ${xml(info.backend.version)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function writeJunitReport(path: string, info: RunInfo, results: readonly CaseResult[]): void {
  writeFileAtomic(path, junitReport(info, results));
}
