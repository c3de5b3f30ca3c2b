/**
 * Every refusal of a linear names the linear op it came from (quantized_linear / quantized_linear_dynamic), never the
 * quantized_conv2d the static linear is checked and computed as (contract/linear_checks.ts: asLinearRun, for the conv's
 * checks and its arithmetic), on torch's schemes (torch-qnnpack@1,
 * torch-onednn@1, torch-onednn@2), the reference and the impl alike. The refusals are the conv's bias, dtype, value,
 * scheme-rule (also where onednn's static linear checks them first, in torch's order), accumulator and size checks, qnnpack's requantization scale, and the exact accumulator's int32 overflow (a float bias qnnpack quantizes to INT32_MAX, plus a positive sum).
 */
import { describe, expect, it } from 'vitest';
import type { DynamicLinearArgs, LinearArgs, LinearOps } from '../../contract/linear.js';
import { isQconformError } from '../../contract/errors.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { dynamicLinearArgs, staticLinearArgs } from '../support/linear_args.js';

const TORCH_SCHEMES = ['torch-qnnpack@1', 'torch-onednn@1', 'torch-onednn@2'] as const;

const staticArgs = staticLinearArgs;

/** symmetric weights (onednn takes no other) and no relu */
const dynamicArgs = (o: Partial<DynamicLinearArgs>): DynamicLinearArgs => dynamicLinearArgs({ weightZeroPoints: intTensor('int64', [2], [0, 0]), relu: false, ...o });

type Scheme = (typeof TORCH_SCHEMES)[number];

/** [what is wrong, the field the refusal names, the args; null where the scheme does not refuse it]. */
const STATIC: ReadonlyArray<[string, string, (s: Scheme) => Partial<LinearArgs> | null]> = [
  ['a bias of the wrong length', 'bias', () => ({ bias: f32Tensor([3], [1, 2, 3]) })],
  ['a bias of dtype qint8', 'bias.dtype', () => ({ bias: intTensor('qint8', [2], [1, 2]) })],
  ['an int32 bias (torch takes a float one)', 'bias.dtype', () => ({ bias: intTensor('int32', [2], [1, 2]) })],
  ['a NaN bias', 'bias[1]', () => ({ bias: f32Tensor([2], [1, Number.NaN]) })],
  ['x of dtype qint32', 'x.dtype', () => ({ x: intTensor('qint32', [2, 3], [1, 2, 3, 4, 5, 6]) })],
  ['a weight of dtype quint8', 'weight.dtype', () => ({ weight: intTensor('quint8', [2, 3], [1, 2, 3, 4, 5, 6]) })],
  ['an x value outside quint8', 'x', () => ({ x: intTensor('quint8', [2, 3], [1, 2, 3, 4, 5, 256]) })],
  ['qint8 activations on onednn', 'x.dtype', (s) => (s === 'torch-qnnpack@1' ? null : { x: intTensor('qint8', [2, 3], [1, 2, 3, 4, 5, 6]), xZeroPoint: 0, yZeroPoint: 0 })],
  ['an asymmetric weight on onednn', 'weight_zero_points', (s) => (s === 'torch-qnnpack@1' ? null : { weightZeroPoints: intTensor('int64', [1], [2]) })],
  // onednn's static linear checks these in torch's order, before the conv's checks (linear_checks.ts onednnStaticOrder)
  ["an int32 bias on onednn beside x's K = 0", 'bias.dtype', (s) => (s === 'torch-qnnpack@1' ? null : { x: intTensor('quint8', [2, 0], []), bias: intTensor('int32', [2], [1, 2]) })],
  ["qint8 activations on onednn beside x's K = 0", 'x.dtype', (s) => (s === 'torch-qnnpack@1' ? null : { x: intTensor('qint8', [2, 0], []), xZeroPoint: 0, yZeroPoint: 0 })],
  ['a qnnpack requantization scale below FLT_MIN', 'requantization scale', (s) => (s === 'torch-qnnpack@1' ? { weightScales: f64Tensor([1], [1e-30]), xScale: 1e-12 } : null)],
  ['an unknown accumulator', 'accumulator', () => ({ accumulator: 'no-such' as never })],
  ['oneDNN\'s 1x1 kernel accumulator off torch-onednn@1', 'accumulator', (s) => (s === 'torch-onednn@1' ? null : { accumulator: 'sat16_pairs_f32_zp' })],
  ['more multiply-accumulates than MAX_CONV_MACS', 'multiply-accumulates', () => ({ bias: null, x: intTensor('quint8', [1024, 1024], new Int32Array(1024 * 1024)), weight: intTensor('qint8', [1025, 1024], new Int32Array(1025 * 1024)) })],
  ['an exact accumulator + int32 bias past int32', 'accumulator + bias', (s) => (s === 'torch-qnnpack@1' ? { accumulator: 'exact', bias: f32Tensor([2], [5e6, 0]), x: intTensor('quint8', [1, 3], [255, 255, 255]), weight: intTensor('qint8', [2, 3], [127, 127, 127, 0, 0, 0]), xZeroPoint: 0 } : null)],
];

const DYNAMIC: ReadonlyArray<[string, string, (s: Scheme) => Partial<DynamicLinearArgs> | null]> = [
  ['a bias of the wrong length', 'bias', () => ({ bias: f32Tensor([3], [1, 2, 3]) })],
  ['a non-finite bias', 'bias[0]', () => ({ bias: f32Tensor([2], [Number.POSITIVE_INFINITY, 1]) })],
  ['an x of rank 1', 'x', () => ({ x: f32Tensor([3], [1, 2, 3]) })],
  ['a weight whose K differs from x', 'weight', () => ({ weight: intTensor('qint8', [2, 2], [1, 2, 3, 4]) })],
  ['NaN in x', 'x[1]', () => ({ x: f32Tensor([1, 3], [1, Number.NaN, 2]) })],
  ['an asymmetric weight on onednn', 'weight_zero_points[1]', (s) => (s === 'torch-qnnpack@1' ? null : { weightZeroPoints: intTensor('int64', [2], [0, 3]) })],
  ['per-channel scales of the wrong length', 'weight_scales', () => ({ weightScales: f64Tensor([1], [0.1]) })],
];

/** The refusal of `run`, asserted to name `op: field` and never quantized_conv2d. */
function expectNamed(run: () => unknown, op: string, field: string): void {
  let error: unknown = null;
  try {
    run();
  } catch (e) {
    error = e;
  }
  if (!isQconformError(error)) throw new Error(`expected a QconformError naming ${op}: ${field}, got ${error === null ? 'no error' : String(error)}`);
  expect(error.message).not.toContain('quantized_conv2d');
  expect(error.what.startsWith(`${op}: ${field}`), error.message).toBe(true);
}

describe('every refusal of a linear names the linear op', () => {
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const linear = ops as unknown as LinearOps;
    for (const scheme of TORCH_SCHEMES) {
      for (const [what, field, args] of STATIC) {
        const o = args(scheme);
        if (o) it(`quantized_linear [${name}, ${scheme}]: ${what}`, () => expectNamed(() => linear.quantizedLinear(staticArgs({ scheme, ...o })), 'quantized_linear', field));
      }
      for (const [what, field, args] of DYNAMIC) {
        const o = args(scheme);
        if (o) it(`quantized_linear_dynamic [${name}, ${scheme}]: ${what}`, () => expectNamed(() => linear.quantizedLinearDynamic(dynamicArgs({ scheme, ...o })), 'quantized_linear_dynamic', field));
      }
    }
  }
});
