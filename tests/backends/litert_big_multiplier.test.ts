/**
 * TFLite effective scales with QuantizeMultiplier exponents e in 25..64 (weight scale q * 2^e, x and y scale 1),
 * live on LiteRT.js 2.5.3. Its builtin kernels are built without TFLITE_SINGLE_ROUNDING, so e is not clamped:
 * CONV_2D (ruy, single rounding) shifts by 31 - e and DEPTHWISE_CONV_2D (double rounding) by 1 << e, which is
 * undefined C++ for e >= 31 / e >= 32; on wasm the counts go mod 64 / mod 32 (the raw answers pinned below).
 * Both tflite schemes refuse those exponents (contract/tflite_shift.ts); the adapter does not run them on LiteRT and
 * answers that refusal marked not_run (conformance/backends/litert/litert_not_given.ts).
 */
import { describe, expect, it } from 'vitest';
import { litertConvModel } from '../../conformance/backends/litert/conv_graph.js';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { convArgs, convWireRequest } from '../support/conv_args.js';
import { evalReplay } from '../support/eval_replay.js';

type Scheme = 'tflite-single-rounding@1' | 'tflite-double-rounding@1';
const SCHEMES: readonly Scheme[] = ['tflite-single-rounding@1', 'tflite-double-rounding@1'];
const MANTISSAS = [0.5, 0.75, 0.6180339887];
const X = [1, 2, 3, -5, 7, -100, 127, 0];

const args = (scheme: Scheme, q: number, e: number, perChannel: boolean, x: number[] = X): Conv2dArgs =>
  convArgs({
    x: intTensor('qint8', [1, 1, 1, x.length], x),
    weight: intTensor('qint8', [2, 1, 1, 1], [1, -1]),
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([perChannel ? 2 : 1], perChannel ? [q * 2 ** e, q * 2 ** e] : [q * 2 ** e]),
    weightZeroPoints: intTensor('int64', [perChannel ? 2 : 1], perChannel ? [0, 0] : [0]),
    xScale: 1,
    yScale: 1,
    scheme,
    accumulator: 'int32_wrap',
  });

const wire = convWireRequest;

describe.skipIf(!litertPackageJson())('TFLite multipliers >= 2^31 on LiteRT.js', () => {
  it('e in 25..64, both schemes: LiteRT, reference and impl give the same bytes up to e = 30 (single) / 31 (double), all refuse above', async () => {
    const rt = await loadLiteRt();
    const counts = { computed: 0, refused: 0 };
    for (const scheme of SCHEMES)
      for (let e = 25; e <= 64; e++)
        for (const q of MANTISSAS)
          for (const perChannel of [false, true]) {
            const r = wire(args(scheme, q, e, perChannel), `big-${scheme}-${q}-2^${e}-${perChannel ? 'pc' : 'pt'}`);
            const lib = await litertConv2d(rt, r);
            const max = scheme === 'tflite-single-rounding@1' ? 30 : 31;
            if (e <= max) expect('outputs' in lib, evalReplay(r, 'litert')).toBe(true);
            else {
              // not run on LiteRT (its answer is its build's shift counts): the scheme's refusal, marked (litert_not_given.ts)
              expect('error' in lib && lib.error.code, evalReplay(r, 'litert')).toBe('unsupported_by_scheme');
              expect(lib.not_run, evalReplay(r, 'litert')).toMatch(/^not run on LiteRT \(its builtin kernels shift by a QuantizeMultiplier exponent in undefined C\+\+/);
            }
            for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
              const got = evaluateRequest(ops, r);
              if ('outputs' in lib) expect('outputs' in got && got.outputs.y, evalReplay(r, name)).toEqual(lib.outputs.y);
              else expect('error' in got && got.error.code, evalReplay(r, name)).toBe('unsupported_by_scheme');
            }
            counts[e <= max ? 'computed' : 'refused']++;
          }
    expect(counts).toEqual({ computed: 2 * 3 * (6 + 7), refused: 2 * 3 * (34 + 33) });
  }, 120_000);

  it("LiteRT's raw answers where the schemes refuse depend on wasm's shift counts, and differ from a TFLITE_SINGLE_ROUNDING build's clamp", async () => {
    const rt = await loadLiteRt();
    const raw = async (a: Conv2dArgs) => {
      const m = litertConvModel(a, checkConv2d(a), a.scheme as Scheme);
      return m.decode((await rt.run(m.model, m.inputs)).outputs[0]!);
    };
    // single rounding, e = 32 and 40: (x m + 2^(30 - e mod 64)) >> (31 - e mod 64) is 0; a clamp to (2^31 - 1, 30) would give [127, -128]
    for (const e of [32, 40]) for (const pc of [false, true]) expect(await raw(args('tflite-single-rounding@1', 0.75, e, pc, [1]))).toEqual([0, 0]);
    // single rounding, e = 31: round = 1 << 63, no shift: the low 32 bits of x m; x = 2 wraps to -128 where the clamp gives 127
    expect(await raw(args('tflite-single-rounding@1', 0.75, 31, false, [2]))).toEqual([-128, 127]);
    // double rounding: 1 << 32 is 1 << 0 and 1 << 40 is 1 << 8 on wasm
    expect(await raw(args('tflite-double-rounding@1', 0.75, 32, false, [1]))).toEqual([1, -1]);
    expect(await raw(args('tflite-double-rounding@1', 0.75, 40, false, [1]))).toEqual([127, -128]);
  });
});
