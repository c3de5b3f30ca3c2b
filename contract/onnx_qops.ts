/**
 * The ONNX integer matmul/conv ops and the com.microsoft quantized GEMM, with ONNX Runtime 1.30's CPU
 * execution provider as the oracle (vectors/onnxruntime-1.30-ops). Kept apart from QuantOps (torch 1.13,
 * contract/ops.ts) and ConvOps (contract/conv.ts); reference/onnx and impl/onnx both implement `OnnxQOps`,
 * and docs/protocol.md ("ONNX integer ops") carries the wire form.
 *
 *   - `matmul_integer@1`: ONNX MatMulInteger-10 (onnxruntime/core/providers/cpu/quantization/matmul_integer.cc);
 *   - `qlinear_matmul@1`: ONNX QLinearMatMul-10/21 (core/providers/cpu/quantization/quantize_linear_matmul.cc);
 *   - `qgemm@1`: com.microsoft QGemm-1 (onnxruntime/contrib_ops/cpu/quantization/quant_gemm.cc);
 *   - `conv_integer@1`: ONNX ConvInteger-10, 2-D (core/providers/cpu/quantization/conv_integer.cc);
 *   - `qlinear_add@1`, `qlinear_mul@1`: com.microsoft QLinearAdd-1 / QLinearMul-1
 *     (contrib_ops/cpu/quantization/qlinear_binary_op.cc; MLAS qladd_avx2.cpp, qlmul.cpp);
 *   - `matmul_integer_to_float@1`, `dynamic_quantize_matmul@1`: com.microsoft MatMulIntegerToFloat-1 /
 *     DynamicQuantizeMatMul-1 (contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc; float32 output through
 *     MLAS_QGEMM_SCALE_BIAS_OUTPUT_PROCESSOR, mlas/lib/qpostprocessor.cpp);
 *   - `qlinear_leaky_relu@1`, `qlinear_sigmoid@1`: com.microsoft QLinearLeakyRelu-1 / QLinearSigmoid-1, a 256-entry
 *     table (contrib_ops/cpu/quantization/qlinear_lookup_table.cc, qlinear_activations.cc; MLAS logistic.cpp);
 *   - `qlinear_softmax@1`: com.microsoft QLinearSoftmax-1 (contrib_ops/cpu/quantization/qlinear_softmax.cc), a float32
 *     table of libm exp values (contract/qlinear_softmax_checks.ts says when libm's last bit cannot matter).
 *   - `qlinear_global_average_pool@1`, `qlinear_average_pool@1`: com.microsoft QLinearGlobalAveragePool-1 /
 *     QLinearAveragePool-1 (contrib_ops/cpu/quantization/qlinear_global_average_pool.cc, qlinear_pool.cc; MLAS
 *     qlgavgpool.cpp);
 *   - `qlinear_concat@1`: com.microsoft QLinearConcat-1 (contrib_ops/cpu/quantization/qlinear_concat.cc);
 *   - `qlinear_where@1`: com.microsoft QLinearWhere-1 (contrib_ops/cpu/quantization/qlinear_where.cc);
 *   - `dynamic_quantize_lstm@1`: com.microsoft DynamicQuantizeLSTM-1, every direction, sequence_lens, Y, Y_h and Y_c
 *     (contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc, providers/cpu/rnn/uni_directional_lstm.cc; the subset
 *     contract/dynamic_quantize_lstm_checks.ts accepts).
 *   - `qlinear_conv_nhwc@1`: com.microsoft QLinearConv-1 with channels_last = 1, 2-D, int8 weights
 *     (core/providers/cpu/quantization/qlinearconv.cc, its kMSDomain registration): NHWC in and out, the arithmetic
 *     of quantized_conv2d@1 with scheme onnxruntime@1 (contract/qlinear_conv_nhwc_checks.ts);
 *   - `gather_block_quantized@1`: com.microsoft GatherBlockQuantized-1, float32 or float16 scales
 *     (contrib_ops/cpu/quantization/gather_block_quantized.cc): a Gather of blockwise-quantized data, dequantized.
 *   - `matmul_nbits@1`: com.microsoft MatMulNBits-1 with float32 A (contrib_ops/cpu/quantization/matmul_nbits.cc; MLAS
 *     qnbitgemm.cpp / sgemm.cpp), the float-compute routes only (contract/matmul_nbits_checks.ts).
 *   - `qattention@1`: com.microsoft QAttention-1 (contrib_ops/cpu/quantization/attention_quant.cc, then the float32
 *     attention of contrib_ops/cpu/bert/attention_cpu_base.h: MLAS SGEMM and MlasComputeSoftmax), a subset
 *     (contract/qattention_checks.ts).
 *   - `qembed_layer_normalization@1`: com.microsoft QEmbedLayerNormalization-1 (contrib_ops/cpu/quantization/
 *     qembed_layer_norm.cc): dequantized embeddings summed and layer-normalized in float32, plus the mask index.
 *   - `matmul_integer16@1`: com.microsoft MatMulInteger16-1 (contrib_ops/cpu/quantization/matmul_integer16.cc):
 *     int16 x int16 -> int32 through Eigen, no zero points, no MLAS (so no accumulator attribute);
 *   - `nhwc_max_pool@1`: com.microsoft NhwcMaxPool-1 (contrib_ops/cpu/quantization/nhwc_max_pool.cc): an integer
 *     max over each window of an NHWC (channels-last) uint8 / int8 tensor, padded taps reading the type's lowest value.
 *
 * Tensors: 8-bit values are quint8 (ONNX uint8) or qint8 (ONNX int8); a zero point has the dtype of its
 * tensor. Scales are float32 tensors, as ONNX stores them (no f64 rounding step). The int32 accumulator is
 * formed by MLAS's integer GEMM: on AVX512-VNNI / AVX-VNNI (vpdpbusd) and SSE4-only CPUs every product is
 * exact and int32 additions wrap (`int32_wrap`); on AVX2 without VNNI the u8 x s8 GEMM
 * (MlasGemmU8S8KernelAvx2) saturates pairs of products (`sat16_pairs_im2col`, contract/conv.ts), the pairs
 * being consecutive k of the GEMM's K dimension (the row of A; for conv_integer, whose A is the weight, the
 * NCHW im2col row). Every op takes that model in the `accumulator` attribute.
 */
import type { QNBitKernel } from './matmul_nbits_m1_plan.js';
import type { F16Tensor, F32Tensor, IntTensor } from './tensor.js';

export const ONNX_QOP_NAMES = ['matmul_integer@1', 'qlinear_matmul@1', 'qgemm@1', 'conv_integer@1', 'qlinear_add@1', 'qlinear_mul@1', 'matmul_integer_to_float@1', 'dynamic_quantize_matmul@1', 'qlinear_leaky_relu@1', 'qlinear_sigmoid@1', 'qlinear_softmax@1', 'qlinear_global_average_pool@1', 'qlinear_average_pool@1', 'qlinear_concat@1', 'qlinear_where@1', 'dynamic_quantize_lstm@1', 'qlinear_conv_nhwc@1', 'gather_block_quantized@1', 'matmul_nbits@1', 'qattention@1', 'qembed_layer_normalization@1', 'matmul_integer16@1', 'nhwc_max_pool@1'] as const;
export type OnnxQOpName = (typeof ONNX_QOP_NAMES)[number];

/** The accumulator models of the matmul ops (a subset of contract/conv.ts ACCUMULATORS, same meaning along K). */
export const MATMUL_ACCUMULATORS = ['int32_wrap', 'sat16_pairs_im2col'] as const;
export type MatmulAccumulator = (typeof MATMUL_ACCUMULATORS)[number];

export interface MatMulIntegerArgs {
  /** quint8 or qint8, [..., M, K] or [K] */
  readonly a: IntTensor;
  /** quint8 or qint8, [..., K, N] or [K] */
  readonly b: IntTensor;
  /** the dtype of a, one element ([] or [1]); null is 0 */
  readonly aZeroPoint: IntTensor | null;
  /** the dtype of b, one element, or per column: [N] / [1, N] for a 2-D b, b's shape with dim -2 = 1 otherwise; null is 0 */
  readonly bZeroPoint: IntTensor | null;
  readonly accumulator: MatmulAccumulator;
}

export interface QLinearMatMulArgs {
  readonly a: IntTensor;
  /** float32, one element */
  readonly aScale: F32Tensor;
  readonly aZeroPoint: IntTensor;
  readonly b: IntTensor;
  /** float32, one element or per column (the shapes bZeroPoint takes) */
  readonly bScale: F32Tensor;
  readonly bZeroPoint: IntTensor;
  /** float32, one element */
  readonly yScale: F32Tensor;
  /** the output dtype (that of a), one element */
  readonly yZeroPoint: IntTensor;
  readonly accumulator: MatmulAccumulator;
}

export interface QGemmArgs {
  /** quint8 or qint8, [M, K] ([K, M] with transA) */
  readonly a: IntTensor;
  readonly aScale: F32Tensor;
  readonly aZeroPoint: IntTensor;
  /** [K, N] ([N, K] with transB) */
  readonly b: IntTensor;
  /** float32, one element or [N] */
  readonly bScale: F32Tensor;
  readonly bZeroPoint: IntTensor;
  /** int32, broadcast to [M, N]: [], [1], [N], [1, N], [M, 1] or [M, N]; null is none */
  readonly c: IntTensor | null;
  /** null: the output is float32 (acc * alpha * a_scale * b_scale) and yZeroPoint is null too */
  readonly yScale: F32Tensor | null;
  readonly yZeroPoint: IntTensor | null;
  readonly transA: boolean;
  readonly transB: boolean;
  /** f64 on the wire, rounded to float32 (an ONNX float attribute) */
  readonly alpha: number;
  readonly accumulator: MatmulAccumulator;
}

export interface ConvIntegerArgs {
  /** quint8 or qint8, [N, C, H, W] */
  readonly x: IntTensor;
  /** quint8 or qint8, [M, C / group, KH, KW] */
  readonly w: IntTensor;
  /** one element of x's dtype; null is 0 */
  readonly xZeroPoint: IntTensor | null;
  /** one element of w's dtype (ORT 1.30 refuses per-channel); null is 0 */
  readonly wZeroPoint: IntTensor | null;
  readonly strides: readonly [number, number];
  /** ONNX pads: [top, left, bottom, right] */
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly group: number;
  /**
   * ConvInteger's GEMM is W (as A) times the NCHW im2col of x (as B), K = (c, kh, kw) with kw innermost and padded
   * taps present as z_x: `sat16_pairs_im2col` pairs along that K, for quint8 w x qint8 x (MLAS's u8 x s8 AVX2 kernel).
   */
  readonly accumulator: MatmulAccumulator;
}

/** QLinearAdd / QLinearMul: c = a (op) b in real units, requantized to c's scale and zero point. */
export interface QLinearBinaryArgs {
  /** quint8 or qint8 */
  readonly a: IntTensor;
  /** float32, a scalar (shape []) like every scale and zero point here */
  readonly aScale: F32Tensor;
  /**
   * a scalar of a's dtype; required, although the ONNX schema makes it optional: ORT 1.30's type inference refuses
   * a model without it ("Input data type does not match the expected data type")
   */
  readonly aZeroPoint: IntTensor;
  /** a's dtype; a and b broadcast (numpy rules, contract/broadcast.ts) */
  readonly b: IntTensor;
  readonly bScale: F32Tensor;
  /** required, as aZeroPoint */
  readonly bZeroPoint: IntTensor;
  readonly cScale: F32Tensor;
  /** null is 0 */
  readonly cZeroPoint: IntTensor | null;
}

/** MatMulIntegerToFloat: y = (a - z_a)(b - z_b) * a_scale * b_scale (+ bias), float32 out. */
export interface MatMulIntegerToFloatArgs {
  /** quint8 or qint8 (qint8 only with a qint8 b: ORT 1.30 registers u8 x u8, u8 x s8, s8 x s8), [..., M, K] or [K] */
  readonly a: IntTensor;
  /** quint8 or qint8, [..., K, N] or [K] */
  readonly b: IntTensor;
  /** float32, one element ([] or [1]) */
  readonly aScale: F32Tensor;
  /** float32, one element or per column (the shapes of matmul_integer@1's b_zero_point) */
  readonly bScale: F32Tensor;
  /** a's dtype, one element; null is 0 */
  readonly aZeroPoint: IntTensor | null;
  /** b's dtype, one element or per column (independently of b_scale); null is 0 */
  readonly bZeroPoint: IntTensor | null;
  /** float32 [N], finite; null is none */
  readonly bias: F32Tensor | null;
  readonly accumulator: MatmulAccumulator;
}

/** DynamicQuantizeMatMul: a quantized as DynamicQuantizeLinear does (uint8), then MatMulIntegerToFloat. */
export interface DynamicQuantizeMatMulArgs {
  /** float32 without NaN, [..., M, K] or [K] */
  readonly a: F32Tensor;
  /** quint8 or qint8 */
  readonly b: IntTensor;
  readonly bScale: F32Tensor;
  readonly bZeroPoint: IntTensor | null;
  readonly bias: F32Tensor | null;
  /** the model of the quint8 (quantized a) x b GEMM */
  readonly accumulator: MatmulAccumulator;
}

/** QLinearSigmoid: y = quantize(f(dequantize(x))) through a table of all 256 codes (contract/qlinear_lookup_checks.ts). */
export interface QLinearLookupArgs {
  /** quint8 or qint8, any shape (an empty x gives an empty y) */
  readonly x: IntTensor;
  /** float32, one element: shape [] or [1] */
  readonly xScale: F32Tensor;
  /** one element of x's dtype; null is 0 */
  readonly xZeroPoint: IntTensor | null;
  readonly yScale: F32Tensor;
  /** one element of x's dtype (the output dtype); null is 0 */
  readonly yZeroPoint: IntTensor | null;
}

/** QLinearLeakyRelu: the table of f(v) = v >= 0 ? v : alpha * v. */
export interface QLinearLeakyReluArgs extends QLinearLookupArgs {
  /** f64 on the wire, rounded to float32 (an ONNX float attribute, default 0.01) */
  readonly alpha: number;
}

/** QLinearSoftmax: softmax along `axis` (opset >= 13) or over the flattened dimensions from `axis` on (opset < 13). */
export interface QLinearSoftmaxArgs {
  /** quint8 or qint8, rank >= 1, not empty (ORT 1.30 creates no y for an empty x: qlinear_softmax_checks.ts EMPTY_SOFTMAX) */
  readonly x: IntTensor;
  /** float32, one element: shape [] or [1] */
  readonly xScale: F32Tensor;
  /** one element of x's dtype, or null; ORT never reads its value */
  readonly xZeroPoint: IntTensor | null;
  readonly yScale: F32Tensor;
  /**
   * one element of x's dtype; required, although the schema marks it optional: ORT 1.30's schema check counts five
   * inputs ("input size 4 not in range [min=5, max=5]")
   */
  readonly yZeroPoint: IntTensor;
  /** narrowed to int32 as ORT does (contract/ort_int32_attribute.ts), then in [-rank, rank); default -1 whatever the opset (the schema's default; the kernel's opset-dependent fallback never runs) */
  readonly axis: number;
  /** the required `opset` attribute, narrowed to int32 as ORT does: below 13 (any int32, 0 and negatives too) the flattened rule, else the one-axis rule */
  readonly opset: number;
}

/** QLinearGlobalAveragePool: the mean over every spatial position of each (n, c), requantized. */
export interface QLinearGlobalAveragePoolArgs {
  /** quint8 or qint8, rank >= 3: [N, C, spatial...] or, channelsLast, [N, spatial..., C] */
  readonly x: IntTensor;
  /** float32, one element ([] or [1]) */
  readonly xScale: F32Tensor;
  /** x's dtype, one element; required (ORT 1.30 reads it unconditionally) */
  readonly xZeroPoint: IntTensor;
  readonly yScale: F32Tensor;
  /** required, as xZeroPoint */
  readonly yZeroPoint: IntTensor;
  readonly channelsLast: boolean;
}

/** ONNX auto_pad: NOTSET uses `pads`; the others compute them (ORT's PoolAttributes::ComputeSizePadDilations). */
export const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'] as const;
export type AutoPad = (typeof AUTO_PADS)[number];

/** QLinearAveragePool: a 1-, 2- or 3-D average pool, requantized. */
export interface QLinearAveragePoolArgs {
  /** quint8 or qint8, [N, C, spatial...] or, channelsLast, [N, spatial..., C]; spatial rank = kernelShape.length */
  readonly x: IntTensor;
  /** float32, a scalar (shape []: ORT 1.30's type inference) like the zero points */
  readonly xScale: F32Tensor;
  /** x's dtype; required, although the schema makes it optional (ORT 1.30's type inference refuses the model without it) */
  readonly xZeroPoint: IntTensor;
  readonly yScale: F32Tensor;
  /** required, as xZeroPoint */
  readonly yZeroPoint: IntTensor;
  /** 1 to 3 entries, each >= 1 */
  readonly kernelShape: readonly number[];
  /** one per spatial dim, >= 1 */
  readonly strides: readonly number[];
  /** ONNX pads: all the begins, then all the ends; each below its kernel size; all 0 unless autoPad is NOTSET */
  readonly pads: readonly number[];
  readonly autoPad: AutoPad;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly channelsLast: boolean;
}

/** One quantized input of QLinearConcat. */
export interface QLinearConcatInput {
  /** the output's dtype (that of yZeroPoint) */
  readonly x: IntTensor;
  /** float32, one element */
  readonly scale: F32Tensor;
  /** one element; required (ORT 1.30 reads its type unconditionally) */
  readonly zeroPoint: IntTensor;
}

/** QLinearConcat: the inputs requantized to (yScale, yZeroPoint) and concatenated along `axis`. */
export interface QLinearConcatArgs {
  readonly yScale: F32Tensor;
  /** quint8 or qint8, one element: decides the dtype of every tensor */
  readonly yZeroPoint: IntTensor;
  /** at least one; equal ranks, equal dims but along axis */
  readonly inputs: readonly QLinearConcatInput[];
  /** in [-rank, rank) */
  readonly axis: number;
}

/**
 * QLinearWhere: condition ? x : y, each requantized to (zScale, zZeroPoint), condition, x and y broadcast in full.
 * The condition is ONNX bool, carried as a `uint8` tensor of 0 (false) and 1 (true).
 */
export interface QLinearWhereArgs {
  readonly condition: IntTensor;
  /** z_zero_point's dtype (quint8 or qint8) */
  readonly x: IntTensor;
  /** float32, one element ([] or [1]) */
  readonly xScale: F32Tensor;
  /** x's dtype, one element; required (ORT 1.30 enforces the nine inputs) */
  readonly xZeroPoint: IntTensor;
  readonly y: IntTensor;
  readonly yScale: F32Tensor;
  readonly yZeroPoint: IntTensor;
  readonly zScale: F32Tensor;
  /** quint8 or qint8, one element: decides the dtype of every tensor but the condition */
  readonly zZeroPoint: IntTensor;
}

/**
 * DynamicQuantizeLSTM (com.microsoft): an LSTM whose two GEMMs quantize their float operand (x once, h at each step)
 * as DynamicQuantizeLinear does and multiply it with the 8-bit weights w / r through MLAS. ONNX names and layouts; the
 * gates in i, o, f, c order (w's and r's columns, b's and p's blocks). contract/dynamic_quantize_lstm_checks.ts
 * says which requests qconform models.
 */
export interface DynamicQuantizeLstmArgs {
  /** float32 [seq_length, batch_size, input_size] */
  readonly x: F32Tensor;
  /** quint8 or qint8 [D, input_size, 4 * hidden_size] */
  readonly w: IntTensor;
  /** w's dtype, [D, hidden_size, 4 * hidden_size] */
  readonly r: IntTensor;
  /** float32 [D, 8 * hidden_size]: Wb then Rb; null: no bias (D = num_directions, 2 for 'bidirectional') */
  readonly b: F32Tensor | null;
  /** int32 [batch_size]: the steps each batch row runs; null: seq_length each */
  readonly sequenceLens: IntTensor | null;
  /** float32 [D, batch_size, hidden_size]; null: zeros */
  readonly initialH: F32Tensor | null;
  readonly initialC: F32Tensor | null;
  /** float32 [D, 3 * hidden_size]: the peepholes of i, o, f; null: none */
  readonly p: F32Tensor | null;
  /** float32 [D] (per tensor) or [D, 4 * hidden_size] (per column) */
  readonly wScale: F32Tensor;
  /** w's dtype, [D] or [D, 4 * hidden_size] */
  readonly wZeroPoint: IntTensor;
  readonly rScale: F32Tensor;
  readonly rZeroPoint: IntTensor;
  readonly hiddenSize: number;
  /** the ONNX attribute: 'forward', 'reverse' or 'bidirectional' */
  readonly direction: string;
  /** the float attribute (rounded to float32); null: absent (FLT_MAX) */
  readonly clip: number | null;
  /** the INT attribute (default 0): any non-zero integer couples the gates (ORT 1.30 LSTMBase: != 0) */
  readonly inputForget: number;
  /** null: absent (Sigmoid, Tanh, Tanh per direction); contract/rnn_activations.ts says which are modelled */
  readonly activations: readonly string[] | null;
  readonly activationAlpha: readonly number[] | null;
  readonly activationBeta: readonly number[] | null;
  /** the model of both GEMMs (quint8 quantized x / h times w / r) */
  readonly accumulator: MatmulAccumulator;
}

/** DynamicQuantizeLSTM's three outputs; D = num_directions. */
export interface DynamicQuantizeLstmResult {
  /** float32 [seq_length, D, batch_size, hidden_size]: each step's h; 0 past a row's sequence_lens */
  readonly y: F32Tensor;
  /** float32 [D, batch_size, hidden_size]: the last step's h of each row (0 for a sequence_lens of 0) */
  readonly yH: F32Tensor;
  /** float32 [D, batch_size, hidden_size]: the last step's cell state C of each row (0 for a sequence_lens of 0) */
  readonly yC: F32Tensor;
}

/**
 * com.microsoft QLinearConv with channels_last = 1 (2-D): x and y are NHWC, w stays ONNX's [M, C / group, KH, KW].
 * ORT computes its QLinearConv in NHWC whatever the layout (an NCHW input is transposed first), so the
 * arithmetic is quantized_conv2d@1's with scheme onnxruntime@1 and this accumulator model.
 */
export interface QLinearConvNhwcArgs {
  /** quint8 or qint8, [N, H, W, C] (2-D), [N, W, C] (1-D) or [N, D, H, W, C] (3-D) */
  readonly x: IntTensor;
  /** float32, one element ([] or [1]) */
  readonly xScale: F32Tensor;
  /** x's dtype, one element */
  readonly xZeroPoint: IntTensor;
  /** qint8, or quint8 with quint8 x: [M, C / group, KH, KW] ([M, C / group, KW] for 1-D, [M, C / group, KD, KH, KW] for 3-D) */
  readonly w: IntTensor;
  /** float32: one element ([] or [1]) or [M] (per output channel) */
  readonly wScale: F32Tensor;
  /** w's dtype: one element or [M]; per-channel values may differ (ORT 1.30 computes them, one per output channel) */
  readonly wZeroPoint: IntTensor;
  readonly yScale: F32Tensor;
  /** x's dtype, one element: the output's dtype */
  readonly yZeroPoint: IntTensor;
  /** int32 [M] or none */
  readonly bias: IntTensor | null;
  /** one per spatial dim (1 to 3) */
  readonly strides: readonly number[];
  /** ONNX pads: [top, left, bottom, right] ([left, right] for 1-D, [d, h, w begins, d, h, w ends] for 3-D) */
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
  readonly group: number;
  /** `int32_wrap`, or `sat16_pairs_im2col` (quint8 x, qint8 w only): which ORT route computes it is ort_cpu_paths.ts ortConvPath */
  readonly accumulator: MatmulAccumulator;
}

/**
 * GatherBlockQuantized: Gather(data, indices, gather_axis), each gathered element dequantized with the scale (and zero
 * point) of its block of block_size elements along quantize_axis. The output has the scales' type (float32 or float16).
 */
export interface GatherBlockQuantizedArgs {
  /**
   * ONNX uint8 (`uint8`; with bits 4 or 2 packed as ORT stores it: 8 / bits elements per byte, the first in the lowest
   * bits, along the last axis, whose dim is the packed one), or `int4` / `uint4` (one wire integer per element, the
   * logical shape; the ONNX Runtime backend packs them)
   */
  readonly data: IntTensor;
  /** int32 or int64, any shape; each in [-D, D) for the gather axis's D (a negative one counts from the end) */
  readonly indices: IntTensor;
  /**
   * float32 or float16 (ORT's T2, the output's type), data's rank: ceil(D_q / block_size) on quantize_axis (D_q the
   * logical dim), data's dims elsewhere
   */
  readonly scales: F32Tensor | F16Tensor;
  /**
   * data's dtype, scales' shape (uint8 with bits < 8: packed like data along the last axis, ceil(blocks / (8 / bits))
   * bytes per row); null means 0 for int4 / uint4 and 2^(bits - 1) for uint8
   */
  readonly zeroPoints: IntTensor | null;
  readonly gatherAxis: number;
  readonly quantizeAxis: number;
  readonly blockSize: number;
  /** 8, 4 or 2 for uint8; 4 for int4 / uint4 */
  readonly bits: number;
}

/**
 * MatMulNBits: y = a x dequantized(b)^T, b holding `bits`-bit codes per block of `blockSize` along K, with a float32
 * scale and an optional packed uint8 zero point per (column n, block). Attribute names as ONNX's (K, N, bits,
 * block_size, accuracy_level).
 */
export interface MatMulNBitsArgs {
  /** float32 [..., K] (the leading dims are flattened into the GEMM's M rows) */
  readonly a: F32Tensor;
  /** uint8 [N, k_blocks, block_size * bits / 8]: codes packed from the low bits up, k in order */
  readonly b: IntTensor;
  /** float32 [N * k_blocks] or [N, k_blocks] */
  readonly scales: F32Tensor;
  /** optional uint8 [N * zp_bytes] or [N, zp_bytes], zp_bytes = ceil(k_blocks * bits / 8), packed as b; null: 2^(bits-1) */
  readonly zeroPoints: IntTensor | null;
  /** optional float32 [N] */
  readonly bias: F32Tensor | null;
  readonly k: number;
  readonly n: number;
  /** 2, 4 or 8 */
  readonly bits: number;
  /** a power of 2, >= 16 */
  readonly blockSize: number;
  /** any integer; 4 asks MLAS for int8 compute (not modelled), every other value is float32 compute (as 0-3) */
  readonly accuracyLevel: number;
  /** the MLAS QNBitGemm kernel set of the CPU (contract/matmul_nbits_m1_plan.ts); only a single row of bits 4 depends on it; default avx512 */
  readonly qnbitKernel?: QNBitKernel;
}

/**
 * MlasComputeSoftmax's sum-of-exponentials kernel, the one float32 step of QAttention that differs between x86-64
 * CPUs (mlas/lib/platform.cpp picks it): `avx512f` MlasComputeSumExpF32KernelAvx512F (16 lanes, the 2^m scaling
 * by vscalefps), `fma3` MlasComputeSumExpF32KernelFma3 (8 lanes, 2^m built from exponent bits; AVX2 CPUs such as Haswell).
 */
export const SOFTMAX_KERNELS = ['avx512f', 'fma3'] as const;
export type SoftmaxKernel = (typeof SOFTMAX_KERNELS)[number];

/**
 * QAttention: QKV = MatMulIntegerToFloat(input, weight) + bias, then per head softmax(Q K^T / sqrt(head_size) + mask) V
 * in float32, K and V preceded by the past state's rows when past is given. Output float32 [batch, sequence, hidden],
 * and present = [2, batch, num_heads, past + sequence, head_size] (past K and V with the new rows appended) when past
 * is given.
 */
export interface QAttentionArgs {
  /** quint8 [batch, sequence, input_hidden] */
  readonly input: IntTensor;
  /** quint8 or qint8 [input_hidden, 3 * hidden] (Q, K, V columns in that order, each split into num_heads heads) */
  readonly weight: IntTensor;
  /** float32 [3 * hidden], finite */
  readonly bias: F32Tensor;
  /** float32, one element */
  readonly inputScale: F32Tensor;
  /** float32, one element or [3 * hidden] */
  readonly weightScale: F32Tensor;
  /** quint8, one element; null is 0 */
  readonly inputZeroPoint: IntTensor | null;
  /** weight's dtype, one element or [3 * hidden]; null is 0 */
  readonly weightZeroPoint: IntTensor | null;
  /** int32 mask_index in a form of contract/qattention_mask.ts, or null */
  readonly maskIndex: IntTensor | null;
  /** float32 past state [2, batch, num_heads, past_sequence, head_size], or null */
  readonly past: F32Tensor | null;
  readonly numHeads: number;
  /** ONNX `unidirectional`: 1 is causal, any other integer is not (ORT reads `== 1`) */
  readonly unidirectional: number;
  /** the model of the input x weight GEMM's int32 accumulator */
  readonly accumulator: MatmulAccumulator;
  readonly softmaxKernel: SoftmaxKernel;
}

/** QAttention's outputs: y, and present when past is given. */
export interface QAttentionResult {
  readonly y: F32Tensor;
  readonly present: F32Tensor | null;
}

/**
 * QEmbedLayerNormalization: per token (b, s), the dequantized rows word_embedding[input_ids[b, s]],
 * position_embedding[s] and (with segments) segment_embedding[segment_ids[b, s]] are summed and layer-normalized with
 * the dequantized gamma and beta; mask_index[b] counts the entries of mask[b] equal to 1. Every 8-bit tensor and zero
 * point has one dtype (ONNX's T2: quint8 or qint8).
 */
export interface QEmbedLayerNormArgs {
  /** int32 [B, S]: rows of wordEmbedding */
  readonly inputIds: IntTensor;
  /** int32 [B, S], rows of segmentEmbedding; with segmentEmbedding and its scale and zero point, or all four null */
  readonly segmentIds: IntTensor | null;
  /** quint8 or qint8 [V, H] */
  readonly wordEmbedding: IntTensor;
  /** [P, H], P >= S: row s serves position s */
  readonly positionEmbedding: IntTensor;
  /** [G, H] */
  readonly segmentEmbedding: IntTensor | null;
  /** [H] each */
  readonly gamma: IntTensor;
  readonly beta: IntTensor;
  /** int32 [B, S], optional: mask_index counts its 1s per batch row (0s without it) */
  readonly mask: IntTensor | null;
  /** float32, one element ([] or [1]) */
  readonly wordEmbeddingScale: F32Tensor;
  /**
   * float32, one element ([] or [1]) each with quint8 tables; with qint8 tables any non-empty shape, of which ORT reads
   * element 0 only (contract/qembed_layer_norm_checks.ts)
   */
  readonly positionEmbeddingScale: F32Tensor;
  readonly segmentEmbeddingScale: F32Tensor | null;
  readonly gammaScale: F32Tensor;
  readonly betaScale: F32Tensor;
  /** the tables' dtype, one element each; required (ORT 1.30 reads them unconditionally) */
  readonly wordEmbeddingZeroPoint: IntTensor;
  readonly positionEmbeddingZeroPoint: IntTensor;
  readonly segmentEmbeddingZeroPoint: IntTensor | null;
  readonly gammaZeroPoint: IntTensor;
  readonly betaZeroPoint: IntTensor;
  /** the float attribute epsilon (rounded to float32 as ONNX stores it), >= 0; ORT's default is 1e-12f */
  readonly epsilon: number;
}

/** QEmbedLayerNormalization's two outputs. */
export interface QEmbedLayerNormResult {
  /** float32 [B, S, H] */
  readonly y: F32Tensor;
  /** int32 [B] */
  readonly maskIndex: IntTensor;
}

/** MatMulInteger16: numpy matmul of two int16 tensors into int32 (ORT 1.30 registers int16 x int16 -> int32 only). */
export interface MatMulInteger16Args {
  /** int16, [..., M, K] or [K] */
  readonly a: IntTensor;
  /** int16, [..., K, N] or [K] */
  readonly b: IntTensor;
}

/** NhwcMaxPool: x [N, spatial..., C] of quint8 or qint8; ONNX MaxPool's window attributes (no storage_order). */
export interface NhwcMaxPoolArgs {
  /** quint8 or qint8, [N, spatial..., C]; spatial rank = kernelShape.length >= 1 */
  readonly x: IntTensor;
  /** one entry per spatial dim, each >= 1 */
  readonly kernelShape: readonly number[];
  /** one per spatial dim, >= 1 (default 1s) */
  readonly strides: readonly number[];
  /** ONNX pads: all the begins, then all the ends, each below its kernel size (default 0s); all 0 unless autoPad is NOTSET */
  readonly pads: readonly number[];
  /** one per spatial dim, >= 1 (default 1s) */
  readonly dilations: readonly number[];
  readonly autoPad: AutoPad;
  readonly ceilMode: boolean;
}

export interface OnnxQOps {
  /** int32 [..., M, N] */
  matmulInteger(a: MatMulIntegerArgs): IntTensor;
  /** the dtype of a, [..., M, N] */
  qlinearMatMul(a: QLinearMatMulArgs): IntTensor;
  /** [M, N]: the dtype of a, or float32 without y_scale */
  qgemm(a: QGemmArgs): IntTensor | F32Tensor;
  /** int32 [N, M, OH, OW] */
  convInteger(a: ConvIntegerArgs): IntTensor;
  /** a's dtype, the broadcast shape */
  qlinearAdd(a: QLinearBinaryArgs): IntTensor;
  qlinearMul(a: QLinearBinaryArgs): IntTensor;
  /** float32 [..., M, N] */
  matmulIntegerToFloat(a: MatMulIntegerToFloatArgs): F32Tensor;
  dynamicQuantizeMatMul(a: DynamicQuantizeMatMulArgs): F32Tensor;
  /** x's dtype and shape */
  qlinearLeakyRelu(a: QLinearLeakyReluArgs): IntTensor;
  qlinearSigmoid(a: QLinearLookupArgs): IntTensor;
  /** x's dtype and shape */
  qlinearSoftmax(a: QLinearSoftmaxArgs): IntTensor;
  /** x's dtype, x's shape with every spatial dim 1 */
  qlinearGlobalAveragePool(a: QLinearGlobalAveragePoolArgs): IntTensor;
  /** x's dtype, [N, C, pooled...] (channelsLast: [N, pooled..., C]) */
  qlinearAveragePool(a: QLinearAveragePoolArgs): IntTensor;
  /** y's dtype, the inputs' shape with the axis dims summed */
  qlinearConcat(a: QLinearConcatArgs): IntTensor;
  /** z_zero_point's dtype, the broadcast shape of condition, x and y */
  qlinearWhere(a: QLinearWhereArgs): IntTensor;
  /** float32 Y [seq_length, D, batch_size, hidden_size], Y_h and Y_c [D, batch_size, hidden_size] */
  dynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): DynamicQuantizeLstmResult;
  /** x's dtype, [N, OH, OW, M] */
  qlinearConvNhwc(a: QLinearConvNhwcArgs): IntTensor;
  /** scales' dtype (float32 or float16), data's logical shape with the gather axis replaced by indices' shape */
  gatherBlockQuantized(a: GatherBlockQuantizedArgs): F32Tensor | F16Tensor;
  /** float32 [..., N] */
  matmulNBits(a: MatMulNBitsArgs): F32Tensor;
  /** float32 [batch, sequence, hidden] */
  qattention(a: QAttentionArgs): QAttentionResult;
  /** y float32 [B, S, H] and mask_index int32 [B] */
  qembedLayerNormalization(a: QEmbedLayerNormArgs): QEmbedLayerNormResult;
  /** int32 [..., M, N] */
  matmulInteger16(a: MatMulInteger16Args): IntTensor;
  /** x's dtype, [N, pooled..., C] */
  nhwcMaxPool(a: NhwcMaxPoolArgs): IntTensor;
}
