/**
 * qnnpack_add@1 and xnnpack_add@1 inputs for the agreement properties: the vector generators' cases
 * (conformance/cases/qnnpack_add_cases.ts: lengths on both sides of QNNPACK's 8-element body and 4096-element calls,
 * ReLU, exact ratios whose sums land on half-integers, ratios below 2^-10 with shifts of 32 to 35, refused scales,
 * dtypes and shapes; xnnpack_add_cases.ts: the same for qint8 and XNNPACK's limits) from a seed fast-check draws, so a
 * failure replays by seed and path.
 */
import fc from 'fast-check';
import type { BinaryQparams } from '../../contract/quantized_add.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { qnnpackAddCase as drawQnnpackCase } from '../../conformance/cases/qnnpack_add_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { xnnpackAddCase as drawXnnpackCase } from '../../conformance/cases/xnnpack_add_cases.js';

export interface IntegerAddCase {
  readonly a: IntTensor;
  readonly b: IntTensor;
  readonly attrs: BinaryQparams;
}

/** A generated add case's wire qparams and ReLU flag as the ops take them. */
export function binaryQparamsOfWire(at: Readonly<Record<string, unknown>>): BinaryQparams {
  return {
    aScale: hexToF64(at.a_scale as string),
    aZeroPoint: at.a_zero_point as number,
    bScale: hexToF64(at.b_scale as string),
    bZeroPoint: at.b_zero_point as number,
    scale: hexToF64(at.scale as string),
    zeroPoint: at.zero_point as number,
    relu: at.relu as boolean,
  };
}

function integerAddCases(drawCase: CaseFactory, label: string): fc.Arbitrary<IntegerAddCase> {
  return fc.record({ seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), index: fc.integer({ min: 0, max: 98 }) }).map(({ seed, index }) => {
    const c = drawCase(new CaseRandom(`${label}-property-${seed}`), index);
    return {
      a: decodeTensor(c.inputs!.a, 'a') as IntTensor,
      b: decodeTensor(c.inputs!.b, 'b') as IntTensor,
      attrs: binaryQparamsOfWire(c.attrs!),
    };
  });
}

export const qnnpackAddCase = integerAddCases(drawQnnpackCase, 'qnnpack-add');
export const xnnpackAddCase = integerAddCases(drawXnnpackCase, 'xnnpack-add');
