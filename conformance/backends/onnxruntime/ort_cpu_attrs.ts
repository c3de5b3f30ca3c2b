/**
 * The CPU-dependent attributes of an ONNX Runtime request: what ORT 1.30 computes on a CPU with these CPUID flags,
 * the one rule the ORT integer-op vector writer (scripts/vectors/ort_ops_cli.ts) and the onnxruntime backend's
 * `--fuzz` draws (ort_fuzz_catalog.ts) follow. By op, never by what a draw happens to carry:
 *   - `accumulator`, on the ops whose integer GEMM or conv has an MLAS accumulator model (ORT_ACCUMULATOR_OPS): its
 *     route's model at the CPU's int8 dispatch level (ort_accumulator.ts ortAccumulator);
 *   - `softmax_kernel`, on QAttention: the sum-of-exponentials kernel MlasComputeSoftmax runs there
 *     (ort_cpu_paths.ts ortSoftmaxKernel);
 *   - `qnbit_kernel`, on MatMulNBits: the CPU's QNBitGemm kernel set (ort_cpu_paths.ts ortQNBitKernel).
 * Every other op has none, and its request comes back as it was. Where a kernel is not modelled on the CPU (no FMA3:
 * nehalem), `unmodelled: 'throw'` passes on the `unsupported_by_scheme` error and `'keep'` leaves the request's own
 * value (or its absence) in place. The accumulator is modelled at every dispatch level (ortKernelLevel).
 */
import type { WireRequest } from '../../protocol/messages.js';
import { ortAccumulator, ortKernelLevel } from './ort_accumulator.js';
import { ortQNBitKernel, ortSoftmaxKernel } from './ort_cpu_paths.js';

/** The ops whose integer GEMM or conv has an accumulator model (ort_cpu_paths.ts ortConvPath, ortGemmPath); QLinearAdd / QLinearMul and the rest have none. */
export const ORT_ACCUMULATOR_OPS: ReadonlySet<string> = new Set([
  'quantized_conv2d@1',
  'qlinear_conv_nhwc@1',
  'matmul_integer@1',
  'qlinear_matmul@1',
  'qgemm@1',
  'conv_integer@1',
  'matmul_integer_to_float@1',
  'dynamic_quantize_matmul@1',
  'dynamic_quantize_lstm@1',
  'qattention@1',
]);
/** The ops whose float32 softmax runs MLAS's CPU-dependent sum-of-exponentials kernel. */
export const ORT_SOFTMAX_KERNEL_OPS: ReadonlySet<string> = new Set(['qattention@1']);
/** The ops whose result depends on the CPU's QNBitGemm kernel set. */
export const ORT_QNBIT_KERNEL_OPS: ReadonlySet<string> = new Set(['matmul_nbits@1']);

export interface OrtCpuAttrsOptions {
  /** a kernel not modelled on this CPU: pass on the error, or keep the request's own value */
  readonly unmodelled: 'throw' | 'keep';
}

/** `request` with its CPU-dependent attributes set to what ORT 1.30 computes on a CPU with `flags` (the rule above). */
export function ortCpuAttrs<R extends Omit<WireRequest, 'id'> & { id?: string }>(request: R, flags: readonly string[], o: OrtCpuAttrsOptions): R {
  const accumulator = ORT_ACCUMULATOR_OPS.has(request.op);
  const softmax = ORT_SOFTMAX_KERNEL_OPS.has(request.op);
  const qnbit = ORT_QNBIT_KERNEL_OPS.has(request.op);
  if (!accumulator && !softmax && !qnbit) return request;
  const modelled = <T>(kernel: () => T): T | undefined => {
    try {
      return kernel();
    } catch (e) {
      if (o.unmodelled === 'throw') throw e;
      return undefined;
    }
  };
  const attrs = { ...request.attrs };
  if (accumulator) attrs.accumulator = ortAccumulator(ortKernelLevel(flags), { id: 'unnamed', ...request });
  const softmaxKernel = softmax ? modelled(() => ortSoftmaxKernel(flags)) : undefined;
  if (softmaxKernel !== undefined) attrs.softmax_kernel = softmaxKernel;
  const qnbitKernel = qnbit ? modelled(() => ortQNBitKernel(flags)) : undefined;
  if (qnbitKernel !== undefined) attrs.qnbit_kernel = qnbitKernel;
  return { ...request, attrs };
}
