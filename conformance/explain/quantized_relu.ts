/**
 * torch 1.13's ReLU on a quantized tensor, as `qconform explain` carries it on the chain (QuantizedReluStep): nn.ReLU,
 * F.relu and torch.relu on a quint8 / qint8 tensor dispatch to relu_quantized_cpu
 * (aten/src/ATen/native/quantized/cpu/qrelu.cpp): under the qnnpack engine on quint8 QNNPACK's clamp to
 * [zero point, 255] (qnnpack_relu), else qrelu_stub (aten/src/ATen/native/quantized/cpu/kernels/QuantizedOpKernels.cpp
 * qrelu_kernel: std::max(value, zero_point)); in place (torch.relu_, F.relu(inplace=True)) to relu_quantized_cpu_, the
 * same max on the tensor itself. All are max(q, zero point) in the integers, and the output keeps the input's scale
 * and zero point (_empty_affine_quantized with qx's). Measured with /usr/bin/python3 (torch 1.13.0a0):
 * tests/explain/torch_chain_steps.test.ts runs models with each form on quint8 live on the qnnpack and onednn engines,
 * tests/explain/torch_engines.test.ts F.relu on qint8 (qnnpack engine).
 */
import { type F32Tensor, type IntTensor, f32Tensor, intTensor } from '../../contract/tensor.js';

/** max(q, zeroPoint) element by element (integers in, integers out: no rounding anywhere). */
export function quantizedRelu(x: IntTensor, zeroPoint: number): IntTensor {
  return intTensor(x.dtype, x.shape, Int32Array.from(x.data, (q) => Math.max(q, zeroPoint)));
}

/**
 * The fake-quant model's view of the same ReLU: torch's float relu on its floats (a negative value becomes 0, NaN stays
 * NaN). On fake-quantized floats ((q - zp) * s) it is the integers' max(q, zp) again.
 */
export function floatRelu(xf: F32Tensor): F32Tensor {
  return f32Tensor(xf.shape, Float32Array.from(xf.data, (v) => (v < 0 ? 0 : v)));
}
