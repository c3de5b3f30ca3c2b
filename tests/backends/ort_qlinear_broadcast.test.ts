/**
 * com.microsoft QLinearAdd / QLinearMul under every numpy broadcast, against the real ONNX Runtime (onnxruntime-node
 * 1.30, in process, this host's CPU). ORT's InputBroadcaster splits the output into spans and, once per call, makes a
 * the scalar of every span, b the scalar, or neither (contract/ort_broadcast_spans.ts); MlasQLinearAdd's operand order
 * follows, and its fused multiply-adds round differently when the order flips. Seeded shape pairs of rank 0 to 4 (the
 * per-channel forms [1, C, 1, 1] with [1, C, H, W], [N, 1, W] with [N, H, W], [2, 1, 3] with [1, 4, 3], [3, 1] with
 * [1, 4], and a [3, 1] or [256, 1] with a one-element b, which ORT runs with a, not b, as the scalar), both dtypes, both
 * ops, both operand orders, run through ORT; reference and impl must give ORT's outputs bit for bit. Not vacuous: for
 * QLinearAdd the scales and zero points are searched (seeded, bounded) so that the other operand order gives another
 * output, and the test asserts that ORT's outputs refute the other order in many cases of every span kind.
 * Empty broadcasts (a dimension of 0): a 0 against a 0, a 1 or a missing dimension gives ORT's empty y ([0, 3] with
 * [1, 3] or [3], [2, 0] with [2, 1], [0] with []); a 0 against any other dimension is refused, by ORT's shape inference
 * when the model carries the shapes ("Incompatible dimensions") and by its kernel's Broadcaster when it does not ("Can
 * broadcast 0 by 0 or 1"). Both paths run here, and
 * reference and impl must give ORT's empty y (dtype and shape) or refuse (`shape_mismatch`) where ORT refuses.
 */
import { describe, expect, it } from 'vitest';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { QLinearBinaryArgs } from '../../contract/onnx_qops.js';
import { checkQLinearBinary } from '../../contract/qlinear_binary_checks.js';
import { f32Tensor, intTensor, numel } from '../../contract/tensor.js';
import { decodeTensor, f32ToHex } from '../../contract/wire.js';
import { type OnnxElem, oneNodeModel } from '../../conformance/backends/onnxruntime/one_node_model.js';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import type { OrtModule } from '../../conformance/backends/onnxruntime/qlinear_conv.js';
import { emptyBroadcastShapes } from '../../conformance/cases/ort_fuzz_broadcast_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { clampInt, cvt32, f32Div, f32Fma, f32Mul, f32Sub } from '../../impl/float32.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { installedOrt } from '../support/installed_ort.js';

const SEED = 'ort-qlinear-broadcast';
const RANDOM_PAIRS = 36;
const WITNESSES = 24;

/** The forms the task names, then seeded pairs: out dims 1..6, each dim shared, 1 on one side or both, leading dims dropped. */
function shapePairs(r: CaseRandom): [number[], number[]][] {
  const named: [number[], number[]][] = [
    [[1, 4, 1, 1], [1, 4, 3, 5]],
    [[2, 1, 6], [2, 5, 6]],
    [[2, 1, 3], [1, 4, 3]],
    [[3, 1], [1, 4]],
    [[3, 1], [1]],
    [[256, 1], [1]],
    [[5, 2, 1], []],
    [[1, 1], [1]],
    [[], [7]],
    [[6, 4], [4]],
  ];
  const drawn: [number[], number[]][] = [];
  while (drawn.length < RANDOM_PAIRS) {
    const rank = r.int(1, 4);
    const out = Array.from({ length: rank }, () => r.int(2, 6));
    const a: number[] = [];
    const b: number[] = [];
    for (const d of out) {
      const kind = r.int(0, 3); // shared, 1 in a, 1 in b, 1 in both
      a.push(kind === 1 || kind === 3 ? 1 : d);
      b.push(kind === 2 || kind === 3 ? 1 : d);
    }
    const drop = (s: number[]) => (r.bool(0.3) ? s.slice(r.int(1, s.length)) : s);
    const pair: [number[], number[]] = r.bool(0.5) ? [drop(a), b] : [a, drop(b)];
    if (numel(out) <= 720) drawn.push(pair);
  }
  return [...named, ...drawn];
}

/** The request's arguments as the contract takes them. */
function args(o: { dtype: QuantDtype; sa: number[]; sb: number[]; av: number[]; bv: number[]; s: [number, number, number]; z: [number, number, number] }): QLinearBinaryArgs {
  const zp = (v: number) => intTensor(o.dtype, [], [v]);
  return { a: intTensor(o.dtype, o.sa, o.av), aScale: f32Tensor([], [o.s[0]]), aZeroPoint: zp(o.z[0]), b: intTensor(o.dtype, o.sb, o.bv), bScale: f32Tensor([], [o.s[1]]), bZeroPoint: zp(o.z[1]), cScale: f32Tensor([], [o.s[2]]), cZeroPoint: zp(o.z[2]) };
}

/**
 * QLinearAdd's float32 steps (reference/onnx/qlinear_binary.ts) with MLAS's InputA chosen by the caller: `bFirst`
 * streams b as P. The model takes ORT's order; the other order is the hypothesis this test refutes.
 */
function addInOrder(a: QLinearBinaryArgs, bFirst: boolean): number[] {
  const g = checkQLinearBinary('qlinear_add', a);
  const sc = a.cScale.data[0] as number;
  const [rA, rB] = [f32Div(a.aScale.data[0] as number, sc), f32Div(a.bScale.data[0] as number, sc)];
  const [rP, zP, rQ, zQ] = bFirst ? [rB, g.bZeroPoint, rA, g.aZeroPoint] : [rA, g.aZeroPoint, rB, g.bZeroPoint];
  const fixed = f32Sub(g.cZeroPoint, f32Fma(rP, zP, f32Mul(rQ, zQ)));
  const { min, max } = DTYPE_RANGE[g.dtype];
  return Array.from({ length: g.count }, (_, i) => {
    const [av, bv] = [a.a.data[g.aIndex[i]!] as number, a.b.data[g.bIndex[i]!] as number];
    const [p, q] = bFirst ? [bv, av] : [av, bv];
    return clampInt(cvt32(f32Fma(p, rP, f32Fma(q, rQ, fixed))), min, max);
  });
}

/**
 * A QLinearAdd element on which MLAS's two operand orders give different outputs: P (InputA, streamed) has scale sP,
 * zero point zP and value p, Q the others. Searched once per dtype over every (p, q) for seeded scales and zero points.
 */
interface OrderWitness {
  readonly sP: number;
  readonly zP: number;
  readonly p: number;
  readonly sQ: number;
  readonly zQ: number;
  readonly q: number;
  readonly sc: number;
  readonly zc: number;
}

function orderWitnesses(r: CaseRandom, dtype: QuantDtype, count: number): OrderWitness[] {
  const { min, max } = DTYPE_RANGE[dtype];
  const found: OrderWitness[] = [];
  for (let t = 0; t < 100 * count && found.length < count; t++) {
    const [sP, sQ, sc] = [Math.fround(Math.exp(r.next() * 6 - 6)), Math.fround(Math.exp(r.next() * 6 - 6)), Math.fround(Math.exp(r.next() * 6 - 7))];
    const [zP, zQ, zc] = [r.int(min, max), r.int(min, max), r.int(min, max)];
    const zp = (v: number) => intTensor(dtype, [], [v]);
    const a = { a: intTensor(dtype, [max - min + 1, 1], Array.from({ length: max - min + 1 }, (_, i) => min + i)), aScale: f32Tensor([], [sP]), aZeroPoint: zp(zP), b: intTensor(dtype, [1, max - min + 1], Array.from({ length: max - min + 1 }, (_, i) => min + i)), bScale: f32Tensor([], [sQ]), bZeroPoint: zp(zQ), cScale: f32Tensor([], [sc]), cZeroPoint: zp(zc) };
    const [mine, other] = [addInOrder(a, false), addInOrder(a, true)];
    const at = mine.findIndex((v, i) => v !== other[i]);
    if (at >= 0) found.push({ sP, zP, p: min + Math.floor(at / (max - min + 1)), sQ, zQ, q: min + (at % (max - min + 1)), sc, zc });
  }
  expect(found.length, `${dtype} witnesses of the operand order (seed ${SEED})`).toBe(count);
  return found;
}

interface Drawn {
  readonly request: WireRequest;
  readonly args: QLinearBinaryArgs;
  /** QLinearAdd only: the outputs with MLAS's operands in the order ORT does not use (they differ from the model's) */
  readonly otherOrder: number[] | null;
}

/**
 * One case, values random; for QLinearAdd the scales and zero points of a witness, its P and Q values planted in one
 * output element's a and b (P the operand ORT streams), so that the other operand order changes that output.
 */
function drawCase(r: CaseRandom, id: string, op: 'qlinear_add@1' | 'qlinear_mul@1', dtype: QuantDtype, sa: number[], sb: number[], witnesses: readonly OrderWitness[]): Drawn {
  const { min, max } = DTYPE_RANGE[dtype];
  const o = {
    dtype,
    sa,
    sb,
    av: Array.from({ length: numel(sa) }, () => r.int(min, max)),
    bv: Array.from({ length: numel(sb) }, () => r.int(min, max)),
    s: [Math.fround(Math.exp(r.next() * 6 - 6)), Math.fround(Math.exp(r.next() * 6 - 6)), Math.fround(Math.exp(r.next() * 6 - 7))] as [number, number, number],
    z: [r.int(min, max), r.int(min, max), r.int(min, max)] as [number, number, number],
  };
  let otherOrder: number[] | null = null;
  if (op === 'qlinear_add@1') {
    const w = r.pick(witnesses);
    const g = checkQLinearBinary('qlinear_add', args(o));
    const at = r.int(0, g.count - 1);
    const bFirst = g.spans.scalar === 'a';
    const [pa, pb] = bFirst ? [w.q, w.p] : [w.p, w.q];
    o.av[g.aIndex[at]!] = pa;
    o.bv[g.bIndex[at]!] = pb;
    o.s = bFirst ? [w.sQ, w.sP, w.sc] : [w.sP, w.sQ, w.sc];
    o.z = bFirst ? [w.zQ, w.zP, w.zc] : [w.zP, w.zQ, w.zc];
    const a = args(o);
    otherOrder = addInOrder(a, !bFirst);
    expect(otherOrder[at], `${id}: the planted witness separates the two orders`).not.toBe(addInOrder(a, bFirst)[at]);
  }
  const hex = (v: number) => ({ dtype: 'float32', shape: [], hex: [f32ToHex(v)] });
  const zp = (v: number) => ({ dtype, shape: [], values: [v] });
  const request: WireRequest = {
    id,
    op,
    attrs: {},
    inputs: { a: { dtype, shape: sa, values: o.av }, a_scale: hex(o.s[0]), a_zero_point: zp(o.z[0]), b: { dtype, shape: sb, values: o.bv }, b_scale: hex(o.s[1]), b_zero_point: zp(o.z[1]), c_scale: hex(o.s[2]), c_zero_point: zp(o.z[2]) },
  };
  return { request, args: args(o), otherOrder };
}

const outputValues = (r: WireResponse, id: string): number[] => {
  expect('outputs' in r, `${id}: ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
  return (r as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values;
};

describe('QLinearAdd / QLinearMul under numpy broadcasting, as ONNX Runtime 1.30 computes them', () => {
  it('seeded shape pairs (rank 0-4, both dtypes, both ops, both operand orders): reference and impl give ORT\'s outputs bit for bit', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const r = new CaseRandom(SEED);
    const witnesses = { quint8: orderWitnesses(r, 'quint8', WITNESSES), qint8: orderWitnesses(r, 'qint8', WITNESSES) };
    const cases: Drawn[] = [];
    for (const [i, [sa, sb]] of shapePairs(r).entries()) {
      for (const [order, x, y] of [['ab', sa, sb], ['ba', sb, sa]] as const) {
        for (const op of ['qlinear_add@1', 'qlinear_mul@1'] as const) {
          for (const dtype of ['quint8', 'qint8'] as const) cases.push(drawCase(r, `${op.split('@')[0]}-${i}-${order}-${dtype}-${JSON.stringify(x)}x${JSON.stringify(y)}`, op, dtype, x, y, witnesses[dtype]));
        }
      }
    }
    const answers = await runThroughOrt(ort, cases.map((c) => c.request));
    const refuted = { a: 0, b: 0, spans: 0 };
    let generalBroadcasts = 0;
    let oneElementBIsSpan = 0;
    for (const [i, c] of cases.entries()) {
      const id = c.request.id;
      const want = outputValues(answers[i]!, id);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        expect(outputValues(evaluateRequest(ops, c.request), id), `${id} on ${name} (seed ${SEED}; replay: echo '${JSON.stringify(c.request)}' | npx qconform eval --backend ${name})`).toEqual(want);
      }
      const g = checkQLinearBinary('x', c.args);
      const [na, nb] = [c.args.a.data.length, c.args.b.data.length];
      // neither equal shapes nor a one-element operand nor a suffix: the broadcasts qconform refused before
      if (na > 1 && nb > 1 && na !== g.count && nb !== g.count) generalBroadcasts++;
      if (c.otherOrder && JSON.stringify(c.otherOrder) !== JSON.stringify(want)) {
        refuted[g.spans.scalar ?? 'spans']++;
        if (g.spans.scalar === 'a' && nb === 1 && na > 1) oneElementBIsSpan++;
      }
    }
    // not vacuous: on every QLinearAdd case ORT's outputs refute the other operand order, in every span kind
    expect(refuted.a + refuted.b + refuted.spans).toBe(cases.filter((c) => c.request.op === 'qlinear_add@1').length);
    expect(refuted.a, 'a the scalar of every span: cases where streaming a instead differs from ORT').toBeGreaterThan(30);
    expect(refuted.b, 'b the scalar of every span: cases where streaming b instead differs from ORT').toBeGreaterThan(30);
    expect(refuted.spans, 'both spans: cases where streaming b first differs from ORT').toBeGreaterThan(30);
    expect(oneElementBIsSpan, 'a [.., 1] with a one-element b: ORT makes a the scalar, refuting b as the scalar').toBeGreaterThan(0);
    expect(generalBroadcasts).toBeGreaterThan(60);
  });

  it("empty broadcasts: ORT's empty y where a 0 meets a 0, a 1 or a missing dimension, its refusal elsewhere (shape inference and kernel)", { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const r = new CaseRandom(`${SEED}/empty`);
    const named: [number[], number[]][] = [
      [[0, 3], [1, 3]], [[0, 3], [3]], [[0, 3], [0, 3]], [[0, 3], [0, 1]], [[2, 0], [2, 1]], [[2, 0], [1]], [[2, 0], []], [[0], []], [[0], [1]],
      [[1, 0], [3, 1]], [[0, 1], [1, 4]], [[2, 1, 0], [1, 3, 1]], [[0, 1, 1], [2, 3]],
      [[0, 3], [2, 3]], [[2, 0], [2, 3]], [[0], [3]], [[2, 3, 0], [4]], [[3, 0], [0, 3]], // refused: a 0 against 2 or more
    ];
    const pairs = [...named, ...Array.from({ length: 30 }, () => emptyBroadcastShapes(r))];
    const cases: { request: WireRequest; sa: number[]; sb: number[]; op: 'QLinearAdd' | 'QLinearMul'; dtype: QuantDtype }[] = [];
    for (const [i, [sa, sb]] of pairs.entries()) {
      for (const [order, x, y] of [['ab', sa, sb], ['ba', sb, sa]] as const) {
        for (const op of ['qlinear_add@1', 'qlinear_mul@1'] as const) {
          for (const dtype of ['quint8', 'qint8'] as const) {
            // drawn as a QLinearMul (no operand-order witness to plant in an empty output), then sent as `op`
            const drawn = drawCase(r, `empty-${op.split('@')[0]}-${i}-${order}-${dtype}-${JSON.stringify(x)}x${JSON.stringify(y)}`, 'qlinear_mul@1', dtype, x, y, []);
            cases.push({ request: { ...drawn.request, op }, sa: x, sb: y, op: op === 'qlinear_add@1' ? 'QLinearAdd' : 'QLinearMul', dtype });
          }
        }
      }
    }
    const staticAnswers = await runThroughOrt(ort, cases.map((c) => c.request));
    const kernel = await shapelessRunner(ort);
    const seen = { answered: 0, refused: 0, newLeadingDim: 0, inference: 0, zeroByOther: 0 };
    for (const [i, c] of cases.entries()) {
      const id = c.request.id;
      const answer = staticAnswers[i] as { outputs?: { y: { dtype: string; shape: number[]; values: number[] } }; error?: { message: string } };
      const dynamic = await kernel(c.op, c.dtype, c.request);
      expect(dynamic.shape ?? null, `${id}: ORT's kernel (shapeless inputs) answers as its shape-inferred model does (${dynamic.error ?? ''} / ${answer.error?.message ?? ''})`).toEqual(answer.outputs?.y.shape ?? null);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const ours = evaluateRequest(ops, c.request) as { outputs?: { y: unknown }; error?: { code: string } };
        const where = `${id} on ${name} (seed ${SEED}/empty; replay: echo '${JSON.stringify(c.request)}' | npx qconform eval --backend ${name})`;
        if (answer.outputs) expect(ours.outputs?.y ?? ours, where).toEqual(answer.outputs.y);
        else expect(ours.error?.code, `${where}: ORT refuses (${answer.error?.message.slice(0, 200)})`).toBe('shape_mismatch');
      }
      if (answer.outputs) {
        seen.answered++;
        expect(answer.outputs.y.values, id).toEqual([]);
        expect(answer.outputs.y.shape, id).toContain(0);
        if (Math.max(c.sa.length, c.sb.length) > Math.min(c.sa.length, c.sb.length) && (c.sa.length > c.sb.length ? numel(c.sb) : numel(c.sa)) > 1) seen.newLeadingDim++;
        continue;
      }
      seen.refused++;
      if (answer.error?.message.includes('Incompatible dimensions')) seen.inference++;
      if (dynamic.error?.includes('Can broadcast 0 by 0 or 1')) seen.zeroByOther++;
    }
    // not vacuous: many empty outputs (some where the smaller operand, not a single element, gains leading dims), and
    // every refusal made by ORT's shape inference and, without it, by its kernel's Broadcaster
    expect(seen.answered, 'empty broadcasts ORT answers').toBeGreaterThan(120);
    expect(seen.newLeadingDim, 'a [3] (or a [1, 3]) broadcast against [0, 3] and the like').toBeGreaterThan(8);
    expect(seen.refused, 'a 0 against another dimension').toBeGreaterThan(40);
    expect(seen.inference, "refusals by ORT's shape inference").toBe(seen.refused);
    expect(seen.zeroByOther, "the kernel's Broadcaster: Can broadcast 0 by 0 or 1").toBe(seen.refused);
  });
});

/**
 * A runner of QLinearAdd / QLinearMul whose a and b are graph inputs without a shape, so that ORT's kernel (not its
 * shape inference) meets the shapes: one session per op and dtype, the scales and zero points of `request` fed too.
 */
async function shapelessRunner(ort: OrtModule): Promise<(op: 'QLinearAdd' | 'QLinearMul', dtype: QuantDtype, request: WireRequest) => Promise<{ shape?: number[]; error?: string }>> {
  const sessions = new Map<string, Awaited<ReturnType<OrtModule['InferenceSession']['create']>>>();
  const names = ['A', 'A_scale', 'A_zero_point', 'B', 'B_scale', 'B_zero_point', 'C_scale', 'C_zero_point'];
  const wire = ['a', 'a_scale', 'a_zero_point', 'b', 'b_scale', 'b_zero_point', 'c_scale', 'c_zero_point'];
  return async (op, dtype, request) => {
    const elem: OnnxElem = dtype === 'quint8' ? 'uint8' : 'int8';
    const key = `${op}/${dtype}`;
    if (!sessions.has(key)) {
      const inputs = names.map((name) => [name, { elem: name.endsWith('scale') ? 'float32' : elem, dims: [], values: [0] }] as const);
      const model = oneNodeModel({ opType: op, domain: 'com.microsoft', opset: 13, inputs, graphInputs: names, output: { name: 'C', elem }, shapelessGraphInputs: true });
      sessions.set(key, await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 }));
    }
    const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
    for (const [k, name] of names.entries()) {
      const t = decodeTensor(request.inputs![wire[k]!], wire[k]!);
      feeds[name] = name.endsWith('scale') ? new ort.Tensor('float32', Float32Array.from(t.data), [...t.shape]) : new ort.Tensor(elem, dtype === 'quint8' ? Uint8Array.from(t.data) : Int8Array.from(t.data), [...t.shape]);
    }
    try {
      const out = await sessions.get(key)!.run(feeds);
      expect(out.C!.data.length, `${request.id}: an empty broadcast gives no elements`).toBe(0);
      return { shape: [...out.C!.dims] };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
}
