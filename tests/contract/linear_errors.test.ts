/**
 * quantized_linear@1 and quantized_linear_dynamic@1 refuse bad input with a typed error, the same on the
 * reference and the impl: ranks, K, bias length, a scheme that does not compute the op, non-finite input, the
 * engine rules of the conv (onednn's symmetric weights) and the size limits of contract/limits.ts.
 */
import { describe, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { DynamicLinearArgs, LinearArgs, LinearOps } from '../../contract/linear.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import { dynamicLinearArgs, staticLinearArgs } from '../support/linear_args.js';

const staticArgs = staticLinearArgs;

const dynamicArgs = dynamicLinearArgs;

const STATIC: ReadonlyArray<[string, Partial<LinearArgs>, ErrorCode, string[]]> = [
  ['a rank-1 x on qnnpack', { x: intTensor('quint8', [3], [1, 2, 3]) }, 'shape_mismatch', ['quantized_linear: x', 'rank >= 2']],
  ['a weight whose K differs from x', { weight: intTensor('qint8', [2, 2], [1, 2, 3, 4]) }, 'inner_dim_mismatch', ['quantized_linear: weight']],
  ['a rank-3 weight', { weight: intTensor('qint8', [2, 3, 1], [1, -2, 3, -4, 5, -6]) }, 'shape_mismatch', ['weight is [N, K]']],
  ['a bias of the wrong length', { bias: f32Tensor([3], [1, 2, 3]) }, 'shape_mismatch', ['bias']],
  ['an x with no rows on a scheme not checked on an empty batch', { scheme: 'onnxruntime@1', bias: null, x: intTensor('quint8', [0, 3], []) }, 'empty_output', ['quantized_linear: x', 'onnxruntime@1', 'not checked']],
  ['weight zero points on onednn', { scheme: 'torch-onednn@1', weightZeroPoints: intTensor('int64', [1], [3]) }, 'unsupported_by_scheme', ['symmetric']],
  ['an unknown scheme', { scheme: 'no-such@1' as never }, 'unknown_scheme', ['quantized_linear: scheme']],
  // K = 0 or N = 0 with M >= 1 is modelled on torch's schemes only (torch_empty_linears.test.ts): not a shape error elsewhere
  ['K = 0 with M >= 1 on exact@1', { scheme: 'exact@1', bias: null, x: intTensor('quint8', [2, 0], []), weight: intTensor('qint8', [3, 0], []) }, 'unsupported_by_scheme', ['quantized_linear: weight', 'what exact@1\'s backend does with one is not modelled']],
  ['N = 0 with M >= 1 on onnxruntime@1', { scheme: 'onnxruntime@1', bias: null, weight: intTensor('qint8', [0, 3], []) }, 'unsupported_by_scheme', ['quantized_linear: weight', 'onnxruntime@1', 'not modelled']],
  ['K = 0 on torch-onednn@1 (torch dies of SIGFPE)', { scheme: 'torch-onednn@1', bias: null, weightZeroPoints: intTensor('int64', [1], [0]), x: intTensor('quint8', [2, 0], []), weight: intTensor('qint8', [3, 0], []) }, 'shape_mismatch', ['quantized_linear: weight', 'SIGFPE']],
  ['a zero output scale', { yScale: 0 }, 'scale_not_positive', ['y_scale']],
  ['sat16_pairs with K = 257 (oneDNN\'s gemm blocks start at k = 129)', { scheme: 'torch-onednn@1', accumulator: 'sat16_pairs', weightZeroPoints: intTensor('int64', [1], [0]), x: intTensor('quint8', [1, 257], Array(257).fill(3)), weight: intTensor('qint8', [2, 257], Array(514).fill(1)) }, 'unsupported_by_scheme', ['accumulator', 'odd k']],
];

const DYNAMIC: ReadonlyArray<[string, Partial<DynamicLinearArgs>, ErrorCode, string[]]> = [
  ['weight zero points on onednn', { scheme: 'torch-onednn@1' }, 'unsupported_by_scheme', ['weight_zero_points[1]', 'symmetric']],
  ['a rank-1 x on onednn', { scheme: 'torch-onednn@1', x: f32Tensor([3], [1, 2, 3]), weightZeroPoints: intTensor('int64', [2], [0, 0]) }, 'shape_mismatch', ['rank >= 2', 'torch onednn']],
  ['weight zero points before a rank-1 x on onednn (torch\'s prepack first)', { scheme: 'torch-onednn@2', x: f32Tensor([3], [1, 2, 3]) }, 'unsupported_by_scheme', ['weight_zero_points[1]', 'ONEDNN']],
  ['an onednn output scale with no float32 value (1 / f32(ss * ws) overflows)', { scheme: 'torch-onednn@1', x: f32Tensor([1, 3], [1e30, -1e30, 0]), weightZeroPoints: intTensor('int64', [2], [0, 0]), weightScales: f64Tensor([2], [0.03, 1e12]) }, 'unsupported_by_scheme', ['output scale']],
  ['sat16_pairs on qnnpack', { accumulator: 'sat16_pairs' }, 'unsupported_by_scheme', ['accumulator', 'torch-onednn@1 only']],
  ['an unknown accumulator', { accumulator: 'exact' as never }, 'unknown_scheme', ['accumulator']],
  ['an unknown dynamic scheme', { scheme: 'torch-fbgemm@1' as never }, 'unsupported_by_scheme', ['quantized_linear_dynamic: scheme']],
  ['NaN in x', { x: f32Tensor([1, 3], [1, Number.NaN, 2]) }, 'nan_observed', ['x[1]']],
  ['an infinity in x', { x: f32Tensor([1, 3], [1, 2, Number.NEGATIVE_INFINITY]) }, 'non_finite_observed', ['x[2]']],
  ['a weight whose K differs from x', { weight: intTensor('qint8', [1, 2], [1, 2]), weightScales: f64Tensor([1], [0.1]), weightZeroPoints: intTensor('int64', [1], [0]) }, 'inner_dim_mismatch', []],
  ['per-channel scales of the wrong length', { weightScales: f64Tensor([1], [0.1]) }, 'shape_mismatch', ['weight_scales']],
  ['a non-finite bias', { bias: f32Tensor([2], [1, Number.POSITIVE_INFINITY]) }, 'bias_not_finite', ['bias[1]']],
  ['a quint8 weight', { weight: intTensor('quint8', [2, 3], [1, 2, 3, 4, 5, 6]) }, 'invalid_dtype', ['weight.dtype']],
  ['a rank-1 x', { x: f32Tensor([3], [1, 2, 3]) }, 'shape_mismatch', ['rank >= 2']],
];

describe('quantized linears refuse bad input with typed errors', () => {
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const linear = ops as unknown as LinearOps;
    for (const [what, o, code, mentions] of STATIC) it(`quantized_linear [${name}]: ${what} -> ${code}`, () => expectQconformError(() => linear.quantizedLinear(staticArgs(o)), code, mentions));
    for (const [what, o, code, mentions] of DYNAMIC) it(`quantized_linear_dynamic [${name}]: ${what} -> ${code}`, () => expectQconformError(() => linear.quantizedLinearDynamic(dynamicArgs(o)), code, mentions));
    it(`[${name}] over the limits: too_large before anything of that size is computed`, () => {
      const k = 1024;
      const rows = 4096; // x holds 2^22 elements (at MAX_TENSOR_ELEMENTS); with 300 outputs the work is 1.26 G MACs > 2^30
      const w = intTensor('qint8', [300, k], new Int32Array(300 * k));
      expectQconformError(
        () => linear.quantizedLinear(staticArgs({ x: intTensor('quint8', [rows, k], new Int32Array(rows * k)), weight: w, bias: null })),
        'too_large',
        ['MAX_CONV_MACS'],
      );
      expectQconformError(
        () => linear.quantizedLinearDynamic(dynamicArgs({ x: f32Tensor([rows, k], new Float32Array(rows * k)), weight: w, weightQuantization: 'per_tensor', weightScales: f64Tensor([1], [0.1]), weightZeroPoints: intTensor('int64', [1], [0]) })),
        'too_large',
        ['MAX_CONV_MACS'],
      );
    });
  }
});
