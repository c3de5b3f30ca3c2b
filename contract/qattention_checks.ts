/**
 * The contract check of qattention@1 (com.microsoft QAttention, onnxruntime/contrib_ops/cpu/quantization/attention_quant.cc
 * with AttentionBase::CheckInputs / CheckMask (contrib_ops/cpu/bert/attention_base.h) and AttentionCPUBase::ApplyAttention
 * (attention_cpu_base.h)), run once by reference/ and impl/ before any arithmetic. The modelled subset, which ORT 1.30
 * computes bit for bit as reference/onnx/qattention.ts says (probed with onnxruntime-node 1.30.0 natively on AVX-512 and
 * under qemu -cpu Haswell):
 *   - input quint8 [batch, sequence, input_hidden]; weight quint8 or qint8 [input_hidden, 3 * hidden]; bias float32
 *     [3 * hidden], finite; input_scale one element; weight_scale and weight_zero_point one element or [3 * hidden]
 *     each; input_zero_point quint8, one element; the zero points optional (0);
 *   - num_heads >= 1 and an int32 (ORT refuses a larger one: narrowing_error, contract/ort_int32_attribute.ts);
 *     hidden divisible by num_heads (ORT refuses otherwise), head_size = hidden / num_heads in [1, 256] and the total
 *     sequence (past + sequence) in [1, 512] (longer K runs in MLAS's K blocks, contract/mlas_sgemm_blocks.ts; head
 *     size 1 takes sgemm.cpp's N = 1 route for probs x V, reference/onnx/mlas_sgemm.ts);
 *   - mask_index int32 in every form CheckMask admits and the CPU kernel computes (contract/qattention_mask.ts): [B]
 *     key lengths (none negative: ORT refuses those), [2B] ends and starts, [3B + 2] (the first B read as ends),
 *     [B, total] raw, [B, 1] / [1, 1] dummy (dropped), [B, sequence, total] raw; a 4-D mask is refused (ORT's CPU
 *     kernel: "4D mask in attention cpu kernel is not supported");
 *   - unidirectional: 1 is causal, any other integer is not (AttentionBase: `unidirectional == 1`);
 *   - past float32 [2, batch, num_heads, past_sequence, head_size], finite; present is then an output (sequence 1
 *     sends probs x V down sgemm.cpp's M = 1 route, MlasSgemmKernelM1Avx, reference/onnx/mlas_sgemm.ts);
 *   - a float32 range guard: every Q, K, V value, score and output stays far from overflow, so the float32 steps
 *     never meet an infinity or a NaN (whose propagation through the exp kernel's bit tricks is not modelled).
 */
import { QconformError } from './errors.js';
import { MAX_MATMUL_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { ortNarrowCheckedToInt32 } from './ort_int32_attribute.js';
import { checkAccumulator, checkOneElement, checkScales, quantTensor, zeroPointTensor } from './onnx_matmul_checks.js';
import { type MatMulIntegerToFloatArgs, type QAttentionArgs, SOFTMAX_KERNELS } from './onnx_qops.js';
import { type IntTensor, numel } from './tensor.js';
import type { QAttentionMaskForm } from './qattention_mask.js';
import { isPresentTensor, validateF32 } from './validate.js';

/** The modelled bounds on past + sequence and on head_size (MLAS's K blocks beyond 128: contract/mlas_sgemm_blocks.ts). */
export const QATTENTION_MAX_SEQUENCE = 512;
export const QATTENTION_MAX_HEAD_SIZE = 256;
/** The bound the range guard keeps every float32 intermediate under (FLT_MAX is about 2^128). */
const FLOAT_GUARD = 2 ** 100;

export interface QAttentionGeometry {
  readonly batch: number;
  readonly sequence: number;
  readonly inputHidden: number;
  readonly hidden: number;
  readonly numHeads: number;
  readonly headSize: number;
  /** past_sequence_length (0 without past) */
  readonly past: number;
  /** past + sequence, the softmax row length */
  readonly total: number;
  /** the mask_index form, null without one */
  readonly maskForm: QAttentionMaskForm | null;
  /** unidirectional == 1 and sequence > 1 (ApplyAttention's `causal`) */
  readonly causal: boolean;
  /** the input x weight GEMM with its scale-and-bias output processor: MatMulIntegerToFloat's arguments */
  readonly qkv: MatMulIntegerToFloatArgs;
  readonly outShape: readonly number[];
  /** [2, batch, num_heads, total, head_size] when past is given, else null */
  readonly presentShape: readonly number[] | null;
}

function unsupported(what: string, value: unknown, detail: string): never {
  throw new QconformError('unsupported_by_scheme', what, value, detail);
}

/** One element or [3 * hidden] (ORT reads per column whenever the tensor is not IsScalarOr1ElementVector). */
function checkPerColumn(what: string, t: { shape: readonly number[] }, columns: number): void {
  const oneElement = t.shape.length <= 1 && numel(t.shape) === 1;
  if (!oneElement && !(t.shape.length === 1 && t.shape[0] === columns)) {
    throw new QconformError('shape_mismatch', what, t.shape, `one element, or [3 * hidden] = [${columns}] per column`);
  }
}

/** An upper bound on |acc| of any MLAS int8 accumulator model (the exact sum, or the saturated pairs plus corrections). */
const accumulatorBound = (k: number) => 8 * k * 255 * 255;

/** The range guard: bounds (in double, with slack for float32 rounding) on |Q|, |K|, |V|, the scores and the output. */
function checkRange(what: string, a: QAttentionArgs, hidden: number, headSize: number, total: number): void {
  const xs = a.inputScale.data[0] as number;
  const ws = a.weightScale.data;
  const k = a.input.shape[2] as number;
  const part = (p: number) => {
    let m = 0;
    for (let c = p * hidden; c < (p + 1) * hidden; c++) {
      const mult = (ws.length === 1 ? (ws[0] as number) : (ws[c] as number)) * xs;
      m = Math.max(m, accumulatorBound(k) * mult * 1.01 + Math.abs(a.bias.data[c] as number));
    }
    return m;
  };
  // the past's K and V halves join the new rows
  const past = a.past?.data ?? [];
  const pastMax = (half: number) => {
    let m = 0;
    for (let k = half * (past.length / 2); k < (half + 1) * (past.length / 2); k++) m = Math.max(m, Math.abs(past[k] as number));
    return m;
  };
  const [q, kk, v] = [part(0), Math.max(part(1), pastMax(0)), Math.max(part(2), pastMax(1))];
  const score = headSize * q * kk * 1.01;
  const out = total * v * 1.01;
  if (!(score < FLOAT_GUARD) || !(out < FLOAT_GUARD)) {
    unsupported(`${what}: float32 range`, { score, output: out }, 'Q K^T or the output could approach float32 overflow: the infinities and NaNs of ORT\'s float32 attention are not modelled');
  }
}

/** past: float32 [2, batch, num_heads, past_sequence, head_size], finite (AttentionBase::CheckInputs); its past_sequence. */
function checkPast(what: string, past: QAttentionArgs['past'], batch: number, numHeads: number, headSize: number): number {
  if (!past) return 0;
  if (past.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: past.dtype`, past.dtype, 'float32 (T3)');
  const d = past.shape;
  if (d.length !== 5 || d[0] !== 2 || d[1] !== batch || d[2] !== numHeads || d[4] !== headSize) {
    throw new QconformError('shape_mismatch', `${what}: past`, d, `[2, batch, num_heads, past_sequence, head_size] = [2, ${batch}, ${numHeads}, *, ${headSize}] (AttentionBase::CheckInputs)`);
  }
  validateF32(`${what}: past`, past);
  past.data.forEach((v, i) => {
    if (!Number.isFinite(v)) unsupported(`${what}: past[${i}]`, v, 'a finite past state (infinities and NaNs through the float32 attention are not modelled)');
  });
  return d[3] as number;
}

/** mask_index: int32 in a form AttentionBase::CheckMask admits and the CPU kernel computes (contract/qattention_mask.ts). */
function checkMask(what: string, mask: IntTensor, batch: number, sequence: number, total: number): QAttentionMaskForm {
  if (mask.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}: mask_index.dtype`, mask.dtype, 'int32 (T4)');
  const d = mask.shape;
  const forms = `[${batch}], [${2 * batch}] or [${3 * batch + 2}]; [${batch}, ${total}] (or a dummy [${batch} or 1, 1]); [${batch}, ${sequence}, ${total}]`;
  let form: QAttentionMaskForm;
  if (d.length === 1 && (d[0] === batch || d[0] === 2 * batch || d[0] === 3 * batch + 2)) form = d[0] === batch ? 'key_lengths' : d[0] === 2 * batch ? 'end_start' : 'key_lengths_3b2';
  else if (d.length === 2 && d[0] === batch && d[1] === total) form = 'raw_2d';
  else if (d.length === 2 && (d[0] === batch || d[0] === 1) && d[1] === 1) form = 'dummy';
  else if (d.length === 3 && d[0] === batch && d[1] === sequence && d[2] === total) form = 'raw_3d';
  else if (d.length === 4) unsupported(`${what}: mask_index`, d, 'a 4-D (Megatron) mask: ORT 1.30\'s CPU kernel refuses it ("4D mask in attention cpu kernel is not supported")');
  else throw new QconformError('shape_mismatch', `${what}: mask_index`, d, `one of ${forms} (AttentionBase::CheckMask)`);
  if (d.length === 1) {
    for (let b = 0; b < batch; b++) {
      if ((mask.data[b] as number) < 0) throw new QconformError('invalid_integer', `${what}: mask_index[${b}]`, mask.data[b], 'a key length (end position) >= 0 (ORT: "mask_index end_position values must be non-negative")');
    }
  }
  return form;
}

export function checkQAttention(what: string, a: QAttentionArgs): QAttentionGeometry {
  if (quantTensor(`${what}: input`, a.input) !== 'quint8') throw new QconformError('invalid_dtype', `${what}: input.dtype`, a.input.dtype, 'quint8 (ORT 1.30 registers T1 = uint8)');
  const wDtype = quantTensor(`${what}: weight`, a.weight);
  if (a.input.shape.length !== 3) throw new QconformError('shape_mismatch', `${what}: input`, a.input.shape, 'input is 3-D [batch, sequence, input_hidden] (AttentionBase::CheckInputs)');
  if (a.weight.shape.length !== 2) throw new QconformError('shape_mismatch', `${what}: weight`, a.weight.shape, 'weight is 2-D [input_hidden, 3 * hidden]');
  const [batch, sequence, inputHidden] = a.input.shape as [number, number, number];
  const [wRows, columns] = a.weight.shape as [number, number];
  if (wRows !== inputHidden) throw new QconformError('shape_mismatch', `${what}: weight`, { input: a.input.shape, weight: a.weight.shape }, "weight's first dimension is input's last (input_hidden)");
  if (batch < 1 || sequence < 1 || inputHidden < 1 || columns < 1) throw new QconformError('shape_mismatch', what, { input: a.input.shape, weight: a.weight.shape }, 'no empty dimension');
  if (columns % 3 !== 0) throw new QconformError('shape_mismatch', `${what}: weight`, a.weight.shape, "weight's second dimension is 3 * hidden");
  const hidden = columns / 3;
  if (!Number.isSafeInteger(a.numHeads) || a.numHeads < 1) throw new QconformError('malformed_request', `${what}: num_heads`, a.numHeads, 'an integer >= 1');
  ortNarrowCheckedToInt32(`${what}: num_heads`, a.numHeads); // AttentionBase: > 0, then narrow<int> (narrowing_error)
  if (hidden % a.numHeads !== 0) throw new QconformError('shape_mismatch', `${what}: num_heads`, { hidden, numHeads: a.numHeads }, 'hidden must be divisible by num_heads');
  const headSize = hidden / a.numHeads;
  if (a.bias.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: bias.dtype`, a.bias.dtype, 'bias is float32');
  validateF32(`${what}: bias`, a.bias);
  if (a.bias.shape.length !== 1 || a.bias.shape[0] !== columns) throw new QconformError('shape_mismatch', `${what}: bias`, a.bias.shape, `bias is [3 * hidden] = [${columns}]`);
  a.bias.data.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new QconformError('bias_not_finite', `${what}: bias[${i}]`, v);
  });
  checkScales(`${what}: input_scale`, a.inputScale);
  checkOneElement(`${what}: input_scale`, a.inputScale);
  checkScales(`${what}: weight_scale`, a.weightScale);
  checkPerColumn(`${what}: weight_scale`, a.weightScale, columns);
  if (isPresentTensor(`${what}: input_zero_point`, a.inputZeroPoint)) {
    zeroPointTensor(`${what}: input_zero_point`, a.inputZeroPoint, 'quint8');
    checkOneElement(`${what}: input_zero_point`, a.inputZeroPoint);
  }
  if (isPresentTensor(`${what}: weight_zero_point`, a.weightZeroPoint)) {
    zeroPointTensor(`${what}: weight_zero_point`, a.weightZeroPoint, wDtype);
    checkPerColumn(`${what}: weight_zero_point`, a.weightZeroPoint, columns);
  }
  checkAccumulator(what, a.accumulator, 'quint8', wDtype);
  if (!(SOFTMAX_KERNELS as readonly string[]).includes(a.softmaxKernel)) throw new QconformError('unknown_scheme', `${what}: softmax_kernel`, a.softmaxKernel, `one of ${SOFTMAX_KERNELS.join(', ')}`);
  const past = checkPast(what, a.past, batch, a.numHeads, headSize);
  const total = past + sequence;
  const maskForm = a.maskIndex ? checkMask(what, a.maskIndex, batch, sequence, total) : null;
  if (!Number.isSafeInteger(a.unidirectional)) throw new QconformError('malformed_request', `${what}: unidirectional`, a.unidirectional, 'an integer (1 is causal, any other value is not)');
  if (headSize > QATTENTION_MAX_HEAD_SIZE) unsupported(`${what}: head_size`, headSize, `hidden / num_heads <= ${QATTENTION_MAX_HEAD_SIZE} is modelled (not measured beyond)`);
  if (total > QATTENTION_MAX_SEQUENCE) unsupported(`${what}: sequence`, { past, sequence }, `past + sequence <= ${QATTENTION_MAX_SEQUENCE} is modelled (not measured beyond)`);
  checkLimit(`${what}: QKV elements`, batch * sequence * columns, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: attention scores`, batch * a.numHeads * sequence * total, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: multiply-accumulates`, batch * sequence * (inputHidden * columns + 2 * total * hidden), MAX_MATMUL_MACS, 'MAX_MATMUL_MACS');
  checkRange(what, a, hidden, headSize, total);
  const qkv: MatMulIntegerToFloatArgs = { a: a.input, b: a.weight, aScale: a.inputScale, bScale: a.weightScale, aZeroPoint: a.inputZeroPoint, bZeroPoint: a.weightZeroPoint, bias: a.bias, accumulator: a.accumulator };
  const causal = a.unidirectional === 1 && sequence > 1;
  const presentShape = a.past ? [2, batch, a.numHeads, total, headSize] : null;
  return { batch, sequence, inputHidden, hidden, numHeads: a.numHeads, headSize, past, total, maskForm, causal, qkv, outShape: [batch, sequence, hidden], presentShape };
}
