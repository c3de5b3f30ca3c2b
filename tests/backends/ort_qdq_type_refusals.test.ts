/**
 * The ORT adapter of the ONNX quantization ops (conformance/backends/onnxruntime/qdq.ts), live on onnxruntime-node 1.30:
 *   - a zero point is given to ORT in its own type, so ORT's refusal of one of another type reaches the answer
 *     (invalid_dtype, as reference and impl say), where the adapter re-typed it and computed; so does ORT's refusal of
 *     an int32 output, an empty blocked one included (no crash: ORT refuses the model before its kernel runs);
 *   - ORT's "'block_size' must be non-negative" is invalid_integer, as reference and impl say (was backend_error);
 *   - saturate: ORT ignores any integer saturate for integer outputs; reference and impl take it too, with ORT's values.
 */
import { describe, expect, it } from 'vitest';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';

/** The ORT backend's own entry point for these ops (ORT_OPS: the adapter, qdq.ts, behind the known-crash guard). */
const ortQdq: NonNullable<(typeof ORT_OPS)[string]> = (ort, r) => ORT_OPS[r.op]!(ort, r);
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string } };
const replay = evalReplay;
const req = (id: string, op: string, attrs: Record<string, unknown>, inputs: Record<string, unknown>) => ({ id, op, attrs, inputs }) as WireRequest;
const x6 = wireF32([2, 3], [0.1, 1.5, -2.5, 300, -300, 5]);
const i8 = wireInt('int8', [3], [1, -2, 3]);

describe('ORT adapter of QuantizeLinear / DequantizeLinear: zero point types, negative block_size, saturate', () => {
  it("ORT refuses a zero point of another type; the adapter answers ORT's refusal as invalid_dtype, as reference and impl", { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    const cases: [WireRequest, string][] = [
      [req('q-int8-zp-uint8', 'quantize_linear@1', { dtype: 'int8' }, { x: x6, y_scale: wireF32([], [0.5]), y_zero_point: wireInt('uint8', [], [3]) }), 'output_dtype INT8 does not match y_zero_point type UINT8'],
      [req('q-int8-zp-int16', 'quantize_linear@1', { dtype: 'int8', axis: 1 }, { x: x6, y_scale: wireF32([3], [0.5, 1, 2]), y_zero_point: wireInt('int16', [3], [3, 0, -3]) }), 'output_dtype INT8 does not match y_zero_point type INT16'],
      [req('q-uint4-zp-int4', 'quantize_linear@1', { dtype: 'uint4' }, { x: x6, y_scale: wireF32([], [0.5]), y_zero_point: wireInt('int4', [], [3]) }), 'output_dtype UINT4 does not match y_zero_point type INT4'],
      [req('dq-int8-zp-uint8', 'dequantize_linear@1', {}, { x: i8, x_scale: wireF32([], [0.5]), x_zero_point: wireInt('uint8', [], [3]) }), 'bound to different types'],
      [req('msdq-int8-zp-uint8', 'ms_dequantize_linear@1', {}, { x: i8, x_scale: wireF32([], [0.5]), x_zero_point: wireInt('uint8', [], [3]) }), 'bound to different types'],
      // an empty blocked int32 QuantizeLinear of axis size 0 (the crash shape of the 8- and 16-bit types, contract/qdq_ort_crash.ts)
      // reaches ORT, which has no int32 kernel and refuses the model (the ORT backend had kept it from ORT, as empty_output)
      [req('q-int32-blocked-empty', 'quantize_linear@1', { dtype: 'int32', axis: 1, block_size: 1 }, { x: wireF32([2, 0], []), y_scale: wireF32([2, 0], []), y_zero_point: wireInt('int32', [2, 0], []) }), "Type 'tensor(int32)' of input parameter (y_zero_point)"],
    ];
    for (const [r, ortText] of cases) {
      const answer = (await ortQdq(ort, r)) as Answer;
      expect(answer.error?.message, `${r.id}: ${JSON.stringify(answer)}`).toContain(ortText);
      for (const [name, a] of [['onnxruntime', answer], ['reference', evaluateRequest(reference, r)], ['impl', evaluateRequest(impl, r)]] as const) expect((a as Answer).error?.code, replay(r, name)).toBe('invalid_dtype');
    }
  });

  it("ORT's \"'block_size' must be non-negative\" is invalid_integer, as reference and impl say", { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    for (const r of [
      req('q-bs-1', 'quantize_linear@1', { dtype: 'int8', axis: 1, block_size: -1 }, { x: x6, y_scale: wireF32([2, 1], [0.5, 2]) }),
      req('dq-bs-2', 'dequantize_linear@1', { axis: 1, block_size: -2 }, { x: wireInt('int8', [2, 3], [1, 2, 3, 4, 5, 6]), x_scale: wireF32([2, 2], [0.5, 2, 1, 1]) }),
    ]) {
      const answer = (await ortQdq(ort, r)) as Answer;
      expect(answer.error?.message, r.id).toContain("'block_size' must be non-negative");
      for (const [name, a] of [['onnxruntime', answer], ['reference', evaluateRequest(reference, r)], ['impl', evaluateRequest(impl, r)]] as const) expect((a as Answer).error?.code, replay(r, name)).toBe('invalid_integer');
    }
  });

  it("any integer saturate: ORT computes saturate 1's outputs, and so do reference and impl", { timeout: 60_000 }, async () => {
    const ort = (await loadOrt())!;
    const x = wireF32([2, 3], [300, -300, 1.5, 2.5, NaN, Infinity]);
    let compared = 0;
    for (const dtype of ['int8', 'uint8', 'uint16', 'int4', 'uint4'])
      for (const blocked of [false, true]) {
        const attrs = blocked ? { dtype, axis: 1, block_size: 2 } : { dtype };
        const inputs = { x, y_scale: blocked ? wireF32([2, 2], [1, 0.5, 2, 0.25]) : wireF32([], [1]) };
        const one = (await ortQdq(ort, req('sat1', 'quantize_linear@1', { ...attrs, saturate: 1 }, inputs))) as Answer;
        expect(one.outputs, JSON.stringify(one)).toBeDefined();
        for (const saturate of [0, 2, -1, 2 ** 31, -(2 ** 40), Number.MAX_SAFE_INTEGER]) {
          const r = req(`${dtype}-${blocked ? 'blocked' : 'tensor'}-saturate${saturate}`, 'quantize_linear@1', { ...attrs, saturate }, inputs);
          const answer = (await ortQdq(ort, r)) as Answer;
          expect(answer.outputs, `${r.id}: ORT ignores saturate for an integer output`).toEqual(one.outputs);
          for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, r) as Answer).outputs, replay(r, name)).toEqual(answer.outputs);
          compared++;
        }
      }
    expect(compared).toBe(60);
    // a saturate that is not an integer stays refused
    const half = req('saturate-half', 'quantize_linear@1', { dtype: 'int8', saturate: 0.5 }, { x, y_scale: wireF32([], [1]) });
    for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, half) as Answer).error?.code, replay(half, name)).toMatch(/invalid_integer|malformed_request/);
  });
});
