/**
 * quantized_adaptive_avg_pool2d@1 inputs for the agreement property: the vector generator's cases
 * (conformance/cases/quantized_adaptive_avg_pool2d_cases.ts: both layouts and kernels, tie-rich values, output sizes
 * around the input's, scales whose float32 is 0 or inf) from a seed fast-check draws, so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedAdaptiveAvgPool2dAttrs } from '../../contract/quantized_adaptive_avg_pool2d.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { quantizedAdaptiveAvgPool2dCase as drawCase } from '../../conformance/cases/quantized_adaptive_avg_pool2d_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QuantizedAdaptiveAvgPool2dCase {
  readonly x: IntTensor;
  readonly attrs: QuantizedAdaptiveAvgPool2dAttrs;
}

export const quantizedAdaptiveAvgPool2dCase: fc.Arbitrary<QuantizedAdaptiveAvgPool2dCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) })
  .map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`quantized-adaptive-avg-pool2d-property-${seed}`), index);
    const at = c.attrs!;
    return {
      x: decodeTensor(c.inputs!.x, 'x') as IntTensor,
      attrs: { scale: hexToF64(at.scale), zeroPoint: at.zero_point as number, outputSize: at.output_size as [number, number], memoryFormat: at.memory_format as MemoryFormat },
    };
  });
