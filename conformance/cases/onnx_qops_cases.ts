/**
 * Seeded case generators of the ONNX integer ops (contract/onnx_qops.ts), shared by the ORT vector writer
 * (scripts/vectors/ort_ops_cli.ts) and `--fuzz`. They draw what ORT 1.30 accepts: 2-D and batched N-D matmuls
 * with broadcast batch dimensions and 1-D operands, per-tensor and per-column b parameters, every dtype
 * combination ORT registers, and a few requests the contract refuses. Stresses: `ties` (power-of-two scales,
 * so f32(acc * scale) lands on k + 1/2), `saturate` (small output scales: most outputs clamp), `extremes`
 * (values at the ends of their range, which saturate vpmaddubsw's int16 pairs), `wrap` (a QGemm C near the
 * int32 limits), `typical`.
 */
import type { QuantDtype } from '../../contract/dtypes.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, hex64, wireF32, wireInt } from './builders.js';
import { drawF32Array, drawScale } from './floats.js';
import { qlinearAddWitnessCase } from './qlinear_add_witness.js';
import { qlinearSigmoidWitnessCase } from './qlinear_sigmoid_witness.js';
import type { CaseRandom } from './random.js';

export type Stress = 'typical' | 'ties' | 'saturate' | 'extremes';

export function drawStress(r: CaseRandom): Stress {
  return r.pick<Stress>(['typical', 'typical', 'ties', 'ties', 'saturate', 'extremes']);
}

export function values(r: CaseRandom, dtype: QuantDtype, n: number, stress: Stress): number[] {
  const { min, max } = DTYPE_RANGE[dtype];
  if (stress === 'extremes') return Array.from({ length: n }, () => (r.bool(0.8) ? r.pick([min, max]) : r.int(min, max)));
  return Array.from({ length: n }, () => r.int(min, max));
}

export function zeroPoint(r: CaseRandom, dtype: QuantDtype): number {
  const { min, max } = DTYPE_RANGE[dtype];
  return r.bool(0.2) ? (dtype === 'quint8' ? 128 : 0) : r.bool(0.1) ? r.pick([min, max]) : r.int(min, max);
}

/** a_scale, one b scale, y_scale such that the outputs of a K-long dot product spread over the output range. */
function scales(r: CaseRandom, k: number, stress: Stress): { a: number; b: () => number; y: number } {
  if (stress === 'ties') {
    const [ea, eb] = [r.int(-8, 0), r.int(-8, 0)];
    const ey = ea + eb + r.int(1, Math.max(2, Math.ceil(Math.log2(k)) + 8));
    return { a: 2 ** ea, b: () => 2 ** eb, y: 2 ** ey };
  }
  const a = Math.fround(drawScale(r));
  const bBase = Math.fround(drawScale(r));
  const spread = stress === 'saturate' ? 1 / (r.int(50, 5000)) : Math.sqrt(k) * 60 / 100;
  return { a, b: () => Math.fround(bBase * (0.5 + r.next())), y: Math.fround(a * bBase * spread * (0.5 + r.next())) };
}

/** Shapes of a matmul (a, b) and of b's per-column parameters (null: per tensor). */
export function matmulShapes(r: CaseRandom, perColumn: boolean): { a: number[]; b: number[]; bParam: number[] | null } {
  const m = r.int(1, 6);
  const n = r.int(1, 7);
  const k = r.bool(0.15) ? r.int(40, 300) : r.int(1, 40);
  const kind = r.int(0, 9);
  if (kind === 0 && !perColumn) return r.bool(0.5) ? { a: [k], b: [k, n], bParam: null } : { a: [m, k], b: [k], bParam: null };
  if (kind <= 6) return { a: [m, k], b: [k, n], bParam: perColumn ? (r.bool(0.7) ? [n] : [1, n]) : null };
  const batch = r.pick([[2], [3], [2, 2]]);
  const bBatch = r.bool(0.3) ? batch.map(() => 1) : batch;
  const aBatch = r.bool(0.2) ? [] : batch;
  if (r.bool(0.3) && !perColumn) return { a: [...aBatch, m, k], b: [k, n], bParam: null };
  return { a: [...aBatch, m, k], b: [...bBatch, k, n], bParam: perColumn ? [...bBatch, 1, n] : null };
}

const int8Pairs = (combos: ReadonlyArray<readonly [QuantDtype, QuantDtype]>, r: CaseRandom) => r.pick(combos);
const QLINEAR_TYPES: ReadonlyArray<readonly [QuantDtype, QuantDtype]> = [['quint8', 'quint8'], ['quint8', 'qint8'], ['qint8', 'qint8']];
const ALL_TYPES: ReadonlyArray<readonly [QuantDtype, QuantDtype]> = [...QLINEAR_TYPES, ['qint8', 'quint8']];

/** Requests the contract refuses (and ORT too, or ORT computes something the contract rejects): a few percent. */
function breakRequest(r: CaseRandom, req: { inputs: Record<string, unknown> }): void {
  const inputs = req.inputs;
  const kind = r.int(0, 2);
  const b = inputs.b as { shape: number[]; values: number[]; dtype: string };
  if (kind === 0 && b.shape.length >= 2) {
    // K mismatch: one row of b too many
    const n = b.shape[b.shape.length - 1]!;
    b.shape = [...b.shape.slice(0, -2), b.shape[b.shape.length - 2]! + 1, n];
    b.values = [...b.values, ...Array.from({ length: numel(b.shape) - b.values.length }, () => 0)];
  } else if (kind === 1 && inputs.a_zero_point) {
    const z = inputs.a_zero_point as { shape: number[]; values: number[] };
    inputs.a_zero_point = { ...z, shape: [2], values: [z.values[0] ?? 0, z.values[0] ?? 0] }; // per-row a zero point
  } else if (inputs.y_scale) {
    inputs.y_scale = wireF32([], [r.pick([0, -0.5])]); // ORT divides by it anyway
  } else {
    const z = inputs.b_zero_point as { dtype: string; shape: number[]; values: number[] } | undefined;
    if (z) inputs.b_zero_point = { ...z, dtype: z.dtype === 'quint8' ? 'qint8' : 'quint8', values: z.values.map(() => 0) }; // wrong zero point dtype
  }
}

export const matmulIntegerCase: CaseFactory = (r) => {
  const [ad, bd] = int8Pairs(ALL_TYPES, r);
  const stress = drawStress(r);
  const perColumn = r.bool(0.4);
  const s = matmulShapes(r, perColumn);
  const inputs: Record<string, unknown> = { a: wireInt(ad, s.a, values(r, ad, numel(s.a), stress)), b: wireInt(bd, s.b, values(r, bd, numel(s.b), stress)) };
  if (r.bool(0.85)) inputs.a_zero_point = wireInt(ad, r.bool(0.5) ? [] : [1], [zeroPoint(r, ad)]);
  if (r.bool(0.85) || s.bParam) {
    const shape = s.bParam ?? (r.bool(0.5) ? [] : [1]);
    inputs.b_zero_point = wireInt(bd, shape, Array.from({ length: numel(shape) }, () => zeroPoint(r, bd)));
  }
  const req = { op: 'matmul_integer@1', attrs: { accumulator: 'int32_wrap' }, inputs };
  if (r.bool(0.03)) breakRequest(r, req);
  return req;
};

export const qlinearMatMulCase: CaseFactory = (r) => {
  const [ad, bd] = int8Pairs(QLINEAR_TYPES, r);
  const stress = drawStress(r);
  const perColumn = r.bool(0.4);
  const s = matmulShapes(r, perColumn);
  const k = s.a[s.a.length - 1]!;
  const sc = scales(r, k, stress);
  const bParamShape = s.bParam ?? (r.bool(0.5) ? [] : [1]);
  const count = numel(bParamShape);
  const inputs: Record<string, unknown> = {
    a: wireInt(ad, s.a, values(r, ad, numel(s.a), stress)),
    a_scale: wireF32(r.bool(0.5) ? [] : [1], [sc.a]),
    a_zero_point: wireInt(ad, [], [zeroPoint(r, ad)]),
    b: wireInt(bd, s.b, values(r, bd, numel(s.b), stress)),
    b_scale: wireF32(bParamShape, Array.from({ length: count }, sc.b)),
    b_zero_point: wireInt(bd, bParamShape, Array.from({ length: count }, () => zeroPoint(r, bd))),
    y_scale: wireF32([], [sc.y]),
    y_zero_point: wireInt(ad, [], [zeroPoint(r, ad)]),
  };
  const req = { op: 'qlinear_matmul@1', attrs: { accumulator: 'int32_wrap' }, inputs };
  if (r.bool(0.03)) breakRequest(r, req);
  return req;
};

/** C of a QGemm, broadcast to [M, N] in one of the shapes GemmHelper takes; near the int32 limits sometimes. */
function gemmBias(r: CaseRandom, m: number, n: number): { shape: number[]; values: number[] } {
  const shape = r.pick([[n], [m, n], [1, n], [m, 1], [], [1]]);
  const wrap = r.bool(0.1);
  const draw = () => (wrap ? r.pick([2 ** 31 - 1 - r.int(0, 50000), -(2 ** 31) + r.int(0, 50000)]) : r.int(-70000, 70000));
  return { shape, values: Array.from({ length: numel(shape) }, draw) };
}

export const qgemmCase: CaseFactory = (r) => {
  const [ad, bd] = int8Pairs(QLINEAR_TYPES, r);
  const stress = drawStress(r);
  const m = r.int(1, 6);
  const n = r.int(1, 7);
  const k = r.bool(0.15) ? r.int(40, 300) : r.int(1, 40);
  const transA = r.bool(0.3);
  const transB = r.bool(0.5);
  const perColumn = r.bool(0.4);
  const sc = scales(r, k, stress);
  const bParamShape = perColumn ? [n] : r.bool(0.5) ? [] : [1];
  const count = numel(bParamShape);
  const aShape = transA ? [k, m] : [m, k];
  const bShape = transB ? [n, k] : [k, n];
  const inputs: Record<string, unknown> = {
    a: wireInt(ad, aShape, values(r, ad, m * k, stress)),
    a_scale: wireF32([], [sc.a]),
    a_zero_point: wireInt(ad, [], [zeroPoint(r, ad)]),
    b: wireInt(bd, bShape, values(r, bd, k * n, stress)),
    b_scale: wireF32(bParamShape, Array.from({ length: count }, sc.b)),
    b_zero_point: wireInt(bd, bParamShape, Array.from({ length: count }, () => zeroPoint(r, bd))),
  };
  if (r.bool(0.6)) {
    const c = gemmBias(r, m, n);
    inputs.c = wireInt('int32', c.shape, c.values);
  }
  const alpha = r.bool(0.6) ? 1 : r.bool(0.5) ? Math.fround(0.25 + r.next() * 2) : r.pick([0.5, 2, 0.1, 3]);
  const floatOutput = r.bool(0.25);
  if (!floatOutput) {
    inputs.y_scale = wireF32([], [Math.fround(sc.y * (alpha === 1 ? 1 : Math.fround(alpha)))]);
    inputs.y_zero_point = wireInt(ad, [], [zeroPoint(r, ad)]);
  }
  const req = { op: 'qgemm@1', attrs: { trans_a: transA, trans_b: transB, alpha: hex64(alpha), accumulator: 'int32_wrap' }, inputs };
  if (r.bool(0.03)) breakRequest(r, req);
  return req;
};

export const convIntegerCase: CaseFactory = (r) => {
  const [xd, wd] = int8Pairs(ALL_TYPES, r);
  const stress = drawStress(r);
  const group = r.bool(0.2) ? r.int(2, 3) : 1;
  const cg = r.int(1, 4);
  const mg = r.int(1, 3);
  const [kh, kw] = [r.int(1, 3), r.int(1, 3)];
  const [h, w] = [r.int(kh, 9), r.int(kw, 9)];
  const n = r.int(1, 2);
  const strides = [r.int(1, 2), r.int(1, 2)];
  const pads = r.bool(0.5) ? [0, 0, 0, 0] : Array.from({ length: 4 }, () => r.int(0, 2));
  const dilations = r.bool(0.8) ? [1, 1] : [r.int(1, 2), r.int(1, 2)];
  const xShape = [n, cg * group, h, w];
  const wShape = [mg * group, cg, kh, kw];
  const inputs: Record<string, unknown> = { x: wireInt(xd, xShape, values(r, xd, numel(xShape), stress)), w: wireInt(wd, wShape, values(r, wd, numel(wShape), stress)) };
  if (r.bool(0.85)) inputs.x_zero_point = wireInt(xd, r.bool(0.5) ? [] : [1], [zeroPoint(r, xd)]);
  if (r.bool(0.7)) inputs.w_zero_point = wireInt(wd, [], [zeroPoint(r, wd)]);
  if (r.bool(0.03)) {
    if (r.bool(0.5)) inputs.w_zero_point = wireInt(wd, [mg * group], Array.from({ length: mg * group }, () => 0)); // per-channel: ORT refuses
    else inputs.w = wireInt(wd, [mg * group, cg + 1, kh, kw], values(r, wd, mg * group * (cg + 1) * kh * kw, stress)); // channel mismatch
  }
  return { op: 'conv_integer@1', attrs: { strides, pads, dilations, group, accumulator: 'int32_wrap' }, inputs };
};

/**
 * Shapes of a QLinearAdd / QLinearMul case: equal shapes, a one-element operand, or one shape a suffix of the other (the
 * forms the committed vector sets were drawn with; --fuzz also draws every other numpy broadcast:
 * ort_fuzz_broadcast_cases.ts, and tests/backends/ort_qlinear_broadcast.test.ts checks them against live ORT).
 */
function binaryShapes(r: CaseRandom): [number[], number[]] {
  const big = Array.from({ length: r.int(1, 3) }, () => r.int(1, 6));
  const kind = r.int(0, 5);
  const lead = (s: number[]) => (r.bool(0.2) ? [1, ...s] : s);
  if (kind <= 1) return [big, lead(big)];
  if (kind === 2) return [big, r.pick([[], [1], [1, 1]])];
  if (kind === 3) return [r.pick([[], [1]]), big];
  const suffix = big.slice(r.int(big.length > 1 ? 1 : 0, big.length - 1)); // a proper trailing part (all of a 1-D shape)
  return kind === 4 ? [big, lead(suffix)] : [lead(suffix), big];
}

/**
 * QLinearAdd / QLinearMul cases; `grid` cases pair every value of a with one b (or the reverse), and 12% of the
 * QLinearAdd cases are searched witnesses of its fused multiply-adds (qlinear_add_witness.ts).
 */
const qlinearBinaryCase =
  (op: 'qlinear_add@1' | 'qlinear_mul@1'): CaseFactory =>
  (r, index) => {
    if (op === 'qlinear_add@1' && r.bool(0.12)) return qlinearAddWitnessCase(r, index); // where fused and unfused differ
    const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
    const { min, max } = DTYPE_RANGE[dtype];
    const stress = drawStress(r);
    let [sa, sb] = binaryShapes(r);
    let av: number[];
    let bv: number[];
    if (r.bool(0.15)) {
      const all = Array.from({ length: max - min + 1 }, (_, i) => min + i);
      const scalarB = r.bool(0.5);
      [sa, sb] = scalarB ? [[all.length], []] : [[all.length, 1], [1]];
      av = all;
      bv = [r.int(min, max)];
      if (!scalarB && r.bool(0.5)) [sa, sb, av, bv] = [sb, sa, bv, av];
    } else {
      av = values(r, dtype, numel(sa), stress);
      bv = values(r, dtype, numel(sb), stress);
    }
    const pow = stress === 'ties';
    const drawS = () => (pow ? 2 ** r.int(-8, 0) : Math.fround(drawScale(r)));
    const [as, bs] = [drawS(), drawS()];
    const magnitude = op === 'qlinear_add@1' ? Math.max(as, bs) * 128 : as * bs * 128 * 128;
    const cs = pow ? 2 ** r.int(-8, 2) : Math.fround((magnitude / 128) * (stress === 'saturate' ? 1 / r.int(20, 500) : 0.5 + r.next()));
    const inputs: Record<string, unknown> = {
      a: wireInt(dtype, sa, av),
      a_scale: wireF32([], [as]),
      b: wireInt(dtype, sb, bv),
      b_scale: wireF32([], [bs]),
      c_scale: wireF32([], [cs]),
    };
    for (const name of ['a_zero_point', 'b_zero_point', 'c_zero_point']) if (name !== 'c_zero_point' || r.bool(0.9)) inputs[name] = wireInt(dtype, [], [zeroPoint(r, dtype)]);
    if (r.bool(0.03)) {
      if (r.bool(0.5)) inputs.c_scale = wireF32([], [0]); // ORT divides by it anyway
      else inputs.b = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', sb, bv.map(() => 0)); // a and b of different dtypes
    }
    return { op, attrs: {}, inputs };
  };

export const qlinearAddCase = qlinearBinaryCase('qlinear_add@1');
export const qlinearMulCase = qlinearBinaryCase('qlinear_mul@1');

/** A bias of N float32 values near the outputs' magnitude (so the float32 add rounds), dyadic under `ties`. */
function floatBias(r: CaseRandom, n: number, magnitude: number, stress: Stress): number[] {
  if (stress === 'ties') {
    const e = Math.floor(Math.log2(magnitude)) - r.int(0, 12);
    return Array.from({ length: n }, () => r.int(-1000, 1000) * 2 ** e);
  }
  return Array.from({ length: n }, () => Math.fround(r.normal() * magnitude * (r.bool(0.2) ? 1e-4 : 1)));
}

/** Values near the top of `dtype` (with a zero point at its bottom, every product is near the largest). */
const nearMax = (r: CaseRandom, dtype: QuantDtype, n: number) => Array.from({ length: n }, () => DTYPE_RANGE[dtype].max - r.int(0, 3));

/**
 * b, its scale and zero point (each per tensor or per column, independently) and a bias: MatMulIntegerToFloat's and
 * DynamicQuantizeMatMul's b side. `aligned`: b near its maximum and its zero point at its minimum (see longK).
 */
function integerToFloatB(r: CaseRandom, bd: QuantDtype, s: MatmulShapes, stress: Stress, aScale: number, k: number, inputs: Record<string, unknown>): void {
  const n = s.b.length === 1 ? 1 : s.b[s.b.length - 1]!;
  const scaleColumns = s.bParam !== null && r.bool(0.7);
  const zpColumns = s.bParam !== null && !s.aligned && (!scaleColumns || r.bool(0.6));
  const oneShape = () => (r.bool(0.5) ? [] : [1]);
  const scaleShape = scaleColumns ? s.bParam! : oneShape();
  const base = stress === 'ties' ? 2 ** r.int(-10, 0) : Math.fround(drawScale(r));
  const bScales = Array.from({ length: numel(scaleShape) }, () => (stress === 'ties' ? base * 2 ** r.int(0, 3) : Math.fround(base * (0.5 + r.next()))));
  inputs.b = wireInt(bd, s.b, s.aligned ? nearMax(r, bd, numel(s.b)) : values(r, bd, numel(s.b), stress));
  inputs.b_scale = wireF32(scaleShape, bScales);
  if (s.aligned) inputs.b_zero_point = wireInt(bd, [], [DTYPE_RANGE[bd].min]);
  else if (zpColumns || r.bool(0.85)) {
    const shape = zpColumns ? s.bParam! : oneShape();
    inputs.b_zero_point = wireInt(bd, shape, Array.from({ length: numel(shape) }, () => zeroPoint(r, bd)));
  }
  if (r.bool(0.6)) inputs.bias = wireF32(r.bool(0.8) ? [n] : [1, n], floatBias(r, n, aScale * base * 128 * 64 * Math.sqrt(k), stress));
}

type MatmulShapes = { a: number[]; b: number[]; bParam: number[] | null; aligned?: boolean };

/**
 * Shapes of a MatMulIntegerToFloat / DynamicQuantizeMatMul: matmulShapes with b's per-column parameters [N] or [1, N]
 * for a 2-D b, and sometimes (`aligned`) a long K whose operands sit near their maxima with zero points at their
 * minima, so the int32 accumulator passes 2^24 and float(acc) rounds.
 */
function integerToFloatShapes(r: CaseRandom): MatmulShapes {
  const s = matmulShapes(r, r.bool(0.4));
  if (r.bool(0.08)) {
    const [k, n] = [r.int(300, 1100), r.int(1, 5)];
    return { a: [r.int(1, 3), k], b: [k, n], bParam: s.bParam ? [n] : null, aligned: true };
  }
  return s.bParam && s.b.length === 2 ? { ...s, bParam: r.bool(0.7) ? [s.b[1]!] : [1, s.b[1]!] } : s;
}

/**
 * Scale shapes ORT does not fold into the GEMM multiplier (dynamic_quantize_matmul.cc): a per-row a_scale and a b_scale
 * IsBQuantParamSupported refuses are multiplied into the output afterwards (ScaleOutput); MatMulIntegerToFloat first
 * swaps scales whose shapes look like the other's (FixupScaleTensor): an [N] a_scale, an [M, 1] b_scale.
 */
function scaleOutputVariant(r: CaseRandom, s: MatmulShapes, inputs: Record<string, unknown>, dynamic: boolean): void {
  if (s.a.length < 2 || s.b.length < 2) return;
  const m = s.a[s.a.length - 2]!;
  const n = s.b[s.b.length - 1]!;
  const outRank = Math.max(s.a.length, s.b.length);
  const around = (name: string, count: number) => {
    const base = (inputs[name] as { hex?: string[] } | undefined)?.hex?.[0];
    const v = base ? new Float32Array(new Uint32Array([parseInt(base, 16)]).buffer)[0]! : 0.01;
    return Array.from({ length: count }, () => Math.fround(v * (0.5 + r.next())));
  };
  const oneB = numel((inputs.b_scale as { shape: number[] }).shape) === 1;
  const kinds = dynamic ? ['b rows'] : ['a rows', ...(oneB ? ['a columns (swapped)'] : []), ...(m > 1 ? ['b rows (swapped)'] : [])];
  if (outRank >= 3 && s.b.length === 2) kinds.push('b broadcast');
  const kind = r.pick(kinds);
  if (kind === 'a rows') inputs.a_scale = wireF32([m, 1], around('a_scale', m));
  else if (kind === 'a columns (swapped)') inputs.a_scale = wireF32([n], around('a_scale', n));
  else if (kind === 'b rows' || kind === 'b rows (swapped)') inputs.b_scale = wireF32([m, 1], around('b_scale', m));
  else inputs.b_scale = wireF32([1, 1, n], around('b_scale', n));
}

export const matmulIntegerToFloatCase: CaseFactory = (r) => {
  const [ad, bd] = int8Pairs(QLINEAR_TYPES, r);
  const stress = drawStress(r);
  const s = integerToFloatShapes(r);
  const k = s.a[s.a.length - 1]!;
  const aScale = stress === 'ties' ? 2 ** r.int(-10, 0) : Math.fround(drawScale(r));
  const inputs: Record<string, unknown> = { a: wireInt(ad, s.a, s.aligned ? nearMax(r, ad, numel(s.a)) : values(r, ad, numel(s.a), stress)), a_scale: wireF32(r.bool(0.5) ? [] : [1], [aScale]) };
  if (s.aligned) inputs.a_zero_point = wireInt(ad, [], [DTYPE_RANGE[ad].min]);
  else if (r.bool(0.85)) inputs.a_zero_point = wireInt(ad, r.bool(0.5) ? [] : [1], [zeroPoint(r, ad)]);
  integerToFloatB(r, bd, s, stress, aScale, k, inputs);
  if (r.bool(0.15)) scaleOutputVariant(r, s, inputs, false);
  const req = { op: 'matmul_integer_to_float@1', attrs: { accumulator: 'int32_wrap' }, inputs };
  if (r.bool(0.03)) breakRequest(r, req);
  return req;
};

/** DynamicQuantizeMatMul's float a: spread, one-signed, constant (scale 1) or zero rows, and values on division ties of the derived scale. */
function dynamicA(r: CaseRandom, n: number, aligned: boolean): number[] {
  const spread = Math.exp(r.normal() * 3);
  if (aligned) return Array.from({ length: n }, () => Math.fround(spread * (0.98 + 0.02 * r.next()))); // quantized near 255, zero point 0
  const kind = r.int(0, 9);
  if (kind === 0) return Array.from({ length: n }, () => r.pick([0, -0]));
  if (kind === 1) return Array.from({ length: n }, () => r.int(-255, 255) * 2 ** r.int(-4, 0));
  if (kind === 2) return drawF32Array(r, n, r.pick(['normal', 'uniform', 'skewed', 'integers'] as const), spread);
  const sign = r.pick([1, -1, 0]);
  return Array.from({ length: n }, () => Math.fround(sign === 0 ? r.normal() * spread : sign * Math.abs(r.normal()) * spread));
}

export const dynamicQuantizeMatMulCase: CaseFactory = (r) => {
  const bd: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const stress = drawStress(r);
  const s = integerToFloatShapes(r);
  const k = s.a[s.a.length - 1]!;
  const a = dynamicA(r, numel(s.a), s.aligned === true);
  const aScale = Math.max(1e-30, Math.max(0, ...a) - Math.min(0, ...a)) / 255;
  const inputs: Record<string, unknown> = { a: wireF32(s.a, a) };
  integerToFloatB(r, bd, s, stress, aScale, k, inputs);
  if (r.bool(0.12)) scaleOutputVariant(r, s, inputs, true);
  const req = { op: 'dynamic_quantize_matmul@1', attrs: { accumulator: 'int32_wrap' }, inputs };
  if (r.bool(0.03)) breakRequest(r, req);
  return req;
};

/**
 * QLinearLeakyRelu / QLinearSigmoid cases. Most take x = every code of the dtype (each table entry is an output),
 * in a few shapes; the rest random values in random shapes. Scales: `ties` powers of two (quantizing lands on
 * k + 1/2; for the sigmoid, y_scale such that its outputs 0.5 and 1 do), the sigmoid's x_scale spread so that x reaches past the kernel's [-18, 18] clamp, its y_scale near
 * 1/256 (outputs span [0, 1]); 12% of the sigmoid cases are searched witnesses of MLAS's fused multiply-adds
 * (qlinear_sigmoid_witness.ts); a few requests the contract refuses (x_scale 0, a zero point of the other dtype).
 */
/** A sigmoid y_scale under which f32(0.5 / y_scale) or f32(1 / y_scale) (the outputs at x = z_x and past the clamp) tends to land on k + 1/2. */
function sigmoidTieScale(r: CaseRandom): number {
  return r.bool(0.5) ? Math.fround(1 / (2 * r.int(60, 127) + 1)) : Math.fround(1 / (r.int(60, 254) + 0.5));
}

const qlinearLookupCase =
  (op: 'qlinear_leaky_relu@1' | 'qlinear_sigmoid@1'): CaseFactory =>
  (r, index) => {
    if (op === 'qlinear_sigmoid@1' && r.bool(0.12)) return qlinearSigmoidWitnessCase(r, index); // where fused and unfused differ
    const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
    const { min } = DTYPE_RANGE[dtype];
    const stress = drawStress(r);
    let shape: number[];
    let xv: number[];
    if (r.bool(0.7)) {
      shape = r.pick([[256], [16, 16], [2, 128], [1, 4, 64]]);
      xv = Array.from({ length: 256 }, (_, i) => min + i);
      if (r.bool(0.5)) xv.reverse();
    } else {
      shape = Array.from({ length: r.int(1, 4) }, () => r.int(1, 7));
      xv = values(r, dtype, numel(shape), stress);
    }
    const pow = stress === 'ties';
    const sigmoid = op === 'qlinear_sigmoid@1';
    const xScale = pow ? 2 ** r.int(sigmoid ? -7 : -10, 0) : sigmoid ? Math.fround(2 ** (r.next() * 9 - 7)) : Math.fround(drawScale(r));
    let yScale: number;
    if (sigmoid) yScale = pow ? sigmoidTieScale(r) : r.bool(0.4) ? r.pick([1 / 256, 1 / 255, Math.fround(1 / 256), Math.fround(1 / 255)]) : Math.fround((1 / 256) * (0.3 + 3 * r.next()));
    else yScale = pow ? xScale * 2 ** r.int(-2, 2) : Math.fround(xScale * (stress === 'saturate' ? 1 / r.int(2, 20) : 0.5 + 1.5 * r.next()));
    const scalarShape = () => (r.bool(0.8) ? [] : [1]);
    const inputs: Record<string, unknown> = { x: wireInt(dtype, shape, xv), x_scale: wireF32(scalarShape(), [xScale]), y_scale: wireF32(scalarShape(), [Math.fround(yScale)]) };
    if (r.bool(0.85)) inputs.x_zero_point = wireInt(dtype, scalarShape(), [zeroPoint(r, dtype)]);
    if (r.bool(0.85)) inputs.y_zero_point = wireInt(dtype, scalarShape(), [sigmoid && r.bool(0.5) ? min : zeroPoint(r, dtype)]);
    if (r.bool(0.03)) {
      if (r.bool(0.5)) inputs.x_scale = wireF32([], [0]);
      else inputs.x_zero_point = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', [], [0]);
    }
    const attrs: Record<string, unknown> = {};
    if (!sigmoid && r.bool(0.9)) attrs.alpha = hex64(pow ? r.pick([0.5, 0.25, 2, -1, 0, 1]) : r.pick([0.01, 0.1, 0.2, 0.3, 1e-3, -0.5, 1.7, 10 * r.next() - 3]));
    return { op, attrs, inputs };
  };

export const qlinearLeakyReluCase = qlinearLookupCase('qlinear_leaky_relu@1');
export const qlinearSigmoidCase = qlinearLookupCase('qlinear_sigmoid@1');

/**
 * QLinearSoftmax cases: rank 1 to 4, `axis` anywhere (negative too, or omitted for ORT's default), opset 13 (one
 * axis) or 12 and below (the flattened dimensions from axis on), reduce lengths from 1 to a few hundred (rows of
 * every code among them); x_scale from logit-like to large (rows with one dominant element), y_scale near 1/256 and the int8 zero point -128 as
 * quantizers set them (the int8 outputs saturate at 127), random zero points too; y_scale >= 1 / (128 D) for a
 * reduce length D (below, f32(exp table maximum * floor(1 / y_scale)) can overflow to inf, which ORT converts to an
 * integer: refused by the contract). A few requests ORT and the contract refuse (an axis out of range, a zero point
 * of the other dtype).
 */
export const qlinearSoftmaxCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min } = DTYPE_RANGE[dtype];
  const stress = drawStress(r);
  let shape = Array.from({ length: r.int(1, 4) }, () => (r.bool(0.8) ? r.int(1, 8) : r.int(9, 40)));
  let xv: number[];
  const opset = r.pick([13, 13, 13, 12, 11, 1]);
  let axis: number | undefined = r.int(-shape.length, shape.length - 1);
  if (r.bool(0.12)) {
    shape = r.pick([[256], [2, 256], [256, 1]]);
    axis = shape.length === 2 && shape[1] === 1 ? (opset < 13 ? 0 : -2) : -1;
    xv = Array.from({ length: numel(shape) }, (_, i) => min + (i % 256));
  } else {
    xv = values(r, dtype, numel(shape), stress);
  }
  if (r.bool(0.1)) axis = undefined; // ORT's default: -1 whatever the opset (the schema's, quantization_defs.cc)
  const rank = shape.length;
  const axisN = axis ?? -1;
  const a = axisN < 0 ? axisN + rank : axisN;
  const reduceLength = a < 0 || a >= rank ? 2 : opset < 13 ? numel(shape.slice(a)) : (shape[a] as number);
  const xScale = stress === 'ties' ? 2 ** r.int(-8, 1) : r.bool(0.7) ? Math.fround(2 ** (r.next() * 10 - 8)) : Math.fround(drawScale(r));
  let yScale = stress === 'ties' ? 2 ** r.int(-9, -5) : r.bool(0.5) ? r.pick([1 / 256, 1 / 255, 1 / 128]) : (0.3 + 3 * r.next()) / 256;
  if (yScale < 1 / (128 * reduceLength)) yScale = 1 / (128 * reduceLength); // f32(t[255] * floor(1 / y_scale)) stays finite
  const scalarShape = () => (r.bool(0.8) ? [] : [1]);
  const inputs: Record<string, unknown> = { x: wireInt(dtype, shape, xv), x_scale: wireF32(scalarShape(), [xScale]), y_scale: wireF32(scalarShape(), [Math.fround(yScale)]) };
  if (r.bool(0.7)) inputs.x_zero_point = wireInt(dtype, scalarShape(), [zeroPoint(r, dtype)]);
  inputs.y_zero_point = wireInt(dtype, scalarShape(), [r.bool(0.6) ? min : zeroPoint(r, dtype)]);
  const attrs: Record<string, unknown> = { opset };
  if (axis !== undefined) attrs.axis = axis;
  if (r.bool(0.03)) {
    if (r.bool(0.5)) attrs.axis = rank + r.int(0, 2);
    else inputs.y_zero_point = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', [], [0]);
  }
  return { op: 'qlinear_softmax@1', attrs, inputs };
};
