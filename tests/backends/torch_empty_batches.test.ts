/**
 * Empty batches on real torch: quantized::conv2d with N = 0 and quantized::linear / linear_dynamic with M = 0 rows,
 * on qnnpack and onednn, through the torch adapter (conformance/backends/torch/python/qconform_torch.py). torch
 * 1.13.0 (Debian python3-torch) returns an empty tensor, [0, OC, OH, OW] for any OH, OW >= 0 (0 included), and
 * raises for a negative OH or OW ("Trying to create tensor with negative dimension") and for what it refuses on any
 * batch (qnnpack's requantization scale, onednn's asymmetric weights); its onednn linears return [0, N] whatever x's
 * rank. qconform refused every empty batch (empty_output). Every implementation must give torch's answer: the same
 * empty tensor (dtype and shape) or the same error code. The same requests, under torch 2.6's scheme names, run
 * through torch 2.6 when its chroot is set up (npm run setup:torch26). The answers then go through the runner and
 * its three report writers as golden cases.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Attrs, Inputs, type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { decodeConvArgs } from '../../conformance/protocol/conv_dispatch.js';
import { closeConvWorkers, quantizedConv2dParallel } from '../../impl/index.js';
import { toVectorCase } from '../../conformance/vectors/build_vector_set.js';
import { serializeCases } from '../../conformance/vectors/vector_set.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { runQconform } from '../support/cli_process.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { convRequest, describeAnswer, dynamicLinearRequest, expectTorchAnswers, linearRequest } from '../support/torch_wire_requests.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];

/**
 * The empty-batch requests for one torch version's scheme names, each labelled (`qnnpack-conv-size0`); the ids are
 * numbered as a vector file's must be (empty_batch-00000, ...).
 */
function emptyBatchRequests(onednn: 'torch-onednn@1' | 'torch-onednn@2'): { requests: WireRequest[]; labels: string[] } {
  const requests: WireRequest[] = [];
  for (const scheme of ['torch-qnnpack@1', onednn]) {
    const tag = scheme.includes('qnnpack') ? 'qnnpack' : 'onednn';
    const variants = [
      { perChannel: false, bias: false, relu: false },
      { perChannel: true, bias: true, relu: false },
      { perChannel: true, bias: false, relu: true },
    ];
    for (const [v, o] of variants.entries()) {
      requests.push(
        convRequest(`${tag}-conv-dense-${v}`, { scheme, x: [0, 4, 5, 5], weight: [6, 4, 3, 3], ...o }),
        convRequest(`${tag}-conv-pointwise-${v}`, { scheme, x: [0, 4, 5, 5], weight: [6, 4, 1, 1], ...o }),
        convRequest(`${tag}-conv-grouped-${v}`, { scheme, x: [0, 4, 5, 5], weight: [6, 2, 1, 1], groups: 2, ...o }),
        convRequest(`${tag}-conv-depthwise-${v}`, { scheme, x: [0, 4, 5, 5], weight: [4, 1, 3, 3], groups: 4, padding: 1, ...o }),
        linearRequest(`${tag}-linear-rank2-${v}`, { scheme, x: [0, 4], n: 3, ...o }),
        linearRequest(`${tag}-linear-rank3-${v}`, { scheme, x: [0, 3, 4], n: 3, ...o }),
        linearRequest(`${tag}-linear-inner0-${v}`, { scheme, x: [2, 0, 4], n: 3, ...o }),
        dynamicLinearRequest(`${tag}-dynamic-rank2-${v}`, { scheme, x: [0, 4], n: 3, ...o }),
        dynamicLinearRequest(`${tag}-dynamic-rank3-${v}`, { scheme, x: [0, 3, 4], n: 3, reduceRange: v === 1, ...o }),
        dynamicLinearRequest(`${tag}-dynamic-inner0-${v}`, { scheme, x: [2, 0, 4], n: 3, ...o }),
      );
    }
    requests.push(
      // an output size of 0 (qnnpack raises on N >= 1), and a negative one (raises)
      convRequest(`${tag}-conv-size0`, { scheme, x: [0, 4, 2, 2], weight: [6, 4, 3, 3] }),
      convRequest(`${tag}-conv-size0-dilated`, { scheme, x: [0, 4, 3, 3], weight: [6, 4, 2, 2], dilation: 3 }),
      convRequest(`${tag}-conv-input0`, { scheme, x: [0, 4, 0, 0], weight: [6, 4, 3, 3], padding: 1 }),
      convRequest(`${tag}-conv-negative`, { scheme, x: [0, 4, 1, 1], weight: [6, 4, 5, 5] }),
      convRequest(`${tag}-conv-negative-width`, { scheme, x: [0, 4, 5, 1], weight: [6, 4, 1, 5] }),
      // what torch refuses on any batch: qnnpack's requantization scale (f32(s_x s_w / s_y) overflows), a weight scale
      // that makes the dynamic linear's s_w * 0.1 subnormal (its empty x has the qparams of [0, 0]); onednn's weight zero point
      convRequest(`${tag}-conv-requant-overflow`, { scheme, x: [0, 4, 5, 5], weight: [6, 4, 3, 3], scales: [1e30, 1e30, 1e-30] }),
      linearRequest(`${tag}-linear-requant-underflow`, { scheme, x: [0, 4], n: 3, scales: [1e-30, 1e-30, 1e30] }),
      dynamicLinearRequest(`${tag}-dynamic-tiny-weight-scale`, { scheme, x: [0, 4], n: 3, weightScale: 1e-40 }),
      convRequest(`${tag}-conv-weight-zero-point`, { scheme, x: [0, 4, 5, 5], weight: [6, 4, 3, 3], weightZeroPoint: 3 }),
      // a negative output size with what an engine refuses: each engine's order (qnnpack's requantization scale first;
      // onednn's weight zero point first)
      convRequest(`${tag}-conv-negative-requant-overflow`, { scheme, x: [0, 4, 1, 1], weight: [6, 4, 5, 5], scales: [1e30, 1e30, 1e-30] }),
      convRequest(`${tag}-conv-negative-weight-zero-point`, { scheme, x: [0, 4, 1, 1], weight: [6, 4, 5, 5], weightZeroPoint: 3 }),
      // M = 0 with N = 0 (both engines) or K = 0 (qnnpack; onednn's dynamic linear on a rank-2 x): empty outputs
      linearRequest(`${tag}-linear-n0`, { scheme, x: [0, 4], n: 0 }),
      linearRequest(`${tag}-linear-n0-rank3`, { scheme, x: [0, 3, 4], n: 0, perChannel: true, bias: true }),
      dynamicLinearRequest(`${tag}-dynamic-n0`, { scheme, x: [0, 4], n: 0, perChannel: true, bias: true }),
      dynamicLinearRequest(`${tag}-dynamic-k0`, { scheme, x: [0, 0], n: 3 }),
      dynamicLinearRequest(`${tag}-dynamic-k0-n0`, { scheme, x: [0, 0], n: 0, relu: true }),
      // qnnpack checks the multiplier of its 8 padding channels (weight scale 1.0f) too, so with none of its own
      linearRequest(`${tag}-linear-n0-requant-overflow`, { scheme, x: [0, 4], n: 0, perChannel: true, scales: [1e30, 1e30, 1e-30] }),
    );
    if (tag === 'qnnpack') {
      requests.push(
        linearRequest(`${tag}-linear-k0`, { scheme, x: [0, 0], n: 3, bias: true }),
        linearRequest(`${tag}-linear-k0-rank3`, { scheme, x: [0, 3, 0], n: 3 }),
        linearRequest(`${tag}-linear-k0-inner0`, { scheme, x: [2, 0, 0], n: 3, perChannel: true }),
        dynamicLinearRequest(`${tag}-dynamic-k0-rank3`, { scheme, x: [0, 3, 0], n: 3, perChannel: true }),
      );
    }
  }
  const labels = requests.map((q) => q.id);
  return { requests: requests.map((q, i) => ({ ...q, id: `empty_batch-${String(i).padStart(5, '0')}` })), labels };
}

const isEmptyOutput = (r: WireResponse) => 'outputs' in r && Object.values(r.outputs).every((t) => typeof t === 'object' && (t as { shape: number[] }).shape.includes(0));
const errorCode = (r: WireResponse) => ('error' in r ? r.error.code : null);

const tmp = mkdtempSync(join(tmpdir(), 'qconform-empty-batches-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('empty batches, as torch computes them', () => {
  const { requests, labels } = emptyBatchRequests('torch-onednn@1');
  let torch: WireResponse[] = [];
  const answer = (label: string) => torch[labels.indexOf(label)]!;
  const outputShape = (label: string) => (answer(label) as { outputs: Record<string, { shape: number[] }> }).outputs.y!.shape;

  it('torch 1.13: every implementation gives torch\'s empty output or its error code', { timeout: 300_000 }, async () => {
    torch = await torch13Responses(requests);
    expectTorchAnswers(requests, torch, ALL, 'torch 1.13 via runThroughTorch');
    // not vacuous: empty outputs of every op on both engines, of rank-3 linears in both shapes, and each refusal
    expect(requests.filter((_, i) => isEmptyOutput(torch[i]!)).length).toBe(requests.length - 13);
    expect(outputShape('qnnpack-linear-rank3-0')).toEqual([0, 3, 3]);
    expect(outputShape('onednn-linear-rank3-0')).toEqual([0, 3]);
    expect(outputShape('onednn-dynamic-inner0-0')).toEqual([0, 3]);
    expect(outputShape('qnnpack-dynamic-inner0-0')).toEqual([2, 0, 3]);
    expect(outputShape('qnnpack-conv-size0')).toEqual([0, 6, 0, 0]);
    const refusals = Object.fromEntries(labels.flatMap((label, i) => (errorCode(torch[i]!) ? [[label, errorCode(torch[i]!)]] : [])));
    expect(refusals).toEqual({
      'qnnpack-conv-negative': 'empty_output',
      'qnnpack-conv-negative-width': 'empty_output',
      'qnnpack-conv-requant-overflow': 'unsupported_by_scheme',
      'qnnpack-linear-requant-underflow': 'unsupported_by_scheme',
      'qnnpack-dynamic-tiny-weight-scale': 'unsupported_by_scheme',
      'onednn-conv-negative': 'empty_output',
      'onednn-conv-negative-width': 'empty_output',
      'onednn-conv-weight-zero-point': 'unsupported_by_scheme',
      'qnnpack-conv-negative-requant-overflow': 'unsupported_by_scheme',
      'qnnpack-conv-negative-weight-zero-point': 'empty_output',
      'qnnpack-linear-n0-requant-overflow': 'unsupported_by_scheme',
      'onednn-conv-negative-requant-overflow': 'empty_output',
      'onednn-conv-negative-weight-zero-point': 'unsupported_by_scheme',
    });
    expect(outputShape('qnnpack-linear-n0-rank3')).toEqual([0, 3, 0]);
    expect(outputShape('onednn-linear-n0-rank3')).toEqual([0, 0]);
    expect(outputShape('qnnpack-linear-k0-inner0')).toEqual([2, 0, 3]);
    expect(outputShape('onednn-dynamic-k0')).toEqual([0, 3]);
  });

  it('torch 1.13: N = 1 refuses in the same order; the 8 padding channels of qnnpack; linears without K torch cannot run', { timeout: 300_000 }, async () => {
    const same: WireRequest[] = [];
    for (const scheme of ['torch-qnnpack@1', 'torch-onednn@1']) {
      same.push(
        convRequest(`${scheme}-n1-negative-requant-overflow`, { scheme, x: [1, 4, 1, 1], weight: [6, 4, 5, 5], scales: [1e30, 1e30, 1e-30] }),
        convRequest(`${scheme}-n1-negative-weight-zero-point`, { scheme, x: [1, 4, 1, 1], weight: [6, 4, 5, 5], weightZeroPoint: 3 }),
        // every channel's multiplier is normal (1e30 * 1e-20 / 1e-10), the padding channels' (1e30 / 1e-10) overflows
        convRequest(`${scheme}-n1-padding-channel-overflow`, { scheme, x: [1, 4, 5, 5], weight: [6, 4, 3, 3], perChannel: true, scales: [1e30, 1e-20, 1e-10] }),
      );
    }
    // onednn's static linear with K = 0 dies of SIGFPE, its dynamic one with K = 0 on a rank-3 x cannot reshape (the
    // adapter's shape_mismatch): qconform refuses both (shape_mismatch, its message saying what torch does)
    const refused = [
      linearRequest('onednn-linear-k0', { scheme: 'torch-onednn@1', x: [0, 0], n: 3 }),
      linearRequest('onednn-linear-k0-n0', { scheme: 'torch-onednn@1', x: [0, 0], n: 0 }),
      dynamicLinearRequest('onednn-dynamic-k0-rank3', { scheme: 'torch-onednn@1', x: [0, 3, 0], n: 3 }),
    ];
    const answers = await torch13Responses([...same, ...refused]);
    const mine = answers.slice(0, same.length);
    expectTorchAnswers(same, mine, ALL, 'torch 1.13 via runThroughTorch');
    expect(mine.map(errorCode)).toEqual(['unsupported_by_scheme', 'empty_output', 'unsupported_by_scheme', 'empty_output', 'unsupported_by_scheme', null]);
    const torchSays = ['SIGFPE', 'SIGFPE', 'cannot reshape tensor of 0 elements'];
    for (const [i, q] of refused.entries()) {
      const want = answers[same.length + i]!;
      expect(describeAnswer(want), `${q.id}: torch`).toMatch(i < 2 ? /^error backend_error: .*crashed \(signal SIGFPE\)/ : /^error shape_mismatch: .*cannot reshape/);
      for (const [name, ops] of ALL) {
        const got = evaluateRequest(ops, q);
        const where = `${q.id} on ${name}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference`;
        expect(errorCode(got), where).toBe('shape_mismatch');
        expect(describeAnswer(got), where).toContain(torchSays[i]);
      }
    }
  });

  it("impl's parallel conv splits an empty batch into torch's output too", async () => {
    expect(torch.length, 'the torch 1.13 test ran first').toBe(requests.length);
    let convs = 0;
    for (const [i, q] of requests.entries()) {
      const want = torch[i]!;
      if (q.op !== 'quantized_conv2d@1' || !('outputs' in want)) continue;
      const args = decodeConvArgs('quantized_conv2d@1', new Attrs(q.attrs ?? {}, q.op), new Inputs(q.inputs ?? {}, q.op));
      const y = await quantizedConv2dParallel(args, { threads: 2, minMacs: 0 });
      expect({ dtype: y.dtype, shape: y.shape, values: Array.from(y.data) }, `${labels[i]}: ${JSON.stringify(q)}`).toEqual(want.outputs['y']);
      convs++;
    }
    expect(convs).toBeGreaterThan(20);
    closeConvWorkers();
  });

  it('torch 2.6 (torch-onednn@2): the same answers', { timeout: 600_000, skip: !torch26Available() }, async () => {
    const v2 = emptyBatchRequests('torch-onednn@2').requests;
    const answers = await torch26Responses(v2);
    expectTorchAnswers(v2, answers, ALL, 'torch 2.6 in its chroot');
    expect(v2.filter((_, i) => isEmptyOutput(answers[i]!)).length).toBe(v2.length - 13);
  });

  it('the runner judges them as golden cases and writes all three reports', { timeout: 300_000 }, async () => {
    expect(torch.length, 'the torch 1.13 test ran first').toBe(requests.length);
    const file = join(tmp, 'empty_batches.jsonl');
    writeFileSync(file, serializeCases(requests.map((q, i) => toVectorCase(q, torch[i]!))));
    // the torch built-ins run the cases of their own scheme (and the real torch answers them again)
    const onScheme = (scheme: string) => requests.filter((q) => q.attrs?.['scheme'] === scheme).length;
    const claimed = { reference: requests.length, impl: requests.length, 'torch-qnnpack': onScheme('torch-qnnpack@1'), 'torch-onednn': onScheme('torch-onednn@1') };
    for (const [backend, cases] of Object.entries(claimed)) {
      const [json, junit, html] = ['json', 'xml', 'html'].map((ext) => join(tmp, `${backend}.${ext}`));
      const r = await runQconform(['run', '--backend', backend, '--vectors', file, '--report', json!, '--junit', junit!, '--html', html!]);
      expect(r.exitCode, `${backend}: ${r.stdout}\n${r.stderr}`).toBe(0);
      const report = JSON.parse(readFileSync(json!, 'utf8')) as { results: Array<{ id: string; verdict: string }> };
      expect(report.results.map((x) => x.verdict), backend).toEqual(Array(cases).fill('pass'));
      const xml = readFileSync(junit!, 'utf8');
      expect(xml).toContain('failures="0"');
      expect(xml).not.toMatch(/failures="[1-9]/);
      const page = readFileSync(html!, 'utf8');
      expect(page).toMatch(/<h1>qconform run: .*: PASSED<\/h1>/);
      expect(page).toContain('Cases that did not pass (0)');
    }
  });
});
