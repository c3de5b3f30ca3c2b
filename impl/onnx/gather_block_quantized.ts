/**
 * gather_block_quantized@1, fast twin of reference/onnx/gather_block_quantized.ts (ORT 1.30 gather_block_quantized.cc:
 * f32(float(q - zp) * scale) per gathered element; with float16 scales the scale read exactly and the float32 product
 * converted by MLFloat16(float), contract/float_bits.ts float16BitsOf).
 */
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import { float16BitsOf, float16FromBits } from '../../contract/float_bits.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import type { F16Tensor, F32Tensor } from '../../contract/tensor.js';
import { dequantizeLinearValue } from '../quantize_linear.js';

export function gatherBlockQuantized(a: GatherBlockQuantizedArgs): F32Tensor | F16Tensor {
  const g = checkGatherBlockQuantized(a);
  const s = a.scales;
  if (s.dtype === 'float32') {
    const y = new Float32Array(g.q.length);
    for (let o = 0; o < y.length; o++) y[o] = dequantizeLinearValue(g.q[o]!, g.zeroPoint[o]!, s.data[g.scaleIndex[o]!]!);
    return { dtype: 'float32', shape: [...g.outShape], data: y };
  }
  const scales = Float32Array.from(s.data, float16FromBits);
  const y = new Uint16Array(g.q.length);
  for (let o = 0; o < y.length; o++) y[o] = float16BitsOf(dequantizeLinearValue(g.q[o]!, g.zeroPoint[o]!, scales[g.scaleIndex[o]!]!));
  return { dtype: 'float16', shape: [...g.outShape], data: y };
}
