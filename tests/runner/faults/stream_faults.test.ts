/**
 * Fault suite, the output stream: an over-long line, output nobody asked for (a stray line, a second
 * answer, a flood of lines) and an exit right after an answer. The case that produced the output keeps
 * its verdict (but for a second answer that differs from the first, even one to the last case that arrives as the
 * backend closes: then it is an error) and the next,
 * innocent case is judged on its own answer; the stray output is listed as a backend warning in the JSON
 * report. Reports valid, time bound, no process left.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_LINE_BYTES } from '../../../contract/limits.js';
import { expectJudged, runScenario } from '../../support/fault_scenario.js';

describe('fault suite: the output stream', () => {
  it(`a line of ${MAX_RESPONSE_LINE_BYTES} + 1 bytes: that case is error without buffering it, the others pass`, async () => {
    // --timeout 10000: pushing 64 MiB through a pipe takes seconds on a loaded machine
    const run = await runScenario({ fault: 'overlong', on: [2], timeoutMs: 10_000 });
    await expectJudged(run, { 2: ['error', new RegExp(`a line longer than the limit of ${MAX_RESPONSE_LINE_BYTES} bytes`)] }, 1);
  });

  it('a stray line after an answer: every case passes, the line is a backend warning', async () => {
    const run = await runScenario({ fault: 'stray-line', on: [2] });
    await expectJudged(run, {}, 0);
    expect(run.report!.run_info.backend.warnings).toEqual([expect.stringMatching(/wrote 1 line nobody asked for after answering quantize_per_tensor-00002: debug: answered/)]);
  });

  it('the same answer twice, 30 ms apart: every case passes, the repeat is a backend warning', async () => {
    const run = await runScenario({ fault: 'duplicate-answer', on: [2, 4] });
    await expectJudged(run, {}, 0);
    expect(run.report!.run_info.backend.warnings.join('\n')).toMatch(/answered quantize_per_tensor-00002 again/);
  });

  it('a second, different answer 30 ms after the first: that case is error (its first answer passed), the others pass, exit 1', async () => {
    const run = await runScenario({ fault: 'answer-twice-different', on: [2, 4] });
    const twice = (k: number) => new RegExp(`^the backend answered this case twice, differently \\(its first answer was judged pass\\); the second answer: \\{"id":"quantize_per_tensor-0000${k}","outputs"`);
    await expectJudged(run, { 2: ['error', twice(2)], 4: ['error', twice(4)] }, 1);
    expect(run.report!.run_info.backend.warnings.join('\n')).toMatch(/quantize_per_tensor-00002/);
  });

  it('a second, different answer written with the first (read before the next request is sent): that case is error', async () => {
    const run = await runScenario({ fault: 'answer-twice-different', on: [3], backendArgs: ['--delay', '0'] });
    await expectJudged(run, { 3: ['error', /^the backend answered this case twice, differently \(its first answer was judged pass\); the second answer: \{"id":"quantize_per_tensor-00003"/] }, 1);
    expect(run.report!.run_info.backend.warnings).toEqual([expect.stringMatching(/wrote 1 line nobody asked for after answering quantize_per_tensor-00003/)]);
  });

  for (const delay of ['0', '30', '500']) {
    it(`a second, different answer to the last case, ${delay} ms after the first (read while the backend closes): that case is error`, async () => {
      const run = await runScenario({ fault: 'answer-twice-different', on: [6], backendArgs: ['--delay', delay] });
      await expectJudged(run, { 6: ['error', /^the backend answered this case twice, differently \(its first answer was judged pass\); the second answer: \{"id":"quantize_per_tensor-00006"/] }, 1);
      expect(run.report!.run_info.backend.warnings).toEqual([expect.stringMatching(/wrote 1 line nobody asked for after answering quantize_per_tensor-00006/)]);
    });
  }

  it('--jobs 2, every case answered twice, differently: every case is error, the last case of each instance too', async () => {
    const run = await runScenario({ fault: 'answer-twice-different', on: [0, 1, 2, 3, 4, 5, 6], jobs: 2 });
    const twice: ['error', RegExp] = ['error', /^the backend answered this case twice, differently \(its first answer was judged pass\)/];
    await expectJudged(run, Object.fromEntries(run.ids.map((_, i) => [i, twice])), 1);
  });

  it('an exit right after an answer: that case passes, the next one runs on a fresh process and passes', async () => {
    const run = await runScenario({ fault: 'exit-after-answer', on: [1, 4] });
    await expectJudged(run, {}, 0);
    expect(run.report!.run_info.backend.warnings.join('\n')).toMatch(/after answering quantize_per_tensor-00001/);
  });

  it('2,000 unrequested lines after an answer: every case passes, the flood is a backend warning', async () => {
    const run = await runScenario({ fault: 'stdout-flood', on: [3] });
    await expectJudged(run, {}, 0);
    expect(run.report!.run_info.backend.warnings.join('\n')).toMatch(/wrote 2000 lines nobody asked for after answering quantize_per_tensor-00003; more than 1000: it floods stdout and was ended: log line 0/);
  });
});
