/**
 * A seeded `--fuzz` run of some ops through the live onnxruntime built-in (its fuzz catalogue on this CPU), as
 * `qconform run --backend onnxruntime --fuzz` runs it, counting per op the requests ORT answered with outputs that
 * `counted` picks: the tests' proof that ORT computed the forms they are about.
 */
import { expect } from 'vitest';
import type { Backend } from '../../conformance/backends/backend.js';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { fuzzBackend } from '../../conformance/runner/fuzz/fuzz_run.js';

/** Runs `runs` fuzz cases of each op at `seed`, expects every one to agree, and returns the counts per op. */
export async function ortFuzzRun(ops: readonly string[], seed: number, runs: number, counted: (request: WireRequest) => boolean): Promise<Map<string, number>> {
  const builtin = builtinBackend('onnxruntime')!;
  expect(builtin.availability().available, 'onnxruntime-node is installed (npm install)').toBe(true);
  const ort = await builtin.create();
  const answered = new Map<string, number>();
  const counting: Backend = {
    ...ort,
    run: async (request, o) => {
      const response = await ort.run(request, o);
      if ('outputs' in response && counted(request)) answered.set(request.op, (answered.get(request.op) ?? 0) + 1);
      return response;
    },
  };
  const lines: string[] = [];
  try {
    const options = { runs, seed, timeoutMs: 60_000, backendSpec: 'onnxruntime', ops: [...ops], catalog: builtin.fuzzCatalogOn!(HOST_CPU) };
    const { clean } = await fuzzBackend(counting, options, (s) => lines.push(s));
    expect(clean, lines.join('\n')).toBe(true);
  } finally {
    await ort.close?.();
  }
  expect(lines.map((l) => l.split(':')[0])).toEqual(ops.map((op) => `fuzz ${op}`));
  return answered;
}
