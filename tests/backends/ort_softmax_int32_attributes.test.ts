/**
 * com.microsoft QLinearSoftmax's opset and axis, live on onnxruntime-node 1.30 (in process): ORT's constructor keeps
 * both in `int` members through gsl::narrow_cast<int> (qlinear_softmax.cc), so an int64 attribute acts as its low 32
 * bits (contract/ort_int32_attribute.ts): opset 2^32 + 1 is 1 (the flattened rule) and 2^31 is -2^31; opset 0 and
 * negatives are not checked and follow the opset < 13 rule; axis 2^32 - 1 / 2^32 act as -1 / 0, and an axis whose
 * int32 is outside [-rank, rank) is refused (HandleNegativeAxis). An absent axis is left off the node, so ORT's own
 * default runs: -1 whatever the opset (the schema's default, quantization_defs.cc; the kernel's own
 * `opset_ < 13 ? 1 : -1` fallback never runs), where qconform had 1 for an opset below 13. qconform compared the int64
 * values: a silent wrong answer for opset 2^32 + 1 or 2^31, refusals of opset 0 / -1 and of axis 2^32 - 1 / 2^32.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Q8 = 'quint8' | 'qint8';
type Answer = { outputs?: { y: { values: number[] } }; error?: { code: string; message: string } };

const OPSETS = [1, 12, 13, 0, -1, 2 ** 31, 2 ** 31 - 1, 2 ** 32 + 1, 2 ** 32 + 12, 2 ** 32 + 13, -(2 ** 32) + 13, 2 ** 53 - 1, -(2 ** 31) - 1];
/** null: absent */
const AXES = [null, -3, -2, -1, 0, 1, 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 2, -(2 ** 32) + 1, 2 ** 32 + 5, 2 ** 31, 2 ** 32 - 4];
const SHAPES = [[2, 3, 2], [3, 4]];
const int32 = (v: number) => Number(BigInt.asIntN(32, BigInt(v)));

function request(dtype: Q8, shape: readonly number[], opset: number, axis: number | null): WireRequest {
  const n = shape.reduce((p, d) => p * d, 1);
  const x = Array.from({ length: n }, (_, i) => ((i * 37 + 11) % 256) - (dtype === 'qint8' ? 128 : 0));
  return {
    id: `softmax-${dtype}-[${shape}]-opset${opset}-axis${axis ?? 'absent'}`,
    op: 'qlinear_softmax@1',
    attrs: axis === null ? { opset } : { opset, axis },
    inputs: { x: wireInt(dtype, shape, x), x_scale: wireF32([], [0.1]), y_scale: wireF32([], [1 / 256]), y_zero_point: wireInt(dtype, [], [0]) },
  } as WireRequest;
}

/** Recorded from onnxruntime-node 1.30.0 (the prober's cases, x [2, 3, 2] quint8, axis 1 unless named), checked live below. */
const FLATTENED = [0, 2, 0, 0, 254, 0, 3, 8, 22, 60, 163, 0];
const PROBER_X = [10, 200, 30, 40, 250, 60, 70, 80, 90, 100, 110, 5];
const prober = (id: string, attrs: Record<string, number>): WireRequest => ({
  id, op: 'qlinear_softmax@1', attrs,
  inputs: { x: wireInt('quint8', [2, 3, 2], PROBER_X), x_scale: wireF32([], [0.1]), y_scale: wireF32([], [1 / 256]), y_zero_point: wireInt('quint8', [], [0]) },
} as WireRequest);
const WITNESSES: readonly { request: WireRequest; y: readonly number[] }[] = [
  { request: prober('opset 2^32 + 1 (was the opset >= 13 rule)', { opset: 2 ** 32 + 1, axis: 1 }), y: FLATTENED },
  { request: prober('opset 2^31 (was the opset >= 13 rule)', { opset: 2 ** 31, axis: 1 }), y: FLATTENED },
  { request: prober('opset 0 (was refused)', { opset: 0, axis: 1 }), y: FLATTENED },
  { request: prober('opset -1 (was refused)', { opset: -1, axis: 1 }), y: FLATTENED },
  { request: prober('opset 13, axis 2^32 - 1 (was refused)', { opset: 13, axis: 2 ** 32 - 1 }), y: [0, 255, 69, 187, 255, 0, 69, 187, 69, 187, 255, 0] },
  { request: prober('opset 13, axis 2^32 (was refused)', { opset: 13, axis: 2 ** 32 }), y: [1, 255, 1, 1, 255, 255, 255, 0, 255, 255, 0, 1] },
];

describe('QLinearSoftmax narrows opset and axis to int32, as ONNX Runtime 1.30 does', () => {
  it('witnesses: ORT gives the recorded bytes, and reference and impl give them', { timeout: 60_000 }, async () => {
    const ort = await installedOrt();
    const answers = (await runThroughOrt(ort, WITNESSES.map((w) => w.request))) as Answer[];
    for (const [i, w] of WITNESSES.entries()) {
      expect(answers[i]!.outputs?.y.values, `${w.request.id}: ORT 1.30 as recorded`).toEqual(w.y);
      expectReferenceAndImplGiveY(w.request, answers[i]!);
    }
  });

  it('the grid: every opset, axis (or none), dtype and shape: ORT\'s bytes, or ORT\'s refusal of the int32 axis', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const requests: WireRequest[] = [];
    for (const dtype of ['quint8', 'qint8'] as const) for (const shape of SHAPES) for (const opset of OPSETS) for (const axis of AXES) requests.push(request(dtype, shape, opset, axis));
    const answers = (await runThroughOrt(ort, requests)) as Answer[];
    let narrowedComputed = 0;
    let refused = 0;
    for (const [i, r] of requests.entries()) {
      const { opset, axis } = r.attrs as { opset: number; axis?: number };
      const rank = (r.inputs!.x as { shape: number[] }).shape.length;
      const a = answers[i]!;
      if (a.outputs) {
        expectReferenceAndImplGiveY(r, a);
        if (int32(opset) !== opset || (axis !== undefined && int32(axis) !== axis)) narrowedComputed++;
        continue;
      }
      // ORT refuses only an int32 axis outside [-rank, rank)
      refused++;
      expect(axis !== undefined && (int32(axis) < -rank || int32(axis) >= rank), `${r.id}: ORT refuses ${JSON.stringify(a.error)}`).toBe(true);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        expect((evaluateRequest(ops, r) as Answer).error?.code, evalReplay(r, name)).toBe('axis_out_of_range');
      }
    }
    // not vacuous: most computed requests carry an attribute whose int32 differs from its int64, and ORT refuses some
    expect(narrowedComputed).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(50);
    expect(new Set(answers.filter((a) => a.outputs).map((a) => JSON.stringify(a.outputs!.y.values))).size).toBeGreaterThan(8);
  });
});
