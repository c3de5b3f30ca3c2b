/**
 * gather_block_quantized@1, exact reference: com.microsoft GatherBlockQuantized as onnxruntime 1.30 computes it with
 * float32 scales (onnxruntime/contrib_ops/cpu/quantization/gather_block_quantized.cc, CopyDataAndDequantize):
 *   q, zp, s  the gathered element, its block's zero point and scale (contract/gather_block_quantized_checks.ts:
 *             index arithmetic and nibble / bit-pair unpacking only)
 *   y = static_cast<float>(q - zp) * s      int32 difference (exact), float32 product: DequantizeLinear's element
 *                                           (reference/ops/quantize_linear.ts dequantizeLinearValue)
 * A repeated index copies the first block's floats (ORT's per-thread cache): the same values.
 */
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';
import { exactElementsF32, toF32Tensor } from '../values.js';

export function gatherBlockQuantized(a: GatherBlockQuantizedArgs): F32Tensor {
  const g = checkGatherBlockQuantized(a);
  const scales = exactElementsF32(a.scales);
  return toF32Tensor(g.outShape, Array.from(g.q, (q, o) => dequantizeLinearValue(BigInt(q), BigInt(g.zeroPoint[o]!), scales[g.scaleIndex[o]!]!)));
}
