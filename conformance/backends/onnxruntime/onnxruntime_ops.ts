/**
 * Registration point for ONNX Runtime: each entry runs one qconform op by building its ONNX model in
 * TypeScript and executing it with onnxruntime-node. The `onnxruntime` backend claims exactly the ops
 * listed here, so every other case is `unsupported`. Every runner is registered behind withoutKnownCrashes
 * (ort_known_crashes.ts): a request known to kill ORT's process is answered without running ORT, whichever op it is.
 */
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { type OrtModule, qlinearConv2d } from './qlinear_conv.js';
import { ortQdq } from './qdq.js';
import { onnxQOpOnOrt } from './onnx_qops_ort.js';
import { withoutKnownCrashes } from './ort_known_crashes.js';

export type { OrtModule };
export type OrtOpRunner = (ort: OrtModule, request: WireRequest) => Promise<WireResponse>;

const RUNNERS: Readonly<Record<string, OrtOpRunner>> = {
  'quantized_conv2d@1': qlinearConv2d, // QLinearConv, qlinear_conv.ts
  'quantize_linear@1': ortQdq, // QuantizeLinear-21, qdq.ts
  'dequantize_linear@1': ortQdq, // DequantizeLinear-21
  'dynamic_quantize_linear@1': ortQdq, // DynamicQuantizeLinear-11
  'ms_quantize_linear@1': ortQdq, // com.microsoft QuantizeLinear-1
  'ms_dequantize_linear@1': ortQdq, // com.microsoft DequantizeLinear-1
  'matmul_integer@1': onnxQOpOnOrt, // MatMulInteger, onnx_qops_ort.ts
  'qlinear_matmul@1': onnxQOpOnOrt, // QLinearMatMul
  'qgemm@1': onnxQOpOnOrt, // com.microsoft QGemm
  'conv_integer@1': onnxQOpOnOrt, // ConvInteger
  'qlinear_add@1': onnxQOpOnOrt, // com.microsoft QLinearAdd
  'qlinear_mul@1': onnxQOpOnOrt, // com.microsoft QLinearMul
  'matmul_integer_to_float@1': onnxQOpOnOrt, // com.microsoft MatMulIntegerToFloat
  'dynamic_quantize_matmul@1': onnxQOpOnOrt, // com.microsoft DynamicQuantizeMatMul
  'qlinear_leaky_relu@1': onnxQOpOnOrt, // com.microsoft QLinearLeakyRelu
  'qlinear_sigmoid@1': onnxQOpOnOrt, // com.microsoft QLinearSigmoid
  'qlinear_softmax@1': onnxQOpOnOrt, // com.microsoft QLinearSoftmax
  'qlinear_global_average_pool@1': onnxQOpOnOrt, // com.microsoft QLinearGlobalAveragePool
  'qlinear_average_pool@1': onnxQOpOnOrt, // com.microsoft QLinearAveragePool
  'qlinear_concat@1': onnxQOpOnOrt, // com.microsoft QLinearConcat
  'qlinear_where@1': onnxQOpOnOrt, // com.microsoft QLinearWhere
  'dynamic_quantize_lstm@1': onnxQOpOnOrt, // com.microsoft DynamicQuantizeLSTM (Y, Y_h, Y_c; every direction)
  'qlinear_conv_nhwc@1': onnxQOpOnOrt, // com.microsoft QLinearConv, channels_last = 1
  'gather_block_quantized@1': onnxQOpOnOrt, // com.microsoft GatherBlockQuantized
  'matmul_nbits@1': onnxQOpOnOrt, // com.microsoft MatMulNBits (float32 A)
  'qattention@1': onnxQOpOnOrt, // com.microsoft QAttention (mask_index, unidirectional, past/present)
  'qembed_layer_normalization@1': onnxQOpOnOrt, // com.microsoft QEmbedLayerNormalization
  'matmul_integer16@1': onnxQOpOnOrt, // com.microsoft MatMulInteger16
  'nhwc_max_pool@1': onnxQOpOnOrt, // com.microsoft NhwcMaxPool
};

/** The registered ops, each behind withoutKnownCrashes: use these (or runThroughOrt), not the adapters' own exports. */
export const ORT_OPS: Readonly<Record<string, OrtOpRunner>> = Object.fromEntries(Object.entries(RUNNERS).map(([op, run]) => [op, withoutKnownCrashes(run)]));

/** Schemes the registered ops implement (ORT's own requantization). */
export const ORT_SCHEMES: readonly string[] = ['onnxruntime@1'];
