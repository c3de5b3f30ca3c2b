/**
 * impl/: the fast implementation of the op contract (contract/ops.ts), PyTorch 1.13.1 eager-mode
 * semantics on x86 without FBGEMM, in plain JS numbers, Float32Array and Int32Array.
 *
 * - Float32 arithmetic is binary64 arithmetic rounded once with Math.fround, which is exact
 *   emulation for +, -, *, / (float32.ts says why); float -> int conversions follow x86 (cvt32,
 *   trunc32, trunc64 with the "integer indefinite" minimum); nothing uses Math.round.
 * - One function per torch formula: quantizeValue (quantize_val), quantizeValueFloatQparams,
 *   dequantizeLinearValue (dequantize_val, quantize_linear.ts), dequantizeChannelValue, fakeQuantizeValue and
 *   qparamsFromMinMax (_calculate_qparams, behind calculate_qparams and every min/max observer).
 *   Each public op validates its inputs once with contract/validate.ts, then runs allocation-free loops.
 * - It never imports the exact reference: the reference and this implementation are compared bit
 *   for bit, so they must not share arithmetic. Shared contract code (dtype ranges, the quant range
 *   rule, validation, errors) comes from contract/.
 */
import { quantizedAdaptiveAvgPool2d } from './quantized_adaptive_avg_pool2d.js';
import { quantizedAdd } from './quantized_add.js';
import { quantizedMean } from './quantized_mean.js';
import { quantizedMul } from './quantized_mul.js';
import { qnnpackHardsigmoid, qnnpackHardswish } from './qnnpack_hard_activations.js';
import { quantizedHardsigmoid, quantizedHardswish } from './quantized_hard_activations.js';
import { quantizedCat } from './quantized_cat.js';
import { quantizedAvgPool2d } from './quantized_avg_pool2d.js';
import { qnnpackAdd } from './qnnpack_add.js';
import { qnnpackAvgPool2d } from './qnnpack_avg_pool2d.js';
import { qnnpackMean } from './qnnpack_mean.js';
import { xnnpackAdd } from './xnnpack_add.js';
import type { Conv2dArgs, ConvOps } from '../contract/conv.js';
import { withArgumentChecks } from '../contract/op_arguments.js';
import type { F32Tensor } from '../contract/tensor.js';
import type { ConvCallOptions } from './conv/conv_out.js';
import type { QuantOps } from '../contract/ops.js';
import type { RequantizeOps } from '../contract/requantize.js';
import type { LinearOps } from '../contract/linear.js';
import { quantizedLinear } from './linear/quantized_linear.js';
import { quantizedLinearDynamic } from './linear/quantized_linear_dynamic.js';
import type { OnnxQuantOps } from '../contract/onnx_quant.js';
import { dequantizeLinear, dynamicQuantizeLinear, msDequantizeLinear, msQuantizeLinear, quantizeLinear } from './quantize_linear.js';
import type { OnnxQOps } from '../contract/onnx_qops.js';
import { onnxImpl } from './onnx/index.js';
import { type ConvPath, type WasmConvCounter, quantizedConv2d, quantizedConv2dOn } from './conv/conv2d.js';
import { calculateQminQmax } from '../contract/qrange.js';
import { dequantizePerChannel, dequantizePerChannelFloatQparams, dequantizePerTensor } from './dequantize.js';
import { fakeQuantizePerChannelAffine, fakeQuantizePerTensorAffine } from './fake_quantize.js';
import { fixedQparamsObserver } from './observers/fixed_qparams.js';
import { histogramObserver, histogramObserverV2 } from './observers/histogram/histogram_observer.js';
import { movingAveragePerChannelMinMaxObserver, perChannelMinMaxObserver } from './observers/per_channel.js';
import { minMaxObserver, movingAverageMinMaxObserver } from './observers/per_tensor.js';
import { placeholderObserver } from './observers/placeholder.js';
import { calculateQparams } from './qparams.js';
import { quantizePerChannel, quantizePerChannelFloatQparams, quantizePerTensor, quantizePerTensorOn } from './quantize.js';
import { decomposedQuantizePerChannel, decomposedQuantizePerTensor } from './decomposed_quantize.js';
import { decomposedDequantizePerChannel, decomposedDequantizePerTensor } from './decomposed_dequantize.js';
import { decomposedChooseQparams } from './decomposed_choose_qparams.js';
import { requantize } from './requantize.js';

type ImplOps = QuantOps & ConvOps & RequantizeOps & LinearOps & OnnxQuantOps & OnnxQOps;

const implOps: ImplOps = {
  calculateQminQmax,
  calculateQparams,
  quantizePerTensor,
  decomposedQuantizePerTensor,
  decomposedDequantizePerTensor,
  decomposedQuantizePerChannel,
  decomposedDequantizePerChannel,
  decomposedChooseQparams,
  quantizePerChannel,
  dequantizePerTensor,
  dequantizePerChannel,
  quantizePerChannelFloatQparams,
  dequantizePerChannelFloatQparams,
  fakeQuantizePerTensorAffine,
  fakeQuantizePerChannelAffine,
  minMaxObserver,
  movingAverageMinMaxObserver,
  perChannelMinMaxObserver,
  movingAveragePerChannelMinMaxObserver,
  fixedQparamsObserver,
  placeholderObserver,
  histogramObserver,
  histogramObserverV2,
  quantizedAdd,
  quantizedHardswish,
  quantizedHardsigmoid,
  quantizedMean,
  quantizedMul,
  qnnpackHardswish,
  qnnpackHardsigmoid,
  quantizedAdaptiveAvgPool2d,
  quantizedCat,
  quantizedAvgPool2d,
  qnnpackAdd,
  qnnpackAvgPool2d,
  qnnpackMean,
  xnnpackAdd,
  quantizedConv2d,
  requantize,
  quantizedLinear,
  quantizedLinearDynamic,
  quantizeLinear,
  dequantizeLinear,
  dynamicQuantizeLinear,
  msQuantizeLinear,
  msDequantizeLinear,
  ...onnxImpl,
};

/** Every op behind contract/op_arguments.ts's guard: a null or primitive argument is a typed malformed_request. */
export const impl: ImplOps = withArgumentChecks(implOps);

/**
 * impl with its WebAssembly-backed ops pinned to one path (impl/impl_path.ts): the conv (impl/conv/conv2d.ts) and
 * quantize_per_tensor (impl/quantize.ts), on 'wasm' (WebAssembly SIMD128 where it covers the call) or 'js'.
 * `counter.wasm` counts the convs WebAssembly computed (`counter.kernels`, when given, per kernel). `impl` itself follows QCONFORM_IMPL.
 */
export function implOnConvPath(path: ConvPath, counter?: WasmConvCounter): typeof impl {
  return withArgumentChecks({ ...implOps, quantizedConv2d: (a: Conv2dArgs, o: ConvCallOptions = {}) => quantizedConv2dOn(path, a, counter, o), quantizePerTensor: (x: F32Tensor, a: Parameters<typeof impl.quantizePerTensor>[1]) => quantizePerTensorOn(path, x, a) });
}

/**
 * impl's optional worker_threads parallelism (impl/conv/parallel/conv_pool.ts): quantizedConv2dParallel(a, { threads })
 * splits a large conv over output channels between the calling thread and worker threads, with quantizedConv2d's
 * bits and typed errors; closeConvWorkers ends the workers.
 */
export { type ParallelConvCounter, type ParallelConvOptions, MAX_CONV_THREADS, PARALLEL_MIN_MACS, closeConvWorkers, convWorkersAvailable, parallelConvCounter, quantizedConv2dParallel } from './conv/parallel/conv_pool.js';
