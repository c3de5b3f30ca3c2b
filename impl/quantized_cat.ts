/**
 * quantized_cat@1, fast twin of reference/ops/quantized_cat.ts (torch 1.13.1 quantized::cat / cat_relu): the same
 * float32 steps on doubles rounded to float32, each input's form as contract/quantized_cat_checks.ts gives it.
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import type { QuantizedCatAttrs, QuantizedCatInput } from '../contract/quantized_cat.js';
import { type CatInputForm, checkQuantizedCat } from '../contract/quantized_cat_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { vectorQuantize } from './aten_vectorized_quantized.js';
import { f32Fma, f32Mul, f32OfF64Reciprocal } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

/** One input's requantization of element q at `channel` (dim 1; the fast path's form only). */
function requantizer(t: QuantizedCatInput, form: CatInputForm, attrs: QuantizedCatAttrs, min: number, max: number): (q: number, channel: number) => number {
  if (form.kind === 'copied') return (q) => q;
  const s = Math.fround(t.scale);
  const zt = t.zeroPoint;
  const z = attrs.zeroPoint;
  const inv = inverseScale(Math.fround(attrs.scale));
  // dequantize_val: f32(s * (q - z)), the difference exact in float32
  if (form.kind === 'generic') {
    return (q) => {
      const y = quantizeValue(f32Mul(s, q - zt), inv, z, min, max);
      return attrs.relu && y < z ? z : y;
    };
  }
  const premul = f32Mul(s, -zt); // the vector form's f32(s * -f32(z)); zero points are dtype values, exact in float32
  const vectorInv = f32OfF64Reciprocal(attrs.scale);
  return (q, channel) => {
    if (channel < form.vectorChannels) {
      const d = f32Fma(s, q, premul);
      return vectorQuantize(attrs.relu && d < 0 ? 0 : d, vectorInv, z, min, max);
    }
    const d = f32Mul(s, q - zt);
    // std::max(0.0f, d): (0 < d) ? d : 0
    return quantizeValue(attrs.relu && !(0 < d) ? 0 : d, inv, z, min, max);
  };
}

export function quantizedCat(inputs: readonly QuantizedCatInput[], attrs: QuantizedCatAttrs): IntTensor {
  const g = checkQuantizedCat(inputs, attrs);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const requantizers = inputs.map((t, k) => requantizer(t, g.forms[k]!, attrs, min, max));
  const y = new Int32Array(g.outer * g.extents.reduce((s, e) => s + e, 0) * g.inner);
  let at = 0;
  for (let o = 0; o < g.outer; o++) {
    for (let k = 0; k < inputs.length; k++) {
      const data = inputs[k]!.x.data;
      const f = requantizers[k]!;
      const slab = g.extents[k]! * g.inner;
      const base = o * slab;
      for (let j = 0; j < slab; j++) y[at++] = f(data[base + j] as number, Math.floor(j / g.inner));
    }
  }
  return intTensor(g.dtype, g.outShape, y);
}
