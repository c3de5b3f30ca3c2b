/** qlinear_leaky_relu@1 and qlinear_sigmoid@1, fast twin of reference/onnx/qlinear_lookup.ts (ORT 1.30 QlinearBuildLookupTable). */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearLeakyReluArgs, QLinearLookupArgs } from '../../contract/onnx_qops.js';
import { type QLinearLookupParams, checkQLinearLeakyRelu, checkQLinearLookup } from '../../contract/qlinear_lookup_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Mul } from '../float32.js';
import { dequantizeLinearValue, quantizeLinearValue } from '../quantize_linear.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';

/** The 8-bit code whose byte is i (0..255): i for quint8, the two's complement value for qint8. */
export function codeOfByte(i: number, dtype: 'quint8' | 'qint8'): number {
  return dtype === 'qint8' && i >= 128 ? i - 256 : i;
}

/** QlinearBuildLookupTable<T>: table[byte] = MlasQuantizeLinear(f(dequantize(code of byte))), indexed by the code's byte. */
export function lookupTable(p: QLinearLookupParams, f: (v: number) => number): Int32Array {
  const { min, max } = DTYPE_RANGE[p.dtype];
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    table[i] = quantizeLinearValue(f(dequantizeLinearValue(codeOfByte(i, p.dtype), p.xZeroPoint, p.xScale)), p.yScale, p.yZeroPoint, min, max);
  }
  return table;
}

/**
 * QLinearConcat's and QLinearWhere's per-operand byte table (fast twin of reference requantizeByteMap): the code itself
 * when the operand's (scale, zero point) equal the output's (ORT's copy), else the requantizing lookupTable; indexed by
 * the code's byte (code & 0xff).
 */
export function requantizeByteTable(dtype: 'quint8' | 'qint8', scale: number, zeroPoint: number, toScale: number, toZeroPoint: number): Int32Array {
  if (scale === toScale && zeroPoint === toZeroPoint) return Int32Array.from({ length: 256 }, (_, i) => codeOfByte(i, dtype));
  return lookupTable({ dtype, xScale: scale, xZeroPoint: zeroPoint, yScale: toScale, yZeroPoint: toZeroPoint }, (v) => v);
}

function lookUp(x: IntTensor, p: QLinearLookupParams, table: Int32Array): IntTensor {
  const y = new Int32Array(x.data.length);
  for (let k = 0; k < y.length; k++) y[k] = table[(x.data[k] as number) & 0xff] as number;
  return intTensor(p.dtype, x.shape, y);
}

/** QLinearLeakyRelu: the table of v >= 0 ? v : f32(alpha * v), any float32 alpha (inf and NaN too: JavaScript's IEEE doubles give the same NaN-ness and infinities; quantizeLinearValue maps NaN to qmin). */
export function qlinearLeakyRelu(a: QLinearLeakyReluArgs): IntTensor {
  const p = checkQLinearLeakyRelu('qlinear_leaky_relu', a);
  const alpha = Math.fround(a.alpha);
  return lookUp(a.x, p, lookupTable(p, (v) => (v >= 0 ? v : f32Mul(alpha, v))));
}

export function qlinearSigmoid(a: QLinearLookupArgs): IntTensor {
  const p = checkQLinearLookup('qlinear_sigmoid', a);
  return lookUp(a.x, p, lookupTable(p, mlasLogisticFma3));
}
