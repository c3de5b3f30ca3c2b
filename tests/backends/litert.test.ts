import { describe, expect, it } from 'vitest';
import { litertConvModel } from '../../conformance/backends/litert/conv_graph.js';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { encodeTensor } from '../../contract/wire.js';
import { reference } from '../../reference/index.js';
import { convArgs, convWireRequest } from '../support/conv_args.js';

/**
 * The XNNPACK delegate's minimal known deviation from xnnpack-fp32@1 (LiteRT.js 2.5.3, wasm): a depthwise conv
 * whose per-channel sum of two taps is (-128)(-128) + (-128)(-128) = 32,768 answers as if that sum wrapped to
 * int16 (-32,768): output -16 instead of 16. TFLite's int8 spec keeps weights in [-127, 127], so the adapter
 * refuses -128 weights on that path (conv_graph.ts checkLitertRules); this case pins why.
 */
const minimal: Conv2dArgs = convArgs({
  x: intTensor('qint8', [1, 2, 1, 2], [-128, -128, -128, -128]),
  xScale: 0.5,
  weight: intTensor('qint8', [2, 1, 1, 2], [-128, -128, -128, -128]),
  weightQuantization: 'per_channel',
  weightScales: f64Tensor([2], [0.5, 0.5]),
  weightZeroPoints: intTensor('int64', [2], [0, 0]),
  groups: 2,
  yScale: 512,
  scheme: 'xnnpack-fp32@1',
  accumulator: 'int32_wrap',
});

const wire = (a: Conv2dArgs) => convWireRequest(a, 'minimal');

describe('litert built-in backend', () => {
  it('is registered with its own vector set and fuzz catalogue', () => {
    expect(builtinBackend('litert')?.defaultVectors).toMatch(/vectors\/litert-2\.5$/);
    expect(builtinBackend('litert')?.fuzzCatalog?.length).toBe(1);
  });

  describe.skipIf(!litertPackageJson())('on LiteRT.js', () => {
    it('XNNPACK wraps the minimal -128 x -128 pair sum; with -127 it agrees with xnnpack-fp32@1', async () => {
      const rt = await loadLiteRt();
      const run = async (a: Conv2dArgs) => {
        const m = litertConvModel(a, checkConv2d(a), 'xnnpack-fp32@1');
        return m.decode((await rt.run(m.model, m.inputs)).outputs[0]!);
      };
      expect(Array.from(reference.quantizedConv2d(minimal).data)).toEqual([16, 16]);
      expect(await run(minimal)).toEqual([-16, -16]);
      const in127 = { ...minimal, weight: intTensor('qint8', [2, 1, 1, 2], [-127, -127, -127, -127]) };
      expect(await run(in127)).toEqual(Array.from(reference.quantizedConv2d(in127).data));
    });

    it('answers the XNNPACK path unsupported_by_scheme for a -128 weight, and the builtin depthwise path computes it', async () => {
      const rt = await loadLiteRt();
      const refused = await litertConv2d(rt, wire(minimal));
      expect('error' in refused && refused.error.code).toBe('unsupported_by_scheme');
      const double = { ...minimal, scheme: 'tflite-double-rounding@1' as const };
      const builtin = await litertConv2d(rt, wire(double));
      expect('outputs' in builtin && builtin.outputs.y).toEqual(encodeTensor(reference.quantizedConv2d(double)));
    });

    it('a model compiled once answers every run as a one-shot run does; the compiler\'s log goes to the compile log and into a one-shot run\'s log', async () => {
      const rt = await loadLiteRt();
      const double = { ...minimal, scheme: 'tflite-double-rounding@1' as const, x: intTensor('qint8', [1, 2, 1, 2], [-128, 5, 77, -3]) };
      const m = litertConvModel(double, checkConv2d(double), 'tflite-double-rounding@1');
      const expected = Array.from(reference.quantizedConv2d(double).data);
      const once = await rt.run(m.model, m.inputs);
      expect(m.decode(once.outputs[0]!)).toEqual(expected);
      // a one-shot run's log starts with what the compiler logged (litert_conv.ts reads XNNPACK's refusals there)
      expect(once.log.some((line) => /model initialized/.test(line))).toBe(true);
      const log: string[] = [];
      const compiled = await rt.compile(m.model, log);
      try {
        expect(log.some((line) => /model initialized/.test(line))).toBe(true);
        for (let i = 0; i < 3; i++) expect(m.decode((await compiled.run(m.inputs)).outputs[0]!)).toEqual(expected);
      } finally {
        compiled.delete();
      }
    });

    it('routes by scheme: builtin CONV_2D is tflite-single-rounding@1 only, builtin DEPTHWISE_CONV_2D tflite-double-rounding@1 only', async () => {
      const rt = await loadLiteRt();
      const conv = { ...minimal, groups: 1, weight: intTensor('qint8', [2, 2, 1, 2], new Array(8).fill(3)), scheme: 'tflite-double-rounding@1' as const };
      const r1 = await litertConv2d(rt, wire(conv));
      expect('error' in r1 && r1.error.code).toBe('unsupported_by_scheme');
      const r2 = await litertConv2d(rt, wire({ ...minimal, scheme: 'tflite-single-rounding@1' }));
      expect('error' in r2 && r2.error.code).toBe('unsupported_by_scheme');
    });

    it('relu with y_zero_point at the maximum: the XNNPACK delegate computes the one value, the adapter answers xnnpack-fp32@1\'s refusal (contract/conv_schemes.ts outputRange) marked not_run, the builtin kernels and the tflite schemes compute it', async () => {
      const rt = await loadLiteRt();
      for (const [dtype, max] of [['qint8', 127], ['quint8', 255]] as const) {
        const relu = convArgs({ x: intTensor(dtype, [1, 1, 1, 1], [5]), weight: intTensor('qint8', [1, 1, 1, 1], [1]), relu: true, yZeroPoint: max, scheme: 'xnnpack-fp32@1', accumulator: 'int32_wrap' });
        // LiteRT.js 2.5.3's delegate takes the graph (nothing in its log says it fell back) and answers the only value;
        // XNNPACK 2022 (the scheme's library) refuses it: the adapter answers the refusal, not run on LiteRT
        // (litert_one_value_range.test.ts)
        const g = { ...checkConv2d({ ...relu, relu: false }), outMin: max, outMax: max };
        const m = litertConvModel(relu, g, 'xnnpack-fp32@1');
        const raw = await rt.run(m.model, m.inputs);
        expect(m.decode(raw.outputs[0]!)).toEqual([max]);
        expect(raw.log.filter((line) => /failed to|fell back|refus/i.test(line))).toEqual([]);
        const refused = await litertConv2d(rt, wire(relu));
        expect(refused).toMatchObject({ error: { code: 'unsupported_by_scheme' }, not_run: expect.stringMatching(/^not run on LiteRT \(/) });
        for (const scheme of ['tflite-single-rounding@1', 'tflite-double-rounding@1'] as const) {
          const builtin = await litertConv2d(rt, wire({ ...relu, scheme }));
          expect('outputs' in builtin && builtin.outputs.y).toEqual(encodeTensor(reference.quantizedConv2d({ ...relu, scheme })));
          expect('outputs' in builtin && builtin.outputs.y).toEqual(encodeTensor(intTensor(dtype, [1, 1, 1, 1], [max])));
        }
      }
    });
  });
});
