/**
 * com.microsoft QLinearLeakyRelu's alpha, live on onnxruntime-node 1.30 (in process, this host's CPU): ORT does not
 * check it (qlinear_activations.cc reads it with GetAttrOrDefault and builds its table with `v >= 0 ? v : alpha * v`),
 * so an infinite alpha, a NaN and a finite float64 that rounds to +-inf in float32 are computed with. qconform refused
 * them (scale_not_finite "alpha: scale must be a finite number"); reference and impl now give ORT's bytes:
 *   - the grid: alpha in {+-inf, NaNs, +-1e39, +-FLT_MAX, the float64s either side of FLT_MAX's rounding boundary, +-0,
 *     float32 subnormals and the float64s that round to them or to 0, the smallest normal, ordinary values, absent}
 *     x both dtypes x four zero-point pairs x ten scale pairs (huge, tiny, subnormal, overflowing x_scale · (code - z_x),
 *     underflowing and overflowing quotients), every code of the dtype in x;
 *   - witnesses recorded from onnxruntime-node 1.30.0 (and checked live again here), each naming the hypothesis it
 *     refutes: NaN quantizes to qmin (MlasQuantizeLinear's maxps keeps its second operand), 0 · -inf is NaN,
 *     -inf · -inf saturates high, and ORT flushes neither subnormal inputs (DAZ) nor subnormal products (FTZ).
 */
import { describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { hex64, wireF32, wireInt } from '../../conformance/cases/builders.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { hexToF64 } from '../../contract/wire.js';
import { expectReferenceAndImplGiveY } from '../support/eval_replay.js';
import { installedOrt } from '../support/installed_ort.js';

type Q8 = 'quint8' | 'qint8';
type Answer = { outputs?: { y: { dtype: string; shape: number[]; values: number[] } }; error?: { code: string; message: string } };

const FLT_MAX = 3.4028234663852886e38;
/** alpha as float64 hex (the wire form); null: absent (ORT's default 0.01f). */
const ALPHAS: readonly (string | null)[] = [
  '7ff0000000000000', 'fff0000000000000', // +-inf
  '7ff8000000000000', 'fff8000000000000', '7ff0000000000001', // NaNs: quiet, negative, signaling with a payload
  hex64(1e39), hex64(-1e39), // finite in float64, +-inf in float32
  '47efffffe0000000', 'c7efffffe0000000', // +-FLT_MAX
  '47effffff0000000', '47effffff0000001', '47efffffefffffff', // FLT_MAX + half an ulp (to inf, a tie), just above (inf), just below (FLT_MAX)
  '0000000000000000', '8000000000000000', // +-0
  '36a0000000000000', 'b6a0000000000000', // +-2^-149, the least float32 subnormal
  '3690000000000000', '3698000000000000', // 2^-150 (a tie, to 0), 1.5 · 2^-150 (to 2^-149)
  '3810000000000000', 'b810000000000000', // +-2^-126, the least normal
  hex64(0.01), hex64(-0.5), hex64(1), null,
];
/** [x_scale, y_scale]: ordinary, x_scale · (code - z_x) overflowing to +-inf, subnormal scales, over- and underflowing quotients. */
const SCALES: readonly (readonly [number, number])[] = [
  [1 / 64, 1 / 64], [FLT_MAX, 1 / 64], [1 / 64, FLT_MAX], [2 ** -149, 1 / 64], [1 / 64, 2 ** -149],
  [1e-30, 1e30], [1e30, 1e-30], [FLT_MAX / 100, 2 ** -140], [2 ** 100, 2 ** -49], [2 ** -20, 2 ** -146],
];
const ZERO_POINTS: Record<Q8, readonly (readonly [number, number])[]> = {
  quint8: [[128, 128], [0, 255], [255, 0], [7, 200]],
  qint8: [[0, 0], [-128, 127], [127, -128], [-3, 50]],
};
const MIN: Record<Q8, number> = { quint8: 0, qint8: -128 };

function request(id: string, dtype: Q8, x: readonly number[], [sx, sy]: readonly [number, number], [zx, zy]: readonly [number, number], alpha: string | null): WireRequest {
  const inputs = { x: wireInt(dtype, [x.length], x), x_scale: wireF32([], [sx]), x_zero_point: wireInt(dtype, [], [zx]), y_scale: wireF32([], [sy]), y_zero_point: wireInt(dtype, [], [zy]) };
  return { id, op: 'qlinear_leaky_relu@1', attrs: alpha === null ? {} : { alpha }, inputs } as WireRequest;
}

function grid(): WireRequest[] {
  const out: WireRequest[] = [];
  for (const dtype of ['quint8', 'qint8'] as const) {
    const codes = Array.from({ length: 256 }, (_, i) => MIN[dtype] + i);
    for (const zps of ZERO_POINTS[dtype]) for (const scales of SCALES) for (const alpha of ALPHAS) {
      out.push(request(`alpha-${alpha ?? 'absent'}-${dtype}-zp${zps.join(',')}-s${scales.join(',')}`, dtype, codes, scales, zps, alpha));
    }
  }
  return out;
}

/** Requests whose outputs onnxruntime-node 1.30.0 gave (recorded, and checked live below), with what each refutes. */
const WITNESSES: readonly { request: WireRequest; y: readonly number[]; refutes: string }[] = [
  { request: request('inf', 'quint8', [0, 100, 128, 255], [1 / 64, 1 / 64], [128, 128], '7ff0000000000000'), y: [0, 0, 128, 255], refutes: "a refusal (the prober's case)" },
  { request: request('-1e39', 'quint8', [0, 100, 128, 255], [1 / 64, 1 / 64], [128, 128], hex64(-1e39)), y: [255, 255, 128, 255], refutes: 'a refusal of a float64 that is -inf in float32' },
  { request: request('nan', 'qint8', [-128, -1, 0, 127], [1 / 64, 1 / 64], [0, 0], '7ff8000000000000'), y: [-128, -128, 0, 127], refutes: 'NaN quantizing to the zero point or to qmax' },
  { request: request('+0 x -inf', 'quint8', [0, 127, 128, 129], [FLT_MAX, 1 / 64], [128, 128], '0000000000000000'), y: [0, 128, 128, 255], refutes: '0 · -inf = 0 (it is NaN, then qmin; 0 · -FLT_MAX is -0, the zero point)' },
  { request: request('-0 x -inf', 'quint8', [0, 127, 128, 129], [FLT_MAX, 1 / 64], [128, 128], '8000000000000000'), y: [0, 128, 128, 255], refutes: '-0 · -inf = 0' },
  { request: request('-inf x -inf', 'qint8', [-128, -1, 0, 127], [FLT_MAX, 1 / 64], [0, 0], 'fff0000000000000'), y: [127, 127, 0, 127], refutes: 'a NaN or qmin for -inf · -inf' },
  { request: request('subnormal alpha', 'quint8', [0, 64, 128, 255], [2 ** 100, 2 ** -49], [128, 128], '36a0000000000000'), y: [0, 64, 128, 255], refutes: 'DAZ (alpha 2^-149 read as 0 would give 128, 128)' },
  { request: request('subnormal product', 'quint8', [0, 64, 128, 255], [2 ** -20, 2 ** -146], [128, 128], '3810000000000000'), y: [0, 64, 128, 255], refutes: 'FTZ (f32(2^-126 · -2^-13) flushed to 0 would give 128, 128)' },
  { request: request('2^-150 rounds to 0', 'quint8', [0, 64, 128, 255], [2 ** 100, 2 ** -49], [128, 128], '3690000000000000'), y: [128, 128, 128, 255], refutes: 'alpha 2^-150 rounding away from the tie (it rounds to even, 0)' },
];


describe('QLinearLeakyRelu with any alpha, as ONNX Runtime 1.30 computes it', () => {
  it('witnesses: ORT gives the recorded bytes, and reference and impl give them', { timeout: 60_000 }, async () => {
    const ort = await installedOrt();
    const answers = (await runThroughOrt(ort, WITNESSES.map((w) => w.request))) as Answer[];
    for (const [i, w] of WITNESSES.entries()) {
      expect(answers[i]!.outputs?.y.values, `${w.request.id}: ORT 1.30 as recorded (refutes ${w.refutes})`).toEqual(w.y);
      expectReferenceAndImplGiveY(w.request, answers[i]!);
    }
  });

  it('the grid: every alpha, dtype, zero-point pair and scale pair gives ORT\'s bytes in reference and impl', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const requests = grid();
    const answers = (await runThroughOrt(ort, requests)) as Answer[];
    let nonFinite = 0;
    const tables = new Set<string>();
    for (const [i, r] of requests.entries()) {
      expectReferenceAndImplGiveY(r, answers[i]!);
      const alpha = r.attrs?.alpha as string | undefined;
      if (alpha !== undefined && !Number.isFinite(Math.fround(hexToF64(alpha)))) nonFinite++;
      tables.add(JSON.stringify(answers[i]!.outputs!.y.values));
    }
    // not vacuous: 9 of the 24 alphas are ones the old contract refused (non-finite in float32), and the outputs vary
    expect(nonFinite).toBe((requests.length / ALPHAS.length) * 9);
    expect(tables.size).toBeGreaterThan(60);
  });
});
