/**
 * The contract check of matmul_nbits@1 (com.microsoft MatMulNBits with float32 A, ONNX Runtime 1.30 CPU), run once by
 * reference/ and impl/: ORT's input rules (contrib_ops/cpu/quantization/matmul_nbits_helper.h CheckInputs, and the
 * kernel's constructor in matmul_nbits.cc), the unpacking of the codes and zero points (integer layout only), and the
 * MLAS route ORT takes, which decides the float32 summation order:
 *
 * accuracy_level picks the compute type in GetComputeType (matmul_nbits.cc): 4 asks for SQNBIT_CompInt8, and every other
 * integer (0-3, negative, 5 and above: ORT checks no range) gives SQNBIT_CompFp32 (onnxruntime-node 1.30: -1, 5, 2^31,
 * 2^32 + 4 and -2^40 gave level 0's bytes; tests/backends/ort_nbits_accuracy_level.test.ts).
 *
 *   - `sqnbit_comp_fp32` (bits 4, accuracy_level not 4, at least 2 rows): B is pre-packed (MlasQNBitGemmPackQuantBData)
 *     and MlasQNBitGemmBatch's CompFp32 route (mlas/lib/qnbitgemm.cpp SQ4BitGemm_CompFp32) dequantizes it per block
 *     and runs the SGEMM kernel over all of K at once, then adds the bias (AddBiasForGemm);
 *   - `dequantize_sgemm` (bits 2 and 8, accuracy_level not 4, at least 2 rows): MLAS has no CompFp32 kernel for them on
 *     x86, so ComputeBUnpacked dequantizes B (MlasDequantizeBlockwise) and calls MlasGemmBatch(NoTrans, Trans) with C
 *     preset to the bias (beta 1); MlasSgemmOperation (mlas/lib/sgemm.cpp) walks K in slices of `kStride`.
 *
 *   - `sqnbit_m1_comp_fp32` (bits 4, one row) and `sgemm_m1_transpose_b` (bits 2 and 8, one row): MLAS's M = 1 vector
 *     kernels, whose lanes and horizontal adds contract/matmul_nbits_m1_plan.ts states; the bits-4 one differs between
 *     CPUs, named by the request's `qnbit_kernel` (`avx512` or `avx2`, ort_cpu_paths.ts ortQNBitKernel).
 *
 * Routes qconform does not model, answered `unsupported_by_scheme`: accuracy_level 4 (SQNBIT_CompInt8: A quantized
 * to int8 per block; evidence: scripts/oracle/matmul_nbits_unmodelled.ts), a 1 x 1 B of bits 2 or 8 with at least 2
 * rows (MLAS turns N = 1, K = 1 around into the M1 kernel), and non-finite a, scales or bias (NaN: `nan_input`).
 * Float zero points (the same dtype as the scales) take ORT's naive DequantizeBlockwise: `invalid_dtype` here.
 */
import { QconformError } from './errors.js';
import { MAX_MATMUL_MACS, MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { type MatMulNBitsM1Plan, QNBIT_KERNELS, matmulNBitsM1Plan } from './matmul_nbits_m1_plan.js';
import type { MatMulNBitsArgs } from './onnx_qops.js';
import type { F32Tensor, IntData, IntTensor } from './tensor.js';
import { numel } from './tensor.js';
import { validateShape } from './validate.js';

/** The MLAS routes of MatMulNBits with float32 A on x86-64 (the M1 bits-4 one per `qnbit_kernel`, the rest CPU-independent). */
export type MatMulNBitsRoute = 'sqnbit_comp_fp32' | 'dequantize_sgemm' | 'sqnbit_m1_comp_fp32' | 'sgemm_m1_transpose_b';

export interface MatMulNBitsGeometry {
  readonly route: MatMulNBitsRoute;
  /** the GEMM's M: every row of a (its leading dims flattened, as MatMulComputeHelper does for a 2-D B) */
  readonly rows: number;
  readonly k: number;
  readonly n: number;
  readonly outShape: readonly number[];
  /** codes of B, unpacked: [N, K] (the padding of the last block dropped) */
  readonly codes: Int32Array;
  /** per (n, block): the zero point (unpacked, or 2^(bits-1) without zero points) */
  readonly zeroPoints: Int32Array;
  readonly blockSize: number;
  readonly kBlocks: number;
  /** the K slice the SGEMM sums in one register chain: K for `sqnbit_comp_fp32`, MlasSgemmOperation's StrideK else */
  readonly kStride: number;
  /** the M1 routes' lanes and adds (null for at least 2 rows) */
  readonly m1: MatMulNBitsM1Plan | null;
  /** codes of B with the padding of the last block kept: [N, k_blocks * block_size] (the M1 kernels multiply it by a = 0) */
  readonly paddedCodes: Int32Array;
}

const fail = (code: 'shape_mismatch' | 'invalid_dtype' | 'invalid_integer' | 'unsupported_by_scheme' | 'nan_input' | 'unknown_scheme', what: string, got: unknown, expected?: string): never => {
  throw new QconformError(code, what, got, expected);
};

function sameShape(s: readonly number[], t: readonly number[]): boolean {
  return s.length === t.length && s.every((d, i) => d === t[i]);
}

function positiveInteger(what: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) fail('invalid_integer', what, v, 'an integer >= 1');
  return v;
}

/** a uint8 tensor of one of the given shapes (ASSERT_TENSOR_SHAPE_2) */
function checkU8(what: string, t: IntTensor, shapes: readonly (readonly number[])[]): void {
  if (t.dtype !== 'uint8') fail('invalid_dtype', `${what}.dtype`, t.dtype, 'uint8');
  validateShape(what, t);
  if (!shapes.some((s) => sameShape(t.shape, s))) fail('shape_mismatch', what, t.shape, shapes.map((s) => `[${s.join(', ')}]`).join(' or '));
  const bad = t.data.findIndex((v) => !(v >= 0 && v <= 255));
  if (bad >= 0) fail('invalid_integer', `${what}[${bad}]`, t.data[bad], 'a uint8 value in [0, 255]');
}

/** a float32 tensor of one of the given shapes, every element finite (NaN: nan_input; +-inf: unsupported_by_scheme) */
function checkFinite(what: string, t: F32Tensor, shapes: readonly (readonly number[])[] | null): void {
  if (t.dtype !== 'float32') fail('invalid_dtype', `${what}.dtype`, t.dtype, 'float32');
  validateShape(what, t);
  if (shapes && !shapes.some((s) => sameShape(t.shape, s))) fail('shape_mismatch', what, t.shape, shapes.map((s) => `[${s.join(', ')}]`).join(' or '));
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i] as number;
    if (Number.isNaN(v)) fail('nan_input', `${what}[${i}]`, v, 'no NaN: which NaN the FMA chain propagates is not modelled');
    if (!Number.isFinite(v)) fail('unsupported_by_scheme', `${what}[${i}]`, v, 'finite values (ORT computes infinities; qconform does not model them here)');
  }
}

/** Element j of a row of `bits`-bit fields packed from the low bits of each byte up (ORT's blob and zero-point layout). */
export function unpackBits(bytes: IntData, rowStart: number, j: number, bits: number): number {
  const bit = j * bits;
  return ((bytes[rowStart + (bit >> 3)] as number) >> (bit & 7)) & ((1 << bits) - 1);
}

/**
 * MlasSgemmOperation's StrideK (mlas/lib/sgemm.cpp) for TransA = NoTrans: 128, doubled while StrideN (128) halves
 * above 16 and N fits in half of it; when N >= K the K stride only shrinks, to no less than K.
 */
export function sgemmStrideK(n: number, k: number): number {
  let strideN = 128;
  let strideK = 128;
  if (n >= k) {
    while (strideK / 2 >= k) {
      strideN *= 2;
      strideK /= 2;
    }
  } else {
    while (strideN > 16 && strideN / 2 >= n) {
      strideK *= 2;
      strideN /= 2;
    }
  }
  return strideK;
}

export function checkMatMulNBits(what: string, a: MatMulNBitsArgs): MatMulNBitsGeometry {
  const k = positiveInteger(`${what}: K`, a.k);
  const n = positiveInteger(`${what}: N`, a.n);
  const bits = a.bits;
  if (bits !== 2 && bits !== 4 && bits !== 8) fail('invalid_integer', `${what}: bits`, bits, '2, 4 or 8 (ORT 1.30 CheckInputs)');
  const blockSize = a.blockSize;
  if (!Number.isSafeInteger(blockSize) || blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) fail('invalid_integer', `${what}: block_size`, blockSize, 'a power of 2, >= 16');
  // the schema takes any power of 2 >= 16; ORT 1.30's CPU kernel refuses the rest when the session is created
  if (blockSize > 256) fail('unsupported_by_scheme', `${what}: block_size`, blockSize, 'ORT 1.30: "Only block sizes 16, 32, 64, 128, and 256 are supported for MatMulNBits op"');
  const kernel = a.qnbitKernel ?? 'avx512';
  if (!(QNBIT_KERNELS as readonly string[]).includes(kernel)) fail('unknown_scheme', `${what}: qnbit_kernel`, kernel, `one of ${QNBIT_KERNELS.join(', ')}`);
  // GetComputeType (matmul_nbits.cc) compares the int64 attribute with 4 only: any other value is CompFp32, as 0-3 are
  const level = a.accuracyLevel;
  if (!Number.isSafeInteger(level)) fail('invalid_integer', `${what}: accuracy_level`, level, 'an integer (an ONNX INT attribute)');
  checkFinite(`${what}: a`, a.a, null);
  const shapeA = a.a.shape;
  if (shapeA.length < 1 || shapeA[shapeA.length - 1] !== k) fail('shape_mismatch', `${what}: a`, shapeA, `[..., K] with K = ${k}`);
  const rows = numel(shapeA.slice(0, -1));
  // rows = 0 (an empty a): ORT 1.30 returns the empty output [..., N] (probed with onnxruntime-node 1.30)
  const kBlocks = Math.ceil(k / blockSize);
  const blob = (blockSize * bits) / 8;
  checkLimit(`${what}: b elements`, n * kBlocks * blob, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkU8(`${what}: b`, a.b, [[n, kBlocks, blob]]);
  checkFinite(`${what}: scales`, a.scales, [[n * kBlocks], [n, kBlocks]]);
  const zpBytes = Math.ceil((kBlocks * bits) / 8);
  if (a.zeroPoints) {
    if (a.zeroPoints.dtype !== 'uint8') fail('invalid_dtype', `${what}: zero_points.dtype`, a.zeroPoints.dtype, 'uint8 (float zero points take ORT\'s naive DequantizeBlockwise, not modelled)');
    checkU8(`${what}: zero_points`, a.zeroPoints, [[n * zpBytes], [n, zpBytes]]);
  }
  if (a.bias) checkFinite(`${what}: bias`, a.bias, [[n]]);
  checkLimit(`${what}: output elements`, rows * n, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: multiply-accumulates`, rows * n * k, MAX_MATMUL_MACS, 'MAX_MATMUL_MACS');
  if (level === 4) fail('unsupported_by_scheme', `${what}: accuracy_level`, level, 'SQNBIT_CompInt8 (A quantized to int8 per block) is not modelled; any accuracy_level but 4 (CompFp32)');
  if (rows > 1 && bits !== 4 && n === 1 && k === 1) fail('unsupported_by_scheme', `${what}: N, K`, [n, k], 'not both 1 for bits 2 and 8 (MlasSgemmOperation runs that case as the M1 kernel)');
  const codes = new Int32Array(n * k);
  for (let j = 0; j < n; j++) for (let x = 0; x < k; x++) codes[j * k + x] = unpackBits(a.b.data, j * kBlocks * blob, x, bits);
  const zeroPoints = new Int32Array(n * kBlocks).fill(1 << (bits - 1));
  if (a.zeroPoints) for (let j = 0; j < n; j++) for (let blk = 0; blk < kBlocks; blk++) zeroPoints[j * kBlocks + blk] = unpackBits(a.zeroPoints.data, j * zpBytes, blk, bits);
  const m1 = rows === 1 ? matmulNBitsM1Plan(bits, blockSize, n, kernel) : null;
  const route: MatMulNBitsRoute = bits === 4 ? (m1 ? 'sqnbit_m1_comp_fp32' : 'sqnbit_comp_fp32') : m1 ? 'sgemm_m1_transpose_b' : 'dequantize_sgemm';
  const padded = kBlocks * blockSize;
  const paddedCodes = new Int32Array(m1 && bits === 4 ? n * padded : 0);
  if (paddedCodes.length > 0) for (let j = 0; j < n; j++) for (let x = 0; x < padded; x++) paddedCodes[j * padded + x] = unpackBits(a.b.data, j * kBlocks * blob, x, bits);
  return { route, rows, k, n, outShape: [...shapeA.slice(0, -1), n], codes, zeroPoints, blockSize, kBlocks, kStride: bits === 4 ? k : sgemmStrideK(n, k), m1, paddedCodes };
}
