/**
 * qnnpack_hardswish@1 / qnnpack_hardsigmoid@1 inputs for the agreement property: the vector generator's cases
 * (conformance/cases/qnnpack_hard_activation_cases.ts: whole tables, overflowing and refused scales, both zero-point
 * parities, refusals) from a seed fast-check draws, so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { QnnpackHardswishAttrs } from '../../contract/qnnpack_hard_activations.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { qnnpackHardActivationCase as drawCase } from '../../conformance/cases/qnnpack_hard_activation_cases.js';
import type { HardActivation } from '../../conformance/cases/quantized_hard_activation_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';

export interface QnnpackHardActivationCase {
  readonly x: IntTensor;
  /** hardsigmoid's cases carry no output scale and zero point (1 and 0 here, which it does not read) */
  readonly attrs: QnnpackHardswishAttrs;
}

export function qnnpackHardActivationCase(fn: HardActivation): fc.Arbitrary<QnnpackHardActivationCase> {
  return fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 49 }) }).map(({ seed, index }) => {
    const c = drawCase(fn)(new CaseRandom(`qnnpack-${fn}-property-${seed}`), index);
    const at = c.attrs!;
    return {
      x: decodeTensor(c.inputs!.x, 'x') as IntTensor,
      attrs: { xScale: hexToF64(at.x_scale), xZeroPoint: at.x_zero_point as number, scale: at.scale === undefined ? 1 : hexToF64(at.scale), zeroPoint: (at.zero_point as number | undefined) ?? 0 },
    };
  });
}
