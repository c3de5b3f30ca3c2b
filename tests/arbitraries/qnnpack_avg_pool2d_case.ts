/**
 * qnnpack_avg_pool2d@1 inputs for the agreement property: the vector generator's cases
 * (conformance/cases/qnnpack_avg_pool2d_cases.ts: channel counts on both sides of 8, padded windows, kernels past 9
 * elements, tie-rich values, the ignored count_include_pad and divisor_override, refusals) from a seed fast-check draws,
 * so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { QnnpackAvgPool2dAttrs } from '../../contract/qnnpack_avg_pool2d.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { qnnpackAvgPool2dCase as drawCase } from '../../conformance/cases/qnnpack_avg_pool2d_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QnnpackAvgPool2dCase {
  readonly x: IntTensor;
  readonly attrs: QnnpackAvgPool2dAttrs;
}

/** A pool case's wire attributes as the window attributes both average pools take (stride defaults to the kernel). */
export function avgPoolWindowOfWire(at: Readonly<Record<string, unknown>>): QnnpackAvgPool2dAttrs {
  const kernelSize = at.kernel_size as [number, number];
  return {
    scale: hexToF64(at.scale),
    zeroPoint: at.zero_point as number,
    kernelSize,
    stride: (at.stride as [number, number] | undefined) ?? kernelSize,
    padding: at.padding as [number, number],
    countIncludePad: at.count_include_pad as boolean,
    divisorOverride: (at.divisor_override as number | undefined) ?? null,
  };
}

export const qnnpackAvgPool2dCase: fc.Arbitrary<QnnpackAvgPool2dCase> = fc
  .record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) })
  .map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`qnnpack-avg-pool2d-property-${seed}`), index);
    return { x: decodeTensor(c.inputs!.x, 'x') as IntTensor, attrs: avgPoolWindowOfWire(c.attrs!) };
  });
