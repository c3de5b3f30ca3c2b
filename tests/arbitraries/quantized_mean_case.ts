/**
 * quantized_mean@1 inputs for the agreement property: the vector generator's cases (conformance/cases/
 * quantized_mean_cases.ts: both paths, every dims spelling, tensors of GRAIN_SIZE elements on several threads,
 * witness channels where the two summation orders part) for a drawn capability, from a seed fast-check draws, so a
 * failure replays by seed and path.
 */
import fc from 'fast-check';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
import type { IntTensor } from '../../contract/tensor.js';
import { quantizedMeanCases } from '../../conformance/cases/quantized_mean_cases.js';
import { capabilityWireCase, unaryInputOfWire } from './capability_wire_case.js';

export interface QuantizedMeanCase {
  readonly x: IntTensor;
  readonly attrs: QuantizedMeanAttrs;
}

export function quantizedMeanCase(): fc.Arbitrary<QuantizedMeanCase> {
  return capabilityWireCase('quantized-mean', quantizedMeanCases).map(({ request: c, capability }) => {
    const at = c.attrs!;
    const { x, xScale, xZeroPoint } = unaryInputOfWire(c);
    return {
      x,
      attrs: {
        xScale,
        xZeroPoint,
        dims: at.dim as number[],
        keepdim: at.keepdim as boolean,
        memoryFormat: at.memory_format as MemoryFormat,
        cpuCapability: capability,
        threads: at.threads as number,
      },
    };
  });
}
