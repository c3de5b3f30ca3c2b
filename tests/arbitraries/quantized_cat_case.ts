/**
 * quantized_cat@1 inputs for the agreement property: the vector generator's cases (conformance/cases/quantized_cat_cases.ts:
 * every capability, both paths, witnesses on which the vector and scalar forms part, inputs copied as they are) from a
 * seed fast-check draws, so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedCatAttrs, QuantizedCatInput } from '../../contract/quantized_cat.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { quantizedCatFuzzCase as drawCase } from '../../conformance/cases/quantized_cat_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QuantizedCatCase {
  readonly inputs: readonly QuantizedCatInput[];
  readonly attrs: QuantizedCatAttrs;
}

export const quantizedCatCase: fc.Arbitrary<QuantizedCatCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) })
  .map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`quantized-cat-property-${seed}`), index);
    const at = c.attrs!;
    const scales = at.x_scales as string[];
    const zeroPoints = at.x_zero_points as number[];
    return {
      inputs: (c.inputs!.xs as unknown[]).map((x, k) => ({ x: decodeTensor(x, `xs[${k}]`) as IntTensor, scale: hexToF64(scales[k]), zeroPoint: zeroPoints[k]! })),
      attrs: {
        scale: hexToF64(at.scale),
        zeroPoint: at.zero_point as number,
        dim: at.dim as number,
        relu: at.relu as boolean,
        cpuCapability: at.cpu_capability as AtenCpuCapability,
        memoryFormat: at.memory_format as MemoryFormat,
      },
    };
  });
