/**
 * quantized_mul@1 inputs for the agreement property: the vector generator's cases (conformance/cases/quantized_mul_cases.ts:
 * equal shapes around the vector step, broadcasts, channels_last, two threads above GRAIN_SIZE, multipliers where the
 * forms part, qint8 refusals) for a drawn capability, from a seed fast-check draws, so a failure replays by seed and path.
 */
import { binaryQparamsOfWire } from './integer_add_case.js';
import fc from 'fast-check';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedMulAttrs } from '../../contract/quantized_mul.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { quantizedMulCases } from '../../conformance/cases/quantized_mul_cases.js';
import { capabilityWireCase } from './capability_wire_case.js';

export interface QuantizedMulCase {
  readonly a: IntTensor;
  readonly b: IntTensor;
  readonly attrs: QuantizedMulAttrs;
}

export const quantizedMulCase: fc.Arbitrary<QuantizedMulCase> = capabilityWireCase('quantized-mul', quantizedMulCases).map(({ request: c, capability }) => {
  const at = c.attrs!;
  return {
    a: decodeTensor(c.inputs!.a, 'a') as IntTensor,
    b: decodeTensor(c.inputs!.b, 'b') as IntTensor,
    attrs: { ...binaryQparamsOfWire(at), cpuCapability: capability, memoryFormat: at.memory_format as MemoryFormat, threads: at.threads as number },
  };
});
