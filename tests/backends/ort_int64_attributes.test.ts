/**
 * The int64 attributes of the com.microsoft ops qconform models, beyond int32, live on onnxruntime-node 1.30 (in
 * process): which ones ORT's kernels narrow and how (contract/ort_int32_attribute.ts). QAttention's num_heads
 * (AttentionBase) and DynamicQuantizeLSTM's hidden_size (LSTMBase) go through a checked narrow<int>: ORT refuses 2^31,
 * 2^32 and v + 2^32 when it creates the kernel ("narrowing_error"), which qconform now refuses as invalid_integer naming
 * it (it said shape_mismatch: hidden not divisible, W's shape). DynamicQuantizeLSTM's input_forget is `!= 0` on the
 * int64: 2, -1, 2^32, 2^32 + 1 couple the gates as 1 does (qconform refused all but 0 and 1). GatherBlockQuantized's
 * block_size is tested as a power of 2 on the int64: 2^32 + 32 is refused (qconform's int32 bitwise test passed it and
 * computed it as 32). Everything else stays int64 and agrees: QLinearConcat's axis, GatherBlockQuantized's axes and
 * bits, MatMulNBits' K, N, bits and block_size, QAttention's unidirectional (== 1), the windows of QLinearAveragePool
 * and NhwcMaxPool. (QLinearSoftmax's narrow_cast: ort_softmax_int32_attributes.test.ts; MatMulNBits' accuracy_level:
 * ort_nbits_accuracy_level.test.ts; QGemm's transA / transB and the pools' flags travel as booleans.)
 * The table: recorded host vectors (vectors/onnxruntime-1.30-ops, ORT's outputs) with one attribute replaced by each
 * value of its row: ORT's output is reference's and impl's, bit for bit; ORT's refusal is theirs, narrowing_error as
 * invalid_integer.
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Answer = { outputs?: { y: unknown }; error?: { code: string; message: string } };
type Case = { id: string; op: string; attrs: Record<string, unknown>; inputs: Record<string, { shape: number[] }>; expect: object };

const T32 = 2 ** 32;
const T31 = 2 ** 31;
/** each row: op, attribute, the values given it (functions of its recorded value v), which recorded cases to take */
type Row = { op: string; attr: string; values: (v: number) => number[]; take?: (c: Case) => boolean };
const ROWS: Row[] = [
  { op: 'qattention@1', attr: 'num_heads', values: (v) => [v + T32, T31, T32, T31 - 1, v - T32] },
  { op: 'qattention@1', attr: 'unidirectional', values: () => [0, 1, 2, -1, T32, T32 + 1, -T32 + 1], take: (c) => c.inputs.input!.shape[1]! > 1 },
  { op: 'dynamic_quantize_lstm@1', attr: 'hidden_size', values: (v) => [v + T32, T31, T32, v - T32] },
  { op: 'dynamic_quantize_lstm@1', attr: 'input_forget', values: () => [0, 1, 2, -1, T32, T32 + 1, -T32], take: (c) => c.inputs.x!.shape[0]! > 1 },
  { op: 'qlinear_concat@1', attr: 'axis', values: (v) => [v + T32, v - T32, v + T31] },
  { op: 'gather_block_quantized@1', attr: 'gather_axis', values: (v) => [v + T32, v - T32] },
  { op: 'gather_block_quantized@1', attr: 'quantize_axis', values: (v) => [v + T32, v - T32] },
  { op: 'gather_block_quantized@1', attr: 'block_size', values: (v) => [v + T32, T32, v - T32] },
  { op: 'gather_block_quantized@1', attr: 'bits', values: (v) => [v + T32, v - T32], take: (c) => c.attrs.bits !== undefined },
  { op: 'matmul_nbits@1', attr: 'K', values: (v) => [v + T32, v - T32] },
  { op: 'matmul_nbits@1', attr: 'N', values: (v) => [v + T32, v - T32] },
  { op: 'matmul_nbits@1', attr: 'bits', values: (v) => [v + T32, v - T32] },
  { op: 'matmul_nbits@1', attr: 'block_size', values: (v) => [v + T32, v - T32] },
  ...['kernel_shape', 'strides', 'pads'].map((attr): Row => ({ op: 'qlinear_average_pool@1', attr, values: (v) => [v + T32, v + T31], take: (c) => c.attrs[attr] !== undefined })),
  ...['kernel_shape', 'strides', 'pads', 'dilations'].map((attr): Row => ({ op: 'nhwc_max_pool@1', attr, values: (v) => [v + T32, v + T31], take: (c) => c.attrs[attr] !== undefined })),
];
const CASES_PER_ROW = 3;

const recorded = readVectorSet(ORT_OPS_VECTORS_DIR).files.flatMap((f) => f.cases as unknown as Case[]).filter((c) => 'outputs' in c.expect);

function table(): WireRequest[] {
  const out: WireRequest[] = [];
  for (const row of ROWS) {
    const bases = recorded.filter((c) => c.op === row.op && c.attrs[row.attr] !== undefined && (row.take?.(c) ?? true)).slice(0, CASES_PER_ROW);
    expect(bases.length, `${row.op} ${row.attr}: recorded cases`).toBe(CASES_PER_ROW);
    for (const base of bases) {
      const v = base.attrs[row.attr] as number | number[];
      for (const x of row.values(Array.isArray(v) ? v[0]! : v)) {
        const value = Array.isArray(v) ? [x, ...v.slice(1)] : x;
        out.push({ id: `${base.id} ${row.attr}=${JSON.stringify(value)}`, op: base.op, attrs: { ...base.attrs, [row.attr]: value }, inputs: base.inputs } as WireRequest);
      }
    }
  }
  return out;
}

describe('int64 attributes beyond int32 on the com.microsoft ops: as ONNX Runtime 1.30 reads them', () => {
  it('the table: ORT\'s outputs bit for bit, its refusals (narrowing_error as invalid_integer)', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const requests = table();
    const answers = (await runThroughOrt(ort, requests)) as Answer[];
    const tally = { outputs: 0, narrowing: 0, narrowedInt: 0, refused: 0, inputForget: 0, unidirectional: 0 };
    for (const [i, r] of requests.entries()) {
      const answer = answers[i]!;
      if (answer.outputs) {
        expectReferenceAndImplGiveY(r, answer);
        tally.outputs++;
        const a = r.attrs as Record<string, number>;
        if (a.input_forget !== undefined && a.input_forget !== 0 && a.input_forget !== 1) tally.inputForget++;
        if (a.unidirectional !== undefined && (a.unidirectional | 0) !== a.unidirectional) tally.unidirectional++;
        continue;
      }
      const narrowing = answer.error?.message.includes('narrowing_error') ?? false;
      if (narrowing) tally.narrowing++;
      else tally.refused++;
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const got = evaluateRequest(ops, r) as Answer;
        const why = `${evalReplay(r, name)}: ORT refused ${JSON.stringify(answer.error).slice(0, 300)}; got ${JSON.stringify(got).slice(0, 200)}`;
        expect(got.error, why).toBeDefined();
        if (narrowing && (r.op === 'qattention@1' || r.op === 'dynamic_quantize_lstm@1')) {
          if (name === 'reference') tally.narrowedInt++;
          expect(got.error!.code, why).toBe('invalid_integer');
          expect(got.error!.message, why).toContain('narrowing_error');
        }
      }
    }
    // not vacuous: ORT computes with int64 values outside int32 (input_forget, unidirectional, windows), refuses with
    // narrowing_error (num_heads, hidden_size; MatMulNBits' negative N, bits, block_size as size_t) and otherwise
    expect(tally.inputForget).toBe(3 * 5);
    expect(tally.unidirectional).toBe(3 * 3);
    expect(tally.narrowedInt).toBe(2 * 3 * 3); // num_heads, hidden_size: v + 2^32, 2^31, 2^32 on 3 cases each
    expect(tally.narrowing).toBeGreaterThan(tally.narrowedInt);
    expect(tally.outputs).toBeGreaterThan(50);
    expect(tally.refused).toBeGreaterThan(60);
  });

  it('witnesses: input_forget 2^32 is input_forget 1, not 0; gather_block_quantized block_size 2^32 + 32 is refused, not block_size 32', { timeout: 60_000 }, async () => {
    const ort = await installedOrt();
    const lstm = recorded.find((c) => c.op === 'dynamic_quantize_lstm@1' && c.attrs.input_forget === 1 && c.inputs.x!.shape[0]! > 1)!;
    const forget = (v: number) => ({ id: `${lstm.id} input_forget=${v}`, op: lstm.op, attrs: { ...lstm.attrs, input_forget: v }, inputs: lstm.inputs }) as WireRequest;
    const gather = recorded.find((c) => c.op === 'gather_block_quantized@1' && c.attrs.block_size === 32)!;
    const wide = { id: `${gather.id} block_size=2^32 + 32`, op: gather.op, attrs: { ...gather.attrs, block_size: T32 + 32 }, inputs: gather.inputs } as WireRequest;
    const [one, zero, big, gathered] = (await runThroughOrt(ort, [forget(1), forget(0), forget(T32), wide])) as Answer[];
    expect(big!.outputs?.y).toEqual(one!.outputs?.y);
    expect(big!.outputs?.y).not.toEqual(zero!.outputs?.y);
    expectReferenceAndImplGiveY(forget(T32), big!);
    expect(gathered!.error?.message).toContain("'block_size' must be a power of 2");
    for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
      expect((evaluateRequest(ops, wide) as Answer).error?.code, evalReplay(wide, name)).toBe('unsupported_by_scheme');
    }
  });
});
