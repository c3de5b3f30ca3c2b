/**
 * gather_block_quantized@1, exact reference: com.microsoft GatherBlockQuantized as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/gather_block_quantized.cc, CopyDataAndDequantize<T2>, T2 float or MLFloat16):
 *   q, zp, s  the gathered element, its block's zero point and scale (contract/gather_block_quantized_checks.ts:
 *             index arithmetic and nibble / bit-pair unpacking only)
 *   s32 = static_cast<float>(scales[k])     exact (a float16 scale is a float32 value)
 *   y = static_cast<float>(q - zp) * s32    int32 difference (exact), float32 product: DequantizeLinear's element
 *                                           (reference/ops/quantize_linear.ts dequantizeLinearValue)
 *   out = static_cast<T2>(y)                float32 scales: y; float16 scales: MLFloat16(y), y rounded again to
 *                                           binary16, nearest even (reference/exact/float16.ts toFloat16)
 * A repeated index copies the first block's values (ORT's per-thread cache): the same values.
 */
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import type { F16Tensor, F32Tensor } from '../../contract/tensor.js';
import { decodeBits, encodeBits } from '../exact/ieee_bits.js';
import { BINARY16 } from '../exact/ieee_value.js';
import { toFloat16 } from '../exact/float16.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';
import { exactElementsF32, toF32Tensor } from '../values.js';

/** GatherBlockQuantized::CopyDataAndDequantize (contrib_ops/cpu/quantization/gather_block_quantized.cc): dequantizeLinearValue per element (float32 product), then float16 rounding for float16 scales. */
export function gatherBlockQuantized(a: GatherBlockQuantizedArgs): F32Tensor | F16Tensor {
  const g = checkGatherBlockQuantized(a);
  const s = a.scales;
  const element = (scales: ReturnType<typeof exactElementsF32>) => (q: number, o: number) => dequantizeLinearValue(BigInt(q), BigInt(g.zeroPoint[o]!), scales[g.scaleIndex[o]!]!);
  if (s.dtype === 'float32') return toF32Tensor(g.outShape, Array.from(g.q, element(exactElementsF32(s))));
  const y = element(Array.from(s.data, (bits) => decodeBits(BigInt(bits), BINARY16)));
  return { dtype: 'float16', shape: [...g.outShape], data: Uint16Array.from(g.q, (q, o) => Number(encodeBits(toFloat16(y(q, o)), BINARY16))) };
}
