/**
 * Wire requests (docs/protocol.md) for the tests that run real torch through its adapter
 * (conformance/backends/torch/python/qconform_torch.py), and the check that every implementation answers each
 * one as torch did: the same outputs bit for bit (dtype, shape, values or float bits), or the same error code.
 */
import { expect } from 'vitest';
import { f32ToHex, f64ToHex } from '../../contract/wire.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import type { QuantOps } from '../../contract/ops.js';

export const f32 = (shape: readonly number[], values: readonly number[]) => ({ dtype: 'float32', shape: [...shape], hex: values.map(f32ToHex) });
/** A float32 tensor from raw IEEE bit patterns (NaN payloads and signs kept). */
export const f32Bits = (shape: readonly number[], bits: readonly number[]) => ({ dtype: 'float32', shape: [...shape], hex: bits.map((b) => (b >>> 0).toString(16).padStart(8, '0')) });
export const f64 = (shape: readonly number[], values: readonly number[]) => ({ dtype: 'float64', shape: [...shape], hex: values.map(f64ToHex) });
export const ints = (dtype: string, shape: readonly number[], values: readonly number[]) => ({ dtype, shape: [...shape], values: [...values] });
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
/** `n` deterministic values in [lo, hi] (a fixed walk, no randomness to seed). */
export const walk = (n: number, lo: number, hi: number, step = 37) => Array.from({ length: n }, (_, i) => lo + ((i * step + 11) % (hi - lo + 1)));

/** Weight scales and zero points of `channels` output channels, per tensor or per channel. */
function weightQparams(perChannel: boolean, channels: number, scale: number, zeroPoint: number) {
  const k = perChannel ? channels : 1;
  return {
    weight_scales: f64([k], Array.from({ length: k }, (_, i) => scale * (1 + i / 8))),
    weight_zero_points: ints('int64', [k], Array(k).fill(zeroPoint)),
  };
}

export interface ConvSpec {
  readonly scheme: string;
  readonly x: readonly [number, number, number, number];
  readonly weight: readonly [number, number, number, number];
  readonly groups?: number;
  readonly padding?: number;
  readonly dilation?: number;
  readonly perChannel?: boolean;
  readonly bias?: boolean;
  readonly relu?: boolean;
  readonly scales?: readonly [x: number, w: number, y: number];
  readonly weightZeroPoint?: number;
}

/** quantized_conv2d@1 on quint8 activations with deterministic values. */
export function convRequest(id: string, s: ConvSpec): WireRequest {
  const [xs, ws, ys] = s.scales ?? [0.05, 0.01, 0.2];
  const oc = s.weight[0];
  return {
    id,
    op: 'quantized_conv2d@1',
    attrs: {
      scheme: s.scheme, accumulator: 'int32_wrap', stride: [1, 1], padding: [s.padding ?? 0, s.padding ?? 0], dilation: [s.dilation ?? 1, s.dilation ?? 1],
      groups: s.groups ?? 1, relu: s.relu ?? false, x_scale: f64ToHex(xs), x_zero_point: 7, y_scale: f64ToHex(ys), y_zero_point: 120,
      weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor',
    },
    inputs: {
      x: ints('quint8', s.x, walk(count(s.x), 0, 255)),
      weight: ints('qint8', s.weight, walk(count(s.weight), -128, 127, 53)),
      ...weightQparams(s.perChannel ?? false, oc, ws, s.weightZeroPoint ?? 0),
      ...(s.bias ? { bias: f32([oc], walk(oc, -40, 40).map((v) => v / 8)) } : {}),
    },
  } as WireRequest;
}

export interface LinearSpec {
  readonly scheme: string;
  readonly x: readonly number[];
  readonly n: number;
  readonly perChannel?: boolean;
  readonly bias?: boolean;
  readonly relu?: boolean;
  readonly scales?: readonly [x: number, w: number, y: number];
}

/** quantized_linear@1 on quint8 x [..., K] and a weight [N, K]. */
export function linearRequest(id: string, s: LinearSpec): WireRequest {
  const [xs, ws, ys] = s.scales ?? [0.05, 0.01, 0.2];
  const k = s.x[s.x.length - 1] as number;
  return {
    id,
    op: 'quantized_linear@1',
    attrs: { scheme: s.scheme, accumulator: 'int32_wrap', relu: s.relu ?? false, x_scale: f64ToHex(xs), x_zero_point: 7, y_scale: f64ToHex(ys), y_zero_point: 120, weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: ints('quint8', s.x, walk(count(s.x), 0, 255)),
      weight: ints('qint8', [s.n, k], walk(s.n * k, -128, 127, 53)),
      ...weightQparams(s.perChannel ?? false, s.n, ws, 0),
      ...(s.bias ? { bias: f32([s.n], walk(s.n, -40, 40).map((v) => v / 8)) } : {}),
    },
  } as WireRequest;
}

export interface DynamicLinearSpec {
  readonly scheme: string;
  readonly x: readonly number[];
  /** x's values (default: a deterministic walk) */
  readonly values?: readonly number[];
  readonly n: number;
  readonly perChannel?: boolean;
  readonly bias?: boolean;
  readonly relu?: boolean;
  readonly reduceRange?: boolean;
  readonly weightScale?: number;
}

/** quantized_linear_dynamic@1 on float32 x [..., K] and a symmetric qint8 weight [N, K]. */
export function dynamicLinearRequest(id: string, s: DynamicLinearSpec): WireRequest {
  const k = s.x[s.x.length - 1] as number;
  return {
    id,
    op: 'quantized_linear_dynamic@1',
    attrs: { scheme: s.scheme, relu: s.relu ?? false, reduce_range: s.reduceRange ?? false, weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: f32(s.x, s.values ?? walk(count(s.x), -60, 60).map((v) => v / 16)),
      weight: ints('qint8', [s.n, k], walk(s.n * k, -128, 127, 53)),
      ...weightQparams(s.perChannel ?? false, s.n, s.weightScale ?? 0.01, 0),
      ...(s.bias ? { bias: f32([s.n], walk(s.n, -40, 40).map((v) => v / 8)) } : {}),
    },
  } as WireRequest;
}

/** How a response reads in a failure message: the error code, or the outputs (cut). */
export const describeAnswer = (r: WireResponse) => ('error' in r ? `error ${r.error.code}: ${r.error.message}` : `outputs ${JSON.stringify(r.outputs).slice(0, 300)}`);

/**
 * Every implementation answers every request as torch did: the same outputs (JSON-equal: dtype, shape, values, float
 * bits), or an error with the same code. Failures name the request, the implementation and a replay line.
 */
export function expectTorchAnswers(requests: readonly WireRequest[], torch: readonly WireResponse[], implementations: ReadonlyArray<readonly [string, QuantOps]>, replay: string): void {
  expect(torch.length).toBe(requests.length);
  for (const [i, request] of requests.entries()) {
    const want = torch[i]!;
    for (const [name, ops] of implementations) {
      const got = evaluateRequest(ops, request);
      const where = `${request.id} on ${name}: torch gave ${describeAnswer(want)}; got ${describeAnswer(got)} (${replay}; replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend reference)`;
      if ('error' in want) {
        expect('error' in got ? got.error.code : 'outputs', where).toBe(want.error.code);
      } else {
        expect('outputs' in got ? got.outputs : null, where).toEqual(want.outputs);
      }
    }
  }
}
