/**
 * Tags that say why an output element is delicate, printed beside a failing element so a reader sees
 * at once whether a rounding tie or a clamp is involved: `tie` / `near-tie` (the value before rounding
 * is exactly, or within a few float32 ulps of, k + 1/2), `saturated-low` / `saturated-high` (the expected
 * value is the end of its dtype's range). Tags are hints computed in float64, not part of the verdict.
 * Ops register how to recover the value before rounding in PRE_ROUNDING; others get saturation tags only.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { channelLayout, channelOf } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import type { WireRequest } from '../protocol/messages.js';

type PreRounding = (request: WireRequest, index: number) => number | null;

const f32 = Math.fround;

function inputAt(request: WireRequest, name: string, index: number): number | null {
  try {
    const t = decodeTensor(request.inputs?.[name], name);
    return t.data[index] ?? null;
  } catch {
    return null;
  }
}

function scalarAttr(request: WireRequest, name: string): number | null {
  try {
    const t = decodeTensor({ dtype: 'float64', shape: [], hex: [request.attrs?.[name]] }, name);
    return t.data[0] ?? null;
  } catch {
    return null;
  }
}

function perTensor(request: WireRequest, index: number): number | null {
  const x = inputAt(request, 'x', index);
  const scale = scalarAttr(request, 'scale');
  return x === null || scale === null ? null : f32(x * f32(1 / f32(scale)));
}

function perChannel(request: WireRequest, index: number): number | null {
  try {
    const x = decodeTensor(request.inputs?.x, 'x');
    const axis = request.attrs?.axis as number;
    const channel = channelOf(index, channelLayout(x.shape, axis));
    const scale = inputAt(request, 'scales', channel);
    const xi = x.data[index];
    return xi === undefined || scale === null ? null : xi / scale;
  } catch {
    return null;
  }
}

/** Ops whose output elements come from rounding a real value, and how to recompute that value. */
export const PRE_ROUNDING: Record<string, PreRounding> = {
  'quantize_per_tensor@1': perTensor,
  'fake_quantize_per_tensor_affine@1': perTensor,
  'quantize_per_channel@1': perChannel,
  'fake_quantize_per_channel_affine@1': perChannel,
};

function tieTag(v: number): string | null {
  if (!Number.isFinite(v)) return null;
  const distance = Math.abs(v - Math.floor(v) - 0.5);
  if (distance === 0) return 'tie';
  return distance <= Math.max(1, Math.abs(v)) * 2 ** -21 ? 'near-tie' : null;
}

function saturationTag(dtype: string, value: unknown): string | null {
  const range = DTYPE_RANGE[dtype as QuantDtype];
  if (!range || typeof value !== 'number') return null;
  if (value === range.min) return 'saturated-low';
  if (value === range.max) return 'saturated-high';
  return null;
}

export function elementTags(request: WireRequest, dtype: string, index: number, expected: unknown): string[] {
  const v = PRE_ROUNDING[request.op]?.(request, index);
  return [v === null || v === undefined ? null : tieTag(v), saturationTag(dtype, expected)].filter((t): t is string => t !== null);
}
