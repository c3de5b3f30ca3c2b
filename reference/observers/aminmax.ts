import { type F32Tensor, channelMajorOrder } from '../../contract/tensor.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { type MinMaxRule, SCALAR_KERNEL, elementwiseKernelRule, ieeeMax, ieeeMin } from '../exact/ieee_compare.js';
import { ALL_ONES_NAN_F32, type IeeeValue, NEG_INF, POS_INF } from '../exact/ieee_value.js';

/**
 * torch.aminmax reductions as torch 1.13 runs them on x86 with ATen's AVX2 kernels (8 float lanes,
 * one thread; aten/src/ATen/native/cpu/ReduceOpsKernel.cpp + Reduce.h vectorized reduction). Values are
 * exact, so only the order matters, and only for which zero (+0 or -0) survives a tie. Measured on the
 * installed torch over 40,000 random cases (conformance/backends/torch/python/qconform_torch.py experiments):
 * - n < 8: a left-to-right fold in which the later element wins ties;
 * - n >= 8: element p < 8*floor(n/8) goes to lane p mod 8, tail element p to lane p - 8*floor(n/8), the later
 *   element winning inside a lane; lanes combine as f(f(f(v0,v4),f(v2,v6)), f(f(v1,v5),f(v3,v7))), where f keeps
 *   its second operand on a tie; any NaN gives the all-ones NaN 0xffffffff (one element: itself).
 * Above 32768 elements torch splits the work across threads; qconform models the single-thread order.
 */
export const AMINMAX_LANES = 8;

const LANE_RULE: MinMaxRule = { tie: 'second', nan: ALL_ONES_NAN_F32 };
/** aminmax(dim=1): a sequential scan in which the first of equal values, and the first NaN, survive. */
const SCAN_RULE: MinMaxRule = { tie: 'first', nan: 'propagate' };

type Pick = (a: IeeeValue, b: IeeeValue, rule: MinMaxRule) => IeeeValue;

/** The AVX2 lane order of ATen's vectorized min/max reduction (above): 8 lanes, the tail, then the fixed tree; exact comparisons only. */
function laneReduction(values: readonly IeeeValue[], pick: Pick): IeeeValue {
  const f = (a: IeeeValue, b: IeeeValue) => pick(a, b, LANE_RULE);
  if (values.length < AMINMAX_LANES) return values.reduce(f);
  const main = values.length - (values.length % AMINMAX_LANES);
  const lanes = values.slice(0, AMINMAX_LANES);
  for (let p = AMINMAX_LANES; p < main; p++) lanes[p % AMINMAX_LANES] = f(lanes[p % AMINMAX_LANES]!, values[p]!);
  for (let p = main; p < values.length; p++) lanes[p - main] = f(lanes[p - main]!, values[p]!);
  const [v0, v1, v2, v3, v4, v5, v6, v7] = lanes as [IeeeValue, IeeeValue, IeeeValue, IeeeValue, IeeeValue, IeeeValue, IeeeValue, IeeeValue];
  return f(f(f(v0, v4), f(v2, v6)), f(f(v1, v5), f(v3, v7)));
}

/** torch.aminmax(x) over a whole non-empty float32 tensor. */
export function aminmaxAll(x: F32Tensor): { min: IeeeValue; max: IeeeValue } {
  const values = Array.from(x.data, fromFloat32);
  return { min: laneReduction(values, ieeeMin), max: laneReduction(values, ieeeMax) };
}

/**
 * torch.aminmax(y, dim=1) of the observers' permuted, flattened [C, -1] view: a sequential scan per channel
 * in which the first element wins ties, visiting elements in channelMajorOrder.
 */
export function aminmaxPerChannel(x: F32Tensor, axis: number): { mins: IeeeValue[]; maxs: IeeeValue[] } {
  const order = channelMajorOrder(x.shape, axis);
  const channels = x.shape[axis] as number;
  const perChannel = order.length / Math.max(channels, 1);
  const rows = Array.from({ length: channels }, (_, c) => order.subarray(c * perChannel, (c + 1) * perChannel));
  const mins = rows.map((idx) => Array.from(idx).reduce<IeeeValue>((acc, i) => ieeeMin(acc, fromFloat32(x.data[i]!), SCAN_RULE), POS_INF));
  const maxs = rows.map((idx) => Array.from(idx).reduce<IeeeValue>((acc, i) => ieeeMax(acc, fromFloat32(x.data[i]!), SCAN_RULE), NEG_INF));
  return { mins, maxs };
}

/**
 * The kernel rule of torch.min/torch.max(new, old) when a batch is merged into the observer state: 0-dim
 * per-tensor state takes the scalar path; [C] per-channel state follows elementwiseKernelRule.
 */
export function mergeRule(channel: number, channels: number, perTensor: boolean): MinMaxRule {
  return perTensor ? SCALAR_KERNEL : elementwiseKernelRule(channel, channels);
}
