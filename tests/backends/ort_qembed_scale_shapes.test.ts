/**
 * QEmbedLayerNormalization's scale shapes, live on onnxruntime-node 1.30: CheckQuantizedInputs (qembed_layer_norm.cc)
 * checks that word_embedding_scale and the five zero points have one element, but its test of the position / segment
 * embedding, gamma and beta scales compares the float scale's IsDataType<int8_t>() with the tables' signedness, so it
 * checks them with uint8 tables only. With int8 tables they take any shape and GetTensorQuantizationParams reads
 * element 0 (flat); an empty one kills ORT's process (SIGSEGV). qconform refused every scale of more than one element
 * (shape_mismatch); now it gives ORT's bytes, and refuses the empty one (kept from ORT: ort_known_crashes.ts).
 * The grid: both dtypes, each of the five scales as [], [1], [1, 1], [2], [2, 3], [1, 1, 1], [3, 1], the elements
 * after element 0 holding 3 x element 0, NaN, 0 or -3.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { hex64, wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f32ToHex } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { inOrtProcess } from '../support/ort_crash_process.js';
import { installedOrt } from '../support/installed_ort.js';

type Q8 = 'quint8' | 'qint8';
type Answer = { outputs?: { y: unknown }; error?: { code: string; message: string }; not_run?: string };

const SCALES = { word_embedding_scale: 0.02, position_embedding_scale: 0.03, segment_embedding_scale: 0.05, gamma_scale: 0.04, beta_scale: 0.01 } as const;
type ScaleName = keyof typeof SCALES;
const UNCHECKED_WITH_INT8: readonly ScaleName[] = ['position_embedding_scale', 'segment_embedding_scale', 'gamma_scale', 'beta_scale'];
const SHAPES = [[], [1], [1, 1], [2], [2, 3], [1, 1, 1], [3, 1]];
const TAILS = (s0: number) => [f32ToHex(3 * s0), '7fc00000', '00000000', f32ToHex(-3)];
const H = 8;

function table(dtype: Q8, rows: number, seed: number) {
  const lo = dtype === 'qint8' ? -128 : 0;
  return wireInt(dtype, rows === 0 ? [H] : [rows, H], Array.from({ length: (rows || 1) * H }, (_, i) => lo + ((i * 73 + seed * 31) % 256)));
}

/** B = 1, S = 3, H = 8, with segments; `scale` replaces one scale tensor (shape, float32 hex values). */
function request(dtype: Q8, id: string, scale?: { name: ScaleName; shape: number[]; hex: string[] }): WireRequest {
  const zp = (v: number) => wireInt(dtype, [], [dtype === 'qint8' ? v - 128 : v]);
  const inputs: Record<string, unknown> = {
    input_ids: wireInt('int32', [1, 3], [2, 0, 3]), segment_ids: wireInt('int32', [1, 3], [1, 0, 1]),
    word_embedding: table(dtype, 4, 1), position_embedding: table(dtype, 5, 2), segment_embedding: table(dtype, 2, 3), gamma: table(dtype, 0, 4), beta: table(dtype, 0, 5),
    word_embedding_zero_point: zp(120), position_embedding_zero_point: zp(130), segment_embedding_zero_point: zp(128), gamma_zero_point: zp(100), beta_zero_point: zp(140),
  };
  for (const [name, v] of Object.entries(SCALES)) inputs[name] = wireF32([], [v]);
  if (scale) inputs[scale.name] = { dtype: 'float32', shape: scale.shape, hex: scale.hex };
  return { id, op: 'qembed_layer_normalization@1', attrs: { epsilon: hex64(1e-5) }, inputs } as WireRequest;
}

/** ORT's IsScalarOr1ElementVector: shape [] or [1]. */
const scalarOr1 = (shape: readonly number[]) => shape.length === 0 || (shape.length === 1 && shape[0] === 1);

function grid(): { request: WireRequest; computes: boolean; wasRefused: boolean }[] {
  const out: { request: WireRequest; computes: boolean; wasRefused: boolean }[] = [];
  for (const dtype of ['quint8', 'qint8'] as const) for (const name of Object.keys(SCALES) as ScaleName[]) for (const shape of SHAPES) {
    const count = shape.reduce((p, d) => p * d, 1);
    const tails = count === 1 ? [[]] : TAILS(SCALES[name]).map((t) => Array<string>(count - 1).fill(t));
    for (const tail of tails) {
      const hex = [f32ToHex(SCALES[name]), ...tail];
      const computes = scalarOr1(shape) || (dtype === 'qint8' && UNCHECKED_WITH_INT8.includes(name));
      // qconform took a scale of one element of any rank before; ORT checks rank too where it checks
      out.push({ request: request(dtype, `${dtype} ${name} ${JSON.stringify(shape)} ${hex.join(',')}`, { name, shape, hex }), computes, wasRefused: count !== 1 });
    }
  }
  return out;
}

describe('QEmbedLayerNormalization reads element 0 of the scales ONNX Runtime 1.30 does not check', () => {
  it('the grid: ORT\'s bytes where ORT computes, its refusal (shape_mismatch) elsewhere', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const cases = grid();
    const answers = (await runThroughOrt(ort, cases.map((c) => c.request))) as Answer[];
    let unchecked = 0;
    for (const [i, { request: r, computes, wasRefused }] of cases.entries()) {
      const a = answers[i]!;
      expect(a.outputs !== undefined, `${r.id}: ORT ${computes ? 'computes' : 'refuses'} (${JSON.stringify(a).slice(0, 200)})`).toBe(computes);
      if (computes) {
        expectReferenceAndImplGiveY(r, a);
        if (wasRefused) unchecked++;
        continue;
      }
      expect(a.error?.message, r.id).toContain('must be a scalar or 1D tensor of size 1');
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, r) as Answer).error?.code, evalReplay(r, name)).toBe('shape_mismatch');
    }
    // not vacuous: ORT computes the scales of more than one element qconform refused: 4 scales x 3 shapes x 4 tails
    expect(unchecked).toBe(4 * 3 * 4);
  });

  it('element 0 is the one read: gamma_scale [0.04, 0.08] gives the y of 0.04, not of 0.08', { timeout: 60_000 }, async () => {
    const ort = await installedOrt();
    const pair = request('qint8', 'gamma [0.04, 0.08]', { name: 'gamma_scale', shape: [2], hex: [f32ToHex(0.04), f32ToHex(0.08)] });
    const second = request('qint8', 'gamma 0.08', { name: 'gamma_scale', shape: [], hex: [f32ToHex(0.08)] });
    const [a, b] = (await runThroughOrt(ort, [pair, second])) as Answer[];
    expectReferenceAndImplGiveY(pair, a!);
    expect(a!.outputs?.y).not.toEqual(b!.outputs?.y);
  });

  it('an empty unchecked scale with int8 tables kills ORT\'s process (SIGSEGV); qconform refuses it and the backend does not run it', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    for (const name of UNCHECKED_WITH_INT8) {
      const r = request('qint8', `qint8 ${name} [0]`, { name, shape: [0], hex: [] });
      expect(await inOrtProcess<Answer>(r), `${r.id}: ORT's process dies`).toEqual({ answer: null, signal: 'SIGSEGV' });
      for (const [which, ops] of [['reference', reference], ['impl', impl]] as const) {
        const error = (evaluateRequest(ops, r) as Answer).error;
        expect(error?.code, evalReplay(r, which)).toBe('shape_mismatch');
        expect(error?.message, evalReplay(r, which)).toContain('SIGSEGV');
      }
      const [inProcess] = (await runThroughOrt(ort, [r])) as Answer[];
      expect(inProcess!.not_run, r.id).toMatch(/^not run on ORT/);
    }
  });
});
