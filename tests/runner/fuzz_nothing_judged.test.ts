/**
 * A --fuzz run that judges nothing does not pass (conformance/runner/fuzz/fuzz_run.ts fuzzBackend): when every draw of
 * an op falls outside the backend's claims it says NOTHING JUDGED with the reason and fails, so does a run whose --op
 * selects no op the backend claims, and one where fast-check gives up after judging fewer cases than asked (INCOMPLETE). The control: the same op on the impl, within its claims, judges every case
 * and passes (so the failure is the empty judgement, not the op).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { quantizePerTensorCase } from '../../conformance/cases/quantize_cases.js';
import { fuzzBackend } from '../../conformance/runner/fuzz/fuzz_run.js';

const options = { runs: 5, seed: 7, timeoutMs: 10_000, backendSpec: 'test', ops: ['quantize_per_tensor'] };

async function fuzzed(backend: Backend, ops = options.ops) {
  const lines: string[] = [];
  const { clean } = await fuzzBackend(backend, { ...options, ops }, (s) => lines.push(s));
  return { clean, lines };
}

describe('--fuzz that judges no draw', () => {
  it('control: the impl judges every draw of quantize_per_tensor and passes', async () => {
    const impl = await builtinBackend('impl')!.create();
    const { clean, lines } = await fuzzed(impl);
    expect(lines).toEqual([expect.stringMatching(/^fuzz quantize_per_tensor@1: 5 fresh cases agree with the reference/)]);
    expect(clean).toBe(true);
  });

  it('every draw outside the claims: NOTHING JUDGED with the reason, and the run fails', async () => {
    const impl = await builtinBackend('impl')!.create();
    let ran = 0;
    const elsewhere: Backend = { ...impl, capabilities: { ...impl.capabilities, schemes: ['elsewhere@1'] }, run: (r, o) => (ran++, impl.run(r, o)) };
    const { clean, lines } = await fuzzed(elsewhere);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fuzz quantize_per_tensor@1: NOTHING JUDGED: none of \d+ draws is within the backend's claims/);
    expect(lines[0]).toContain('scheme torch-1.13 is not among the backend\'s schemes (elsewhere@1)');
    expect(lines[0]).not.toMatch(/agree/);
    expect(ran).toBe(0);
    expect(clean).toBe(false);
  });

  it('--op selecting no op the backend claims: NOTHING JUDGED, and the run fails', async () => {
    const impl = await builtinBackend('impl')!.create();
    const { clean, lines } = await fuzzed(impl, ['no_such_op']);
    expect(lines).toEqual(["fuzz: NOTHING JUDGED: no op of the fuzz catalogue is among the backend's ops and selected by --op no_such_op"]);
    expect(clean).toBe(false);
  });

  it('fewer draws within the claims than asked (fast-check gives up): INCOMPLETE with the count judged, and the run fails', async () => {
    const impl = await builtinBackend('impl')!.create();
    // the first two draws within the claims, every later one outside: fast-check gives up (1,000 skips per run) after 2
    let drawn = 0;
    const rare: CaseFactory = (r, i) => {
      const q = quantizePerTensorCase(r, i);
      return drawn++ < 2 ? q : { ...q, attrs: { ...q.attrs, scheme: 'elsewhere@1' } };
    };
    const lines: string[] = [];
    const torchOnly: Backend = { ...impl, capabilities: { ...impl.capabilities, schemes: ['torch-1.13'] } };
    const { clean } = await fuzzBackend(torchOnly, { ...options, catalog: [{ op: 'quantize_per_tensor@1', factory: rare }] }, (s) => lines.push(s));
    expect(lines).toHaveLength(1);
    const m = /^fuzz quantize_per_tensor@1: INCOMPLETE: (2) of 5 cases judged, and they agree with the reference \(\d+ draws skipped; skipped because: scheme elsewhere@1 is not among/.exec(lines[0]!);
    expect(m, lines[0]).not.toBeNull();
    expect(clean).toBe(false);
  });
});
