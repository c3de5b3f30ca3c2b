import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { consoleSummary } from '../../conformance/runner/reports/console_summary.js';
import { escapeHtml } from '../../conformance/runner/reports/html_page.js';
import { htmlReport } from '../../conformance/runner/reports/html_report.js';
import { jsonReport } from '../../conformance/runner/reports/json_report.js';
import { junitReport } from '../../conformance/runner/reports/junit_report.js';
import { runInfo } from '../../conformance/runner/reports/run_info.js';
import { consoleText, xmlText } from '../../conformance/runner/reports/safe_text.js';
import { type CaseResult, type Verdict, runPassed } from '../../conformance/runner/results.js';
import { runCase } from '../../conformance/runner/run_case.js';
import { quantizeCases } from '../support/runner_fixtures.js';
import { parseJunit } from '../support/xml_check.js';

/** Reports stay valid and agree with the exit code whatever a backend says; in-process backends cannot crash the runner. */
const HOSTILE = 'esc \u001b[2J nul \u0000 bell \u0007 del \u007f c1 \u009b nonchar \ufffe \uffff lone \ud800 and \udc00 tab\tnl\ncr\r emoji \u{1f600} <&>"\'';
const BACKEND: Backend = { name: 'hostile\u001b[31m', version: '1\ufffe', capabilities: { ops: [] }, run: () => Promise.reject(new Error('unused')) };
const SELECTION = { source: 'test', manifest: null, manifestSha256: null, sets: [], cases: [], ids: new Set<string>() };
const INFO = runInfo(BACKEND, SELECTION, new Date(0));

function result(verdict: Verdict, detail = ''): CaseResult {
  return { id: `case-${verdict}`, op: 'quantize_per_tensor@1', scheme: 'torch-1.13', verdict, detail, location: 'x.jsonl:1', ms: 1 };
}

describe('report text safety', () => {
  it('JUnit XML with every character XML 1.0 forbids in a detail parses with a strict parser', () => {
    const xml = junitReport(INFO, [result('error', HOSTILE), result('fail', HOSTILE)]);
    const parsed = parseJunit(xml);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.messages[0]).toContain('esc \\u{1b}[2J nul \\u{0} bell \\u{7}');
    expect(parsed.messages[0]).toContain('nonchar \\u{fffe} \\u{ffff} lone \\u{d800} and \\u{dc00} tab\tnl\ncr\r emoji \u{1f600} <&>"\'');
  });

  it('the strict parser is not vacuous: it refuses the forbidden characters escaped the old way', () => {
    const old = (t: string) => t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    expect(parseJunit(`<a m="${old(HOSTILE)}"/>`)).toHaveProperty('error');
    expect(parseJunit(`<a m="${xmlText(HOSTILE)}"/>`)).not.toHaveProperty('error');
  });

  it('console text shows control characters, noncharacters and lone surrogates as escapes', () => {
    const shown = consoleText(HOSTILE);
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/);
    expect(shown).not.toMatch(/\p{Surrogate}/u);
    expect(shown).toContain('\u{1f600}');
    const summary = consoleSummary(INFO, [result('error', HOSTILE)]);
    expect(summary.split('\n').every((line) => !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe]/.test(line))).toBe(true);
    expect(summary).toContain('hostile\\u{1b}[31m 1\\u{fffe}');
  });

  it('the HTML report shows control characters, noncharacters and lone surrogates as the console does (tab, LF and CR kept), markup escaped', () => {
    const html = htmlReport(INFO, [result('error', HOSTILE), result('fail', HOSTILE)]);
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/);
    expect(html).not.toMatch(/\p{Surrogate}/u);
    expect(html).toContain('esc \\u{1b}[2J nul \\u{0} bell \\u{7} del \\u{7f} c1 \\u{9b} nonchar \\u{fffe} \\u{ffff} lone \\u{d800} and \\u{dc00} tab\tnl\ncr\r emoji \u{1f600} &lt;&amp;&gt;&quot;&#39;');
    // the backend's name and version (a handshake's), in the title and heading
    expect(html).toContain('<h1>qconform run: hostile\\u{1b}[31m 1\\u{fffe}: FAILED</h1>');
    expect(escapeHtml('\u001b[31mred\u0000')).toBe('\\u{1b}[31mred\\u{0}');
  });
});

describe('reports agree with the exit code', () => {
  const cases: Array<[verdicts: Verdict[], passed: boolean]> = [
    [['pass', 'waived'], true],
    [['pass', 'unsupported'], false],
    [['pass', 'fail'], false],
    [['pass', 'stale-waiver'], false],
    [['timeout', 'crash', 'error'], false],
  ];
  for (const [verdicts, passed] of cases) {
    it(`${verdicts.join(' + ')}: passed ${passed} in JSON, and JUnit failures + errors ${passed ? '= 0' : '> 0'}`, () => {
      const results = verdicts.map((v) => result(v));
      expect(runPassed(results)).toBe(passed);
      expect(JSON.parse(jsonReport(INFO, results)).passed).toBe(passed);
      const junit = parseJunit(junitReport(INFO, results));
      if ('error' in junit) throw new Error(junit.error);
      expect(junit.failures + junit.errors > 0).toBe(!passed);
      expect(junit.failure_elements + junit.error_elements).toBe(junit.failures + junit.errors);
    });
  }

  it('a fault outside any case (an unhandled rejection) fails the run in the JSON, JUnit and console alike', () => {
    const results = [result('pass')];
    const problems = ['unhandled promise rejection during the run: Error: stray'];
    expect(runPassed(results, problems)).toBe(false);
    expect(JSON.parse(jsonReport(INFO, results, problems))).toMatchObject({ passed: false, runner_problems: problems });
    const junit = parseJunit(junitReport(INFO, results, problems));
    if ('error' in junit) throw new Error(junit.error);
    expect(junit.errors).toBe(1);
    expect(consoleSummary(INFO, results, problems)).toMatch(/runner\s+unhandled promise rejection.*\n\nFAIL$/);
  });

  it('a run failing only on unsupported cases says why and what to do', () => {
    const summary = consoleSummary(INFO, [result('pass'), result('unsupported')]);
    expect(summary).toMatch(/fails only because 1 cases are unsupported/);
    expect(summary).toMatch(/Run without --all-cases/);
    expect(consoleSummary(INFO, [result('fail'), result('unsupported')])).not.toMatch(/fails only because/);
  });
});

describe('in-process backends that misbehave cost one case, never the run', () => {
  const [s] = quantizeCases(1);
  const throwing = (what: string) => () => {
    throw new Error(`${what} exploded`);
  };
  const good: Backend = { name: 'x', version: '0', capabilities: { ops: ['quantize_per_tensor@1'] }, run: () => Promise.reject(new Error('unused')) };
  const backends: Array<[string, Backend, Verdict, RegExp]> = [
    ['run returns null', { ...good, run: () => null as never }, 'error', /the response is null/],
    ['run returns a string', { ...good, run: () => 'ok' as never }, 'error', /the response is a string \("ok"\)/],
    ['run getter throws', Object.defineProperty({ ...good }, 'run', { get: throwing('run getter') }), 'error', /backend threw Error: run getter exploded/],
    ['capabilities getter throws', Object.defineProperty({ ...good }, 'capabilities', { get: throwing('capabilities getter') }), 'error', /capabilities could not be read: Error: capabilities getter exploded/],
    ['a response whose outputs getter throws', { ...good, run: (r) => Object.defineProperty({ id: r.id }, 'outputs', { get: throwing('outputs getter') }) as never }, 'error', /judging the response threw Error: outputs getter exploded/],
    ['a response whose error getter throws', { ...good, run: (r) => Object.defineProperty({ id: r.id }, 'error', { get: throwing('error getter'), enumerable: true }) as never }, 'error', /judging the response threw Error: error getter exploded/],
  ];
  for (const [name, backend, verdict, detail] of backends) {
    it(`${name}: ${verdict}`, async () => {
      const r = await runCase(backend, s!, { timeoutMs: 1000 });
      expect(r.verdict).toBe(verdict);
      expect(r.detail).toMatch(detail);
    });
  }
});
