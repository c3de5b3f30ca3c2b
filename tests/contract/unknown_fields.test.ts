/**
 * A request field its op does not take is refused (malformed_request naming the op, the field and the fields the op
 * takes), never ignored: the protocol decoder read fields by name and ignored the rest, so qlinear_conv_nhwc@1 with its
 * bias named `B` was computed without a bias and answered as if correct (conformance/protocol/request_fields.ts).
 * Each row takes a committed vector case that the backend answers with outputs (the base, which must still pass: not
 * vacuous) and misnames or adds one input or attribute (the MISNAMED table per op family, and a field no op takes on
 * every op); every row must be refused by the reference and impl (evaluateRequest), and live by every backend that
 * forwards a request to a real library: onnxruntime-node 1.30 (before ORT builds the model), the torch 1.13 adapter
 * (qconform_torch.py), LiteRT, TOSA (mlir 19) and the native XNNPACK and gemmlowp adapters. On the old decoders every
 * one of these tests fails (the rows were answered with outputs).
 * Replay: npx vitest run tests/contract/unknown_fields.test.ts -t '<backend>' (the failing row's request is printed)
 */
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { runThroughTorch, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { evaluateRequest, servedOpNames } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { ONNX_QOP_ATTRIBUTES } from '../../contract/onnx_qop_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from '../../contract/onnx_quant_attributes.js';
import { COMMITTED_VECTOR_DIRS, ORT_OPS_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, ORT_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, TORCH_LINEAR_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR, TORCH_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

type Section = 'inputs' | 'attrs';

/** One misnamed or added field: `name` carries the value of the base's `from` (renamed away), of its `copy`, or `value`. */
interface Row {
  readonly op: string;
  readonly section: Section;
  readonly name: string;
  readonly from?: string;
  readonly copy?: string;
  readonly value?: unknown;
}

const F32_ONE = { dtype: 'float32', shape: [], hex: ['3f800000'] };

/** Misnamings that look right (the per op family table): a renamed optional input, another op's attribute, camel case. */
const MISNAMED: readonly Row[] = [
  // ONNX integer ops (com.microsoft / ai.onnx): optional inputs under ONNX's own or another spelling
  { op: 'qlinear_conv_nhwc@1', section: 'inputs', name: 'B', from: 'bias', value: { dtype: 'int32', shape: [1], values: [1000] } },
  { op: 'qgemm@1', section: 'inputs', name: 'C', from: 'c', value: { dtype: 'int32', shape: [1], values: [1000] } },
  { op: 'matmul_integer@1', section: 'inputs', name: 'azp', from: 'a_zero_point', value: { dtype: 'quint8', shape: [], values: [3] } },
  { op: 'matmul_integer_to_float@1', section: 'inputs', name: 'B_bias', from: 'bias', value: F32_ONE },
  { op: 'conv_integer@1', section: 'inputs', name: 'x_zp', from: 'x_zero_point', value: { dtype: 'quint8', shape: [], values: [3] } },
  { op: 'qlinear_add@1', section: 'inputs', name: 'C_zero_point', from: 'c_zero_point', value: { dtype: 'quint8', shape: [], values: [3] } },
  { op: 'dynamic_quantize_lstm@1', section: 'inputs', name: 'B', from: 'b' },
  { op: 'qattention@1', section: 'inputs', name: 'mask', from: 'mask_index' },
  { op: 'gather_block_quantized@1', section: 'inputs', name: 'zero_point', from: 'zero_points' },
  { op: 'matmul_nbits@1', section: 'inputs', name: 'g_idx', value: { dtype: 'int32', shape: [1], values: [0] } },
  { op: 'qlinear_concat@1', section: 'inputs', name: 'x7', copy: 'x0' }, // past a gap in the numbering
  // ONNX quantization ops
  { op: 'quantize_linear@1', section: 'inputs', name: 'zero_point', from: 'y_zero_point', value: { dtype: 'qint8', shape: [], values: [3] } },
  { op: 'dequantize_linear@1', section: 'inputs', name: 'zero_point', from: 'x_zero_point', value: { dtype: 'qint8', shape: [], values: [3] } },
  { op: 'ms_quantize_linear@1', section: 'inputs', name: 'zero_point', from: 'y_zero_point', value: { dtype: 'quint8', shape: [], values: [3] } },
  { op: 'dynamic_quantize_linear@1', section: 'inputs', name: 'y_scale', value: F32_ONE },
  // torch convs and linears: ONNX's bias name, a static linear's attribute on the dynamic one
  { op: 'quantized_conv2d@1', section: 'inputs', name: 'B', from: 'bias', value: { dtype: 'float32', shape: [1], hex: ['447a0000'] } },
  { op: 'quantized_linear@1', section: 'inputs', name: 'Bias', from: 'bias', value: { dtype: 'float32', shape: [1], hex: ['447a0000'] } },
  { op: 'quantized_linear_dynamic@1', section: 'attrs', name: 'x_scale', value: '3ff0000000000000' },
  // torch quantize / observer ops: an attribute of another op (torch's Python API has no such argument)
  { op: 'quantize_per_tensor@1', section: 'attrs', name: 'axis', value: 0 },
  { op: 'dequantize_per_tensor@1', section: 'attrs', name: 'dtype', value: 'quint8' },
  { op: 'decomposed_dequantize_per_channel@1', section: 'inputs', name: 'zero_point', from: 'zero_points' },
  { op: 'min_max_observer@1', section: 'attrs', name: 'ch_axis', value: 0 },
  { op: 'moving_average_min_max_observer@1', section: 'attrs', name: 'averagingConstant', from: 'averaging_constant', value: '3fb999999999999a' },
  { op: 'histogram_observer@1', section: 'attrs', name: 'upsampleRate', from: 'upsample_rate', value: 16 },
  { op: 'fixed_qparams_observer@1', section: 'attrs', name: 'reduce_range', value: true },
  { op: 'calculate_qmin_qmax@1', section: 'attrs', name: 'eps', value: '3eb0c6f7a0b5ed8d' },
  { op: 'calculate_qparams@1', section: 'attrs', name: 'averaging_constant', value: '3f847ae147ae147b' },
  // torch's hard activations: torch.set_num_threads's name, hardswish's output attributes on hardsigmoid
  { op: 'quantized_hardswish@1', section: 'attrs', name: 'num_threads', from: 'threads' },
  { op: 'quantized_hardsigmoid@1', section: 'attrs', name: 'scale', value: '3f70000000000000' },
  // torch's mul: ONNX QLinearMul's name for the output's zero point
  { op: 'quantized_mul@1', section: 'attrs', name: 'y_zero_point', from: 'relu', value: false },
  // torch's mean: a dims beside Tensor.mean's dim, torch.set_num_threads's name
  { op: 'quantized_mean@1', section: 'attrs', name: 'dims', value: [2, 3] },
  { op: 'quantized_mean@1', section: 'attrs', name: 'num_threads', from: 'threads' },
  // QNNPACK's mean: quantized_mean@1's layout and capability, which change nothing on this path
  { op: 'qnnpack_mean@1', section: 'attrs', name: 'memory_format', value: 'channels_last' },
  { op: 'qnnpack_mean@1', section: 'attrs', name: 'cpu_capability', value: 'avx2' },
  { op: 'requantize@1', section: 'inputs', name: 'bias', value: { dtype: 'int32', shape: [1], values: [1] } },
];

/** A field no op takes, on every served op: an input (a copy of one the base has) and an attribute. */
const UNKNOWN = 'zz_not_a_field';

const ONNX_SCHEMAS: Readonly<Record<string, unknown>> = { ...ONNX_QUANT_ATTRIBUTES, ...ONNX_QOP_ATTRIBUTES };

const SETS = new Map<string, ReturnType<typeof readVectorSet>>();
const setOf = (dir: string) => SETS.get(dir) ?? SETS.set(dir, readVectorSet(dir)).get(dir)!;

/**
 * The first committed case of `op` in `dirs` whose expectation is outputs, one with every field its rows rename if any
 * is; for an op no case of which has outputs (placeholder_observer@1: torch always refuses it), its first case.
 */
function baseCase(op: string, dirs: readonly string[], runs: (k: VectorCase) => boolean = () => true): { request: WireRequest; outputs: boolean } | null {
  const renamed = MISNAMED.filter((r) => r.op === op && r.from !== undefined);
  const all = dirs.flatMap((dir) => setOf(dir).files.flatMap((f) => f.cases.filter((k) => k.op === op && runs(k))));
  const cases = all.filter((k) => 'outputs' in k.expect);
  const c = cases.find((k) => renamed.every((r) => k[r.section][r.from!] != null)) ?? cases[0] ?? all[0];
  return c ? { request: { id: c.id, op: c.op, attrs: { ...c.attrs }, inputs: { ...c.inputs } }, outputs: 'outputs' in c.expect } : null;
}

function withRow(base: WireRequest, row: Row): WireRequest {
  const section = { ...(base[row.section] ?? {}) };
  const given = (name?: string) => (name !== undefined && section[name] !== undefined && section[name] !== null ? section[name] : undefined);
  const value = given(row.from) ?? given(row.copy) ?? row.value;
  if (value === undefined) throw new Error(`${row.op}: the base has no ${row.section}.${row.from} and the row gives no value`);
  if (row.from !== undefined) delete section[row.from];
  section[row.name] = value;
  return { ...base, id: `${base.id}+${row.section}.${row.name}`, [row.section]: section };
}

/** The rows of `op` on a base: its misnamings, an unknown input and an unknown attribute. */
function rowsOf(op: string, base: WireRequest): Row[] {
  const firstInput = Object.keys(base.inputs ?? {})[0];
  return [...MISNAMED.filter((r) => r.op === op), { op, section: 'inputs', name: UNKNOWN, copy: firstInput, value: F32_ONE }, { op, section: 'attrs', name: UNKNOWN, value: 1 }];
}

/** The refusal every row must get: malformed_request naming the op and the field, and (but for an ONNX op's attribute, which its schema check names) the fields the op takes. */
function expectRefused(row: Row, base: WireRequest, got: WireResponse, where: string): void {
  expect('error' in got ? got.error.code : `outputs ${JSON.stringify(got).slice(0, 200)}`, where).toBe('malformed_request');
  if (!('error' in got)) return;
  const message = got.error.message;
  expect(message, where).toContain(row.name);
  // an ONNX op's attribute: its schema check names it (contract/onnx_attributes.ts), or ORT itself refuses the model
  if (row.section === 'attrs' && row.op in ONNX_SCHEMAS) return;
  expect(message, where).toContain(row.op);
  // the message lists what the op takes: every field of the base request it was refused on
  const noun = row.section === 'inputs' ? 'input' : 'attribute';
  expect(message, where).toContain(`takes no ${noun} ${row.name}; its ${row.section}: `);
  const takes = message.slice(message.indexOf(`its ${row.section}: `));
  for (const field of Object.keys(base[row.section] ?? {})) if (field !== row.from) expect(takes, `${where}: lists ${field}`).toContain(field);
}

/** The request (cut short) and the command that answers it; `qconform eval` is the reference's server. */
const replay = (r: WireRequest, backend = 'reference') => `replay: npx vitest run tests/contract/unknown_fields.test.ts -t '${backend}'; request ${JSON.stringify(r).slice(0, 400)}...`;

describe('a request field its op does not take is refused, never ignored', () => {
  const ops = servedOpNames(reference);

  it('reference and impl refuse every row of every op (and answer each base)', () => {
    let rows = 0;
    const missing: string[] = [];
    for (const op of ops) {
      const found = baseCase(op, COMMITTED_VECTOR_DIRS);
      if (!found) {
        missing.push(op);
        continue;
      }
      const base = found.request;
      for (const [name, q] of [['reference', reference], ['impl', impl]] as const) {
        expect('outputs' in evaluateRequest(q, base), `${op} base ${base.id} on ${name}`).toBe(found.outputs);
        for (const row of rowsOf(op, base)) {
          const r = withRow(base, row);
          expectRefused(row, base, evaluateRequest(q, r), `${r.id} on ${name} (${replay(r, 'reference and impl')})`);
          rows++;
        }
      }
    }
    // every op of the contract has a committed case to start from, and every misnamed row an op that is served
    expect(missing).toEqual([]);
    expect(MISNAMED.filter((r) => !ops.includes(r.op))).toEqual([]);
    expect(rows).toBe(2 * (2 * ops.length + MISNAMED.length));
  });

  it('the onnxruntime backend refuses every row before ORT runs, live on onnxruntime-node 1.30 (and runs each base)', { timeout: 300_000 }, async () => {
    const ort = await loadOrt();
    expect(ort, 'onnxruntime-node is installed').not.toBeNull();
    let rows = 0;
    for (const op of Object.keys(ORT_OPS)) {
      const base = baseCase(op, [ORT_VECTORS_DIR, ORT_OPS_VECTORS_DIR, ORT_QDQ_VECTORS_DIR])?.request;
      expect(base, `${op}: a committed ORT case with outputs`).not.toBeNull();
      const ran = await ORT_OPS[op]!(ort!, base!);
      expect('outputs' in ran ? 'outputs' : JSON.stringify(ran), `${op} base ${base!.id} on ORT`).toBe('outputs');
      for (const row of rowsOf(op, base!)) {
        const r = withRow(base!, row);
        expectRefused(row, base!, await ORT_OPS[op]!(ort!, r), `${r.id} on onnxruntime (${replay(r, 'onnxruntime')})`);
        rows++;
      }
    }
    expect(rows).toBe(2 * Object.keys(ORT_OPS).length + MISNAMED.filter((r) => r.op in ORT_OPS).length);
  });

  it.runIf(torchAvailable())('the torch adapter refuses every row, live on torch 1.13 (and answers each base)', { timeout: 600_000 }, async () => {
    const bases: WireRequest[] = [];
    const rows: { row: Row; base: WireRequest; request: WireRequest }[] = [];
    for (const op of ops) {
      // not an op of the torch 1.13 sets (ONNX ops, @2 ops, requantize), or one torch always refuses (placeholder_observer@1):
      // the adapter process alone (runThroughTorch) refuses an unread field once torch has answered, so torch's own
      // refusal comes first there (the built-in torch backends refuse it first: tests/backends/unread_fields_first.test.ts)
      // quantized_add@1, quantized_cat@1, quantized_avg_pool2d@1: a case of the capability torch 1.13 picks on an AVX2 or AVX512 host (AVX2), which its process runs
      const found = baseCase(op, [TORCH_VECTORS_DIR, TORCH_LINEAR_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, TORCH_POOL_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, TORCH_QNNPACK_ADD_VECTORS_DIR, TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, TORCH_XNNPACK_ADD_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, TORCH_QNNPACK_MEAN_VECTORS_DIR], (k) => k.attrs?.cpu_capability === undefined || k.attrs.cpu_capability === 'avx2');
      if (!found?.outputs) continue;
      const base = found.request;
      bases.push(base);
      for (const row of rowsOf(op, base)) rows.push({ row, base, request: withRow(base, row) });
    }
    const { handshake, responses } = await runThroughTorch([...bases, ...rows.map((r) => r.request)]);
    const answered = new Set(handshake.ops);
    bases.forEach((b, k) => expect(answered.has(b.op) && 'outputs' in responses[k]! ? 'outputs' : JSON.stringify(responses[k]), `${b.op} base ${b.id} on torch`).toBe('outputs'));
    rows.forEach(({ row, base, request }, k) => expectRefused(row, base, responses[bases.length + k]!, `${request.id} on torch (${replay(request, 'torch')})`));
    // every op the adapter answers has a base, but placeholder_observer@1 (above)
    expect(handshake.ops.filter((op) => op !== 'placeholder_observer@1' && !bases.some((b) => b.op === op))).toEqual([]);
  });

  // the other backends that forward a request to a real library: LiteRT, TOSA (mlir-opt / mlir-cpu-runner 19), and the
  // native XNNPACK and gemmlowp adapters (each live where it is installed: the reason is printed when it is not)
  for (const name of ['litert', 'tosa-mlir', 'xnnpack', 'gemmlowp']) {
    const builtin = builtinBackend(name)!;
    const availability = builtin.availability();
    if (!availability.available) console.log(`${name} not run: ${availability.reason}`);
    it.runIf(availability.available)(`the ${name} backend refuses every row of its ops, live (and answers each base)`, { timeout: 600_000 }, async () => {
      const backend = await builtin.create();
      try {
        let rows = 0;
        for (const op of backend.capabilities.ops) {
          const found = baseCase(op, [builtin.defaultVectors ?? []].flat());
          expect(found?.outputs, `${op}: a committed ${name} case with outputs`).toBe(true);
          const base = found!.request;
          const ran = await backend.run(base, { timeoutMs: 120_000 });
          expect('outputs' in ran ? 'outputs' : JSON.stringify(ran), `${op} base ${base.id} on ${name}`).toBe('outputs');
          for (const row of rowsOf(op, base)) {
            const r = withRow(base, row);
            expectRefused(row, base, await backend.run(r, { timeoutMs: 120_000 }), `${r.id} on ${name} (${replay(r, name)})`);
            rows++;
          }
        }
        expect(rows).toBeGreaterThanOrEqual(2);
      } finally {
        await backend.close?.();
      }
    });
  }
});
