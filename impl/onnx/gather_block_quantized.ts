/** gather_block_quantized@1, fast twin of reference/onnx/gather_block_quantized.ts (ORT 1.30 gather_block_quantized.cc: f32(float(q - zp) * scale) per gathered element). */
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import type { GatherBlockQuantizedArgs } from '../../contract/onnx_qops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { dequantizeLinearValue } from '../quantize_linear.js';

export function gatherBlockQuantized(a: GatherBlockQuantizedArgs): F32Tensor {
  const g = checkGatherBlockQuantized(a);
  const y = new Float32Array(g.q.length);
  for (let o = 0; o < y.length; o++) y[o] = dequantizeLinearValue(g.q[o]!, g.zeroPoint[o]!, a.scales.data[g.scaleIndex[o]!]!);
  return { dtype: 'float32', shape: [...g.outShape], data: y };
}
