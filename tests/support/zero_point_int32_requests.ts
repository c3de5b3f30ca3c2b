/**
 * Wire requests of the observer ops and calculate_qparams with custom quant ranges at and beyond int32's ends, where
 * torch's zero point leaves int32 (contract/op_checks.ts checkQparamsZeroPoint): shared by the live torch test
 * (tests/backends/torch_zero_point_int32.test.ts) and the reference-impl message agreement
 * (tests/contract/observer_refusal_names.test.ts). Fixed grids, no randomness.
 */
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { f32 } from './torch_wire_requests.js';

export const P31 = 2 ** 31;
export const P32 = 2 ** 32;
/** Custom ranges around int32's ends (either end beyond, or inside once reduce_range halves it) and far beyond. */
export const RANGES: ReadonlyArray<readonly [number, number]> = [
  [-1, P32 - 2], [0, P31], [0, P31 - 1], [-P31 - 1, 0], [-P31, 0], [0, P32], [0, P32 - 1], [0, P32 + 2], [-P32 - 10, 0],
  [-P32 - 2, 0], [-P32, 0], [-P31 - 2, 0], [-(2 ** 33), 2 ** 33], [0, 2 ** 40], [0, 2 ** 53 - 1], [-(2 ** 53) + 1, 0],
];
export const DTYPES = ['quint8', 'quint4x2', 'qint32'] as const;
export const BATCH = f32([2], [-1, 2]);
export const BATCH_2D = f32([2, 2], [-1, 2, 0.5, 3]);
export const EPS = f64ToHex(2 ** -23);

export type Version = 1 | 2;
export const PER_TENSOR_QSCHEMES = ['per_tensor_affine', 'per_tensor_symmetric'] as const;
export const PER_CHANNEL_QSCHEMES = ['per_channel_affine', 'per_channel_symmetric', 'per_channel_affine_float_qparams'] as const;

/**
 * A request of `op`@v with `attrs` (eps added; the histogram's bins, and upsample_rate on @1; ch_axis 0 per channel):
 * calculate_qparams on a valid state when `batches` is 'state', else the observer on `batches`.
 */
export function observerRequest(op: string, v: Version, attrs: Record<string, unknown>, batches: unknown[] | 'state'): WireRequest {
  const histogram = op === 'histogram_observer' ? { bins: 4, ...(v === 1 ? { upsample_rate: 2 } : {}) } : {};
  const perChannel = String(attrs['qscheme']).startsWith('per_channel');
  const inputs =
    batches === 'state'
      ? perChannel
        ? { min_val: f32([2], [-1, 0.5]), max_val: f32([2], [2, 3]) }
        : { min_val: f32([], [-1]), max_val: f32([], [2]) }
      : { batches };
  const extra = op.endsWith('per_channel_min_max_observer') ? { ch_axis: 0 } : {};
  const id = `${op}@${v}-${Object.values(attrs).join('-')}-${batches === 'state' ? 'state' : batches.length}`;
  return { id, op: `${op}@${v}`, attrs: { ...attrs, eps: EPS, ...histogram, ...extra }, inputs } as WireRequest;
}

/** quantized_decomposed.choose_qparams.tensor (torch 2.x): the range as given, affine. */
export function decomposedChooseRequests(): WireRequest[] {
  const ranges = [...RANGES, [-128, 127], [0, 255]] as const;
  return ranges.flatMap(([quant_min, quant_max]) =>
    (['quint8', 'qint8'] as const).map(
      (dtype) => ({ id: `choose-${dtype}-${quant_min}-${quant_max}`, op: 'decomposed_choose_qparams@1', attrs: { quant_min, quant_max, eps: EPS, dtype }, inputs: { x: BATCH } }) as WireRequest,
    ),
  );
}
