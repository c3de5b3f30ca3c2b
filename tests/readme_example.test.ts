import { describe, expect, it } from 'vitest';
import { impl } from '../impl/index.js';
import { reference } from '../reference/index.js';
import type { QuantOps } from '../contract/ops.js';
import { f32Tensor } from '../contract/tensor.js';

/** The README's worked example (values confirmed against torch 1.13): keep the README true. */
describe.each([
  ['reference', reference],
  ['impl', impl],
] as Array<[string, QuantOps]>)('README example on %s', (_name, ops) => {
  const observed = ops.minMaxObserver([f32Tensor([4], [-1, 0.5, 3, 10])], {
    dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: 0, quantMax: 15, eps: 2 ** -23,
  });
  const scale = observed.scale.data[0]!;
  const zeroPoint = observed.zeroPoint.data[0]!;
  const x = f32Tensor([5], [-1, 0, 10, 20, 40]);

  it('MinMaxObserver(quint8, [0, 15]) gives scale f32(11/15) and zero point 1 (int32)', () => {
    expect(scale).toBe(Math.fround(11 / 15));
    expect(zeroPoint).toBe(1);
    expect(observed.zeroPoint.dtype).toBe('int32');
  });

  it('eager quantize_per_tensor clamps to the dtype range, not to quant_max = 15', () => {
    expect(Array.from(ops.quantizePerTensor(x, { scale, zeroPoint, dtype: 'quint8' }).data)).toEqual([0, 1, 15, 28, 56]);
  });

  it('fake_quantize clamps to [quant_min, quant_max] = [0, 15]', () => {
    const y = ops.fakeQuantizePerTensorAffine(x, { scale, zeroPoint, quantMin: 0, quantMax: 15 });
    expect(Array.from(y.data)).toEqual([Math.fround(-scale), 0, Math.fround(14 * scale), Math.fround(14 * scale), Math.fround(14 * scale)]);
  });
});
