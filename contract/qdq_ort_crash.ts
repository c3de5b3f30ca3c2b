/**
 * The empty blocked QuantizeLinear inputs that kill ONNX Runtime 1.30's process (onnxruntime-node 1.30.0, x86-64):
 * its blocked kernels (BlockedQuantizeLinear<T>::opNotLastAxis / opLastAxis, onnxruntime/core/util/qmath.h, called from
 * QuantizeLinear<T>::Compute in onnxruntime/core/providers/cpu/quantization/quantize_linear.cc) split the work by the
 * axis size and the elements after the axis without checking for 0. Measured over a grid (tests/backends/
 * ort_qdq_empty_blocked.test.ts runs it in child processes): with M = the product of the dimensions before the axis,
 * K = the axis size, N = the product of the dimensions after it (x empty, so M, K or N is 0), block_size 1 and 2,
 *   - int8, uint8, int16, uint16: SIGFPE when K = 0 (any M, N); SIGSEGV when N = 0 with M > 0 and K > 0;
 *   - int4, uint4: SIGFPE when K = 0 and N > 1; SIGSEGV when N = 0 with M > 0 and K > 0;
 * every other empty x gives ORT's empty y (M = 0 with K > 0; for 4 bits K = 0 with N <= 1). Blocked DequantizeLinear,
 * per-axis and per-tensor QuantizeLinear and DynamicQuantizeLinear give their empty outputs on every empty input.
 * Integer arithmetic on the layout only.
 */
import type { OnnxIntDtype } from './onnx_dtypes.js';
import { QconformError } from './errors.js';
import type { QdqLayout } from './qdq_layout.js';

export const ORT_BLOCKED_QUANTIZE_EMPTY_DIES =
  'ORT 1.30 dies on this empty blocked QuantizeLinear (its process is killed by SIGFPE or SIGSEGV: BlockedQuantizeLinear splits its work by the axis size and the elements after the axis); other empty inputs give an empty y';

/** Whether ORT 1.30's process dies running a blocked QuantizeLinear of this layout and output type. */
export function ortBlockedQuantizeDies(dtype: OnnxIntDtype, l: QdqLayout): boolean {
  if (l.kind !== 'blocked') return false;
  const { outer: m, axisSize: k, inner: n } = l;
  if (n === 0 && m > 0 && k > 0) return true;
  return dtype === 'int4' || dtype === 'uint4' ? k === 0 && n > 1 : k === 0;
}

/** Refuses (empty_output) the layouts ortBlockedQuantizeDies names. */
export function checkOrtBlockedQuantizeRuns(what: string, dtype: OnnxIntDtype, l: QdqLayout): void {
  if (ortBlockedQuantizeDies(dtype, l)) throw new QconformError('empty_output', `${what}: x`, { before_axis: l.outer, axis: l.axisSize, after_axis: l.inner, dtype }, ORT_BLOCKED_QUANTIZE_EMPTY_DIES);
}
