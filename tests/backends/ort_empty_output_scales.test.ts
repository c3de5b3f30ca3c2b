/**
 * MatMulIntegerToFloat and DynamicQuantizeMatMul whose output is empty (M = 0, N = 0, an empty batch dim) with a scale
 * that ScaleOutput multiplies into the output (a_scale of more than one element; a b_scale IsBQuantParamSupported does
 * not take), live against onnxruntime-node 1.30 (in process, this host's CPU). ORT 1.30 returns the empty output (in
 * the matmul's shape) for every such scale whose shape broadcasts against the output's by numpy rules, extra leading
 * dimensions larger than 1 included (a_scale [5, 1, 1] or [2, 0, 2] on a [0, 2] output), and refuses the others
 * ("element_wise_ops" broadcast error). qconform refused every scale with extra leading dimensions larger than 1 (the
 * ScaleOutput overrun rule of non-empty outputs) although ORT computes them. Each request of this grid was first run in
 * ORT's own process (RUN_KNOWN_CRASHES_ENV): none crashed, so the in-process run here is safe
 * (contract/matmul_integer_to_float_checks.ts emptyOutputScale).
 */
import { describe, expect, it } from 'vitest';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { cpuFlagsOn } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';

const n = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
const u8 = (s: number[]) => wireInt('quint8', s, Array.from({ length: n(s) }, (_, i) => (7 + i * 37) % 256));
const s8 = (s: number[]) => wireInt('qint8', s, Array.from({ length: n(s) }, (_, i) => ((3 + i * 29) % 200) - 100));
const f32 = (s: number[], v = 0.5) => wireF32(s, Array.from({ length: n(s) }, (_, i) => v + i / 8));
const floats = (s: number[]) => wireF32(s, Array.from({ length: n(s) }, (_, i) => 1.25 - i / 4));

/** a x b with an empty output: M = 0, N = 0, an empty batch dim of a or of b, 1-D operands. */
const SHAPES: ReadonlyArray<[number[], number[]]> = [[[0, 3], [3, 2]], [[2, 3], [3, 0]], [[0, 2, 3], [3, 2]], [[0, 3], [3]], [[3], [3, 0]], [[2, 0, 3], [2, 3, 4]], [[0, 3], [3, 4]]];
const SCALES: ReadonlyArray<number[]> = [[], [1], [2], [4], [0], [3, 1], [1, 4], [2, 1], [1, 0], [2, 1, 4], [5, 1, 1], [1, 1, 1], [3, 5], [2, 2], [0, 1], [2, 0, 2]];

function requests(): WireRequest[] {
  const out: WireRequest[] = [];
  let k = 0;
  for (const [sa, sb] of SHAPES) {
    for (const ss of SCALES) {
      const tag = `${JSON.stringify(sa)}x${JSON.stringify(sb)}s${JSON.stringify(ss)}`;
      out.push({ id: `matmul_integer_to_float-${k++}-a${tag}`, op: 'matmul_integer_to_float@1', attrs: {}, inputs: { a: u8(sa), b: s8(sb), a_scale: f32(ss), b_scale: f32([], 0.25) } } as WireRequest);
      out.push({ id: `matmul_integer_to_float-${k++}-b${tag}`, op: 'matmul_integer_to_float@1', attrs: {}, inputs: { a: u8(sa), b: s8(sb), a_scale: f32([], 0.25), b_scale: f32(ss) } } as WireRequest);
      out.push({ id: `dynamic_quantize_matmul-${k++}-${tag}`, op: 'dynamic_quantize_matmul@1', attrs: {}, inputs: { a: floats(sa), b: s8(sb), b_scale: f32(ss) } } as WireRequest);
    }
  }
  return out;
}

const replay = evalReplay;

describe('MatMulIntegerToFloat / DynamicQuantizeMatMul with an empty output and a scale ScaleOutput multiplies into it, as ONNX Runtime 1.30 computes them', () => {
  it('ORT\'s empty outputs (shape and dtype) where the scale broadcasts against the output, its refusal where it does not: reference and impl give the same', { timeout: 180_000 }, async () => {
    const ort = await loadOrt();
    const all = requests().map((q) => ortCpuAttrs(q, cpuFlagsOn(HOST_CPU), { unmodelled: 'throw' }));
    const answers = await runThroughOrt(ort!, all);
    let computedWithLeadingDims = 0;
    all.forEach((q, i) => {
      const want = answers[i]!;
      if ('outputs' in want) {
        expect(n((want.outputs as unknown as { y: { shape: number[] } }).y.shape), `ORT's output is empty: ${q.id}`).toBe(0);
        const scale = (q.inputs as Record<string, { shape: number[] }>)[q.op.startsWith('dynamic') ? 'b_scale' : q.id.includes('-a[') ? 'a_scale' : 'b_scale']!.shape;
        if (scale.length > 0 && scale[0]! > 1 && scale.length > (q.inputs as Record<string, { shape: number[] }>).a!.shape.length) computedWithLeadingDims++;
      }
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, q) as WireResponse;
        if ('outputs' in want) expect(got, replay(q, name)).toEqual({ id: q.id, outputs: want.outputs });
        else {
          expect('error' in got && got.error.code, `ORT refused (${want.error.message.slice(0, 120)}): ${replay(q, name)}`).toBe('shape_mismatch');
          expect(want.error.message, q.id).toMatch(/element_wise|matmul_helper/); // the scale's broadcast, or the matmul's own shapes
        }
      }
    });
    // the grid holds scales of extra leading dimensions larger than 1 that ORT computes ([5, 1, 1], [2, 0, 2], [2, 1, 4])
    expect(computedWithLeadingDims).toBeGreaterThanOrEqual(10);
    expect(answers.filter((a) => 'outputs' in a).length).toBeGreaterThan(answers.length / 3);
    expect(answers.some((a) => 'error' in a)).toBe(true);
  });
});
