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
import type { F32Tensor, IntTensor } from './tensor.js';

export const ONNX_QOP_NAMES = ['matmul_integer@1', 'qlinear_matmul@1', 'qgemm@1', 'conv_integer@1', 'qlinear_add@1', 'qlinear_mul@1', 'matmul_integer_to_float@1', 'dynamic_quantize_matmul@1', 'qlinear_leaky_relu@1', 'qlinear_sigmoid@1', 'qlinear_softmax@1', 'qlinear_global_average_pool@1', 'qlinear_average_pool@1', 'qlinear_concat@1', 'qlinear_where@1', 'matmul_integer16@1', 'nhwc_max_pool@1'] as const;
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
  /** a's dtype; its shape equals a's, has one element, or one shape is a suffix of the other (leading 1s aside) */
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
  /** quint8 or qint8, any non-empty shape */
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
  /** quint8 or qint8, rank >= 1, non-empty */
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
  /** in [-rank, rank); ORT's default -1 for opset >= 13, 1 below */
  readonly axis: number;
  /** the required `opset` attribute: the ONNX Softmax version whose axis rule the kernel follows */
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
  /** int32 [..., M, N] */
  matmulInteger16(a: MatMulInteger16Args): IntTensor;
  /** x's dtype, [N, pooled..., C] */
  nhwcMaxPool(a: NhwcMaxPoolArgs): IntTensor;
}
