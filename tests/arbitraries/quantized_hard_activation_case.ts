/**
 * quantized_hardswish@1 / quantized_hardsigmoid@1 inputs for the agreement property: the vector generator's cases
 * (conformance/cases/quantized_hard_activation_cases.ts: lengths around the vector step, channels_last, two threads above
 * GRAIN_SIZE, overflowing scales, witnesses where the forms part) for a drawn capability, from a seed fast-check draws,
 * so a failure replays by seed and path.
 */
import fc from 'fast-check';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedHardswishAttrs } from '../../contract/quantized_hard_activations.js';
import type { IntTensor } from '../../contract/tensor.js';
import { hexToF64 } from '../../contract/wire.js';
import { type HardActivation, quantizedHardActivationCases } from '../../conformance/cases/quantized_hard_activation_cases.js';
import { capabilityWireCase, unaryInputOfWire } from './capability_wire_case.js';

export interface QuantizedHardActivationCase {
  readonly x: IntTensor;
  /** hardsigmoid's cases carry no output scale and zero point (1 and 0 here, which it does not read) */
  readonly attrs: QuantizedHardswishAttrs;
}

export function quantizedHardActivationCase(fn: HardActivation): fc.Arbitrary<QuantizedHardActivationCase> {
  return capabilityWireCase(`quantized-${fn}`, quantizedHardActivationCases(fn)).map(({ request: c, capability }) => {
    const at = c.attrs!;
    const { x, xScale, xZeroPoint } = unaryInputOfWire(c);
    return {
      x,
      attrs: {
        xScale,
        xZeroPoint,
        scale: at.scale === undefined ? 1 : hexToF64(at.scale),
        zeroPoint: (at.zero_point as number | undefined) ?? 0,
        cpuCapability: capability,
        memoryFormat: at.memory_format as MemoryFormat,
        threads: at.threads as number,
      },
    };
  });
}
