/**
 * quantized_conv2d@1 under tosa-single-round@1 / tosa-double-round@1 as TOSA 0.x ops (MLIR 19 syntax):
 *
 *   x (int8 NHWC const) -> tosa.conv2d | tosa.depthwise_conv2d (quantization_info input_zp / weight_zp, pad,
 *   stride, dilation; int32 bias; int32 accumulator) -> tosa.rescale (scale32, per_channel when the weights
 *   are, double_round as the scheme says) -> int8 [-> tosa.clamp at the output zero point for ReLU]
 *
 * Both the accumulators (conv + bias, int32) and the output are printed: TOSA leaves apply_scale_32 undefined
 * for values outside [-2^(shift-1), 2^(shift-1)) and the lowering computes something anyway, so the backend
 * checks that REQUIRE on the accumulators MLIR computed (contract/tosa_rescale.ts) and answers
 * requant_precondition, as the reference does.
 *
 * The rescale's multiplier and shift per channel are impl/requant/tosa_rescale.ts prepareTosa's (MLIR's
 * computeMultiplierAndShiftTosaScale32 on the project's effective scale): what is tested is the arithmetic of
 * the lowered TOSA ops, not the float scale derivation.
 *
 * uint8 activations: TOSA's conv takes int8, so a quint8 conv runs on x - 128 with zero points lowered by 128
 * (x - zp unchanged, padding with the input zero point unchanged) and its int8 output is raised by 128 (the
 * output zero point and the clamp move with it): an exact shift, the same one the TFLite-to-TOSA legalization
 * inserts as a uint8 <-> int8 tosa.rescale. It is done here in TypeScript, not as MLIR ops.
 *
 * Layout: NCHW -> NHWC; OIHW -> OHWI for tosa.conv2d; [OC, 1, KH, KW] -> [KH, KW, C, M] for
 * tosa.depthwise_conv2d (output channel c * M + m, the contract's order); a grouped conv (1 < groups < C)
 * runs as one tosa.conv2d per group on tosa.slice'd inputs and weights, joined by tosa.concat.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { ConvGeometry } from '../../../contract/conv_checks.js';
import { QconformError } from '../../../contract/errors.js';
import { intTensor } from '../../../contract/tensor.js';
import { assertApplyScale32Value } from '../../../contract/tosa_rescale.js';
import { encodeTensor } from '../../../contract/wire.js';
import { channelQuant } from '../../../impl/conv/channel_quant.js';
import { prepareTosa } from '../../../impl/requant/tosa_rescale.js';
import type { WireResponse } from '../../protocol/messages.js';
import type { TosaProgram } from './tosa_batch.js';
import { clamp, constant, i64Array, print, rescale, tensorType } from './tosa_text.js';

export const TOSA_CONV_SCHEMES = ['tosa-single-round@1', 'tosa-double-round@1'] as const;

function refuse(field: string, value: unknown, detail: string): never {
  throw new QconformError('unsupported_by_scheme', `quantized_conv2d: ${field}`, value, `tosa-mlir: ${detail}`);
}

/** NCHW -> NHWC values, moved by `shift`. */
function nhwc(a: Conv2dArgs, g: ConvGeometry, shift: number): number[] {
  const out = new Array<number>(g.n * g.h * g.w * g.c);
  for (let n = 0; n < g.n; n++)
    for (let c = 0; c < g.c; c++)
      for (let h = 0; h < g.h; h++)
        for (let w = 0; w < g.w; w++) out[((n * g.h + h) * g.w + w) * g.c + c] = (a.x.data[((n * g.c + c) * g.h + h) * g.w + w] as number) + shift;
  return out;
}

/** OIHW -> OHWI ([OC, KH, KW, ICG]) or, depthwise, [OC, 1, KH, KW] -> [KH, KW, C, M]. */
function tosaWeights(a: Conv2dArgs, g: ConvGeometry, depthwise: boolean): { values: number[]; shape: number[] } {
  const values = new Array<number>(g.oc * g.icg * g.kh * g.kw);
  for (let o = 0; o < g.oc; o++)
    for (let i = 0; i < g.icg; i++)
      for (let y = 0; y < g.kh; y++)
        for (let x = 0; x < g.kw; x++) values[depthwise ? (y * g.kw + x) * g.oc + o : ((o * g.kh + y) * g.kw + x) * g.icg + i] = a.weight.data[((o * g.icg + i) * g.kh + y) * g.kw + x] as number;
  return { values, shape: depthwise ? [g.kh, g.kw, g.c, g.oc / g.c] : [g.oc, g.kh, g.kw, g.icg] };
}

/** The ops computing the int32 accumulators %acc ([N, OH, OW, OC]) from %x, %w, %b. */
function convOps(a: Conv2dArgs, g: ConvGeometry, xZp: number, wZp: number, depthwise: boolean, wShape: readonly number[]): string[] {
  const [ph, pw] = a.padding;
  const attrs = (quant: string) => `dilation = ${i64Array(a.dilation)}, pad = ${i64Array([ph, ph, pw, pw])}, quantization_info = ${quant}, stride = ${i64Array(a.stride)}`;
  const quant = `#tosa.conv_quant<input_zp = ${xZp}, weight_zp = ${wZp}>`;
  const xT = tensorType([g.n, g.h, g.w, g.c], 'i8');
  const accShape = [g.n, g.oh, g.ow, g.oc];
  if (depthwise) return [`%acc = tosa.depthwise_conv2d %x, %w, %b {${attrs(quant)}} : (${xT}, ${tensorType(wShape, 'i8')}, ${tensorType([g.oc], 'i32')}) -> ${tensorType(accShape, 'i32')}`];
  if (g.groups === 1) return [`%acc = tosa.conv2d %x, %w, %b {${attrs(quant)}} : (${xT}, ${tensorType(wShape, 'i8')}, ${tensorType([g.oc], 'i32')}) -> ${tensorType(accShape, 'i32')}`];
  const lines: string[] = [];
  const xg = [g.n, g.h, g.w, g.icg];
  const wg = [g.ocg, g.kh, g.kw, g.icg];
  const accG = [g.n, g.oh, g.ow, g.ocg];
  for (let k = 0; k < g.groups; k++) {
    lines.push(
      `%x${k} = tosa.slice %x {start = ${i64Array([0, 0, 0, k * g.icg])}, size = ${i64Array(xg)}} : (${xT}) -> ${tensorType(xg, 'i8')}`,
      `%w${k} = tosa.slice %w {start = ${i64Array([k * g.ocg, 0, 0, 0])}, size = ${i64Array(wg)}} : (${tensorType(wShape, 'i8')}) -> ${tensorType(wg, 'i8')}`,
      `%b${k} = tosa.slice %b {start = ${i64Array([k * g.ocg])}, size = ${i64Array([g.ocg])}} : (${tensorType([g.oc], 'i32')}) -> ${tensorType([g.ocg], 'i32')}`,
      `%acc${k} = tosa.conv2d %x${k}, %w${k}, %b${k} {${attrs(quant)}} : (${tensorType(xg, 'i8')}, ${tensorType(wg, 'i8')}, ${tensorType([g.ocg], 'i32')}) -> ${tensorType(accG, 'i32')}`,
    );
  }
  const parts = Array.from({ length: g.groups }, (_, k) => `%acc${k}`);
  lines.push(`%acc = tosa.concat ${parts.join(', ')} {axis = 3 : i32} : (${parts.map(() => tensorType(accG, 'i32')).join(', ')}) -> ${tensorType(accShape, 'i32')}`);
  return lines;
}

/** The program of one conv call already checked by checkConv2d (scheme: a tosa scheme). */
export function convProgram(id: string, a: Conv2dArgs, g: ConvGeometry): TosaProgram {
  if (a.bias && a.bias.dtype !== 'int32') refuse('bias', a.bias.dtype, 'TOSA conv takes an int32 bias');
  const zps = Array.from(a.weightZeroPoints.data);
  if (zps.some((z) => z !== zps[0])) refuse('weight_zero_points', zps, 'TOSA conv takes one weight_zp');
  const doubleRound = a.scheme === 'tosa-double-round@1';
  const depthwise = g.groups > 1 && g.groups === g.c && g.icg === 1;
  const shift = g.dtype === 'quint8' ? -128 : 0;
  const xZp = a.xZeroPoint + shift;
  const yZp = a.yZeroPoint + shift;
  const params = Array.from({ length: g.oc }, (_, oc) => prepareTosa(channelQuant(a, g, oc)));
  const perChannel = g.perChannel ? params : params.slice(0, 1);
  const w = tosaWeights(a, g, depthwise);
  const accShape = [g.n, g.oh, g.ow, g.oc];
  const body = [
    constant('x', [g.n, g.h, g.w, g.c], 'i8', nhwc(a, g, shift)),
    constant('w', w.shape, 'i8', w.values),
    constant('b', [g.oc], 'i32', a.bias ? a.bias.data : new Array<number>(g.oc).fill(0)),
    ...convOps(a, g, xZp, zps[0] ?? 0, depthwise, w.shape),
    rescale('y', 'acc', accShape, { multipliers: perChannel.map((p) => p.multiplier), shifts: perChannel.map((p) => p.shift), outputZeroPoint: yZp, doubleRound }, 'i8'),
  ];
  let y = 'y';
  if (a.relu) {
    body.push(clamp('y_relu', 'y', accShape, 'i8', yZp, 127));
    y = 'y_relu';
  }
  body.push(...print('acc', accShape, 'i32'), ...print(y, accShape, 'i8'));
  const size = g.n * g.oh * g.ow * g.oc;
  return {
    id,
    body,
    printSizes: [size, size],
    finish: ([acc, out]): WireResponse => {
      // NHWC -> NCHW, checking apply_scale_32's REQUIRE on each accumulator (after the bias, as rescale sees it)
      const values = new Array<number>(size);
      for (let n = 0; n < g.n; n++)
        for (let oh = 0; oh < g.oh; oh++)
          for (let ow = 0; ow < g.ow; ow++)
            for (let oc = 0; oc < g.oc; oc++) {
              const at = ((n * g.oh + oh) * g.ow + ow) * g.oc + oc;
              assertApplyScale32Value('quantized_conv2d', acc![at]!, params[oc]!.shift);
              values[((n * g.oc + oc) * g.oh + oh) * g.ow + ow] = out![at]! - shift;
            }
      return { id, outputs: { y: encodeTensor(intTensor(g.dtype, [g.n, g.oc, g.oh, g.ow], values)) } };
    },
  };
}
