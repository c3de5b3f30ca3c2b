/**
 * A request of a per-capability vector generator (conformance/cases/*_cases.ts: one CaseFactory per ATen CPU
 * capability) for a drawn capability and case index, from a seed fast-check draws, so a failure replays by seed and
 * path; with the capability it was drawn for. The op's arbitrary decodes the request into its typed arguments.
 */
import fc from 'fast-check';
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';

export function capabilityWireCase(name: string, cases: (capability: AtenCpuCapability) => CaseFactory): fc.Arbitrary<{ request: ReturnType<CaseFactory>; capability: AtenCpuCapability }> {
  return fc
    .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), capability: fc.constantFrom(...ATEN_CPU_CAPABILITIES), index: fc.integer({ min: 0, max: 99 }) })
    .map(({ seed, capability, index }) => ({ request: cases(capability)(new CaseRandom(`${name}-property-${seed}`), index), capability }));
}

/** A unary request's x and its qparams (x_scale, x_zero_point). */
export function unaryInputOfWire(c: ReturnType<CaseFactory>): { readonly x: IntTensor; readonly xScale: number; readonly xZeroPoint: number } {
  return { x: decodeTensor(c.inputs!.x, 'x') as IntTensor, xScale: hexToF64(c.attrs!.x_scale), xZeroPoint: c.attrs!.x_zero_point as number };
}
