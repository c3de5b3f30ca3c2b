/**
 * quantized_mul@1: torch 1.13.1's quantized::mul and quantized::mul_relu (what nn.quantized.FloatFunctional's
 * QFunctional.mul calls: MobileNetV3's squeeze-excitation gate, a [N, C, 1, 1] scale times a [N, C, H, W] tensor) where
 * its kernel is ATen's qmul_kernel: aten/src/ATen/native/quantized/cpu/qmul.cpp QMul::run -> qmul_stub -> qmul_kernel
 * (kernels/QuantizedOpKernels.cpp), on every engine, for quint8. torch 1.13 built with XNNPACK (Debian's is) sends a
 * qint8 mul whose output zero point is below 127 to XNNPACK (_mul_out_xnnpack; not modelled: unsupported_by_scheme);
 * a qint8 mul with zero point 127 is qmul_kernel's.
 *
 * Integer domain but for one float32 product: c = (a - z_a)(b - z_b) in int32 (|c| <= 65,025, exact in float32);
 * m = f32(f32(s_a s_b) f32(1 / s)) with float32 scales (each q_scale rounded to float); then per element one of two
 * lambdas:
 *  - scalar (requantize_from_int, AffineQuantizerBase.cpp): z + lrintf(f32(c m)) in int64 (lrintf: half to even; NaN,
 *    +-inf and |v| >= 2^63 give INT64_MIN), clamped to the dtype range;
 *  - vector (Vectorized<T>::requantize_from_int): on AVX2 / AVX512 (RequantizeAvx2 / RequantizeAvx512)
 *    cvtps2dq(f32(c m)) (half to even; NaN and |v| >= 2^31 give INT32_MIN), + z as an int32 addition (wrapping), the
 *    saturating packs; on DEFAULT (vec256_qint.h's VectorizedQuantizedConverter) (int32_t)f32(nearbyint(f32(c m)) + z),
 *    the addition in FLOAT and a truncating conversion (NaN and out of range give INT32_MIN), clamped. Unlike the
 *    add's, this DEFAULT vector form is not the scalar one: vectorized_loop gives it 64 elements per step, as AVX2
 *    (contract/aten_vectorized_loop.ts DefaultLoop 'own'; measured: 70 elements whose f32(c m) = 2^31 - 256 with z = 200
 *    give 0 for elements 0-63 and 255 for 64-69 under ATEN_CPU_CAPABILITY=default, 255 for all under avx2);
 *  then mul_relu takes max(y, z). The forms part only where f32(c m) nears 2^31 (s_a s_b / s of 33,000 or more).
 *
 * Shapes: a and b broadcast (numpy's rule); the output has the broadcast shape and a's memory format. With equal shapes
 * the forms split as quantized_add@1's (contract/aten_vectorized_loop.ts vectorFormMask over a's shape and the memory
 * format). Where the shapes differ, TensorIterator's split of the broadcast loop is not modelled: the op answers when
 * both forms give every element alike (always, unless f32(c m) reaches 2^31) and refuses otherwise
 * (unsupported_by_scheme), never a guess.
 *
 * quantized_mul@2 is torch 2.6.0's: the same kernel and forms (DEFAULT's included), its AVX512 loop splitting at
 * multiples of 64 elements (semantics 2, as quantized_add@2; vectors/torch-2.6-mul). torch 2.6 still sends a qint8 mul
 * with a lower zero point to XNNPACK (Debian 13's raises "xnnp_mul(): XNNPACK is not available").
 *
 * Scope: a and b of one dtype; zero points in the dtype range; `threads` is torch.get_num_threads() of the calling process.
 */
import type { AtenElementwiseAttrs } from './aten_vectorized_loop.js';
import type { BinaryQparams } from './quantized_add.js';
import type { IntTensor } from './tensor.js';

export interface QuantizedMulAttrs extends BinaryQparams, AtenElementwiseAttrs {}

/** The smallest output zero point of a qint8 mul that torch 1.13 leaves to qmul_kernel (below it: XNNPACK). */
export const QINT8_QMUL_KERNEL_ZERO_POINT = 127;

export interface QuantizedMulOps {
  quantizedMul(a: IntTensor, b: IntTensor, attrs: QuantizedMulAttrs): IntTensor;
}
