/**
 * Zero and negative weight scales (per tensor and per channel) of the static linear, the dynamic linear and
 * quantized_conv2d, on real torch through its adapter (conformance/backends/torch/python, each call in a forked child).
 * Measured on torch 1.13.0 (Debian python3-torch, this test) and torch 2.6 (its chroot, when set up):
 * - onednn computes with them, deterministically, on all three ops (torch checks no weight scale's sign):
 *   torch-onednn@1 takes 1.0f / s_w (qlinear_prepack.cpp, qconv_prepack.cpp), so s_w = +-0 gives ws = +-inf, an output
 *   scale of +-0 and, with a float bias, b' = +-inf (or NaN for a bias of 0) and NaN before the zero point: the static
 *   ops give quint8's 0 there (y_zero_point with ReLU), the dynamic linear the x86 default NaN 0xffc00000 (+0 with ReLU);
 *   torch-onednn@2 multiplies by s_w as it is: acc * +-0 + bias. Negative scales go through the same float products.
 *   The scheme formulas (reference/requant/torch_onednn.ts, torch_onednn_v2.ts, reference/linear/quantized_linear_dynamic_onednn*.ts)
 *   give all of it bit for bit, signs of zero included.
 * - qnnpack raises "failed to create op with requantization scale ...: requantization scale must be finite and
 *   positive" on all three ops; qconform refuses them with scale_not_positive (contract/weight_scales.ts).
 * qconform refused every zero or negative weight scale before (scale_not_positive, the static linear's message naming
 * quantized_conv2d). The seeded cases are the torch sets' own generators (conformance/cases) with some weight scales
 * negated or set to +-0.
 */
import { describe, expect, it } from 'vitest';
import { torch26OnednnConvRefusal } from '../../conformance/backends/torch/torch26_builtins.js';
import { dynamicLinearCase, torchLinearCase } from '../../conformance/cases/linear_cases.js';
import { torchOnednnConvCase, torchQnnpackConvCase } from '../../conformance/cases/conv_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { f64ToHex, hexToF64 } from '../../contract/wire.js';
import { reference } from '../../reference/index.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { describeAnswer, expectTorchAnswers, f32, f64, ints } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];
const SEED = 'torch-weight-scale-signs-1';
const SEEDED = 160;

type Op = 'static' | 'dynamic' | 'conv';
const SCALE_SETS: ReadonlyArray<readonly number[]> = [[0.1, -0.05], [0.1, 0], [0.1, -0], [-0.1, -0.2], [0, 0], [-0.1, 0.2], [-0.05], [0], [-0], [-0.2]];

/** The prober's call: weight [[10, -20, 30], [5, 6, -7]], x [[100, 120, 130]] (x_scale 0.02, x_zp 100; y 0.1, 50), or float x [[1, -2, 0.5]]. */
function fixed(id: string, scheme: string, op: Op, scales: readonly number[], bias: boolean, relu: boolean): WireRequest {
  const perChannel = scales.length === 2;
  const weightShape = op === 'conv' ? [2, 3, 1, 1] : [2, 3];
  const inputs: Record<string, unknown> = {
    weight: ints('qint8', weightShape, [10, -20, 30, 5, 6, -7]),
    weight_scales: f64([scales.length], scales),
    weight_zero_points: ints('int64', [scales.length], scales.map(() => 0)),
    ...(bias ? { bias: f32([2], [0.3, -0.7]) } : {}),
  };
  const weight_quantization = perChannel ? 'per_channel' : 'per_tensor';
  if (op === 'dynamic') {
    return { id, op: 'quantized_linear_dynamic@1', attrs: { scheme, relu, reduce_range: false, weight_quantization }, inputs: { ...inputs, x: f32([1, 3], [1, -2, 0.5]) } } as WireRequest;
  }
  const attrs = { scheme, accumulator: 'int32_wrap', relu, x_scale: f64ToHex(0.02), x_zero_point: 100, y_scale: f64ToHex(0.1), y_zero_point: 50, weight_quantization };
  const x = ints('quint8', op === 'conv' ? [1, 3, 1, 1] : [1, 3], [100, 120, 130]);
  if (op === 'static') return { id, op: 'quantized_linear@1', attrs, inputs: { ...inputs, x } } as WireRequest;
  return { id, op: 'quantized_conv2d@1', attrs: { ...attrs, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, inputs: { ...inputs, x } } as WireRequest;
}

function fixedRequests(onednn: string): WireRequest[] {
  const out: WireRequest[] = [];
  for (const scheme of [onednn, 'torch-qnnpack@1']) {
    for (const op of ['static', 'dynamic', 'conv'] as const) {
      for (const [i, scales] of SCALE_SETS.entries()) {
        for (const bias of [false, true]) for (const relu of [false, true]) out.push(fixed(`${scheme}-${op}-${i}-${bias ? 'b' : ''}${relu ? 'r' : ''}`, scheme, op, scales, bias, relu));
      }
    }
  }
  return out;
}

/** The weight scales of a drawn call, some negated, some +0 or -0 (at least one of them not positive). */
function withSignedScales(r: CaseRandom, c: WireRequest): WireRequest {
  const inputs = c.inputs as Record<string, { hex: string[] }>;
  const hex = inputs['weight_scales']!.hex.map((h) => {
    const s = hexToF64(h);
    const u = r.next();
    return f64ToHex(u < 0.35 ? -s : u < 0.5 ? 0 : u < 0.6 ? -0 : s);
  });
  if (hex.every((h) => hexToF64(h) > 0)) hex[0] = f64ToHex(-hexToF64(hex[0]!));
  return { ...c, inputs: { ...inputs, weight_scales: { ...inputs['weight_scales']!, hex } } } as WireRequest;
}

/** Seeded calls of the torch sets' generators, kept where qconform computes the drawn (positive-scale) call, then given signed scales. */
function seededRequests(onednn: string): WireRequest[] {
  const r = new CaseRandom(SEED);
  const out: WireRequest[] = [];
  for (let i = 0; out.length < SEEDED; i++) {
    const draw = [
      () => torchLinearCase(r, 'torch-onednn@1'),
      () => dynamicLinearCase(r, 'torch-onednn@1'),
      () => torchOnednnConvCase(r, i),
      () => (r.bool(0.5) ? torchQnnpackConvCase(r, i) : r.bool(0.5) ? torchLinearCase(r, 'torch-qnnpack@1') : dynamicLinearCase(r, 'torch-qnnpack@1')),
    ][i % 4]!;
    const drawn = { id: `seeded-${i}`, ...draw() } as WireRequest;
    if ('error' in evaluateRequest(reference, drawn)) continue; // the generators' deliberate breakages
    const c = withSignedScales(r, drawn);
    const attrs = c.attrs as Record<string, unknown>;
    const q = attrs['scheme'] === 'torch-onednn@1' ? ({ ...c, attrs: { ...attrs, scheme: onednn } } as WireRequest) : c;
    // torch 2.6's onednn convs that read memory oneDNN 3.7 never wrote (torch26_builtins.ts): not claimed, whatever the scales
    if (torch26OnednnConvRefusal(q) === null) out.push(q);
  }
  return out;
}

const scalesOf = (q: WireRequest) => (q.inputs as Record<string, { hex: string[] }>)['weight_scales']!.hex.map((h) => hexToF64(h));
const computed = (r: WireResponse) => 'outputs' in r;

/** Torch's answers, every implementation's the same; returns how many calls with a negative / a zero weight scale torch computed. */
function check(requests: readonly WireRequest[], torch: readonly WireResponse[], replay: string): { negative: number; zero: number } {
  expectTorchAnswers(requests, torch, ALL, replay);
  const done = requests.filter((_, i) => computed(torch[i]!));
  return { negative: done.filter((q) => scalesOf(q).some((s) => s < 0)).length, zero: done.filter((q) => scalesOf(q).some((s) => s === 0)).length };
}

/** What torch did per scheme: onednn computes every call, qnnpack refuses every one with scale_not_positive. */
function expectEngines(requests: readonly WireRequest[], torch: readonly WireResponse[]): void {
  for (const [i, q] of requests.entries()) {
    const qnnpack = (q.attrs as Record<string, unknown>)['scheme'] === 'torch-qnnpack@1';
    if (qnnpack && scalesOf(q).every((s) => s > 0)) continue;
    const want = qnnpack ? 'error:scale_not_positive' : 'outputs';
    expect('error' in torch[i]! ? `error:${torch[i]!.error.code}` : 'outputs', `${q.id}: torch ${describeAnswer(torch[i]!)}`).toBe(want);
  }
}

describe('zero and negative weight scales, as torch computes or refuses them', () => {
  it('torch 1.13: the fixed calls (onednn computes, qnnpack refuses) and every implementation answers as torch', { timeout: 300_000 }, async () => {
    const requests = fixedRequests('torch-onednn@1');
    const torch = await torch13Responses(requests);
    expectEngines(requests, torch);
    const counts = check(requests, torch, 'torch 1.13 via runThroughTorch');
    expect(counts).toEqual({ negative: 60, zero: 60 });
    // the prober's numbers, and the NaN of a zero scale times a bias (x86's default NaN in the dynamic linear, quint8's 0 in the static ops)
    const y = (id: string) => JSON.stringify((torch[requests.findIndex((q) => q.id === id)] as { outputs: unknown }).outputs);
    expect(y('torch-onednn@1-static-0-')).toContain('"values":[60,51]');
    expect(y('torch-onednn@1-static-1-')).toContain('"values":[60,50]');
    expect(y('torch-onednn@1-static-3-')).toContain('"values":[40,54]');
    expect(y('torch-onednn@1-conv-1-b')).toContain('"values":[63,0]');
    expect(y('torch-onednn@1-dynamic-1-b')).toContain('ffc00000');
    expect(y('torch-onednn@1-dynamic-1-')).toContain('80000000');
  });

  it('the static linear names itself in its refusal of a weight scale (qnnpack)', () => {
    const got = evaluateRequest(reference, fixed('q', 'torch-qnnpack@1', 'static', [0.1, -0.05], false, false));
    expect('error' in got ? got.error.message : '').toMatch(/^quantized_linear: weight_scales\[1\]: .*requantization scale must be finite and positive/);
  });

  it(`torch 1.13: ${SEEDED} seeded calls with signed weight scales (seed ${SEED}) give torch's answers bit for bit`, { timeout: 600_000 }, async () => {
    const requests = seededRequests('torch-onednn@1');
    const torch = await torch13Responses(requests);
    expectEngines(requests, torch);
    const counts = check(requests, torch, `torch 1.13 via runThroughTorch, seed ${SEED}`);
    // not vacuous: the onednn calls (three in four) are computed, a third of them or more with a zero scale
    expect(counts.negative).toBeGreaterThanOrEqual(90);
    expect(counts.zero).toBeGreaterThanOrEqual(40);
  });

  it('torch 2.6 (torch-onednn@2): the fixed and the seeded calls', { timeout: 900_000, skip: !torch26Available() }, async () => {
    const requests = [...fixedRequests('torch-onednn@2'), ...seededRequests('torch-onednn@2')];
    const torch = await torch26Responses(requests);
    expectEngines(requests, torch);
    const counts = check(requests, torch, `torch 2.6 in its chroot, seed ${SEED}`);
    expect(counts.negative).toBeGreaterThanOrEqual(150);
    expect(counts.zero).toBeGreaterThanOrEqual(100);
    // torch 2.6 adds the bias unscaled: a zero scale gives the bias itself (0.3 * 10 + 50 = 53; -0.7 * 10 + 50 = 43)
    const y = (id: string) => JSON.stringify((torch[requests.findIndex((q) => q.id === id)] as { outputs: unknown }).outputs);
    expect(y('torch-onednn@2-static-4-b')).toContain('"values":[53,43]');
  });
});
