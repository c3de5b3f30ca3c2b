/**
 * A torch DeQuantStub whose output goes straight into a QuantStub (RequantizeStep), as `qconform explain` carries it on
 * the chain, in two steps: the converted DeQuantize module's Tensor.dequantize, float32 f32((float)scale * (q - zp))
 * (dequantize_per_tensor@1: reference/ops/dequantize.ts dequantizePerTensor, dequantize_val in
 * aten/src/ATen/native/quantized/AffineQuantizerBase.cpp), then the Quantize module's
 * quantize_per_tensor(X, float(self.scale), int(self.zero_point), self.dtype) on those floats
 * (torch/ao/nn/quantized/modules/__init__.py Quantize.forward; quantize_per_tensor@1: reference/ops/quantize.ts
 * quantizePerTensor, rounding with a float32 reciprocal, clamped to the dtype). explain runs the impl's twins of both
 * (impl/ mirrors reference/); tests/explain/torch_chain_steps.test.ts compares the result with torch 1.13 run live.
 */
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { ActivationQparams } from './model_types.js';

/** quantize_per_tensor(dequantize(x)): `x` in qparams `from`, the result in `to`. */
export function stubRequantized(x: IntTensor, from: ActivationQparams, to: ActivationQparams): IntTensor {
  return impl.quantizePerTensor(impl.dequantizePerTensor(x, { scale: from.scale, zeroPoint: from.zeroPoint }), { scale: to.scale, zeroPoint: to.zeroPoint, dtype: to.dtype });
}

/** The fake-quant model's view of the same stub: its floats fake-quantized at `to`, clamped to [quantMin, quantMax]. */
export function stubFakeQuantized(xf: F32Tensor, to: ActivationQparams, quantMin: number, quantMax: number): F32Tensor {
  return impl.fakeQuantizePerTensorAffine(xf, { scale: to.scale, zeroPoint: to.zeroPoint, quantMin, quantMax });
}
