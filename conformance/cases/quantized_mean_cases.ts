/**
 * Case generators of quantized_mean@1 (contract/quantized_mean.ts) for one ATen CPU capability: channels_last tensors
 * (the float path) and contiguous ones (the inner path), every dims spelling and keepdim, small tensors on one and two
 * threads, and tensors of at least at::internal::GRAIN_SIZE elements on two and three threads whose channels straddle
 * the 32-channel range rounding and the 4 V vector blocks (contract/aten_float_sum.ts). Random values almost never tell
 * the two summation orders apart, so witness channels are built for them: values drawn until the channel's mean,
 * summed in the direct order, and summed interleaved, quantize to different outputs (inputs built from the wanted
 * outputs).
 */
import { type CascadeOrder, cascadeSum, channelSumOrders, floatLanes } from '../../contract/aten_float_sum.js';
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { OpName } from '../../contract/ops.js';
import { f32Add, f32Div, f32Mul } from '../../impl/float32.js';
import { inverseScale, quantizeValue } from '../../impl/quantize.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

/** A witness search's bound (a draw of 16 values tells the orders apart about once in 160). */
const WITNESS_TRIES = 1500;
const DIM_SPELLINGS: readonly (readonly number[])[] = [[2, 3], [3, 2], [-2, -1], [-1, -2]];

/** The float path's output of one channel's values in `order` (impl's float32 steps). */
function channelMean(values: readonly number[], order: CascadeOrder, scale: number, zeroPoint: number, dtype: QuantDtype): number {
  const s = Math.fround(scale);
  const d = values.map((q) => f32Mul(s, q - zeroPoint));
  const { min, max } = DTYPE_RANGE[dtype];
  return quantizeValue(f32Div(cascadeSum(d, order, f32Add, 0), values.length), inverseScale(s), zeroPoint, min, max);
}

/** hw values on which the two orders give different means, or null when the bounded search finds none. */
function witnessChannel(r: CaseRandom, hw: number, scale: number, zeroPoint: number, dtype: QuantDtype): number[] | null {
  if (hw < 5) return null;
  for (let t = 0; t < WITNESS_TRIES; t++) {
    const values = drawQuantized(r, hw, dtype);
    if (channelMean(values, 'direct', scale, zeroPoint, dtype) !== channelMean(values, 'interleaved4', scale, zeroPoint, dtype)) return values;
  }
  return null;
}

/**
 * [N, C, H, W] and the thread count: one case in eight (AVX512, whose 64-channel vector blocks the 32-channel ranges
 * cut) or sixteen (DEFAULT and AVX2, whose 32-channel blocks they do not) at least GRAIN_SIZE elements on two or three
 * threads.
 */
function drawShape(r: CaseRandom, index: number, capability: AtenCpuCapability): { shape: [number, number, number, number]; threads: number } {
  if (index % (capability === 'avx512' ? 8 : 16) === 0) {
    const c = r.pick([64, 96, 100, 116, 128, 232, 300, 464, 1024]);
    const side = r.pick([4, 6, 7, 8, 12]);
    const n = r.pick([1, 1, 2]);
    // at least 32768 elements: rows added until the tensor reaches GRAIN_SIZE
    const h = Math.max(side, Math.ceil(32768 / (n * c * side)));
    return { shape: [n, c, h, side], threads: r.pick([2, 3]) };
  }
  const c = r.bool(0.3) ? r.pick([7, 8, 15, 16, 31, 32, 33, 63, 64, 65]) : r.int(1, 48);
  return { shape: [r.pick([1, 1, 2, 3]), c, r.int(1, 9), r.int(1, 9)], threads: r.pick([1, 1, 2]) };
}

/** The cases for a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedMeanCases(capability: AtenCpuCapability): CaseFactory {
  return (r, index) => {
    const dtype = r.pick(QUANT8);
    const { min, max } = DTYPE_RANGE[dtype];
    const { shape, threads } = drawShape(r, index, capability);
    const [n, c, h, w] = shape;
    const hw = h * w;
    const scale = drawScale(r);
    const zeroPoint = r.bool(0.2) ? r.pick([min, max, 0]) : r.int(min, max);
    const x = drawQuantized(r, n * c * hw, dtype);
    // witness channels (at most 24: the search is bounded per channel): first where the thread split changes the
    // channel's order, then at drawn places (a quarter of the channels)
    const lanes = floatLanes(capability);
    const [split, whole] = [channelSumOrders(n, c, hw, threads, lanes), channelSumOrders(n, c, hw, 1, lanes)];
    const splitDecides = Array.from({ length: n * c }, (_, k) => k).filter((k) => split[k % c] !== whole[k % c]);
    const drawn = Array.from({ length: n * c }, (_, k) => k).filter(() => r.bool(0.25));
    const places = [...new Set([...splitDecides.slice(0, 12), ...drawn])].slice(0, 24);
    for (const k of places) {
      const found = witnessChannel(r, hw, scale, zeroPoint, dtype);
      if (found === null) break;
      x.splice(k * hw, hw, ...found);
    }
    return {
      op: 'quantized_mean@1' satisfies OpName,
      attrs: {
        x_scale: hex64(scale),
        x_zero_point: zeroPoint,
        dim: [...r.pick(DIM_SPELLINGS)],
        keepdim: r.bool(0.3),
        memory_format: r.bool(0.8) ? 'channels_last' : 'contiguous',
        cpu_capability: capability,
        threads,
      },
      inputs: { x: wireInt(dtype, shape, x) },
    };
  };
}

/** What `--fuzz` draws: the same cases, each of a drawn capability (a torch backend claims its own process's). */
export const quantizedMeanFuzzCase: CaseFactory = (r, index) => quantizedMeanCases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);
