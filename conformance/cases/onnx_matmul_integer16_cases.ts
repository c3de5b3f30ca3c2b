/**
 * Case generator of matmul_integer16@1 (com.microsoft MatMulInteger16, ORT 1.30 matmul_integer16.cc): int16 a and b
 * in matmul_integer@1's shapes (1-D operands, batches, broadcast batch dimensions, K up to 300). A third of the cases
 * fill the operands with int16's extremes, so that sums leave int32 and wrap (two products of -32768 already reach
 * 2^31); the rest draw uniform or small values. About 3% are refused: K that does not match, or an int8 b (ORT
 * registers int16 x int16 only).
 */
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, wireInt } from './builders.js';
import { matmulShapes } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

const EXTREMES = [-32768, -32768, 32767, -32767];

function int16Values(r: CaseRandom, n: number, style: 'extreme' | 'uniform' | 'small'): number[] {
  return Array.from({ length: n }, () => {
    if (style === 'extreme') return r.bool(0.85) ? r.pick(EXTREMES) : r.int(-32768, 32767);
    if (style === 'small') return r.int(-300, 300);
    return r.int(-32768, 32767);
  });
}

export const matmulInteger16Case: CaseFactory = (r) => {
  const s = matmulShapes(r, false);
  const style = r.pick(['extreme', 'uniform', 'uniform', 'small'] as const);
  const a = int16Values(r, numel(s.a), style);
  let b = int16Values(r, numel(s.b), style);
  let bShape = s.b;
  let bDtype: 'int16' | 'qint8' = 'int16';
  if (r.bool(0.03)) {
    if (r.bool(0.5) && bShape.length >= 2) {
      bShape = [...bShape.slice(0, -2), bShape[bShape.length - 2]! + 1, bShape[bShape.length - 1]!]; // K mismatch
      b = [...b, ...int16Values(r, numel(bShape) - b.length, style)];
    } else {
      bDtype = 'qint8';
      b = b.map((v) => v >> 8);
    }
  }
  return { op: 'matmul_integer16@1', attrs: {}, inputs: { a: wireInt('int16', s.a, a), b: wireInt(bDtype, bShape, b) } };
};
