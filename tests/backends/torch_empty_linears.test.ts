/**
 * Linears with M >= 1 rows and K = 0 or N = 0 on real torch, through the torch adapter
 * (conformance/backends/torch/python/linear_ops.py, each call in a forked child). Measured on torch 1.13.0 (Debian
 * python3-torch, this test) and torch 2.6 (its chroot, when set up), both engines:
 * - K = 0, N >= 1: qnnpack computes the linear of an empty sum, static (requantize(bias): y_zero_point without a bias)
 *   and dynamic (the bias, or 0); onednn's dynamic linear of rank 2 too on torch 1.13 (oneDNN 2.6's epilogue of a zero
 *   accumulator), while torch 2.6 (oneDNN 3.7) returns uninitialized memory there; onednn's static linear dies of
 *   SIGFPE (any rank, 1 included), its dynamic one of rank >= 3 raises "cannot reshape tensor of 0 elements".
 * - N = 0: onednn returns the empty 2-D [M, 0] ([1, 0] for the static linear's x of rank 1); qnnpack returns the empty
 *   [...lead, 0] (the static one after its requantization-scale check) with one thread, as the adapter runs torch
 *   (torch.set_num_threads(1)), and dies of SIGFPE with two threads or more (pthreadpool_compute_4d_tiled divides by zero).
 *   qconform computes the empty output, what single-threaded torch returns; the last test shows the multi-threaded crash.
 * qconform refused all of them (shape_mismatch). Every implementation must now give torch's outputs bit for bit where
 * torch computes, the same error code where torch raises, and shape_mismatch naming the signal where torch crashes.
 * The seeded K = 0 linears are the torch linear set's own generators (conformance/cases/linear_cases.ts) with K = 0.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TORCH_PYTHON, runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { type DynamicEngine, dynamicLinearCase, torchLinearCase } from '../../conformance/cases/linear_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { describeAnswer, dynamicLinearRequest, expectTorchAnswers, linearRequest } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];
const SEED = 'torch-empty-linears-1';
const SEEDED_PER_KIND = 25;

/** What torch does with one request: its outputs (values or empty), a contract code it raised, or a crash. */
type Expected = 'values' | 'empty' | 'crash' | `error:${string}`;

interface Labelled {
  readonly request: WireRequest;
  readonly expected: Expected;
}

/**
 * The fixed matrix: each kind (static, dynamic) x shape x bias / per-channel / ReLU variant on one engine, labelled with
 * what torch 1.13 does (`onednn` is the scheme name of the torch version run); then the check orders torch showed.
 */
function fixedRequests(onednn: 'torch-onednn@1' | 'torch-onednn@2'): Labelled[] {
  const out: Labelled[] = [];
  const add = (request: WireRequest, expected: Expected) => out.push({ request, expected });
  const variants = [
    { perChannel: false, bias: false, relu: false },
    { perChannel: false, bias: true, relu: false },
    { perChannel: true, bias: true, relu: true },
  ];
  for (const [v, o] of variants.entries()) {
    for (const scheme of ['torch-qnnpack@1', onednn]) {
      const q = scheme === 'torch-qnnpack@1';
      const tag = `${q ? 'qnnpack' : 'onednn'}-${v}`;
      // K = 0
      add(linearRequest(`${tag}-linear-k0`, { scheme, x: [2, 0], n: 3, ...o }), q ? 'values' : 'crash');
      add(linearRequest(`${tag}-linear-k0-m1n1`, { scheme, x: [1, 0], n: 1, ...o }), q ? 'values' : 'crash');
      add(linearRequest(`${tag}-linear-k0-rank3`, { scheme, x: [2, 3, 0], n: 2, ...o }), q ? 'values' : 'crash');
      add(dynamicLinearRequest(`${tag}-dynamic-k0`, { scheme, x: [2, 0], n: 3, reduceRange: v === 1, ...o }), 'values');
      add(dynamicLinearRequest(`${tag}-dynamic-k0-rank3`, { scheme, x: [2, 3, 0], n: 2, ...o }), q ? 'values' : 'error:shape_mismatch');
      // N = 0
      // N = 0 (qnnpack: with the adapter's one thread; it dies of SIGFPE with more, see the last test)
      add(linearRequest(`${tag}-linear-n0`, { scheme, x: [2, 4], n: 0, ...o }), 'empty');
      add(linearRequest(`${tag}-linear-n0-rank3`, { scheme, x: [2, 3, 4], n: 0, ...o }), 'empty');
      add(dynamicLinearRequest(`${tag}-dynamic-n0`, { scheme, x: [2, 4], n: 0, ...o }), 'empty');
      add(dynamicLinearRequest(`${tag}-dynamic-n0-rank3`, { scheme, x: [2, 3, 4], n: 0, ...o }), 'empty');
      // K = 0 and N = 0
      add(linearRequest(`${tag}-linear-k0-n0`, { scheme, x: [2, 0], n: 0, ...o }), q ? 'empty' : 'crash');
      add(dynamicLinearRequest(`${tag}-dynamic-k0-n0`, { scheme, x: [2, 0], n: 0, ...o }), 'empty');
      add(dynamicLinearRequest(`${tag}-dynamic-k0-n0-rank3`, { scheme, x: [2, 3, 0], n: 0, ...o }), q ? 'empty' : 'error:shape_mismatch');
    }
    // onednn's static linear takes x of rank 1 (M = 1): [K] with N = 0 is the empty [1, 0], K = 0 dies
    add(linearRequest(`onednn-${v}-linear-rank1-n0`, { scheme: onednn, x: [4], n: 0, ...o }), 'empty');
    add(linearRequest(`onednn-${v}-linear-rank1-k0`, { scheme: onednn, x: [0], n: 2, ...o }), 'crash');
  }
  // what torch checks before it crashes or computes: qnnpack's requantization scales (N = 0: its 8 padding channels),
  // onednn's weight zero points (prepack); qnnpack's dynamic N = 0 has no channel whose scale it checks
  const overflow = [1e30, 1e30, 1e-30] as const;
  add(linearRequest('qnnpack-linear-n0-requant-overflow', { scheme: 'torch-qnnpack@1', x: [2, 4], n: 0, scales: overflow }), 'error:unsupported_by_scheme');
  add(linearRequest('qnnpack-linear-k0-requant-overflow', { scheme: 'torch-qnnpack@1', x: [2, 0], n: 3, scales: overflow }), 'error:unsupported_by_scheme');
  add(dynamicLinearRequest('qnnpack-dynamic-k0-tiny-weight-scale', { scheme: 'torch-qnnpack@1', x: [2, 0], n: 3, weightScale: 1e-40 }), 'error:unsupported_by_scheme');
  add(dynamicLinearRequest('qnnpack-dynamic-n0-tiny-weight-scale', { scheme: 'torch-qnnpack@1', x: [2, 4], n: 0, weightScale: 1e-40 }), 'empty');
  add(asymmetric(linearRequest('onednn-linear-k0-weight-zero-point', { scheme: onednn, x: [2, 0], n: 3 })), 'error:unsupported_by_scheme');
  add(asymmetric(dynamicLinearRequest('onednn-dynamic-k0-rank3-weight-zero-point', { scheme: onednn, x: [2, 3, 0], n: 3 })), 'error:unsupported_by_scheme');
  add(linearRequest('onednn-linear-k0-requant-overflow', { scheme: onednn, x: [2, 0], n: 3, scales: overflow }), 'crash');
  return out;
}

/** The request with weight zero point 3 (onednn's prepack refuses it). */
function asymmetric(q: WireRequest): WireRequest {
  const inputs = q.inputs as Record<string, { values: number[] }>;
  return { ...q, inputs: { ...inputs, weight_zero_points: { ...inputs['weight_zero_points']!, values: [3] } } } as WireRequest;
}

/** Seeded K = 0 linears (M >= 1) from the torch linear set's generators: qnnpack static and dynamic, onednn@1 dynamic. */
function seededRequests(): WireRequest[] {
  const r = new CaseRandom(SEED);
  const out: WireRequest[] = [];
  const kinds: Array<[string, () => ReturnType<typeof torchLinearCase>]> = [
    ['qnnpack-static', () => torchLinearCase(r, 'torch-qnnpack@1', [0])],
    ...(['torch-qnnpack@1', 'torch-onednn@1'] as DynamicEngine[]).map((s): [string, () => ReturnType<typeof torchLinearCase>] => [`${s}-dynamic`, () => dynamicLinearCase(r, s, [0])]),
  ];
  for (const [kind, draw] of kinds) {
    for (let i = 0; out.filter((q) => q.id.startsWith(kind)).length < SEEDED_PER_KIND; i++) {
      const c = draw();
      const x = (c.inputs as Record<string, { shape: number[] }>)['x']!.shape;
      const w = (c.inputs as Record<string, { shape: number[] }>)['weight']!.shape;
      // the generators' deliberate breakages: a weight K other than x's (torch qnnpack does not check it: a contract
      // rejection, contract/errors.ts) and a rank-1 x; K = 0 with M >= 1 is the point here
      if (x.length < 2 || w[1] !== 0 || x.slice(0, -1).reduce((a, b) => a * b, 1) === 0) continue;
      out.push({ id: `${kind}-${i}`, ...c } as WireRequest);
    }
  }
  return out;
}

const isOutputs = (r: WireResponse): r is Extract<WireResponse, { outputs: unknown }> => 'outputs' in r;
const values = (r: WireResponse) => Object.values((r as { outputs: Record<string, { values?: unknown[]; hex?: unknown[] }> }).outputs)[0]!;
const answerKind = (r: WireResponse): Expected => {
  if (!isOutputs(r)) return /crashed \(signal SIG/.test(r.error.message) ? 'crash' : `error:${r.error.code}`;
  const y = values(r);
  return (y.values ?? y.hex ?? []).length > 0 ? 'values' : 'empty';
};

/**
 * torch's crashes: torch gives backend_error naming the signal (SIGFPE); every implementation gives shape_mismatch
 * whose message says what torch does. The rest must equal torch's answers (expectTorchAnswers).
 */
function expectAnswers(labelled: readonly Labelled[], torch: readonly WireResponse[], replay: string): void {
  const crashes = labelled.flatMap((_, i) => (answerKind(torch[i]!) === 'crash' ? [i] : []));
  for (const i of crashes) {
    const q = labelled[i]!.request;
    expect(torch[i]!, `${q.id}: torch ${describeAnswer(torch[i]!)}`).toMatchObject({ error: { code: 'backend_error' } });
    expect(describeAnswer(torch[i]!)).toContain('SIGFPE');
    for (const [name, ops] of ALL) {
      const got = evaluateRequest(ops, q);
      const where = `${q.id} on ${name}: torch ${describeAnswer(torch[i]!)}, got ${describeAnswer(got)} (${replay}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference)`;
      expect('error' in got ? got.error.code : 'outputs', where).toBe('shape_mismatch');
      expect('error' in got ? got.error.message : '', where).toContain('SIGFPE');
    }
  }
  const rest = labelled.filter((_, i) => !crashes.includes(i));
  expectTorchAnswers(rest.map((l) => l.request), torch.filter((_, i) => !crashes.includes(i)), ALL, replay);
}

describe('linears with M >= 1 and K = 0 or N = 0, as torch computes them', () => {
  it('torch 1.13: the fixed matrix (labels checked) and every implementation answers as torch', { timeout: 300_000 }, async () => {
    const labelled = fixedRequests('torch-onednn@1');
    const torch = (await runThroughTorch(labelled.map((l) => l.request))).responses;
    // the labels are what torch 1.13.0 did when this was written: a change of torch's behaviour shows here first
    expect(Object.fromEntries(labelled.map((l, i) => [l.request.id, answerKind(torch[i]!)]))).toEqual(Object.fromEntries(labelled.map((l) => [l.request.id, l.expected])));
    expectAnswers(labelled, torch, 'torch 1.13 via runThroughTorch');
    // requantize(bias) without a bias is y_zero_point everywhere (the probe that found this: [120, 120, 120])
    expect(values(torch[0]!)).toEqual({ dtype: 'quint8', shape: [2, 3], values: [120, 120, 120, 120, 120, 120] });
    const counts = labelled.reduce<Record<string, number>>((m, l) => ({ ...m, [l.expected]: (m[l.expected] ?? 0) + 1 }), {});
    expect(counts).toEqual({ values: 18, empty: 40, crash: 16, 'error:shape_mismatch': 6, 'error:unsupported_by_scheme': 5 });
  });

  it(`torch 1.13: ${3 * SEEDED_PER_KIND} seeded K = 0 linears (seed ${SEED}) give torch's outputs bit for bit`, { timeout: 300_000 }, async () => {
    const requests = seededRequests();
    const torch = await torch13Responses(requests);
    expectTorchAnswers(requests, torch, ALL, `torch 1.13 via runThroughTorch, seed ${SEED}`);
    // not vacuous: most of each kind computed values (the rest are refusals torch and qconform share)
    for (const kind of ['qnnpack-static', 'torch-qnnpack@1-dynamic', 'torch-onednn@1-dynamic']) {
      const computed = requests.filter((q, i) => q.id.startsWith(kind) && answerKind(torch[i]!) === 'values').length;
      expect(computed, kind).toBeGreaterThanOrEqual(SEEDED_PER_KIND * 0.6);
    }
  });

  it('torch 2.6 (torch-onednn@2): the same answers, except its dynamic onednn linear with K = 0, refused', { timeout: 600_000, skip: !torch26Available() }, async () => {
    const labelled = fixedRequests('torch-onednn@2');
    const torch = await torch26Responses(labelled.map((l) => l.request));
    // torch 2.6 returns values of uninitialized memory for onednn's dynamic K = 0 of rank 2: qconform refuses those
    const garbage = labelled.flatMap((l, i) => (/^onednn-\d-dynamic-k0$/.test(l.request.id) ? [i] : []));
    expect(garbage.length).toBe(3);
    for (const i of garbage) {
      expect(answerKind(torch[i]!)).toBe('values');
      for (const [name, ops] of ALL) expect(describeAnswer(evaluateRequest(ops, labelled[i]!.request)), name).toContain('uninitialized memory');
    }
    const kept = labelled.filter((_, i) => !garbage.includes(i));
    const keptTorch = torch.filter((_, i) => !garbage.includes(i));
    expect(Object.fromEntries(kept.map((l, i) => [l.request.id, answerKind(keptTorch[i]!)]))).toEqual(Object.fromEntries(kept.map((l) => [l.request.id, l.expected])));
    expectAnswers(kept, keptTorch, 'torch 2.6 in its chroot');
  });

  it("torch 1.13 with two threads: qnnpack's N = 0 linears die of SIGFPE (what the models' doc comments say), one thread computes them", { timeout: 120_000 }, () => {
    const script = [
      'import os, signal, sys, torch',
      "torch.backends.quantized.engine = 'qnnpack'",
      'torch.set_num_threads(int(sys.argv[1]))',
      'w = torch._make_per_tensor_quantized_tensor(torch.ones(0, 4, dtype=torch.int8), 0.01, 0)',
      'packed = torch.ops.quantized.linear_prepack(w, None)',
      "y = torch.ops.quantized.linear_dynamic(torch.ones(2, 4), packed, False) if sys.argv[2] == 'dynamic' else torch.ops.quantized.linear(torch.quantize_per_tensor(torch.ones(2, 4), 0.05, 7, torch.quint8), packed, 0.2, 120)",
      'print(list(y.shape))',
    ].join('\n');
    for (const kind of ['static', 'dynamic']) {
      const one = spawnSync(TORCH_PYTHON, ['-c', script, '1', kind], { encoding: 'utf8' });
      expect(one.stdout.trim(), `${kind}, one thread: ${one.stderr}`).toBe('[2, 0]');
      const two = spawnSync(TORCH_PYTHON, ['-c', script, '2', kind], { encoding: 'utf8' });
      expect(two.signal, `${kind}, two threads: ${two.stdout} ${two.stderr.slice(0, 300)}`).toBe('SIGFPE');
    }
  });
});
