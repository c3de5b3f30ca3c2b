/**
 * The exact reference: every op of contract/ops.ts computed on bigint rationals, with each float32/float64
 * rounding PyTorch 1.13 performs made explicit (reference/exact/). Slow by design; impl/ is the fast twin.
 */
import { quantizedAdaptiveAvgPool2d } from './ops/quantized_adaptive_avg_pool2d.js';
import { quantizedAdd } from './ops/quantized_add.js';
import { quantizedMean } from './ops/quantized_mean.js';
import { quantizedMul } from './ops/quantized_mul.js';
import { qnnpackHardsigmoid, qnnpackHardswish } from './ops/qnnpack_hard_activations.js';
import { quantizedHardsigmoid, quantizedHardswish } from './ops/quantized_hard_activations.js';
import { quantizedCat } from './ops/quantized_cat.js';
import { quantizedAvgPool2d } from './ops/quantized_avg_pool2d.js';
import { qnnpackAdd } from './ops/qnnpack_add.js';
import { qnnpackAvgPool2d } from './ops/qnnpack_avg_pool2d.js';
import { qnnpackMean } from './ops/qnnpack_mean.js';
import { xnnpackAdd } from './ops/xnnpack_add.js';
import type { ConvOps } from '../contract/conv.js';
import { withArgumentChecks } from '../contract/op_arguments.js';
import type { QuantOps } from '../contract/ops.js';
import type { RequantizeOps } from '../contract/requantize.js';
import type { LinearOps } from '../contract/linear.js';
import { quantizedLinear } from './linear/quantized_linear.js';
import { quantizedLinearDynamic } from './linear/quantized_linear_dynamic.js';
import type { OnnxQuantOps } from '../contract/onnx_quant.js';
import { dequantizeLinear, dynamicQuantizeLinear, msDequantizeLinear, msQuantizeLinear, quantizeLinear } from './ops/quantize_linear.js';
import type { OnnxQOps } from '../contract/onnx_qops.js';
import { onnxReference } from './onnx/index.js';
import { quantizedConv2d } from './conv/conv2d.js';
import { calculateQminQmax } from '../contract/qrange.js';
import { dequantizePerChannel, dequantizePerTensor } from './ops/dequantize.js';
import { fakeQuantizePerChannelAffine, fakeQuantizePerTensorAffine } from './ops/fake_quantize.js';
import { dequantizePerChannelFloatQparams, quantizePerChannelFloatQparams } from './ops/float_qparams.js';
import { calculateQparams } from './ops/qparams.js';
import { quantizePerChannel, quantizePerTensor } from './ops/quantize.js';
import { decomposedQuantizePerChannel, decomposedQuantizePerTensor } from './ops/decomposed_quantize.js';
import { decomposedDequantizePerChannel, decomposedDequantizePerTensor } from './ops/decomposed_dequantize.js';
import { decomposedChooseQparams } from './ops/decomposed_choose_qparams.js';
import { requantize } from './requantize.js';
import { fixedQparamsObserver, placeholderObserver } from './observers/fixed_observers.js';
import { histogramObserver, histogramObserverV2 } from './observers/histogram/histogram_observer.js';
import {
  minMaxObserver,
  movingAverageMinMaxObserver,
  movingAveragePerChannelMinMaxObserver,
  perChannelMinMaxObserver,
} from './observers/uniform_observers.js';

/** Every op behind contract/op_arguments.ts's guard: a null or primitive argument is a typed malformed_request. */
export const reference: QuantOps & ConvOps & RequantizeOps & LinearOps & OnnxQuantOps & OnnxQOps = withArgumentChecks({
  calculateQminQmax,
  calculateQparams,
  quantizePerTensor,
  quantizePerChannel,
  decomposedQuantizePerTensor,
  decomposedDequantizePerTensor,
  decomposedQuantizePerChannel,
  decomposedDequantizePerChannel,
  decomposedChooseQparams,
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
  ...onnxReference,
});
