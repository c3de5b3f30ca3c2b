/**
 * quantized_linear_dynamic@1 on torch-onednn@2, fast twin of reference/linear/quantized_linear_dynamic_onednn_v2.ts
 * (torch 2.6.0 PackedLinearWeightsOnednn::apply_dynamic_impl, ideep for oneDNN v3, oneDNN 3.7 brg_matmul):
 * ss = (float)(1.0 / s_x), src_scale = 1.0f / ss, wei_scale = 1.0f / ws; x reordered with f32(1.0f / src_scale) and
 * the zero point added in float; int32 acc; y = f32(f32(acc) * f32(src_scale * wei_scale)) + bias, ReLU last.
 */
import { QconformError } from '../../contract/errors.js';
import type { DynamicLinearArgs } from '../../contract/linear.js';
import type { LinearShape } from '../../contract/linear_checks.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { FLT_MIN, f32Add, f32Div, f32Mul, f32OfF64Reciprocal } from '../float32.js';
import { onednnWeightScale } from '../requant/torch_onednn.js';
import { int32WrapDot } from './int32_wrap_dot.js';
import { reorderToU8 } from './quantized_linear_dynamic_onednn.js';

function normal(what: string, v: number): number {
  if (!(Math.abs(v) >= FLT_MIN) || !Number.isFinite(v)) throw new QconformError('unsupported_by_scheme', `quantized_linear_dynamic: ${what}`, v, 'torch-onednn@2 is modeled for finite, normal float32 scales');
  return v;
}

export function onednnV2DynamicLinear(a: DynamicLinearArgs, shape: LinearShape, qp: { scaleF64: number; zeroPoint: number }): F32Tensor {
  const { rows, k, n, outShape } = shape;
  const perChannel = a.weightQuantization === 'per_channel';
  const srcScale = normal('src_scale', f32Div(1, f32OfF64Reciprocal(qp.scaleF64)));
  const scales = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const sw = a.weightScales.data[perChannel ? c : 0] as number;
    // s_w = +-0: wei_scale = 1 / +-inf = +-0 (reference/linear/quantized_linear_dynamic_onednn_v2.ts); the normal-value checks apply to every other s_w
    const checked = (what: string, v: number) => (sw === 0 ? v : normal(what, v));
    const ws = checked('weight scale 1 / s_w', onednnWeightScale(sw, perChannel));
    scales[c] = checked('src_scale * wei_scale', f32Mul(srcScale, checked('wei_scale', f32Div(1, ws))));
  }
  const inverse = f32Div(1, srcScale);
  const q = reorderToU8(a.x.data, inverse, qp.zeroPoint);
  for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - qp.zeroPoint;
  const w = a.weight.data;
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < n; c++) {
      let y = f32Mul(Math.fround(int32WrapDot(q, r * k, w, c * k, k)), scales[c] as number);
      if (a.bias !== null) y = f32Add(y, a.bias.data[c] as number);
      out[r * n + c] = a.relu && !(y > 0) ? 0 : y;
    }
  }
  return f32Tensor(outShape, out);
}
