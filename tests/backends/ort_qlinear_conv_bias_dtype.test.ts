/**
 * The ORT QLinearConv adapter does not run ORT on a float32 bias: QLinearConv's B is int32 only, and converting
 * [2.75, -3e38] with Int32Array.from would have run ORT on [2, 0] (onnxruntime-node 1.30). It answers onnxruntime@1's
 * contract refusal (unsupported_by_scheme) marked not run on ORT (a dtype the model cannot give ORT), never as ORT's own.
 * An int32 bias of the same request still runs and agrees with reference and impl.
 */
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { qlinearConv2d } from '../../conformance/backends/onnxruntime/qlinear_conv.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay, expectReferenceAndImplGiveY } from '../support/eval_replay.js';

const request = (bias: unknown): WireRequest => ({
  id: `qlinearconv-bias-${(bias as { dtype: string }).dtype}`,
  op: 'quantized_conv2d@1',
  attrs: { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, relu: false, x_scale: '3fe0000000000000', x_zero_point: 0, y_scale: '3ff0000000000000', y_zero_point: 0, weight_quantization: 'per_tensor' },
  inputs: {
    x: { dtype: 'quint8', shape: [1, 1, 1, 2], values: [3, 200] },
    weight: { dtype: 'qint8', shape: [2, 1, 1, 1], values: [1, -1] },
    weight_scales: { dtype: 'float64', shape: [1], hex: ['3ff0000000000000'] },
    weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
    bias,
  },
});

describe('ORT QLinearConv bias dtype', async () => {
  const ort = await loadOrt().catch(() => undefined);
  it.skipIf(!ort)('answers a float32 bias with the contract refusal, not run on ORT; an int32 bias runs', async () => {
    const float = request({ dtype: 'float32', shape: [2], hex: ['40300000', 'ff61b1e6'] } );
    const got = await qlinearConv2d(ort!, float);
    const notRun = 'not run on ORT (a dtype the model cannot give ORT: quantized_conv2d: bias float32 (the one-node QLinearConv carries an int32 bias only))';
    expect(got.not_run, evalReplay(float, 'onnxruntime')).toBe(notRun);
    expect('error' in got && got.error.code, evalReplay(float, 'onnxruntime')).toBe('unsupported_by_scheme');
    for (const ops of [reference, impl]) {
      const contract = evaluateRequest(ops, float) as { id: string; error: { code: string; message: string } };
      expect(got).toEqual({ ...contract, error: { code: contract.error.code, message: `${notRun}: ${contract.error.message}` }, not_run: notRun });
    }
    const int = request({ dtype: 'int32', shape: [2], values: [2, -7] } );
    expectReferenceAndImplGiveY(int, (await qlinearConv2d(ort!, int)) as Parameters<typeof expectReferenceAndImplGiveY>[1]);
  });
});
