/**
 * qnnpack_add@1 inputs for the agreement property: the vector generator's cases (conformance/cases/qnnpack_add_cases.ts:
 * lengths on both sides of the ukernel's 8-element body and of its 4096-element calls, ReLU, exact ratios whose sums
 * land on half-integers, ratios below 2^-10 with shifts of 32 to 35, and refused scales, dtypes and shapes) from a seed
 * fast-check draws, so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { QnnpackAddAttrs } from '../../contract/qnnpack_add.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { qnnpackAddCase as drawCase } from '../../conformance/cases/qnnpack_add_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QnnpackAddCase {
  readonly a: IntTensor;
  readonly b: IntTensor;
  readonly attrs: QnnpackAddAttrs;
}

export const qnnpackAddCase: fc.Arbitrary<QnnpackAddCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) })
  .map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`qnnpack-add-property-${seed}`), index);
    const at = c.attrs!;
    return {
      a: decodeTensor(c.inputs!.a, 'a') as IntTensor,
      b: decodeTensor(c.inputs!.b, 'b') as IntTensor,
      attrs: {
        aScale: hexToF64(at.a_scale),
        aZeroPoint: at.a_zero_point as number,
        bScale: hexToF64(at.b_scale),
        bZeroPoint: at.b_zero_point as number,
        scale: hexToF64(at.scale),
        zeroPoint: at.zero_point as number,
        relu: at.relu as boolean,
      },
    };
  });
