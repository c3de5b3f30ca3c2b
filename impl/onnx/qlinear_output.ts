/** Fast twin of reference/onnx/qlinear_output.ts: MlasRequantizeOutput, onnxruntime@1's epilogue (impl/requant/onnxruntime.ts). */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type FloatScaleParamsF, floatScaleRequantize } from '../requant/onnxruntime.js';

export function qlinearOutputParams(scale: number, yZeroPoint: number, dtype: QuantDtype): FloatScaleParamsF {
  const range = DTYPE_RANGE[dtype];
  return { scale, bias: 0, lo: range.min - yZeroPoint, hi: range.max - yZeroPoint, zeroPoint: yZeroPoint };
}

export function qlinearOutput(acc: number, p: FloatScaleParamsF): number {
  return floatScaleRequantize(acc, p, 'wrap');
}
