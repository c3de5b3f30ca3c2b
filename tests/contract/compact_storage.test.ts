/**
 * Compact storage of integer tensors (contract/tensor.ts IntData): an IntTensor's data may be an Int32Array or, as
 * ONNX Runtime and TFLite hold one-byte tensors, a Uint8Array / Int8Array; the element values are the semantics.
 * (a) the wire (contract/wire.ts, json `values` and `base64le`) gives the same text for a tensor on either storage,
 * including the 4- and 8-byte dtypes whose base64le bytes came from the storage's own buffer; (b) reference and impl
 * ops outside the conv (dequantize per tensor / per channel, ONNX DequantizeLinear, MatMulInteger, QLinearMatMul,
 * the dynamic linears) give bit-identical results for compact and Int32Array inputs on seeded random data, and the
 * static linear and QLinearConv NHWC (convs after their contract reshapes) on reference and the JavaScript conv path.
 */
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import type { IntDtype, IntTensor, Tensor } from '../../contract/tensor.js';
import { byteTensor, f32Tensor, f64Tensor, int32Data, intTensor } from '../../contract/tensor.js';
import { decodeTensor, encodeTensor } from '../../contract/wire.js';
import { impl, implOnConvPath } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

type Storage = 'u8' | 'i8';

/** The same values on compact storage (checked to be compact and value-equal). */
function compact(t: IntTensor, storage: Storage): IntTensor {
  const data = storage === 'u8' ? Uint8Array.from(t.data) : Int8Array.from(t.data);
  const c = byteTensor(t.dtype, t.shape, data);
  expect(c.data).toBeInstanceOf(storage === 'u8' ? Uint8Array : Int8Array);
  expect(Array.from(c.data), `${t.dtype} values fit ${storage} storage`).toEqual(Array.from(t.data));
  return c;
}

function randomInts(r: CaseRandom, dtype: IntDtype, shape: readonly number[], lo: number, hi: number): IntTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return intTensor(dtype, shape, Array.from({ length: n }, () => r.int(lo, hi)));
}

/** A result as comparable text: dtype, shape and values (floats by their bits), or the error. */
function outcome(run: () => Tensor | Record<string, Tensor>): string {
  let y: Tensor | Record<string, Tensor>;
  try {
    y = run();
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? String(e)}`;
  }
  const one = (t: Tensor) => `${t.dtype} [${t.shape}] ${t.dtype === 'float32' ? Array.from(new Uint32Array(Float32Array.from(t.data).buffer)).join(',') : Array.from(t.data).join(',')}`;
  return 'dtype' in y ? one(y as Tensor) : Object.entries(y).map(([k, t]) => `${k}: ${one(t)}`).join('; ');
}

/** How many distinct output values (the results are not trivial when this is large). */
function distinctValues(run: () => Tensor): number {
  return new Set(run().data).size;
}

describe('IntTensor compact storage on the wire', () => {
  const CASES: ReadonlyArray<{ dtype: IntDtype; lo: number; hi: number; storage: Storage }> = [
    { dtype: 'quint8', lo: 0, hi: 255, storage: 'u8' },
    { dtype: 'quint8', lo: 0, hi: 127, storage: 'i8' },
    { dtype: 'qint8', lo: -128, hi: 127, storage: 'i8' },
    { dtype: 'qint8', lo: 0, hi: 127, storage: 'u8' },
    { dtype: 'uint8', lo: 0, hi: 255, storage: 'u8' },
    { dtype: 'int8', lo: -128, hi: 127, storage: 'i8' },
    // 4- and 8-byte elements: base64le must not take the one-byte storage's own bytes
    { dtype: 'int32', lo: 0, hi: 255, storage: 'u8' },
    { dtype: 'int32', lo: -128, hi: 127, storage: 'i8' },
    { dtype: 'qint32', lo: -128, hi: 127, storage: 'i8' },
    { dtype: 'int64', lo: -128, hi: 127, storage: 'i8' },
    { dtype: 'uint16', lo: 0, hi: 255, storage: 'u8' },
    { dtype: 'int16', lo: -128, hi: 127, storage: 'i8' },
  ];

  it('gives the same json and base64le text for Int32Array and Uint8Array / Int8Array storage, and decodes to the same values', () => {
    let compared = 0;
    for (const { dtype, lo, hi, storage } of CASES) {
      const seed = `compact wire ${dtype} ${storage}`;
      const r = new CaseRandom(seed);
      for (const n of [0, 1, 7, 33]) {
        const wide = randomInts(r, dtype, [n], lo, hi);
        const narrow = compact(wide, storage);
        for (const encoding of ['json', 'base64le'] as const) {
          const [a, b] = [JSON.stringify(encodeTensor(wide, encoding)), JSON.stringify(encodeTensor(narrow, encoding))];
          expect(b, `seed "${seed}" n ${n} ${encoding}`).toBe(a);
          const back = decodeTensor(JSON.parse(b), 'x');
          expect(back.dtype).toBe(dtype);
          expect(Array.from(back.data), `seed "${seed}" n ${n} ${encoding} round trip`).toEqual(Array.from(wide.data));
          compared++;
        }
      }
    }
    expect(compared).toBe(CASES.length * 4 * 2);
  });

  it('writes the documented bytes for compact data (pinned)', () => {
    // int32 200 and -1 are c8 00 00 00 and ff ff ff ff; quint8 200 one byte c8; qint8 -1 one byte ff; int64 -1 eight ff
    const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
    expect(encodeTensor(byteTensor('int32', [1], Uint8Array.of(200)), 'base64le')).toMatchObject({ b64: b64([0xc8, 0, 0, 0]) });
    expect(encodeTensor(byteTensor('int32', [2], Int8Array.of(-1, 2)), 'base64le')).toMatchObject({ b64: b64([0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0]) });
    expect(encodeTensor(byteTensor('quint8', [1], Uint8Array.of(200)), 'base64le')).toMatchObject({ b64: b64([0xc8]) });
    expect(encodeTensor(byteTensor('qint8', [1], Int8Array.of(-1)), 'base64le')).toMatchObject({ b64: b64([0xff]) });
    expect(encodeTensor(byteTensor('int64', [1], Int8Array.of(-1)), 'base64le')).toMatchObject({ b64: b64([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) });
    expect(encodeTensor(byteTensor('qint8', [2], Int8Array.of(-128, 5)))).toEqual({ dtype: 'qint8', shape: [2], values: [-128, 5] });
  });

  it('int32Data keeps an Int32Array and widens compact data by value', () => {
    const i32 = Int32Array.of(-3, 7);
    expect(int32Data(i32)).toBe(i32);
    const w = int32Data(Int8Array.of(-128, -1, 127));
    expect(w).toBeInstanceOf(Int32Array);
    expect(Array.from(w)).toEqual([-128, -1, 127]);
    expect(Array.from(int32Data(Uint8Array.of(0, 200, 255)))).toEqual([0, 200, 255]);
    const view = new Uint8Array(new ArrayBuffer(8), 3, 2).fill(9);
    expect(int32Data(view).byteLength).toBe(8);
  });
});

describe('reference and impl ops on compact storage', () => {
  const SIDES = [
    ['reference', reference],
    ['impl', impl],
  ] as const;

  /** Runs `op` on the Int32Array and the compact inputs on both sides: four equal, non-error outcomes. */
  function agree(seed: string, op: (ops: typeof impl, compactInputs: boolean) => Tensor | Record<string, Tensor>, sides: ReadonlyArray<readonly [string, typeof impl]> = SIDES): string {
    const outcomes = sides.flatMap(([, ops]) => [outcome(() => op(ops, false)), outcome(() => op(ops, true))]);
    expect(outcomes[0], `seed "${seed}"`).not.toMatch(/^error/);
    for (let i = 1; i < outcomes.length; i++) expect(outcomes[i], `seed "${seed}": ${sides[i >> 1]![0]} ${i & 1 ? 'compact' : 'Int32Array'}`).toBe(outcomes[0]);
    return outcomes[0]!;
  }

  it('dequantize_per_tensor and dequantize_per_channel (quint8 on Uint8Array, qint8 on Int8Array)', () => {
    let nontrivial = 0;
    for (const [dtype, lo, hi, storage] of [['quint8', 0, 255, 'u8'], ['qint8', -128, 127, 'i8']] as const) {
      const seed = `compact dequantize ${dtype}`;
      const r = new CaseRandom(seed);
      const q = randomInts(r, dtype, [4, 9], lo, hi);
      const qc = compact(q, storage);
      const zp = r.int(lo, hi);
      agree(`${seed} per tensor`, (ops, c) => ops.dequantizePerTensor(c ? qc : q, { scale: 0.0371, zeroPoint: zp }));
      const scales = f64Tensor([4], [0.01, 0.25, 0.0039, 1.5]);
      const zps = randomInts(r, 'int64', [4], lo, hi);
      const zpsC = compact(zps, storage);
      agree(`${seed} per channel`, (ops, c) => ops.dequantizePerChannel(c ? qc : q, scales, c ? zpsC : zps, { axis: 0 }));
      if (distinctValues(() => impl.dequantizePerChannel(qc, scales, zpsC, { axis: 0 })) > 20) nontrivial++;
    }
    expect(nontrivial).toBe(2);
  });

  it('ONNX DequantizeLinear per axis (uint8 on Uint8Array, int8 on Int8Array)', () => {
    for (const [dtype, lo, hi, storage] of [['uint8', 0, 255, 'u8'], ['int8', -128, 127, 'i8']] as const) {
      const seed = `compact dequantize_linear ${dtype}`;
      const r = new CaseRandom(seed);
      const x = randomInts(r, dtype, [3, 8], lo, hi);
      const xc = compact(x, storage);
      const zp = randomInts(r, dtype, [3], lo, hi);
      const zpc = compact(zp, storage);
      const xScale = f32Tensor([3], [0.5, 0.0123, 3]);
      agree(seed, (ops, c) => ops.dequantizeLinear({ x: c ? xc : x, xScale, xZeroPoint: c ? zpc : zp, axis: 0, blockSize: 0 }));
      expect(distinctValues(() => impl.dequantizeLinear({ x: xc, xScale, xZeroPoint: zpc, axis: 0, blockSize: 0 }))).toBeGreaterThan(15);
    }
  });

  it('MatMulInteger and QLinearMatMul (u8 a on Uint8Array, s8 b on Int8Array), both accumulators', () => {
    let withSat16 = 0;
    for (const accumulator of ['int32_wrap', 'sat16_pairs_im2col'] as const) {
      const seed = `compact matmul ${accumulator}`;
      const r = new CaseRandom(seed);
      const a = randomInts(r, 'quint8', [2, 3, 17], 0, 255);
      const b = randomInts(r, 'qint8', [17, 5], -128, 127);
      const aZeroPoint = randomInts(r, 'quint8', [], 0, 255);
      const bZeroPoint = randomInts(r, 'qint8', [5], -128, 127);
      const [ac, bc, azc, bzc] = [compact(a, 'u8'), compact(b, 'i8'), compact(aZeroPoint, 'u8'), compact(bZeroPoint, 'i8')];
      const mm = agree(`${seed} matmul_integer`, (ops, c) => ops.matmulInteger({ a: c ? ac : a, b: c ? bc : b, aZeroPoint: c ? azc : aZeroPoint, bZeroPoint: c ? bzc : bZeroPoint, accumulator }));
      expect(distinctValues(() => impl.matmulInteger({ a: ac, b: bc, aZeroPoint: azc, bZeroPoint: bzc, accumulator }))).toBe(30);
      const qlm = (ops: typeof impl, c: boolean) =>
        ops.qlinearMatMul({
          a: c ? ac : a,
          aScale: f32Tensor([], [0.02]),
          aZeroPoint: c ? azc : aZeroPoint,
          b: c ? bc : b,
          bScale: f32Tensor([5], [0.004, 0.01, 0.002, 0.008, 0.005]),
          bZeroPoint: c ? bzc : bZeroPoint,
          yScale: f32Tensor([], [0.9]),
          yZeroPoint: intTensor('quint8', [], [120]),
          accumulator,
        });
      agree(`${seed} qlinear_matmul`, qlm);
      expect(distinctValues(() => qlm(impl, true))).toBeGreaterThan(10);
      if (accumulator === 'sat16_pairs_im2col' && mm !== outcome(() => impl.matmulInteger({ a, b, aZeroPoint, bZeroPoint, accumulator: 'int32_wrap' }))) withSat16++;
    }
    expect(withSat16, 'sat16_pairs_im2col saturated some pair (its branch exercised)').toBe(1);
  });

  it('the dynamic linears (qint8 weight on Int8Array) on torch-qnnpack@1 and torch-onednn@1', () => {
    for (const scheme of ['torch-qnnpack@1', 'torch-onednn@1'] as const) {
      const seed = `compact linear_dynamic ${scheme}`;
      const r = new CaseRandom(seed);
      const x = f32Tensor([3, 12], Array.from({ length: 36 }, () => Math.fround((r.next() - 0.4) * 6)));
      const weight = randomInts(r, 'qint8', [4, 12], -128, 127);
      const weightC = compact(weight, 'i8');
      const zeroPoints = intTensor('int64', [4], scheme === 'torch-qnnpack@1' ? [3, -7, 0, 12] : [0, 0, 0, 0]);
      const zeroPointsC = compact(zeroPoints, 'i8');
      const run = (ops: typeof impl, c: boolean) =>
        ops.quantizedLinearDynamic({ x, weight: c ? weightC : weight, weightQuantization: 'per_channel', weightScales: f64Tensor([4], [0.01, 0.02, 0.005, 0.03]), weightZeroPoints: c ? zeroPointsC : zeroPoints, bias: null, relu: false, reduceRange: false, scheme, accumulator: 'int32_wrap' });
      agree(seed, run);
      expect(distinctValues(() => run(impl, true))).toBe(12);
    }
  });

  it('the static linear (quint8 x on Uint8Array, qint8 weight on Int8Array): reference and the JavaScript conv path', () => {
    const seed = 'compact linear';
    const r = new CaseRandom(seed);
    const x = randomInts(r, 'quint8', [5, 16], 0, 255);
    const weight = randomInts(r, 'qint8', [6, 16], -127, 127);
    const [xc, wc] = [compact(x, 'u8'), compact(weight, 'i8')];
    const run = (ops: typeof impl, c: boolean) =>
      ops.quantizedLinear({
        x: c ? xc : x,
        xScale: 0.05,
        xZeroPoint: 128,
        weight: c ? wc : weight,
        weightQuantization: 'per_tensor',
        weightScales: f64Tensor([1], [0.01]),
        weightZeroPoints: intTensor('int64', [1], [0]),
        bias: null,
        relu: false,
        yScale: 0.3,
        yZeroPoint: 128,
        scheme: 'torch-fbgemm@1',
        accumulator: 'exact',
      });
    agree(seed, run, [SIDES[0], ['impl js conv path', implOnConvPath('js')]]);
    expect(distinctValues(() => run(reference, true))).toBeGreaterThan(15);
  });

  it('QLinearConv NHWC with quint8 weights on Uint8Array (their shift to int8 values is not wrapped in byte storage): reference and the JavaScript conv path', () => {
    const seed = 'compact qlinear_conv_nhwc';
    const r = new CaseRandom(seed);
    const x = randomInts(r, 'quint8', [1, 5, 5, 3], 0, 255);
    const w = randomInts(r, 'quint8', [4, 3, 3, 3], 0, 255);
    const [xc, wc] = [compact(x, 'u8'), compact(w, 'u8')];
    expect(Array.from(w.data).some((v) => v < 128) && Array.from(w.data).some((v) => v >= 128), 'weights on both sides of 128').toBe(true);
    const wZeroPoint = intTensor('quint8', [], [131]);
    const run = (ops: typeof impl, c: boolean) =>
      ops.qlinearConvNhwc({
        x: c ? xc : x,
        xScale: f32Tensor([], [0.02]),
        xZeroPoint: intTensor('quint8', [], [120]),
        w: c ? wc : w,
        wScale: f32Tensor([4], [0.01, 0.004, 0.02, 0.007]),
        wZeroPoint: c ? compact(wZeroPoint, 'u8') : wZeroPoint,
        yScale: f32Tensor([], [0.25]),
        yZeroPoint: intTensor('quint8', [], [128]),
        bias: null,
        strides: [1, 1],
        pads: [1, 1, 1, 1],
        dilations: [1, 1],
        group: 1,
        accumulator: 'int32_wrap',
      });
    agree(seed, run, [SIDES[0], ['impl js conv path', implOnConvPath('js')]]);
    expect(distinctValues(() => run(reference, true))).toBeGreaterThan(30);
  });
});
