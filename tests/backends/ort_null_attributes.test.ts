/**
 * A null attribute is "not given" (docs/protocol.md) for every optional attribute of every ONNX op's wire form, live on
 * onnxruntime-node 1.30: for each attribute of each op's schema (contract/onnx_qop_attributes.ts,
 * onnx_quant_attributes.ts: its ONNX attributes under their wire names, qconform's own, and those the wire form does
 * not take), the request with the attribute null gets exactly the answer of the request without it, on reference, impl
 * and the onnxruntime backend (ORT_OPS: the node is built as for an absent attribute). Before, group, pads, strides,
 * dilations, auto_pad, clip, direction, accuracy_level, epsilon, GatherBlockQuantized's integers and the kernels' names
 * refused a null (malformed_request) while an absent one took its default. A required attribute (REQUIRED) refuses a
 * null as it refuses an absent one, on all three, saying it is required. Each base request is the shortest computed
 * case of the op's committed vectors (vectors/onnxruntime-1.30-ops, -qdq) that carries the attribute (else the shortest
 * computed one), so dropping it changes what is computed. No randomness; failures print a replay line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import type { OnnxAttributeSchema } from '../../contract/onnx_attributes.js';
import { ONNX_QOP_ATTRIBUTES } from '../../contract/onnx_qop_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../contract/onnx_quant_attributes.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const SCHEMAS: Readonly<Record<string, OnnxAttributeSchema>> = { ...ONNX_QUANT_ATTRIBUTES, ...ONNX_QOP_ATTRIBUTES };

/** The attributes each op's wire form requires (docs/protocol.md's op tables); every other one is optional. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'quantize_linear@1': ['dtype'],
  'qlinear_softmax@1': ['opset'],
  'qlinear_average_pool@1': ['kernel_shape'],
  'qlinear_concat@1': ['axis'],
  'dynamic_quantize_lstm@1': ['hidden_size'],
  'matmul_nbits@1': ['K', 'N', 'bits', 'block_size'],
  'qattention@1': ['num_heads'],
  'nhwc_max_pool@1': ['kernel_shape'],
};

/** Every attribute name a request of the op may carry under its schema: ONNX attributes (encoded ones by their wire name), qconform's own, and those the wire form does not take. */
function wireAttributes(s: OnnxAttributeSchema): string[] {
  const wireNameOf = new Map(Object.entries(s.encoded ?? {}).map(([wire, e]) => [e.onnx, wire]));
  const names = [...Object.keys(s.onnx).map((n) => wireNameOf.get(n) ?? n), ...Object.keys(s.wire ?? {}), ...Object.keys(s.notOnWire ?? {})];
  return [...new Set(names)];
}

const DIRS = ['onnxruntime-1.30-ops', 'onnxruntime-1.30-qdq'];
type Case = { line: string; request: WireRequest };

/** The computed cases of the op's committed vector file. */
function computedCases(op: string): Case[] {
  const file = `${op.split('@')[0]}.v1.jsonl`;
  const dir = DIRS.find((d) => { try { readFileSync(new URL(`../../vectors/${d}/${file}`, import.meta.url)); return true; } catch { return false; } });
  if (!dir) throw new Error(`no vector file for ${op}`);
  const lines = readFileSync(new URL(`../../vectors/${dir}/${file}`, import.meta.url), 'utf8').split('\n').filter(Boolean);
  return lines.flatMap((line) => {
    const c = JSON.parse(line);
    return c.expect?.outputs ? [{ line, request: { id: c.id, op, attrs: c.attrs ?? {}, inputs: c.inputs } as WireRequest }] : [];
  });
}

/** The shortest computed case carrying `name` (not null), else the shortest computed case. */
function baseFor(cases: readonly Case[], name: string): WireRequest {
  const shortest = (cs: readonly Case[]) => cs.reduce((a, b) => (b.line.length < a.line.length ? b : a));
  const carrying = cases.filter((c) => c.request.attrs?.[name] != null);
  return shortest(carrying.length ? carrying : cases).request;
}

const without = (r: WireRequest, name: string, id: string): WireRequest => {
  const attrs = { ...r.attrs };
  delete attrs[name];
  return { ...r, id, attrs };
};
const withNull = (r: WireRequest, name: string, id: string): WireRequest => ({ ...r, id, attrs: { ...r.attrs, [name]: null } });

const replay = (r: WireRequest, backend: string) => `${r.id} on ${backend} (replay: echo '${JSON.stringify(r).slice(0, 20_000)}' | npx qconform eval --backend ${backend})`;

type Backend = readonly [name: string, answer: (r: WireRequest) => Promise<WireResponse>];
async function backends(): Promise<Backend[]> {
  const ort = (await loadOrt())!;
  return [
    ['reference', async (r) => evaluateRequest(reference, r)],
    ['impl', async (r) => evaluateRequest(impl, r)],
    ['onnxruntime', (r) => ORT_OPS[r.op]!(ort, r)],
  ];
}

describe('ONNX ops: a null attribute is not given', () => {
  it('the table of required attributes names attributes of the schemas, and reference refuses each one absent', () => {
    for (const [op, names] of Object.entries(REQUIRED)) {
      for (const name of names) {
        expect(wireAttributes(SCHEMAS[op]!), op).toContain(name);
        const r = without(baseFor(computedCases(op), name), name, `${op}-${name}-absent`);
        const got = evaluateRequest(reference, r);
        expect('error' in got ? got.error.code : 'outputs', replay(r, 'reference')).toBe('malformed_request');
      }
    }
  });

  it('every optional attribute of every op: null gets the answer of absent on reference, impl and onnxruntime', { timeout: 600_000 }, async () => {
    const all = await backends();
    let rows = 0;
    let computed = 0;
    for (const [op, schema] of Object.entries(SCHEMAS)) {
      const cases = computedCases(op);
      for (const name of wireAttributes(schema).filter((n) => !REQUIRED[op]?.includes(n))) {
        const base = baseFor(cases, name);
        const id = `${op}-${name}`;
        const absent = without(base, name, id);
        const nulled = withNull(base, name, id);
        const answers: Record<string, WireResponse> = {};
        for (const [backend, answer] of all) {
          const want = await answer(absent);
          const got = await answer(nulled);
          expect(got, `${replay(nulled, backend)}: absent gives ${JSON.stringify(want).slice(0, 300)}`).toEqual(want);
          answers[backend] = want;
        }
        rows++;
        // non-vacuity: most rows compute, and where the three compute they agree (the contract may refuse what ORT
        // computes: a deviation the vector files record, ort_deviations)
        if (Object.values(answers).every((a) => 'outputs' in a)) {
          computed++;
          for (const backend of ['reference', 'impl']) expect(answers[backend], replay(absent, backend)).toEqual(answers.onnxruntime);
        }
      }
    }
    expect(rows).toBeGreaterThanOrEqual(60);
    expect(computed).toBeGreaterThanOrEqual(rows * 0.8);
  });

  it('every required attribute: null is refused as absent is (malformed_request, saying it is required) on reference, impl and onnxruntime', { timeout: 120_000 }, async () => {
    const all = await backends();
    for (const [op, names] of Object.entries(REQUIRED)) {
      const cases = computedCases(op);
      for (const name of names) {
        const r = withNull(baseFor(cases, name), name, `${op}-${name}-null`);
        for (const [backend, answer] of all) {
          const got = await answer(r);
          expect('error' in got ? got.error.code : 'outputs', replay(r, backend)).toBe('malformed_request');
          expect('error' in got && got.error.message, replay(r, backend)).toContain(`${op}: attrs.${name}: `);
          expect('error' in got && got.error.message, replay(r, backend)).toContain(`attrs.${name} is required (absent or null is not given)`);
        }
      }
    }
  });
});
