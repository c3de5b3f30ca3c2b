/**
 * Fault suite, answers: a backend process that misbehaves on one case (dies, hangs, is slow, writes
 * garbage, a partial line, a wrong id, floods stderr) costs that case only. The case gets its verdict,
 * every other case passes, the reports are written and valid, the run exits 1, within the time bound,
 * and no backend process is left. The verdicts are the rows of docs/runner.md "Faults and what they get".
 */
import { describe, it } from 'vitest';
import type { Verdict } from '../../../conformance/runner/results.js';
import { expectJudged, runScenario } from '../../support/fault_scenario.js';

const FAULTS: Array<[fault: string, verdict: Verdict, detail: RegExp, backendArgs?: string[]]> = [
  ['crash', 'crash', /process ended \(exit code 3\)/],
  ['hang', 'timeout', /no response within 1500 ms/],
  ['slow', 'timeout', /no response within 1500 ms/, ['--delay', '4000']],
  ['garbage', 'error', /not JSON: Segmentation fault/],
  ['garbage-no-newline', 'error', /cannot be a response .* no newline: Traceback/],
  ['partial-no-newline', 'timeout', /no response within 1500 ms \(it wrote 40 bytes without a newline\)/],
  ['answer-then-exit-no-newline', 'crash', /process ended \(exit code 0\); it wrote \d+ bytes without a newline before it ended/],
  ['wrong-id', 'error', /expected a response with id "quantize_per_tensor-00003", got id "not-quantize_per_tensor-00003"/],
  // extra outputs named as what every JavaScript object inherits are unexpected outputs like any other (they passed)
  ['output-constructor', 'fail', /^unexpected outputs constructor$/],
  ['output-proto', 'fail', /^unexpected outputs __proto__$/],
  ['output-tostring', 'fail', /^unexpected outputs toString$/],
  // judged by its error alone before: a fail here (expected outputs, got error), a pass where the error was the expected one, whatever its outputs
  ['bom', 'error', /^not JSON \(it starts with a byte-order mark, U\+FEFF: write UTF-8 without one\): /],
  ['outputs-and-error', 'error', /^malformed response: it carries both outputs and error \(a response is one or the other\)$/],
];

describe('fault suite: one case answered badly', () => {
  for (const [fault, verdict, detail, backendArgs] of FAULTS) {
    it(`${fault}: that case is ${verdict}, the other 6 pass, exit 1`, async () => {
      const run = await runScenario({ fault, on: [3], timeoutMs: 1500, ...(backendArgs ? { backendArgs } : {}) });
      await expectJudged(run, { 3: [verdict, detail] }, 1);
    });
  }

  it('slow but within --timeout: every case passes, exit 0', async () => {
    const run = await runScenario({ fault: 'slow', on: [2, 5], backendArgs: ['--delay', '300'], timeoutMs: 3000 });
    await expectJudged(run, {}, 0);
  });

  it('16 MiB on stderr before an answer: every case passes, exit 0', async () => {
    const run = await runScenario({ fault: 'stderr-flood', on: [1, 4] });
    await expectJudged(run, {}, 0);
  });

  it('a crash on two cases in a row: both crash, the others pass', async () => {
    const run = await runScenario({ fault: 'crash', on: [4, 5] });
    await expectJudged(run, { 4: ['crash', /exit code 3/], 5: ['crash', /exit code 3/] }, 1);
  });
});
