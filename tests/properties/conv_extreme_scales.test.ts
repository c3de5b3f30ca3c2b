/**
 * Every conv scheme, reference and impl, on the scales at the ends of float32: x_scale, w_scale and y_scale each one of
 * 2^-149 (the least subnormal), 1e-45 (rounds to it), 3e38, FLT_MAX and 0.05, all 125 triples. The whole conv (reference
 * vs impl on both conv paths) and each scheme's prepare alone (conformance/analysis/requant_pair.ts, what explain runs)
 * must give the same output or the same typed QconformError, never another exception: the xnnpack schemes' scale
 * overflowing float32 to +inf, or underflowing to 0, was a RangeError in the reference and unsupported_by_scheme in impl
 * (contract/xnnpack_scale.ts is now the one rule). A table, no seed; a failure names its case and a replay command.
 */
import { describe, expect, it } from 'vitest';
import { type Conv2dArgs, type ConvOps, REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { requantPair } from '../../conformance/analysis/requant_pair.js';
import { expectSameResult } from '../support/agreement.js';
import { convArgs } from '../support/conv_args.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { reference } from '../../reference/index.js';

const FLT_MAX = 3.4028234663852886e38;
const SCALES = [2 ** -149, 1e-45, 3e38, FLT_MAX, 0.05] as const;
const FILE = 'tests/properties/conv_extreme_scales.test.ts';

/** A 2x2 conv of one 3x3 channel into two, with the scheme's activation dtype and bias kind. */
function args(scheme: RequantScheme, xScale: number, wScale: number, yScale: number): Conv2dArgs {
  const rules = SCHEME_RULES[scheme];
  const dtype = rules.activations.includes('quint8') ? 'quint8' : 'qint8';
  return convArgs({
    x: intTensor(dtype, [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    weight: intTensor('qint8', [2, 1, 2, 2], [1, -2, 3, 4, 5, 6, -7, 8]),
    xScale,
    weightScales: f64Tensor([1], [wScale]),
    yScale,
    bias: rules.bias.includes('int32') ? intTensor('int32', [2], [5, -7]) : f32Tensor([2], [0.5, -0.25]),
    scheme,
    accumulator: 'exact',
  });
}

function* cases(): Generator<[RequantScheme, number, number, number]> {
  for (const scheme of REQUANT_SCHEMES) for (const xs of SCALES) for (const ws of SCALES) for (const ys of SCALES) yield [scheme, xs, ws, ys];
}

const label = (scheme: string, xs: number, ws: number, ys: number) => `${scheme} x_scale ${xs} w_scale ${ws} y_scale ${ys}`;
/** impl on each conv path (every implementation of IMPLEMENTATIONS also implements ConvOps) */
const IMPLS = IMPLEMENTATIONS.filter(([name]) => name !== 'reference').map(([name, ops]) => [name, ops as typeof ops & ConvOps] as const);

describe('conv schemes on extreme scales: reference and impl give the same typed answer', () => {
  it('the whole conv, every scheme and every triple', () => {
    const refused = new Map<string, number>();
    for (const [scheme, xs, ws, ys] of cases()) {
      for (const [name, ops] of IMPLS) {
        let outcome;
        try {
          outcome = expectSameResult(() => reference.quantizedConv2d(args(scheme, xs, ws, ys)), () => ops.quantizedConv2d(args(scheme, xs, ws, ys)));
        } catch (e) {
          throw new Error(`${label(scheme, xs, ws, ys)}: reference vs ${name}: ${(e as Error).message}\nreplay: npx vitest run ${FILE}`);
        }
        if (outcome.kind === 'error' && name === 'impl') refused.set(`${scheme} ${outcome.code}`, (refused.get(`${scheme} ${outcome.code}`) ?? 0) + 1);
      }
    }
    // not vacuous: the xnnpack schemes refuse, typed, on both sides, the 98 triples with a subnormal float32 scale (2^-149,
    // 1e-45: XNNPACK's isnormal check) and 18 of the 27 others, whose scale overflowed (+inf, >= 256) or fell below 2^-32
    // (these convs' weights are per-tensor: contract/xnnpack_scale.ts); 9 compute
    expect(refused.get('xnnpack-fp32@1 unsupported_by_scheme')).toBe(116);
    expect(refused.get('xnnpack-rndnu@1 unsupported_by_scheme')).toBe(116);
    expect(refused.get('onnxruntime@1 unsupported_by_scheme')).toBeUndefined();
  });

  it("each scheme's prepare alone (what explain runs: requant_pair.ts), on accumulators 0, +-1000 and the int32 ends", () => {
    for (const [scheme, xs, ws, ys] of cases()) {
      const a = args(scheme, xs, ws, ys);
      const bias = a.bias?.dtype === 'int32' ? { kind: 'int32' as const, value: 5 } : { kind: 'float32' as const, value: 0.5 };
      const dtype = a.x.dtype === 'quint8' ? { outMin: 0, outMax: 255 } : { outMin: -128, outMax: 127 };
      const channel = { xScale: xs, wScale: ws, yScale: ys, perChannel: false, yZeroPoint: 0, bias, relu: false, qnnpackPath: 'gemm' as const, ...dtype };
      let pair;
      try {
        pair = requantPair(scheme, channel, 'wrap');
      } catch (e) {
        throw new Error(`${label(scheme, xs, ws, ys)}: prepare: ${(e as Error).message}\nreplay: npx vitest run ${FILE}`);
      }
      for (const acc of [0, 1000, -1000, 2 ** 31 - 1, -(2 ** 31)]) {
        const [r, i] = [pair.ref(acc), pair.impl(acc)];
        if (r !== i) throw new Error(`${label(scheme, xs, ws, ys)} acc ${acc}: reference ${r}, impl ${i}\nreplay: npx vitest run ${FILE}`);
      }
    }
  });
});
