/**
 * The values and zero point of a torch pool case (quantized_adaptive_avg_pool2d_cases.ts, quantized_avg_pool2d_cases.ts).
 * Where torch's pool kernels part (a mean on a tie: NHWC rounds q - z, NCHW q or q-mean) random values seldom fall, so a
 * tie-rich case draws its values from {v, v + 1} and an odd zero point; the others draw values of the whole dtype and a
 * zero point odd half the time, else now and then the dtype's ends or 0.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

export function drawPoolValues(r: CaseRandom, n: number, dtype: QuantDtype, tieRich: boolean): { x: number[]; zeroPoint: number } {
  const { min, max } = DTYPE_RANGE[dtype];
  let x: number[];
  if (tieRich) {
    const v = r.int(min, max - 1);
    x = Array.from({ length: n }, () => v + (r.bool(0.5) ? 1 : 0));
  } else {
    x = drawQuantized(r, n, dtype);
  }
  const oddZeroPoint = () => {
    const z = r.int(min, max);
    return z % 2 === 0 ? (z === max ? z - 1 : z + 1) : z;
  };
  const zeroPoint = tieRich || r.bool(0.5) ? oddZeroPoint() : r.bool(0.2) ? r.pick([min, max, 0]) : r.int(min, max);
  return { x, zeroPoint };
}
