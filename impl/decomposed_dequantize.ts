import type { QuantDtype } from '../contract/dtypes.js';
import { checkDecomposedDequantizePerChannel, checkDecomposedDequantizePerTensor } from '../contract/decomposed_checks.js';
import { type F32Tensor, type IntTensor, f32Tensor, numel } from '../contract/tensor.js';
import { broadcastChannel, broadcastSource } from '../contract/decomposed_channel_broadcast.js';
import { f32Mul, f32Sub, wrapInt32 } from './float32.js';

/** decomposed_dequantize_per_tensor@1, fast twin of reference/ops/decomposed_dequantize.ts: f32(f32(f32(q) - f32(zp)) * f32(scale)). */
export function decomposedDequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor {
  checkDecomposedDequantizePerTensor(q, a);
  const scale = Math.fround(a.scale);
  const zp = Math.fround(a.zeroPoint);
  return f32Tensor(q.shape, Float32Array.from(q.data, (v) => f32Mul(f32Sub(v, zp), scale)));
}

/**
 * decomposed_dequantize_per_channel@1, fast twin of the reference's: f32(f32(q - zp_c) * s_c), q - zp_c int64 (exact) or
 * int32 (wrapping); a negative axis and the parameters' broadcast as the contract lays them out.
 */
export function decomposedDequantizePerChannel(q: IntTensor, scales: F32Tensor, zeroPoints: IntTensor | null, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor {
  const { layout } = checkDecomposedDequantizePerChannel(q, scales, zeroPoints, a);
  const wrap = zeroPoints?.dtype === 'int32' ? wrapInt32 : (n: number) => n;
  const out = new Float32Array(numel(layout.shape));
  for (let i = 0; i < out.length; i++) {
    const c = broadcastChannel(i, layout);
    out[i] = f32Mul(Math.fround(wrap(q.data[broadcastSource(i, layout)]! - (zeroPoints ? zeroPoints.data[c]! : 0))), scales.data[c]!);
  }
  return f32Tensor(layout.shape, out);
}
