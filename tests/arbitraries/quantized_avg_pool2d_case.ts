/**
 * quantized_avg_pool2d@1 and @2 inputs for the agreement property: the vector generator's cases
 * (conformance/cases/quantized_avg_pool2d_cases.ts: both layouts and kernels, every capability, tie-rich values, windows
 * with padding, ceil_mode and divisor_override, scales whose float32 is 0 or inf) from a seed fast-check draws, as torch
 * 1.13's or 2.6's op (semantics), so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { AtenCpuCapability, AtenLoopVersion, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedAvgPool2dAttrs } from '../../contract/quantized_avg_pool2d.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { avgPoolWindowOfWire } from './qnnpack_avg_pool2d_case.js';
import { quantizedAvgPool2dFuzzCase as drawCase } from '../../conformance/cases/quantized_avg_pool2d_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QuantizedAvgPool2dCase {
  readonly x: IntTensor;
  readonly attrs: QuantizedAvgPool2dAttrs;
}

export const quantizedAvgPool2dCase: fc.Arbitrary<QuantizedAvgPool2dCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }), semantics: fc.constantFrom<AtenLoopVersion>(1, 2) })
  .map(({ seed, index, semantics }) => {
    const c = drawCase(new CaseRandom(`quantized-avg-pool2d-property-${seed}`), index);
    const at = c.attrs!;
    return {
      x: decodeTensor(c.inputs!.x, 'x') as IntTensor,
      attrs: {
        ...avgPoolWindowOfWire(at),
        ceilMode: at.ceil_mode as boolean,
        memoryFormat: at.memory_format as MemoryFormat,
        cpuCapability: at.cpu_capability as AtenCpuCapability,
        semantics,
      },
    };
  });
