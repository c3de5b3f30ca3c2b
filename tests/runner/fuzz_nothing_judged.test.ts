/**
 * A --fuzz run that judges nothing does not pass (conformance/runner/fuzz/fuzz_run.ts fuzzBackend): when every draw of
 * an op falls outside the backend's claims it says NOTHING JUDGED with the reason and fails, and so does a run whose
 * --op selects no op the backend claims. The control: the same op on the impl, within its claims, judges every case
 * and passes (so the failure is the empty judgement, not the op).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { fuzzBackend } from '../../conformance/runner/fuzz/fuzz_run.js';

const options = { runs: 5, seed: 7, timeoutMs: 10_000, backendSpec: 'test', ops: ['quantize_per_tensor'] };

async function fuzzed(backend: Backend, ops = options.ops) {
  const lines: string[] = [];
  const clean = await fuzzBackend(backend, { ...options, ops }, (s) => lines.push(s));
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
});
