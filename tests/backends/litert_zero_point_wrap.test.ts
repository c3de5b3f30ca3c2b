/**
 * TFLite's int8 conv kernels add the output zero point as an int32 add, `acc += output_offset`, after
 * MultiplyByQuantizedMultiplier (ruy's StandardCpp kernel behind CONV_2D, optimized/integer_ops/depthwise_conv.h behind
 * DEPTHWISE_CONV_2D), and LiteRT.js 2.5.3 wraps it: a result within |zero point| of +-2^31 lands at the other end of
 * the clamp. A quint8 conv runs there as the int8 kernel with zero point - 128, so it wraps where that kernel wraps.
 * Both tflite schemes compute it (contract/tflite_output_stage.ts), on every implementation: reference, impl on
 * WebAssembly (the general kernel and the depthwise 3x3 one, Int32Array and one-byte tensors) and on JavaScript.
 */
import { describe, expect, it } from 'vitest';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { tfliteInt8KernelShift } from '../../contract/tflite_output_stage.js';
import { encodeTensor, hexToF64 } from '../../contract/wire.js';
import { mbqmDoubleRounding } from '../../impl/requant/tflite_double_rounding.js';
import { quantizeMultiplier, tfliteEffectiveScale } from '../../impl/requant/tflite_multiplier.js';
import { mbqmSingleRounding } from '../../impl/requant/tflite_single_rounding.js';
import { convArgs, convWireRequest } from '../support/conv_args.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES, WASM_CONVS, replayBackend } from '../support/implementations.js';

type Scheme = 'tflite-single-rounding@1' | 'tflite-double-rounding@1';
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const wire = convWireRequest;

/** A one-channel conv of x = [x0] with weight 1 and an int32 bias: the accumulator is x0 + bias (wrapped). */
const probe = (scheme: Scheme, dtype: QuantDtype, scales: { x: number; w: number; y: number }, yZeroPoint: number, bias: number): Conv2dArgs =>
  convArgs({
    x: intTensor(dtype, [1, 1, 1, 1], [0]),
    weight: intTensor('qint8', [1, 1, 1, 1], [1]),
    xScale: scales.x,
    weightScales: f64Tensor([1], [scales.w]),
    yScale: scales.y,
    yZeroPoint,
    bias: intTensor('int32', [1], [bias]),
    scheme,
    accumulator: 'int32_wrap',
  });

const UNIT = { x: 1, w: 1, y: 1 };
// float32 scales near 4.31, 0.673 and 2.9 (the prober's): QuantizeMultiplier's exponent 0, multiplier within 128 of 2^31
const NEAR_ONE = { x: hexToF64('401142b240000000'), w: hexToF64('3fe585e3a0000000'), y: hexToF64('400737fa00000000') };

/**
 * The prober's five cases, with LiteRT.js 2.5.3's answers (re-measured by 'on LiteRT.js' below): the exact add
 * would give the other end of the range in each.
 */
const PROBES: ReadonlyArray<{ id: string; args: Conv2dArgs; litert: number }> = [
  { id: 'zpwrap-single-neg', args: probe('tflite-single-rounding@1', 'qint8', UNIT, -1, INT32_MIN), litert: 127 },
  { id: 'zpwrap-single-pos', args: probe('tflite-single-rounding@1', 'qint8', UNIT, 1, INT32_MAX), litert: -128 },
  { id: 'zpwrap-double-neg', args: probe('tflite-double-rounding@1', 'qint8', NEAR_ONE, -128, INT32_MIN), litert: 127 },
  { id: 'zpwrap-double-pos', args: probe('tflite-double-rounding@1', 'qint8', NEAR_ONE, 127, INT32_MAX), litert: -128 },
  // quint8 with zero point 0: the int8 kernel adds -128 to -2^31, which wraps to 2^31 - 128 (127 + 128 = 255)
  { id: 'zpwrap-single-quint8', args: probe('tflite-single-rounding@1', 'quint8', UNIT, 0, INT32_MIN), litert: 255 },
];

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES] as const;

/** Every implementation gives `y` for `r` (its replay line on failure). */
function expectEveryImplementation(r: WireRequest, y: unknown): void {
  for (const [name, ops] of ALL) {
    const got = evaluateRequest(ops, r);
    expect('outputs' in got ? got.outputs.y : got, `${r.id} (replay: echo '${JSON.stringify(r)}' | ${replayBackend(name)})`).toEqual(y);
  }
}

describe('the tflite schemes add the output zero point as a wrapping int32 add', () => {
  it.each(PROBES)('$id gives LiteRT.js 2.5.3\'s answer $litert on every implementation', ({ id, args, litert }) => {
    const r = wire(args, id);
    expectEveryImplementation(r, encodeTensor(intTensor(args.x.dtype, [1, 1, 1, 1], [litert])));
  });
});

/**
 * Convs whose MultiplyByQuantizedMultiplier results sweep both ends of int32: x0 + bias with bias -2^31 or 2^31 - 1 and x
 * across the dtype (and past the bias's own wrap), under single rounding at scale 1 (result = x0 + bias exactly) and
 * double rounding at NEAR_ONE (exponent 0). Each conv is the dtype's values through a 1x1 kernel and through a 3x3 kernel
 * with only its centre 1, padding 1 (impl's depthwise 3x3 WebAssembly kernel). The 1x1 conv is TFLite's CONV_2D under
 * single rounding, given a second input channel of weight 0 (impl's general kernel), and its DEPTHWISE_CONV_2D under
 * double rounding (impl's depthwise kernel): all three kernels share conv_kernels.h's epilogue.
 */
function sweep(): Array<{ r: WireRequest; wraps: number; key: string }> {
  const out: Array<{ r: WireRequest; wraps: number; key: string }> = [];
  const zeroPoints: Record<'quint8' | 'qint8', readonly number[]> = { qint8: [-128, -77, -1, 0, 1, 60, 127], quint8: [0, 1, 100, 127, 128, 129, 200, 255] };
  for (const scheme of ['tflite-single-rounding@1', 'tflite-double-rounding@1'] as const)
    for (const dtype of ['qint8', 'quint8'] as const) {
      const { min, max } = DTYPE_RANGE[dtype];
      const xs = Array.from({ length: 64 }, (_, i) => min + Math.round(((max - min) * i) / 63));
      for (const xZeroPoint of dtype === 'quint8' ? [0, 128] : [0])
        for (const yZeroPoint of zeroPoints[dtype])
          for (const bias of [INT32_MIN, INT32_MAX])
            for (const k of [1, 3]) {
              const single = scheme === 'tflite-single-rounding@1';
              const dense = single && k === 1;
              const scales = single ? UNIT : NEAR_ONE;
              const args = convArgs({
                x: intTensor(dtype, [1, dense ? 2 : 1, 8, 8], dense ? [...xs, ...xs] : xs),
                xZeroPoint,
                weight: intTensor('qint8', [1, dense ? 2 : 1, k, k], k === 3 ? [0, 0, 0, 0, 1, 0, 0, 0, 0] : dense ? [1, 0] : [1]),
                padding: k === 3 ? [1, 1] : [0, 0],
                xScale: scales.x,
                weightScales: f64Tensor([1], [scales.w]),
                yScale: scales.y,
                yZeroPoint,
                bias: intTensor('int32', [1], [bias]),
                scheme,
                accumulator: 'int32_wrap',
              });
              out.push({ r: wire(args, `zpwrap-sweep-${scheme}-${dtype}-xzp${xZeroPoint}-yzp${yZeroPoint}-bias${bias}-k${k}`), wraps: zeroPointWraps(args, xs), key: `${scheme} ${dtype}` });
            }
    }
  return out;
}

/**
 * How many outputs of a sweep conv have a zero-point add that leaves int32 (where the exact add and the wrapping one
 * differ), from MultiplyByQuantizedMultiplier's result r on each accumulator x - x_zp + bias (non-vacuity).
 */
function zeroPointWraps(a: Conv2dArgs, xs: readonly number[]): number {
  const single = a.scheme === 'tflite-single-rounding@1';
  const { m, e } = quantizeMultiplier(tfliteEffectiveScale({ xScale: a.xScale, wScale: a.weightScales.data[0] as number, yScale: a.yScale }), single);
  const zp = a.yZeroPoint - tfliteInt8KernelShift(DTYPE_RANGE[a.x.dtype as QuantDtype].max);
  return xs.filter((x) => {
    const acc = (x - a.xZeroPoint + (a.bias!.data[0] as number)) | 0;
    const r = single ? mbqmSingleRounding(acc, m, 31 - e) : mbqmDoubleRounding(acc, m, Math.max(e, 0), Math.max(-e, 0));
    return r + zp < INT32_MIN || r + zp > INT32_MAX;
  }).length;
}

describe.skipIf(!litertPackageJson())('on LiteRT.js', () => {
  it('the prober\'s cases: LiteRT.js answers what PROBES records', async () => {
    const rt = await loadLiteRt();
    for (const { id, args, litert } of PROBES) {
      const r = wire(args, id);
      const lib = await litertConv2d(rt, r);
      expect('outputs' in lib && lib.outputs.y, evalReplay(r, 'litert')).toEqual(encodeTensor(intTensor(args.x.dtype, [1, 1, 1, 1], [litert])));
    }
  });

  it('both ends of int32, every output zero point of a set across both dtypes: every implementation gives LiteRT\'s bytes, and some outputs wrapped', async () => {
    const rt = await loadLiteRt();
    const requests = sweep();
    const kernels = ['general', 'depthwise', 'depthwise_3x3'] as const;
    const before = kernels.map((kernel) => WASM_CONVS.kernels[kernel] ?? 0);
    const wrapped: Record<string, number> = {};
    for (const { r, wraps, key } of requests) {
      const lib = await litertConv2d(rt, r);
      expect('outputs' in lib, `${evalReplay(r, 'litert')}: ${JSON.stringify(lib).slice(0, 300)}`).toBe(true);
      if (!('outputs' in lib)) continue;
      expectEveryImplementation(r, lib.outputs.y);
      wrapped[key] = (wrapped[key] ?? 0) + wraps;
    }
    expect(requests.length).toBe(2 * (7 + 2 * 8) * 2 * 2);
    // not vacuous: outputs whose zero-point add wraps, under each scheme and dtype (each of the 2 kernels sees them)
    expect(Object.keys(wrapped).sort()).toEqual(['tflite-double-rounding@1 qint8', 'tflite-double-rounding@1 quint8', 'tflite-single-rounding@1 qint8', 'tflite-single-rounding@1 quint8']);
    for (const [key, n] of Object.entries(wrapped)) expect(n, `${key}: outputs whose zero-point add wraps`).toBeGreaterThan(10);
    kernels.forEach((kernel, i) => expect((WASM_CONVS.kernels[kernel] ?? 0) - before[i]!, `convs on the ${kernel} WebAssembly kernel`).toBeGreaterThan(0));
  }, 300_000);
});
