/**
 * qnnpack_mean@1 inputs for the agreement property: the vector generator's cases (conformance/cases/qnnpack_mean_cases.ts:
 * channel counts on both sides of 8, planes of 1 to 784 pixels, tie-rich values, keepdim, refusals) from a seed
 * fast-check draws, so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { QnnpackMeanAttrs } from '../../contract/qnnpack_mean.js';
import type { IntTensor } from '../../contract/tensor.js';
import { qnnpackMeanCase as drawCase } from '../../conformance/cases/qnnpack_mean_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { unaryInputOfWire } from './capability_wire_case.js';

export interface QnnpackMeanCase {
  readonly x: IntTensor;
  readonly attrs: QnnpackMeanAttrs;
}

export const qnnpackMeanCase: fc.Arbitrary<QnnpackMeanCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) })
  .map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`qnnpack-mean-property-${seed}`), index);
    const { x, xScale, xZeroPoint } = unaryInputOfWire(c);
    return { x, attrs: { xScale, xZeroPoint, dims: c.attrs!.dim as number[], keepdim: c.attrs!.keepdim as boolean } };
  });
