/**
 * xnnpack-fp32@1 refuses relu with y_zero_point at the dtype's maximum, an output range of one value (contract/
 * conv_checks.ts outputRangeRefusal: XNNPACK 2022-02-16's convolution-nhwc.c returns xnn_status_invalid_parameter for
 * output_min >= output_max). LiteRT.js 2.5.3's XNNPACK delegate takes such a conv and computes it (every output the
 * maximum; measured below with the contract's check bypassed, on CONV_2D and DEPTHWISE_CONV_2D, qint8 and quint8). The
 * litert backend answered the contract's refusal unmarked, as if LiteRT had refused; it now answers it marked not_run,
 * as it answers a per-tensor scale below 2^-32 (litert_xnnpack_precondition.test.ts). y_zero_point one below the
 * maximum runs and agrees with the reference and impl.
 */
import { describe, expect, it } from 'vitest';
import { litertConvModel } from '../../conformance/backends/litert/conv_graph.js';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { convWireRequest } from '../support/conv_args.js';

type Kind = 'conv2d' | 'depthwise';

/** A 1x1 conv of x [1, 2, 2, 2] with relu and y_zero_point `yZeroPoint`: CONV_2D (groups 1) or DEPTHWISE_CONV_2D (groups 2). */
function reluConv(dtype: 'qint8' | 'quint8', kind: Kind, yZeroPoint: number): Conv2dArgs {
  const shift = dtype === 'quint8' ? 128 : 0;
  const groups = kind === 'depthwise' ? 2 : 1;
  return {
    x: intTensor(dtype, [1, 2, 2, 2], [-100, 5, 20, -3, 7, 9, -50, 0].map((v) => v + shift)),
    weight: intTensor('qint8', [2, 2 / groups, 1, 1], kind === 'depthwise' ? [2, -3] : [2, -3, -1, 4]),
    xScale: 0.5, xZeroPoint: shift, weightQuantization: 'per_tensor', weightScales: f64Tensor([1], [0.25]), weightZeroPoints: intTensor('int64', [1], [0]),
    bias: intTensor('int32', [2], [-1000, 1000]), stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups, relu: true, yScale: 1, yZeroPoint, scheme: 'xnnpack-fp32@1', accumulator: 'int32_wrap',
  };
}

const wire = convWireRequest;

const ROWS = (['qint8', 'quint8'] as const).flatMap((dtype) => (['conv2d', 'depthwise'] as const).map((kind) => ({ dtype, kind, max: dtype === 'qint8' ? 127 : 255 })));

describe.skipIf(!litertPackageJson())('xnnpack-fp32@1 on LiteRT.js: relu with y_zero_point at the dtype maximum (an output range of one value)', () => {
  it('LiteRT\'s XNNPACK delegate computes it (every output the maximum), with the contract\'s check bypassed', async () => {
    const rt = await loadLiteRt();
    for (const { dtype, kind, max } of ROWS) {
      const a = reluConv(dtype, kind, max);
      // the geometry of the same conv one below the maximum (the contract refuses this one)
      const m = litertConvModel(a, checkConv2d({ ...a, yZeroPoint: max - 1 }), 'xnnpack-fp32@1');
      const { outputs, log } = await rt.run(m.model, m.inputs);
      expect(log.filter((l) => /XNNPACK/.test(l) && !/Created TensorFlow Lite XNNPACK delegate|XNNPACK CPU accelerator registered/.test(l)), `${dtype} ${kind}: the delegate took it`).toEqual([]);
      expect(m.decode(outputs[0]!), `${dtype} ${kind}`).toEqual(Array(8).fill(max));
    }
  });

  it('is not run on LiteRT: the contract\'s refusal, marked not_run; one below the maximum runs and agrees', async () => {
    const rt = await loadLiteRt();
    for (const { dtype, kind, max } of ROWS) {
      const r = wire(reluConv(dtype, kind, max), `relu-zp-max-${dtype}-${kind}`);
      const got = await litertConv2d(rt, r);
      const replay = `${evalReplay(r, 'litert')}: ${JSON.stringify(got).slice(0, 400)}`;
      expect(got, replay).toMatchObject({ error: { code: 'unsupported_by_scheme' }, not_run: expect.stringMatching(/^not run on LiteRT \(its XNNPACK delegate computes an output range of one value/) });
      for (const [name, ops] of IMPLEMENTATIONS) {
        const contract = evaluateRequest(ops, r);
        expect('error' in got && 'error' in contract && got.error.message, `${replay}: ${name}`).toBe('error' in contract && `${got.not_run}: ${contract.error.message}`);
      }
      const below = wire(reluConv(dtype, kind, max - 1), `relu-zp-below-max-${dtype}-${kind}`);
      const ran = await litertConv2d(rt, below);
      expect('outputs' in ran, `${evalReplay(below, 'litert')}: ${JSON.stringify(ran).slice(0, 300)}`).toBe(true);
      expect(ran).not.toHaveProperty('not_run');
      for (const [name, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, below), `${evalReplay(below, 'reference')}: ${name}`).toEqual(ran);
    }
  });
});
