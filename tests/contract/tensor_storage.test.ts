/**
 * A tensor's data is the typed array its dtype is stored in (contract/tensor.ts; contract/validate.ts validateShape):
 * plain arrays and other typed arrays are refused with a typed error by every implementation and conv path, before any
 * of them converts a value (impl's WebAssembly path once read 0.5 as 0 and NaN as 0, its JavaScript path gave other
 * outputs, and the reference threw an untyped RangeError from BigInt).
 */
import { expect, it } from 'vitest';
import type { Conv2dArgs, ConvOps } from '../../contract/conv.js';
import type { IntTensor, F32Tensor } from '../../contract/tensor.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { convArgs } from '../support/conv_args.js';
import { describeEachImplementation } from '../support/implementations.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';

/** The 100 quint8 values of the conv's x in its valid form. */
const X_VALUES = Array.from({ length: 100 }, (_, i) => (i * 37) & 255);

/** A 3x3 depthwise conv of 4 channels on a 5x5 quint8 input (impl's WebAssembly 3x3 fast path takes it) whose x holds `data`. */
function depthwise(data: unknown): Conv2dArgs {
  return convArgs({
    x: { dtype: 'quint8', shape: [1, 4, 5, 5], data } as unknown as IntTensor,
    weight: intTensor('qint8', [4, 1, 3, 3], Array.from({ length: 36 }, (_, i) => ((i * 11) % 255) - 127)),
    padding: [1, 1],
    groups: 4,
    yScale: 0.5,
  });
}

const STORAGE = 'Int32Array, Uint8Array or Int8Array';

describeEachImplementation('tensor storage', (quantOps) => {
  const ops = quantOps as typeof quantOps & ConvOps; // every implementation of IMPLEMENTATIONS also implements ConvOps
  it('baseline: the conv with its Int32Array x runs', () => {
    expect(ops.quantizedConv2d(depthwise(Int32Array.from(X_VALUES))).data.length).toBe(100);
  });

  it('a conv whose x is a plain array holding 0.5 -> malformed_request', () => {
    expectQconformError(() => ops.quantizedConv2d(depthwise([0.5, ...Array.from({ length: 99 }, () => 1)])), 'malformed_request', ['x.data', '[object Array]', STORAGE]);
  });

  it('a conv whose x is a plain array of valid integers -> malformed_request (the storage, not the values)', () => {
    expectQconformError(() => ops.quantizedConv2d(depthwise(Array.from({ length: 100 }, () => 1))), 'malformed_request', ['x.data', STORAGE]);
  });

  it('a conv whose x is a Float64Array holding 255.9 -> malformed_request', () => {
    const data = new Float64Array(100).fill(1);
    data[7] = 255.9;
    expectQconformError(() => ops.quantizedConv2d(depthwise(data)), 'malformed_request', ['x.data', '[object Float64Array]', STORAGE]);
  });

  it('dequantize_per_tensor of a plain array [1.5, NaN] -> malformed_request', () => {
    const q = { dtype: 'quint8', shape: [2], data: [1.5, Number.NaN] } as unknown as IntTensor;
    expectQconformError(() => ops.dequantizePerTensor(q, { scale: 1, zeroPoint: 0 }), 'malformed_request', ['q.data', STORAGE]);
  });

  it('quantize_per_tensor of a float32 tensor stored in a plain array -> not_float32', () => {
    const x = { ...f32Tensor([2], [0.1, 0.2]), data: [0.1, 0.2] } as unknown as F32Tensor;
    expectQconformError(() => ops.quantizePerTensor(x, { scale: 0.1, zeroPoint: 0, dtype: 'quint8' }), 'not_float32', ['x.data', 'Float32Array (float32)']);
  });
});
