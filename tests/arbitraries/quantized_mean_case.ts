/**
 * quantized_mean@1 inputs for the agreement property: the vector generator's cases (conformance/cases/
 * quantized_mean_cases.ts: both paths, every dims spelling, tensors of GRAIN_SIZE elements on several threads,
 * witness channels where the two summation orders part) for a drawn capability, from a seed fast-check draws, so a
 * failure replays by seed and path.
 */
import fc from 'fast-check';
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { quantizedMeanCases } from '../../conformance/cases/quantized_mean_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QuantizedMeanCase {
  readonly x: IntTensor;
  readonly attrs: QuantizedMeanAttrs;
}

export function quantizedMeanCase(): fc.Arbitrary<QuantizedMeanCase> {
  return fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), capability: fc.constantFrom(...ATEN_CPU_CAPABILITIES), index: fc.integer({ min: 0, max: 99 }) }).map(({ seed, capability, index }) => {
    const c = quantizedMeanCases(capability)(new CaseRandom(`quantized-mean-property-${seed}`), index);
    const at = c.attrs!;
    return {
      x: decodeTensor(c.inputs!.x, 'x') as IntTensor,
      attrs: {
        xScale: hexToF64(at.x_scale),
        xZeroPoint: at.x_zero_point as number,
        dims: at.dim as number[],
        keepdim: at.keepdim as boolean,
        memoryFormat: at.memory_format as MemoryFormat,
        cpuCapability: capability as AtenCpuCapability,
        threads: at.threads as number,
      },
    };
  });
}
