/**
 * quantized_linear_dynamic@1, fast (torch-onednn@1 continues after ChooseQuantizationParams in
 * quantized_linear_dynamic_onednn.ts). On torch-qnnpack@1: torch 1.13.1 PackedLinearWeightsQnnp::apply_dynamic_impl
 * (the step list is in reference/linear/quantized_linear_dynamic.ts): min/max, ChooseQuantizationParams over
 * [0, 255], quantize_per_tensor, M[n] = f32(f32((float)s_w[n] * s_x) * 1), int32 acc,
 * out = f32(f32(M[n] * (float)acc) + b[n]) (b = 0 without bias), then max(out, 0) with ReLU.
 */
import { isTorchOnednnScheme } from '../../contract/conv_schemes.js';
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import { checkLinearDynamic } from '../../contract/linear_checks.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { isPositiveNormalFloat32 } from '../../contract/float_bits.js';
import { f32Add, f32Mul } from '../float32.js';
import { quantizePerTensor } from '../quantize.js';
import { chooseQuantizationParams } from './choose_quantization_params.js';
import { int32WrapDot } from './int32_wrap_dot.js';
import { onednnDynamicLinear } from './quantized_linear_dynamic_onednn.js';
import { onednnV2DynamicLinear } from './quantized_linear_dynamic_onednn_v2.js';

export function quantizedLinearDynamic(a: DynamicLinearArgs): F32Tensor {
  const shape = checkLinearDynamic(a);
  const { rows, k, n, outShape } = shape;
  const x = a.x.data;
  // an empty x (M = 0 or K = 0): torch takes x_min = x_max = 0 (the step list in reference/linear/quantized_linear_dynamic.ts)
  let min = x.length === 0 ? 0 : (x[0] as number);
  let max = min;
  for (let i = 1; i < x.length; i++) {
    const v = x[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const onednn = isTorchOnednnScheme(a.scheme);
  const qp = chooseQuantizationParams(min, max, 0, onednn && a.reduceRange ? 127 : 255);
  if (onednn && rows * n === 0) return f32Tensor(outShape, new Float32Array(0)); // onednn returns its empty output here
  if (a.scheme === 'torch-onednn@2') return onednnV2DynamicLinear(a, shape, qp);
  if (onednn) return onednnDynamicLinear(a, shape, qp);
  const q = quantizePerTensor(a.x, { scale: qp.scale, zeroPoint: qp.zeroPoint, dtype: 'quint8' }).data;
  const perChannel = a.weightQuantization === 'per_channel';
  const multipliers = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const m = f32Mul(f32Mul(Math.fround(a.weightScales.data[perChannel ? c : 0] as number), qp.scale), 1);
    if (!isPositiveNormalFloat32(m)) throw new QconformError('unsupported_by_scheme', 'quantized_linear_dynamic: dequantization scale', m, 'qnnpack requires a normal, positive float32 s_w * s_x');
    multipliers[c] = m;
  }
  for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - qp.zeroPoint;
  // the weight qnnpack packs, N rows of x's K (all of it, or none on x's K = 0: contract/linear_checks.ts shapeOf)
  const w = Int32Array.from({ length: n * k }, (_, i) => (a.weight.data[i] as number) - (a.weightZeroPoints.data[perChannel ? Math.floor(i / k) : 0] as number));
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      const acc = int32WrapDot(q, r * k, w, c * k, k);
      const y = f32Add(f32Mul(multipliers[c] as number, Math.fround(acc)), a.bias === null ? 0 : (a.bias.data[c] as number));
      out[r * n + c] = a.relu && y < 0 ? 0 : y;
    }
  }
  return f32Tensor(outShape, out);
}
