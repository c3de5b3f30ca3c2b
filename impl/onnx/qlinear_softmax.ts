/**
 * qlinear_softmax@1, fast twin of reference/onnx/qlinear_softmax.ts (ORT 1.30 QlinearSoftmaxCPU). The exp table is the
 * contract's pinned one (contract/qlinear_softmax_checks.ts); the rest is float32 arithmetic on it.
 */
import type { QLinearSoftmaxArgs } from '../../contract/onnx_qops.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, f32Mul, nearbyint } from '../float32.js';

export function qlinearSoftmax(a: QLinearSoftmaxArgs): IntTensor {
  const g = checkQLinearSoftmax('qlinear_softmax', a);
  const x = a.x.data;
  const y = new Int32Array(x.length);
  const { reduceLength: d, stride, expTable: t } = g;
  const signed = g.dtype === 'qint8';
  for (let r = 0; r < g.rows; r++) {
    const start = g.rowStart(r);
    let xmax = -Infinity;
    for (let k = 0; k < d; k++) xmax = Math.max(xmax, x[start + k * stride] as number);
    let sum = 0;
    for (let k = 0; k < d; k++) sum = f32Add(sum, t[255 - xmax + (x[start + k * stride] as number)] as number);
    for (let k = 0; k < d; k++) {
      const j = start + k * stride;
      const q = nearbyint(f32Div(f32Mul(t[255 - xmax + (x[j] as number)] as number, g.yScaleFloor), sum)) + g.yZeroPoint;
      y[j] = Math.min(signed ? 127 : 255, q); // q >= qmin: r >= 0 and z_y >= qmin
    }
  }
  return intTensor(g.dtype, a.x.shape, y);
}
