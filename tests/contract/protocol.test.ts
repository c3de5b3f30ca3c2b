/**
 * The eval protocol (docs/protocol.md): evaluateRequest turns every malformed request into an
 * {id, error: {code}} response instead of throwing, and `qconform eval` answers a stream of request
 * lines one response per line, in order, after its handshake.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { ErrorCode } from '../../contract/errors.js';
import { CONV_OP_NAMES } from '../../contract/conv.js';
import { OP_NAMES } from '../../contract/ops.js';
import { REQUANTIZE_OP_NAMES } from '../../contract/requantize.js';
import { LINEAR_OP_NAMES } from '../../contract/linear.js';
import { ONNX_QUANT_OP_NAMES } from '../../contract/onnx_quant.js';
import { ONNX_QOP_NAMES } from '../../contract/onnx_qops.js';
import { runEvalProcess } from '../support/eval_process.js';
import { describeEachImplementation } from '../support/implementations.js';

const ONE_F64 = '3ff0000000000000';

/** quantize_per_tensor of [1.0, 2.5, -1.0] (scale 1.0, zero point 0, qint8): round half to even gives [1, 2, -1]. */
function quantizeRequest(id: string, changes: { attrs?: object; x?: object } = {}) {
  return {
    id,
    op: 'quantize_per_tensor@1',
    attrs: { scale: ONE_F64, zero_point: 0, dtype: 'qint8', ...changes.attrs },
    inputs: { x: { dtype: 'float32', shape: [3], hex: ['3f800000', '40200000', 'bf800000'], ...changes.x } },
  };
}
const QUANTIZE_OUTPUTS = { q: { dtype: 'qint8', shape: [3], values: [1, 2, -1] } };

/**
 * min_max_observer on one batch [-2, 0.5, 2], quint8 per_tensor_affine with the custom range [0, 4]:
 * scale = (2 - (-2)) / (4 - 0) = 1.0, zero_point = 0 - round(-2 / 1.0) = 2.
 */
const OBSERVER_REQUEST = {
  id: 'o-1',
  op: 'min_max_observer@1',
  attrs: { dtype: 'quint8', qscheme: 'per_tensor_affine', reduce_range: false, quant_min: 0, quant_max: 4 },
  inputs: { batches: [{ dtype: 'float32', shape: [3], hex: ['c0000000', '3f000000', '40000000'] }] },
};
const OBSERVER_OUTPUTS = {
  min_val: { dtype: 'float32', shape: [], hex: ['c0000000'] },
  max_val: { dtype: 'float32', shape: [], hex: ['40000000'] },
  scale: { dtype: 'float32', shape: [1], hex: ['3f800000'] },
  zero_point: { dtype: 'int32', shape: [1], values: [2] },
};

const MALFORMED: ReadonlyArray<readonly [name: string, request: unknown, id: string | null, code: ErrorCode, mentions: string]> = [
  ['a number instead of an object', 42, null, 'malformed_request', 'got 42'],
  ['null', null, null, 'malformed_request', 'got null'],
  ['a string', 'quantize_per_tensor@1', null, 'malformed_request', 'got "quantize_per_tensor@1"'],
  ['an unknown op', { id: 'u', op: 'quantize_per_tensor@2' }, 'u', 'unknown_op', 'got "quantize_per_tensor@2"'],
  ['no op at all', { id: 'n' }, 'n', 'unknown_op', 'request.op'],
  ['a missing input', { ...quantizeRequest('m'), inputs: {} }, 'm', 'malformed_request', 'inputs.x'],
  ['an integer tensor where float32 is required', { ...quantizeRequest('d'), inputs: { x: { dtype: 'int32', shape: [3], values: [1, 2, -1] } } }, 'd', 'malformed_request', 'got "int32"'],
  ['a float32 hex of 7 digits', quantizeRequest('h', { x: { hex: ['3f80000', '40200000', 'bf800000'] } }), 'h', 'malformed_request', 'inputs.x.hex[0]'],
  ['a float64 attribute hex of 15 digits', quantizeRequest('s', { attrs: { scale: '3ff000000000000' } }), 's', 'malformed_request', 'attrs.scale'],
  ['3 elements for shape [2]', quantizeRequest('l', { x: { shape: [2] } }), 'l', 'malformed_request', 'inputs.x.hex'],
  ['a fractional integer attribute', quantizeRequest('z', { attrs: { zero_point: 1.5 } }), 'z', 'malformed_request', 'attrs.zero_point'],
  ['a string integer attribute', quantizeRequest('t', { attrs: { zero_point: '0' } }), 't', 'malformed_request', 'attrs.zero_point'],
  ['batches that are not a list', { ...OBSERVER_REQUEST, id: 'b', inputs: { batches: OBSERVER_REQUEST.inputs.batches[0] } }, 'b', 'malformed_request', 'inputs.batches'],
  ['an op-level rejection (scale 0)', quantizeRequest('r', { attrs: { scale: '0000000000000000' } }), 'r', 'scale_not_positive', 'got 0'],
];

describeEachImplementation('evaluateRequest', (ops) => {
  for (const [name, request, id, code, mention] of MALFORMED) {
    it(`answers ${name} with ${code}`, () => {
      const response = evaluateRequest(ops, request);
      expect(response).toEqual({ id, error: { code, message: expect.stringContaining(mention) } });
    });
  }

  it('answers valid requests with the exact outputs', () => {
    expect(evaluateRequest(ops, quantizeRequest('q'))).toEqual({ id: 'q', outputs: QUANTIZE_OUTPUTS });
    expect(evaluateRequest(ops, OBSERVER_REQUEST)).toEqual({ id: 'o-1', outputs: OBSERVER_OUTPUTS });
  });
});

describe.each(['reference', 'impl'] as const)('qconform eval --backend %s (child process)', (backend) => {
  it('handshakes, then answers every request line once, in order, echoing ids', async () => {
    const requests = [JSON.stringify(quantizeRequest('q-1')), 'this is not JSON', JSON.stringify({ id: 'u-1', op: 'no_such_op@1' }), JSON.stringify(OBSERVER_REQUEST)];
    const run = await runEvalProcess(backend, requests);
    expect(run.exitCode, run.stderr).toBe(0);
    const [handshake, ...responses] = run.lines.map((line) => JSON.parse(line) as unknown);

    expect(handshake).toMatchObject({ protocol: 'qconform-eval/1', backend: `qconform-${backend}`, ops: [...OP_NAMES, ...CONV_OP_NAMES, ...REQUANTIZE_OP_NAMES, ...LINEAR_OP_NAMES, ...ONNX_QUANT_OP_NAMES, ...ONNX_QOP_NAMES] });
    expect(responses).toEqual([
      { id: 'q-1', outputs: QUANTIZE_OUTPUTS },
      { id: null, error: { code: 'malformed_request', message: expect.stringContaining('not JSON') } },
      { id: 'u-1', error: { code: 'unknown_op', message: expect.stringContaining('no_such_op@1') } },
      { id: 'o-1', outputs: OBSERVER_OUTPUTS },
    ]);
  });
});
