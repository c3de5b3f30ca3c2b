/**
 * The contract check of conv_integer@1 (ONNX ConvInteger-10, 2-D, explicit pads, auto_pad NOTSET), run once by
 * reference/ and impl/. ORT 1.30 (onnxruntime/core/providers/cpu/quantization/conv_integer.cc) takes uint8 or
 * int8 for x and for w in any combination (probed), one-element zero points only ("Non per-tensor quantization
 * is not supported now"), and the geometry rules of conv_attributes.h; the output size along each axis is ORT's (contract/conv.ts
 * onnxConvOutputSize), refused when <= 0 on any batch; an empty batch (N = 0) gives the empty y [0, M, OH, OW], as
 * onnxruntime-node 1.30 returns it (tests/backends/ort_conv_output_size.test.ts). The accumulator rule takes the GEMM's roles (A = w,
 * B = im2col of x). Returns the geometry both sides iterate over.
 */
import { QconformError } from './errors.js';
import { onnxConvOutputSize } from './conv.js';
import { MAX_CONV_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { checkAccumulator, checkOneElement } from './onnx_matmul_checks.js';
import type { ConvIntegerArgs } from './onnx_qops.js';
import { validateQuantizedValues, validateShape } from './validate.js';

export interface ConvIntegerGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly m: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  /** input channels per group */
  readonly cg: number;
  /** output channels per group */
  readonly mg: number;
  readonly xZeroPoint: number;
  readonly wZeroPoint: number;
}

const WHAT = 'conv_integer';

function fail(code: 'invalid_geometry' | 'shape_mismatch' | 'empty_output' | 'invalid_dtype', field: string, value: unknown, detail: string): never {
  throw new QconformError(code, `${WHAT}: ${field}`, value, detail);
}

function ints(name: string, v: readonly number[], length: number, min: number): void {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x) && x >= min)) fail('invalid_geometry', name, v, `${length} integers >= ${min}`);
}

function zeroPoint(name: string, zp: ConvIntegerArgs['xZeroPoint'], dtype: string): number {
  if (zp === null) return 0;
  if (zp.dtype !== dtype) fail('invalid_dtype', `${name}.dtype`, zp.dtype, `a zero point has the dtype of its tensor (${dtype})`);
  validateShape(`${WHAT}: ${name}`, zp);
  checkOneElement(`${WHAT}: ${name}`, zp);
  validateQuantizedValues(`${WHAT}: ${name}`, zp.data, zp.dtype as 'quint8' | 'qint8');
  return zp.data[0] as number;
}

export function checkConvInteger(a: ConvIntegerArgs): ConvIntegerGeometry {
  for (const [name, t] of [['x', a.x], ['w', a.w]] as const) {
    if (t.dtype !== 'quint8' && t.dtype !== 'qint8') fail('invalid_dtype', `${name}.dtype`, t.dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
    validateShape(`${WHAT}: ${name}`, t);
    if (t.shape.length !== 4) fail('shape_mismatch', name, t.shape, name === 'x' ? 'x is [N, C, H, W] (2-D convs only)' : 'w is [M, C / group, KH, KW]');
    validateQuantizedValues(`${WHAT}: ${name}`, t.data, t.dtype);
  }
  // GEMM roles (conv_integer.cc): A = w, B = im2col(x); sat16_pairs_im2col needs A u8 and B s8
  checkAccumulator(WHAT, a.accumulator, a.w.dtype as 'quint8' | 'qint8', a.x.dtype as 'quint8' | 'qint8');
  const xZeroPoint = zeroPoint('x_zero_point', a.xZeroPoint, a.x.dtype);
  const wZeroPoint = zeroPoint('w_zero_point', a.wZeroPoint, a.w.dtype);
  const [n, c, h, w] = a.x.shape as [number, number, number, number];
  const [m, cg, kh, kw] = a.w.shape as [number, number, number, number];
  const group = a.group;
  if (!Number.isSafeInteger(group) || group < 1) fail('invalid_geometry', 'group', group, 'group >= 1');
  if (c % group !== 0 || m % group !== 0) fail('invalid_geometry', 'group', { group, inChannels: c, outChannels: m }, 'group must divide the input and output channel counts');
  if (cg !== c / group || kh < 1 || kw < 1 || m < 1) fail('shape_mismatch', 'w', a.w.shape, `w is [M >= 1, ${c / group}, KH >= 1, KW >= 1] for ${c} input channels in ${group} group(s)`);
  ints('strides', a.strides, 2, 1);
  ints('pads', a.pads, 4, 0);
  ints('dilations', a.dilations, 2, 1);
  const [pt, pl, pb, pr] = a.pads;
  const oh = onnxConvOutputSize(h, kh, a.strides[0], pt, pb, a.dilations[0]);
  const ow = onnxConvOutputSize(w, kw, a.strides[1], pl, pr, a.dilations[1]);
  if (oh < 1 || ow < 1) fail('empty_output', 'output shape', [n, m, oh, ow], 'every output dimension must be >= 1 (ORT: "Invalid input shape", on an empty batch too)');
  const outputs = n * m * oh * ow;
  checkLimit(`${WHAT}: output elements [${n}, ${m}, ${oh}, ${ow}]`, outputs, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${WHAT}: multiply-accumulates (output elements * C / group * KH * KW)`, outputs * cg * kh * kw, MAX_CONV_MACS, 'MAX_CONV_MACS');
  return { n, c, h, w, m, kh, kw, oh, ow, cg, mg: m / group, xZeroPoint, wZeroPoint };
}
