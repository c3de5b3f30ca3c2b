/**
 * An implementation of every op of the contract that runs only the op's contract checks (the checks
 * reference/ and impl/ both run at the top of each op, contract/op_checks.ts, conv_checks.ts,
 * requantize.ts) and computes nothing. Passed to the protocol's own dispatch (evaluateRequest), it
 * tells how far a request gets: refused while its attrs and inputs are decoded (wire format), refused
 * by the contract, or accepted; so a vector case is checked by the same decoders a backend's request
 * goes through, without a second decoder. Observers are checked as their constructors check them
 * (data-dependent refusals such as nan_observed happen while observing, and are not anticipated).
 */
import { checkQuantizedAdaptiveAvgPool2d } from '../../contract/quantized_adaptive_avg_pool2d_checks.js';
import { checkQuantizedAdd } from '../../contract/quantized_add_checks.js';
import { checkQuantizedMul } from '../../contract/quantized_mul_checks.js';
import { checkQnnpackHardsigmoid, checkQnnpackHardswish } from '../../contract/qnnpack_hard_activations_checks.js';
import { checkQuantizedHardsigmoid, checkQuantizedHardswish } from '../../contract/quantized_hard_activations_checks.js';
import { checkQuantizedCat } from '../../contract/quantized_cat_checks.js';
import { checkQuantizedMean } from '../../contract/quantized_mean_checks.js';
import { QNNPACK_ADD, XNNPACK_ADD, checkIntegerAdd } from '../../contract/integer_add_checks.js';
import { checkQnnpackAvgPool2d } from '../../contract/qnnpack_avg_pool2d_checks.js';
import { checkQnnpackMean } from '../../contract/qnnpack_mean_checks.js';
import { checkQuantizedAvgPool2d } from '../../contract/quantized_avg_pool2d_checks.js';
import type { ConvOps } from '../../contract/conv.js';
import { checkDecomposedChooseQparams, checkDecomposedDequantizePerChannel, checkDecomposedDequantizePerTensor, checkDecomposedQuantizePerChannel } from '../../contract/decomposed_checks.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import {
  checkCalculateQparams,
  checkDequantizeFloatQparams,
  checkDequantizePerChannel,
  checkDequantizePerTensor,
  checkFakeQuantizePerChannel,
  checkFakeQuantizePerTensor,
  checkFixedQparams,
  checkHistogramObserverConfig,
  checkObserverConfig,
  checkPerChannelBatch,
  checkQuantizeFloatQparams,
  checkQuantizePerChannel,
  checkQuantizePerTensor,
  checkDecomposedQuantizePerTensor,
} from '../../contract/op_checks.js';
import type { PerChannelObserverAttrs, QparamsConfig, QuantOps } from '../../contract/ops.js';
import { calculateQminQmax } from '../../contract/qrange.js';
import { type RequantizeOps, checkRequantize } from '../../contract/requantize.js';
import type { OnnxQOps } from '../../contract/onnx_qops.js';
import { checkMatMulInteger, checkQGemm, checkQLinearMatMul } from '../../contract/onnx_matmul_checks.js';
import { checkConvInteger } from '../../contract/conv_integer_checks.js';
import { checkQLinearBinary } from '../../contract/qlinear_binary_checks.js';
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat } from '../../contract/matmul_integer_to_float_checks.js';
import { checkQLinearLeakyRelu, checkQLinearLookup } from '../../contract/qlinear_lookup_checks.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { checkQLinearAveragePool, checkQLinearGlobalAveragePool } from '../../contract/qlinear_pool_checks.js';
import { checkQLinearConcat } from '../../contract/qlinear_concat_checks.js';
import { checkQLinearWhere } from '../../contract/qlinear_where_checks.js';
import { checkDynamicQuantizeLstm } from '../../contract/dynamic_quantize_lstm_checks.js';
import { checkQLinearConvNhwc } from '../../contract/qlinear_conv_nhwc_checks.js';
import { checkGatherBlockQuantized } from '../../contract/gather_block_quantized_checks.js';
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import { checkQAttention } from '../../contract/qattention_checks.js';
import { checkQEmbedLayerNorm } from '../../contract/qembed_layer_norm_checks.js';
import { checkMatMulInteger16 } from '../../contract/matmul_integer16_checks.js';
import { checkNhwcMaxPool } from '../../contract/nhwc_max_pool_checks.js';
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import type { BinaryQparams } from '../../contract/quantized_add.js';
import type { LinearOps } from '../../contract/linear.js';
import { checkLinearDynamic, linearAsConv } from '../../contract/linear_checks.js';
import type { MsDequantizeLinearArgs, MsQuantizeLinearArgs, OnnxQuantOps } from '../../contract/onnx_quant.js';
import { msDequantizeLinearAsOnnx, msQuantizeLinearAsOnnx } from '../../contract/ms_qdq_checks.js';
import { checkDequantizeLinear, checkDynamicQuantizeLinear, checkQuantizeLinear } from '../../contract/onnx_quant_checks.js';

/** How far a request got: `decoded` is set once its attrs and inputs are decoded, `accepted` once the contract checks passed. */
export interface CheckProgress {
  decoded: boolean;
  accepted: boolean;
}

/** Thrown once the contract checks passed, so that nothing is computed. */
export class ContractChecksPassed extends Error {
  override readonly name = 'ContractChecksPassed';
}

export type AllOps = QuantOps & ConvOps & RequantizeOps & LinearOps & OnnxQuantOps & OnnxQOps;

function perTensorObserver(what: string) {
  return (_batches: readonly F32Tensor[], a: QparamsConfig) => checkObserverConfig(what, a, 'per_tensor');
}

function perChannelObserver(what: string) {
  return (batches: readonly F32Tensor[], a: PerChannelObserverAttrs) => {
    checkObserverConfig(what, a, 'per_channel');
    for (const b of batches) checkPerChannelBatch(what, b, a.chAxis);
  };
}

/** The contract-checks-only ops, recording their progress in `progress`. */
export function contractCheckOps(progress: CheckProgress): AllOps {
  const only =
    <A extends unknown[]>(check: (...args: A) => unknown) =>
    (...args: A): never => {
      progress.decoded = true;
      check(...args);
      progress.accepted = true;
      throw new ContractChecksPassed();
    };
  return {
    calculateQminQmax: only(calculateQminQmax),
    calculateQparams: only(checkCalculateQparams),
    quantizePerTensor: only(checkQuantizePerTensor),
    decomposedQuantizePerTensor: only(checkDecomposedQuantizePerTensor),
    quantizedAdd: only(checkQuantizedAdd),
    quantizedHardswish: only(checkQuantizedHardswish),
    quantizedHardsigmoid: only(checkQuantizedHardsigmoid),
    quantizedMul: only(checkQuantizedMul),
    qnnpackHardswish: only(checkQnnpackHardswish),
    qnnpackHardsigmoid: only(checkQnnpackHardsigmoid),
    quantizedMean: only(checkQuantizedMean),
    quantizedAdaptiveAvgPool2d: only(checkQuantizedAdaptiveAvgPool2d),
    quantizedCat: only(checkQuantizedCat),
    quantizedAvgPool2d: only(checkQuantizedAvgPool2d),
    qnnpackAdd: only((a: IntTensor, b: IntTensor, attrs: BinaryQparams) => checkIntegerAdd(QNNPACK_ADD, a, b, attrs)),
    xnnpackAdd: only((a: IntTensor, b: IntTensor, attrs: BinaryQparams) => checkIntegerAdd(XNNPACK_ADD, a, b, attrs)),
    qnnpackAvgPool2d: only(checkQnnpackAvgPool2d),
    qnnpackMean: only(checkQnnpackMean),
    decomposedDequantizePerTensor: only(checkDecomposedDequantizePerTensor),
    decomposedQuantizePerChannel: only(checkDecomposedQuantizePerChannel),
    decomposedDequantizePerChannel: only(checkDecomposedDequantizePerChannel),
    decomposedChooseQparams: only(checkDecomposedChooseQparams),
    quantizePerChannel: only(checkQuantizePerChannel),
    dequantizePerTensor: only(checkDequantizePerTensor),
    dequantizePerChannel: only(checkDequantizePerChannel),
    quantizePerChannelFloatQparams: only(checkQuantizeFloatQparams),
    dequantizePerChannelFloatQparams: only(checkDequantizeFloatQparams),
    fakeQuantizePerTensorAffine: only(checkFakeQuantizePerTensor),
    fakeQuantizePerChannelAffine: only(checkFakeQuantizePerChannel),
    minMaxObserver: only(perTensorObserver('min_max_observer')),
    movingAverageMinMaxObserver: only(perTensorObserver('moving_average_min_max_observer')),
    perChannelMinMaxObserver: only(perChannelObserver('per_channel_min_max_observer')),
    movingAveragePerChannelMinMaxObserver: only(perChannelObserver('moving_average_per_channel_min_max_observer')),
    fixedQparamsObserver: only(checkFixedQparams),
    placeholderObserver: only(() => undefined), // the op itself always raises placeholder_has_no_qparams
    histogramObserver: only((b: readonly F32Tensor[], a: Parameters<QuantOps['histogramObserver']>[1]) => checkHistogramObserverConfig('histogram_observer', a, b, 1)),
    histogramObserverV2: only((b: readonly F32Tensor[], a: Parameters<QuantOps['histogramObserverV2']>[1]) => checkHistogramObserverConfig('histogram_observer@2', { ...a, semantics: 2 }, b, 2)),
    quantizedConv2d: only(checkConv2d),
    requantize: only(checkRequantize),
    quantizedLinear: only(linearAsConv),
    quantizedLinearDynamic: only(checkLinearDynamic),
    quantizeLinear: only(checkQuantizeLinear),
    dequantizeLinear: only(checkDequantizeLinear),
    dynamicQuantizeLinear: only(checkDynamicQuantizeLinear),
    msQuantizeLinear: only((a: MsQuantizeLinearArgs) => checkQuantizeLinear(msQuantizeLinearAsOnnx(a), 'ms_quantize_linear')),
    msDequantizeLinear: only((a: MsDequantizeLinearArgs) => checkDequantizeLinear(msDequantizeLinearAsOnnx(a), 'ms_dequantize_linear')),
    matmulInteger: only(checkMatMulInteger),
    qlinearMatMul: only(checkQLinearMatMul),
    qgemm: only(checkQGemm),
    convInteger: only(checkConvInteger),
    qlinearAdd: only((a: Parameters<AllOps['qlinearAdd']>[0]) => checkQLinearBinary('qlinear_add', a)),
    qlinearMul: only((a: Parameters<AllOps['qlinearMul']>[0]) => checkQLinearBinary('qlinear_mul', a)),
    matmulIntegerToFloat: only(checkMatMulIntegerToFloat),
    dynamicQuantizeMatMul: only(checkDynamicQuantizeMatMul),
    qlinearLeakyRelu: only((a: Parameters<AllOps['qlinearLeakyRelu']>[0]) => checkQLinearLeakyRelu('qlinear_leaky_relu', a)),
    qlinearSigmoid: only((a: Parameters<AllOps['qlinearSigmoid']>[0]) => checkQLinearLookup('qlinear_sigmoid', a)),
    qlinearSoftmax: only((a: Parameters<AllOps['qlinearSoftmax']>[0]) => checkQLinearSoftmax('qlinear_softmax', a)),
    qlinearGlobalAveragePool: only((a: Parameters<AllOps['qlinearGlobalAveragePool']>[0]) => checkQLinearGlobalAveragePool('qlinear_global_average_pool', a)),
    qlinearAveragePool: only((a: Parameters<AllOps['qlinearAveragePool']>[0]) => checkQLinearAveragePool('qlinear_average_pool', a)),
    qlinearConcat: only((a: Parameters<AllOps['qlinearConcat']>[0]) => checkQLinearConcat('qlinear_concat', a)),
    qlinearWhere: only((a: Parameters<AllOps['qlinearWhere']>[0]) => checkQLinearWhere('qlinear_where', a)),
    dynamicQuantizeLstm: only((a: Parameters<AllOps['dynamicQuantizeLstm']>[0]) => checkDynamicQuantizeLstm(a)),
    qlinearConvNhwc: only((a: Parameters<AllOps['qlinearConvNhwc']>[0]) => checkQLinearConvNhwc('qlinear_conv_nhwc', a)),
    gatherBlockQuantized: only((a: Parameters<AllOps['gatherBlockQuantized']>[0]) => checkGatherBlockQuantized(a)),
    matmulNBits: only((a: Parameters<AllOps['matmulNBits']>[0]) => checkMatMulNBits('matmul_nbits', a)),
    qattention: only((a: Parameters<AllOps['qattention']>[0]) => checkQAttention('qattention', a)),
    qembedLayerNormalization: only((a: Parameters<AllOps['qembedLayerNormalization']>[0]) => checkQEmbedLayerNorm('qembed_layer_normalization', a)),
    matmulInteger16: only(checkMatMulInteger16),
    nhwcMaxPool: only((a: Parameters<AllOps['nhwcMaxPool']>[0]) => checkNhwcMaxPool('nhwc_max_pool', a)),
  };
}
