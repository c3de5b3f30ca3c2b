/**
 * requantize@1 under tosa-single-round@1 / tosa-double-round@1 as one tosa.rescale (scale32, input_zp 0,
 * double_round as the scheme says, TOSA's right shift 31 - shift) of the flattened int32 accumulators,
 * followed by tosa.clamp when [output_min, output_max] is narrower than the output type. The output type is
 * i8 when the clamp range fits int8 (the rescale then clips to int8 itself, as a TOSA int8 output does),
 * else i32. The contract check (TOSA's REQUIREs among them) runs first, so refused calls never reach MLIR.
 */
import { QconformError } from '../../../contract/errors.js';
import { type RequantizeArgs, checkRequantize, isTosaRequantize } from '../../../contract/requantize.js';
import { intTensor } from '../../../contract/tensor.js';
import { tosaRightShift } from '../../../contract/tosa_rescale.js';
import { encodeTensor } from '../../../contract/wire.js';
import type { WireResponse } from '../../protocol/messages.js';
import type { TosaProgram } from './tosa_batch.js';
import { type ElementType, clamp, constant, print, rescale } from './tosa_text.js';

const INT8: readonly [number, number] = [-128, 127];
const INT32: readonly [number, number] = [-(2 ** 31), 2 ** 31 - 1];

/** The program of one checked requantize@1 call, or its response when there is nothing to run (no elements). */
export function requantizeProgram(id: string, a: RequantizeArgs): TosaProgram | WireResponse {
  const scheme = checkRequantize(a);
  if (!isTosaRequantize(scheme)) throw new QconformError('unknown_scheme', 'requantize: scheme', a.scheme, 'the tosa-mlir backend computes tosa-single-round@1 and tosa-double-round@1');
  const size = a.acc.data.length;
  if (size === 0) return { id, outputs: { y: encodeTensor(intTensor('int32', a.acc.shape, [])) } };
  const element: ElementType = a.outputMin >= INT8[0] && a.outputMax <= INT8[1] ? 'i8' : 'i32';
  const [typeMin, typeMax] = element === 'i8' ? INT8 : INT32;
  const shape = [size];
  const body = [
    constant('acc', shape, 'i32', a.acc.data),
    rescale('y', 'acc', shape, { multipliers: [a.multiplier], shifts: [tosaRightShift(a.shift)], outputZeroPoint: a.zeroPoint, doubleRound: scheme === 'tosa-double-round@1' }, element),
  ];
  let y = 'y';
  if (a.outputMin > typeMin || a.outputMax < typeMax) {
    body.push(clamp('y_clamped', 'y', shape, element, a.outputMin, a.outputMax));
    y = 'y_clamped';
  }
  body.push(...print(y, shape, element));
  return { id, body, printSizes: [size], finish: ([values]) => ({ id, outputs: { y: encodeTensor(intTensor('int32', a.acc.shape, values ?? [])) } }) };
}
