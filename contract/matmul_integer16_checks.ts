/**
 * The contract check of matmul_integer16@1 (com.microsoft MatMulInteger16-1,
 * onnxruntime/contrib_ops/cpu/quantization/matmul_integer16.cc), run once by reference/ and impl/. ORT 1.30 registers
 * one kernel, int16 x int16 -> int32 (a uint16 operand finds no implementation); the shapes are MatMulComputeHelper's,
 * the same numpy matmul rules as matmul_integer@1 (contract/onnx_matmul_checks.ts matmulGeometry: 1-D operands,
 * broadcast batch dimensions; K = 0 keeps a's batch where rank(a) >= rank(b) >= 2: flattensA). An empty output is
 * returned empty, and K = 0 gives zeros: EigenCastGEMM's Eigen product
 * zero-fills an inner dimension of 0 (onnxruntime-node 1.30 returned zeros, where MatMulInteger's MLAS GEMM left the
 * output unwritten). There are no zero points and no scales.
 */
import { QconformError } from './errors.js';
import { ONNX_DTYPE_RANGE } from './onnx_dtypes.js';
import { type MatmulGeometry, matmulGeometry } from './onnx_matmul_checks.js';
import type { MatMulInteger16Args } from './onnx_qops.js';
import type { IntTensor } from './tensor.js';
import { validateShape } from './validate.js';

export type MatmulInteger16Geometry = Omit<MatmulGeometry, 'aDtype' | 'bDtype'>;

function int16Tensor(what: string, t: IntTensor): void {
  if (t.dtype !== 'int16') throw new QconformError('invalid_dtype', `${what}.dtype`, t.dtype, 'int16 (ORT 1.30 registers MatMulInteger16 for int16 x int16 -> int32 only)');
  validateShape(what, t);
  const { min, max } = ONNX_DTYPE_RANGE.int16;
  const k = t.data.findIndex((v) => v < min || v > max);
  if (k >= 0) throw new QconformError('invalid_integer', `${what}[${k}]`, t.data[k], `int16 holds [${min}, ${max}]`);
}

export function checkMatMulInteger16(a: MatMulInteger16Args): MatmulInteger16Geometry {
  const what = 'matmul_integer16';
  int16Tensor(`${what}: a`, a.a);
  int16Tensor(`${what}: b`, a.b);
  return matmulGeometry(what, a.a, a.b, null, 'zeros');
}
