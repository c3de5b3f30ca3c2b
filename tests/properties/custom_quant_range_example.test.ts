import { describe, expect, it } from 'vitest';
import { f32Tensor } from '../../contract/tensor.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

/**
 * The quant_min/quant_max question with numbers: an observer configured for quint8 [0, 15] computes qparams
 * for that range, but eager quantize_per_tensor clamps only to the dtype (as torch does), while
 * fake_quantize clamps to the requested range.
 */
describe.each(IMPLEMENTATIONS)('%s: custom quant range [0, 15] on quint8', (side, ops) => {
  it(`${side}: eager quantize goes above 15, fake_quantize stays within the dequantized [0, 15]`, () => {
    const config = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: 0, quantMax: 15, eps: 2 ** -23 } as const;
    const { scale, zeroPoint } = ops.minMaxObserver([f32Tensor([2], [-1, 10])], config);
    const [s, zp] = [scale.data[0]!, zeroPoint.data[0]!];
    expect([s, zp]).toEqual([Math.fround(11 / 15), 1]); // scale = (10 - -1) / 15, zero point = 0 - round(-1 / scale)

    const x = f32Tensor([7], [-5, -1, 0, 10, 11, 50, 100]);
    const q = ops.quantizePerTensor(x, { scale: s, zeroPoint: zp, dtype: 'quint8' });
    expect([...q.data]).toEqual([0, 0, 1, 15, 16, 69, 137]); // torch's eager quantize clamps to [0, 255] only

    const y = ops.fakeQuantizePerTensorAffine(x, { scale: s, zeroPoint: zp, quantMin: 0, quantMax: 15 });
    const [lowest, highest] = [Math.fround((0 - zp) * s), Math.fround((15 - zp) * s)];
    for (const v of y.data) expect(v >= lowest && v <= highest, `${v} in [${lowest}, ${highest}]`).toBe(true);
    expect([y.data[0], y.data[6]]).toEqual([lowest, highest]);
  });
});
