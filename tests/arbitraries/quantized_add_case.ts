/**
 * quantized_add@1 inputs for the agreement property: the vector generator's cases (conformance/cases/quantized_add_cases.ts:
 * lengths around the vector step, channels_last, two threads above GRAIN_SIZE, overflowing scales, witnesses where the
 * forms part) for a drawn capability and op version (@1 torch 1.13, @2 torch 2.6), from a seed fast-check draws, so a
 * failure replays by seed and path.
 */
import { binaryQparamsOfWire } from './integer_add_case.js';
import fc from 'fast-check';
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedAddAttrs } from '../../contract/quantized_add.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { quantizedAddCases } from '../../conformance/cases/quantized_add_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QuantizedAddCase {
  readonly a: IntTensor;
  readonly b: IntTensor;
  readonly attrs: QuantizedAddAttrs;
}

export const quantizedAddCase: fc.Arbitrary<QuantizedAddCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), capability: fc.constantFrom(...ATEN_CPU_CAPABILITIES), index: fc.integer({ min: 0, max: 98 }), semantics: fc.constantFrom(1 as const, 2 as const) })
  .map(({ seed, capability, index, semantics }) => {
    const c = quantizedAddCases(capability)(new CaseRandom(`quantized-add-property-${seed}`), index);
    const at = c.attrs!;
    return {
      a: decodeTensor(c.inputs!.a, 'a') as IntTensor,
      b: decodeTensor(c.inputs!.b, 'b') as IntTensor,
      attrs: {
        ...binaryQparamsOfWire(at),
        cpuCapability: capability as AtenCpuCapability,
        memoryFormat: at.memory_format as MemoryFormat,
        threads: at.threads as number,
        semantics,
      },
    };
  });
