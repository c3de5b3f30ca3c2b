/**
 * Which MLAS kernel ONNX Runtime 1.30's QLinearConv (CPU EP, Linux x86-64 build, constant weights so they are
 * pre-packed) runs for a request on a given CPU, and so which accumulator model (contract/conv.ts) its outputs
 * follow. Established by reading the MLAS sources and checked against onnxruntime-node 1.30.0 natively
 * (AVX512-VNNI) and under qemu-x86_64-static 7.2 -cpu Haswell / -cpu Nehalem: 0 mismatches on the 1,468
 * non-error golden convs and 600 adversarial ones per CPU (the fixture tests/fixtures/ort_haswell/ keeps a
 * subset). Sources: onnxruntime/core/providers/cpu/quantization/qlinearconv.cc (PrePack, Compute: depthwise
 * iff Cg == 1 and Mg == 1), onnxruntime/core/mlas/lib/platform.cpp (dispatch tables per CPUID),
 * mlas/lib/convsym.cpp (MlasConvSymPackWSize), mlas/lib/qgemm.h (MlasGemmQuantGetDispatch).
 *
 * | CPU                       | activation x weight        | MLAS route                                  | accumulator          |
 * |---------------------------|----------------------------|---------------------------------------------|----------------------|
 * | AVX512-VNNI or AVX-VNNI   | any                        | vpdpbusd kernels, depthwise kernels         | int32_wrap           |
 * | AVX2, no VNNI, no AVX512  | u8 x s8, not depthwise (or depthwise with differing weight zero points) | MlasGemmU8S8KernelAvx2 / MlasConvSymKernelAvx2 | sat16_pairs_im2col |
 * | AVX2, no VNNI, no AVX512  | u8 x s8 depthwise (one weight zero point), s8 x s8 | MlasConvDepthwiseKernelAvx2, ConvSym depthwise, MlasGemmQuantDispatchDefault | int32_wrap |
 * | AVX2, no VNNI, no AVX512  | u8 x u8 (any)              | MlasGemmU8U8KernelAvx2 (widened, vpmaddwd), MlasConvDepthwiseKernelAvx2 | int32_wrap |
 * | SSE4 only (no AVX2)       | any                        | MlasGemmU8X8DispatchSse, MlasGemmQuantDispatchDefault, generic depthwise | int32_wrap |
 *
 * Not modelled (a typed refusal, never a guess): AVX512F/BW without VNNI (Skylake-X: MlasGemmU8S8KernelAvx512Core,
 * other ConvSym thresholds), which QEMU cannot emulate here. Windows builds (_MSC_VER) pick
 * MlasGemmU8S8DispatchSse41 on SSE4.1 CPUs without AVX2, so the SSE4 row holds for Linux and macOS builds only.
 */
import type { Accumulator } from '../../../contract/conv.js';
import { QconformError } from '../../../contract/errors.js';
import { decodeTensor } from '../../../contract/wire.js';
import type { SoftmaxKernel } from '../../../contract/onnx_qops.js';
import type { QNBitKernel } from '../../../contract/matmul_nbits_m1_plan.js';
import type { WireRequest } from '../../protocol/messages.js';

/** The CPU features MLAS's dispatch (platform.cpp) looks at, in /proc/cpuinfo's spelling where one exists. */
export interface OrtCpu {
  readonly avx2: boolean;
  /** AVX512F, BW, DQ and VL: MLAS's "AVX512 core" kernels */
  readonly avx512core: boolean;
  /** AVX512-VNNI or AVX-VNNI: vpdpbusd, four exact products per int32 lane */
  readonly vnni: boolean;
}

/** The QEMU CPU models the conformance runs use (qemu-x86_64-static -cpu <name>). */
export const ORT_CPU_MODELS = {
  haswell: { avx2: true, avx512core: false, vnni: false },
  nehalem: { avx2: false, avx512core: false, vnni: false },
} as const satisfies Record<string, OrtCpu>;

/** An OrtCpu from the CPU flags the process sees (/proc/cpuinfo `flags`, e.g. on the host). */
export function ortCpuFromFlags(flags: readonly string[]): OrtCpu {
  const has = (f: string) => flags.includes(f);
  return {
    avx2: has('avx2'),
    avx512core: ['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every(has),
    vnni: has('avx512_vnni') || has('avx_vnni'),
  };
}

export interface OrtConvPath {
  /** the MLAS kernel family, as named in the table above */
  readonly route: string;
  readonly accumulator: Accumulator;
}

function shapeOf(request: WireRequest, name: string): readonly number[] | undefined {
  const t = request.inputs?.[name] as { shape?: unknown } | undefined;
  return Array.isArray(t?.shape) ? (t.shape as number[]) : undefined;
}

/** Whether a conv request's weight zero points (wire form, json or base64le) are not all one value (absent: one value). */
export function weightZeroPointsDiffer(request: WireRequest, nhwc: boolean): boolean {
  const name = nhwc ? 'w_zero_point' : 'weight_zero_points';
  const wire = request.inputs?.[name];
  if (wire === undefined) return false;
  const zps = decodeTensor(wire, `inputs.${name}`).data;
  return Array.prototype.some.call(zps, (z: number) => z !== zps[0]);
}

/** The MLAS route and accumulator of a quantized_conv2d@1 or qlinear_conv_nhwc@1 request (wire form) under ORT 1.30 on `cpu`: one QLinearConv kernel for both layouts. */
export function ortConvPath(cpu: OrtCpu, request: WireRequest): OrtConvPath {
  if (cpu.vnni) return { route: 'vnni (vpdpbusd)', accumulator: 'int32_wrap' };
  if (cpu.avx512core) {
    throw new QconformError('unsupported_by_scheme', 'onnxruntime cpu', cpu, 'ORT on AVX512 without VNNI (MlasGemmU8S8KernelAvx512Core) is not modelled');
  }
  const xDtype = (request.inputs?.x as { dtype?: unknown } | undefined)?.dtype;
  // qlinear_conv_nhwc@1 (com.microsoft QLinearConv, channels_last) names them w and group (default 1): the same kernel, the same routes
  const nhwc = request.op === 'qlinear_conv_nhwc@1';
  const weight = shapeOf(request, nhwc ? 'w' : 'weight');
  const x = shapeOf(request, 'x');
  const groups = nhwc ? (request.attrs?.group ?? 1) : request.attrs?.groups;
  if (typeof xDtype !== 'string' || !weight || !x || typeof groups !== 'number') {
    throw new QconformError('malformed_request', 'onnxruntime cpu path', request.id, 'a quantized_conv2d@1 request with x, weight and groups (qlinear_conv_nhwc@1: x, w and group)');
  }
  const depthwise = weight[1] === 1 && weight[0] === groups; // Cg == 1 and Mg == 1 (qlinearconv.cc)
  if (!cpu.avx2) return { route: xDtype === 'qint8' ? 'gemm_default / generic depthwise' : 'gemm_u8x8_sse / generic depthwise', accumulator: 'int32_wrap' };
  if (xDtype === 'qint8') return { route: depthwise ? 'depthwise_avx2 (s8s8)' : 'gemm_default (s8s8)', accumulator: 'int32_wrap' };
  // uint8 weights (qlinear_conv_nhwc@1 only): no ConvSym (is_W_signed false), the u8u8 GEMM or depthwise kernel, widened to int16
  if ((request.inputs?.[nhwc ? 'w' : 'weight'] as { dtype?: unknown } | undefined)?.dtype === 'quint8') return { route: depthwise ? 'depthwise_avx2 (u8u8)' : 'gemm_u8u8_avx2 (vpmaddwd)', accumulator: 'int32_wrap' };
  // weight zero points that differ per channel keep a u8 x s8 depthwise conv off the depthwise kernels: it runs the u8s8
  // GEMM (measured under qemu -cpu Haswell, tests/backends/ort_varying_weight_zero_points.test.ts's convs, 2026-12-06:
  // such a conv's outputs are sat16_pairs_im2col's, not int32_wrap's; every other depthwise one's are int32_wrap's)
  if (depthwise && !weightZeroPointsDiffer(request, nhwc)) return { route: 'depthwise_avx2 / convsym_depthwise_avx2 (u8s8)', accumulator: 'int32_wrap' };
  return { route: 'gemm_u8s8_avx2 / convsym_avx2 (vpmaddubsw)', accumulator: 'sat16_pairs_im2col' };
}

/**
 * The MLAS route of the ONNX integer ops (contract/onnx_qops.ts) under ORT 1.30 on `cpu`. MatMulInteger,
 * QLinearMatMul and QGemm run MlasGemmBatch with A = a, B = b (matmul_integer.cc, quantize_linear_matmul.cc,
 * quant_gemm.cc); MLAS picks the kernel from (AIsSigned, BIsSigned) (mlas/lib/qgemm.h MlasGemmQuantGetDispatch):
 * on AVX2 without VNNI, u8 x s8 is MlasGemmU8S8DispatchAvx2 (vpmaddubsw: sat16_pairs_im2col along K), u8 x u8
 * MlasGemmU8U8DispatchAvx2 (widened to int16, vpmaddwd: exact), s8 x s8 and s8 x u8 the default dispatch (exact).
 * ConvInteger (conv_integer.cc) multiplies W (as A) by the NCHW im2col of x (as B), so its u8 x s8 kernel runs for
 * uint8 weights and int8 activations (measured under qemu -cpu Haswell: vectors/onnxruntime-1.30-ops-haswell).
 */
export function ortGemmPath(cpu: OrtCpu, request: WireRequest): OrtConvPath {
  if (cpu.vnni) return { route: 'vnni (vpdpbusd)', accumulator: 'int32_wrap' };
  if (cpu.avx512core) {
    throw new QconformError('unsupported_by_scheme', 'onnxruntime cpu', cpu, 'ORT on AVX512 without VNNI (MlasGemmU8S8KernelAvx512Core) is not modelled');
  }
  const dtype = (name: string) => (request.inputs?.[name] as { dtype?: unknown } | undefined)?.dtype;
  const conv = request.op === 'conv_integer@1';
  // DynamicQuantizeMatMul quantizes its float a to uint8 first (dynamic_quantize_matmul.cc), DynamicQuantizeLSTM its x
  // and h (rnn_helpers.cc ComputeGemm), whose B are w and r (one type); QAttention multiplies its uint8 input (as A)
  // by the weight (attention_quant.cc)
  const lstm = request.op === 'dynamic_quantize_lstm@1';
  const [a, b] = conv
    ? [dtype('w'), dtype('x')]
    : lstm
      ? ['quint8', dtype('w')]
      : request.op === 'qattention@1'
        ? [dtype('input'), dtype('weight')]
        : [request.op === 'dynamic_quantize_matmul@1' ? 'quint8' : dtype('a'), dtype('b')];
  if (typeof a !== 'string' || typeof b !== 'string') throw new QconformError('malformed_request', 'onnxruntime cpu path', request.id, 'a request with inputs a and b (x and w)');
  if (cpu.avx2 && a === 'quint8' && b === 'qint8') return { route: 'gemm_u8s8_avx2 (vpmaddubsw)', accumulator: 'sat16_pairs_im2col' };
  return { route: cpu.avx2 ? (a === 'quint8' ? 'gemm_u8u8_avx2' : 'gemm_default') : a === 'quint8' ? 'gemm_u8x8_sse' : 'gemm_default', accumulator: 'int32_wrap' };
}

/** The accumulator model ORT 1.30's output follows for `request` on `cpu` (the route's accumulator). */
export function ortAccumulator(cpu: OrtCpu, request: WireRequest): Accumulator {
  return request.op === 'quantized_conv2d@1' || request.op === 'qlinear_conv_nhwc@1' ? ortConvPath(cpu, request).accumulator : ortGemmPath(cpu, request).accumulator;
}

/**
 * The sum-of-exponentials kernel of MlasComputeSoftmax (contract/onnx_qops.ts SOFTMAX_KERNELS) that ORT 1.30 runs on a
 * CPU with these CPUID flags (mlas/lib/platform.cpp: the AVX512F block installs MlasComputeSumExpF32KernelAvx512F,
 * the AVX2/FMA3 block MlasComputeSumExpF32KernelFma3); measured natively (AVX-512) and under qemu -cpu Haswell.
 * Without FMA3 MLAS runs the SSE2 intrinsics kernel (compute.cpp), which is not modelled.
 */
export function ortSoftmaxKernel(flags: readonly string[]): SoftmaxKernel {
  if (flags.includes('avx512f')) return 'avx512f';
  if (flags.includes('avx2') && flags.includes('fma')) return 'fma3';
  throw new QconformError('unsupported_by_scheme', 'onnxruntime cpu', flags.join(' '), "MlasComputeSoftmax's SSE2 kernel (no FMA3) is not modelled");
}

/**
 * The QNBitGemm kernel set (contract/matmul_nbits_m1_plan.ts) MLAS installs on a CPU with these CPUID flags
 * (mlas/lib/platform.cpp: the AVX512 core block (F, BW, DQ, VL) installs the avx512 / avx512vnni QNBitGemm dispatch,
 * whose CompFp32 M1 kernel is SQ4BitGemmM1Kernel_CompFp32_avx512; the AVX2 block the avx2 one, or avx2vnni with the
 * same CompFp32 kernels); measured natively (AVX-512) and under qemu -cpu Haswell. Without AVX2 and FMA3 MLAS has no
 * QNBitGemm dispatch on x86 (not modelled).
 */
export function ortQNBitKernel(flags: readonly string[]): QNBitKernel {
  if (['avx512f', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.includes(f))) return 'avx512';
  if (flags.includes('avx2') && flags.includes('fma')) return 'avx2';
  throw new QconformError('unsupported_by_scheme', 'onnxruntime cpu', flags.join(' '), 'MLAS without AVX2 and FMA3 has no QNBitGemm kernels (not modelled)');
}
