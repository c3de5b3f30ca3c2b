/**
 * Linears of M, N >= 1 whose x has K = 0 while the weight has K >= 1, live through the torch adapter on torch 1.13.0
 * (/usr/bin/python3) and torch 2.6 (its chroot, when set up), which answer alike:
 * - qnnpack computes them, static and dynamic: it packs the weight with x's K (qlinear.cpp, qlinear_dynamic.cpp), so
 *   none of it, and each output is the bias alone through the usual epilogue (the static one: requantize(bias),
 *   y_zero_point without a bias), as with a weight [N, 0]; its refusals before that are the usual ones, in its order
 *   (bias shape, requantization scales, an int32 bias, per-channel scales beyond N on the static linear).
 * - onednn's static linear dies of SIGFPE (PackedLinearWeightsOnednn::apply_impl, qlinear.cpp: M = input.numel() / K)
 *   right after linear_prepack (weight zero points, bias shape), x's rank and dtype: whatever the scales.
 * - onednn's dynamic linear of rank 2 raises "could not create a descriptor for a matmul primitive" (inner_dim_mismatch),
 *   of rank >= 3 "cannot reshape tensor of 0 elements" (shape_mismatch), before any weight scale (it checks none).
 * qconform refused all of them inner_dim_mismatch, before the checks torch makes first (contract/linear_checks.ts
 * shapeOf); it now computes qnnpack's and refuses onednn's as torch does, in torch's order (torchSkipsKCheck,
 * onednnStaticOrder, onednnDynamicOrder). torch-fbgemm@1 is not run: neither Debian build has the engine ("quantized
 * engine FBGEMM is not supported"), and qconform keeps inner_dim_mismatch there (last test).
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { type Label, type Row, checkTable, tableOf, tableRequest } from '../support/torch_linear_table.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

const FILE = 'tests/backends/torch_linear_x_k0.test.ts';
const OUT = 'outputs';
const FPE = 'crash:SIGFPE';
const IDM = 'inner_dim_mismatch';
const SHAPE = 'shape_mismatch';
const USC = 'unsupported_by_scheme';
const INF = Number.POSITIVE_INFINITY;
const x = [2, 0];
const w = [3, 5];

/** labels: qnnpack static, qnnpack dynamic, onednn static, onednn dynamic (null: not run) */
const ROWS: readonly Row[] = [
  ['kx0-kw5', { x, w }, [OUT, OUT, FPE, IDM]],
  ['m1n1-kx0-kw4', { x: [1, 0], w: [1, 4] }, [OUT, OUT, FPE, IDM]],
  ['rank3-kx0-kw5', { x: [2, 3, 0], w: [2, 5] }, [OUT, OUT, FPE, SHAPE]],
  ['rank4-kx0-kw2', { x: [1, 2, 2, 0], w: [3, 2] }, [OUT, OUT, FPE, SHAPE]],
  ['rank1-kx0-kw3', { x: [0], w: [2, 3] }, [SHAPE, SHAPE, FPE, SHAPE]],
  ['n17-kx0-kw9-per-channel-bias', { x: [3, 0], w: [17, 9], perChannel: true, bias: { dtype: 'float32', shape: [17] } }, [OUT, OUT, FPE, IDM]],
  ['kx0-kw5-bias', { x, w, bias: { dtype: 'float32', shape: [3] } }, [OUT, OUT, FPE, IDM]],
  ['rank3-kx0-kw5-bias', { x: [2, 3, 0], w: [2, 5], bias: { dtype: 'float32', shape: [2] } }, [OUT, OUT, FPE, SHAPE]],
  // what torch checks before: the bias's dtype and shape, requantization scales (qnnpack), zero points (onednn)
  ['kx0-kw5-int32-bias', { x, w, bias: { dtype: 'int32', shape: [3] } }, [USC, null, USC, null]],
  ['kx0-kw5-bias-length', { x, w, bias: { dtype: 'float32', shape: [4] } }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['kx0-kw5-x-scale-1e30', { x, w, xScale: 1e30 }, [OUT, null, FPE, null]],
  ['kx0-kw5-weight-scale-inf', { x, w, scales: [INF] }, ['scale_not_finite', 'scale_not_finite', FPE, IDM]],
  ['kx0-kw5-weight-scale-0', { x, w, scales: [0] }, ['scale_not_positive', 'scale_not_positive', FPE, IDM]],
  ['kx0-kw5-weight-scale-neg', { x, w, scales: [-1] }, ['scale_not_positive', 'scale_not_positive', FPE, IDM]],
  ['rank3-kx0-kw5-weight-scale-inf', { x: [2, 3, 0], w: [2, 5], scales: [INF] }, ['scale_not_finite', 'scale_not_finite', FPE, SHAPE]],
  ['rank3-kx0-kw5-weight-scale-0', { x: [2, 3, 0], w: [2, 5], scales: [0] }, ['scale_not_positive', 'scale_not_positive', FPE, SHAPE]],
  ['kx0-kw5-weight-zero-point', { x, w, zps: [3] }, [OUT, OUT, USC, USC]],
  ['rank3-kx0-kw5-weight-zero-point', { x: [2, 3, 0], w: [2, 5], zps: [3] }, [OUT, OUT, USC, USC]],
  ['kx0-kw5-per-channel-long', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05, 0.05] }, [SHAPE, OUT, FPE, IDM]],
  ['kx0-kw5-per-channel-short', { x, w, perChannel: true, scales: [0.05, 0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
];

/**
 * A static linear with qint8 x: onednn's apply_impl refuses it before it divides by K. (qnnpack hands a qint8 x to
 * XNNPACK, which qconform does not model: unsupported_by_scheme there whatever K; torch raises "xnn create operator
 * failed(2)" on x's K = 0 and computes K >= 1.)
 */
function qint8X(scheme: string, label: Label): { request: WireRequest; label: Label } {
  const q = tableRequest(`quantized_linear@1-${scheme}-kx0-kw5-qint8-x`, 'quantized_linear@1', scheme, { x, w });
  const inputs = q.inputs as Record<string, unknown>;
  return { request: { ...q, inputs: { ...inputs, x: { dtype: 'qint8', shape: x, values: [] } } } as WireRequest, label };
}

async function run(onednn: string, answers: typeof torch13Responses, who: string): Promise<void> {
  const { requests, labels } = tableOf(ROWS, onednn);
  const extra = [qint8X(onednn, USC)];
  const all = [...requests, ...extra.map((e) => e.request)];
  const torch = await answers(all);
  checkTable(all, [...labels, ...extra.map((e) => e.label)], torch, who, FILE);
  // the output is the bias alone: y_zero_point (10) everywhere without a bias, as torch gave it
  expect(torch[0], `${requests[0]!.id} on ${who}`).toMatchObject({ outputs: { y: { dtype: 'quint8', shape: [2, 3], values: [10, 10, 10, 10, 10, 10] } } });
}

describe("linears of M, N >= 1 with x's K = 0 and a weight K >= 1, as torch answers them", () => {
  it('torch 1.13.0 (torch-qnnpack@1, torch-onednn@1)', { timeout: 300_000 }, async () => {
    await run('torch-onednn@1', torch13Responses, 'torch 1.13 via runThroughTorch');
  });

  it('torch 2.6 (chroot; torch-qnnpack@1, torch-onednn@2)', { timeout: 600_000, skip: !torch26Available() }, async () => {
    await run('torch-onednn@2', torch26Responses, 'torch 2.6 in its chroot');
  });

  it('schemes not run on it keep inner_dim_mismatch (torch-fbgemm@1: no fbgemm engine in either Debian build; exact@1, ORT)', () => {
    for (const scheme of ['torch-fbgemm@1', 'exact@1', 'onnxruntime@1']) {
      const q = tableRequest(`quantized_linear@1-${scheme}-kx0-kw5`, 'quantized_linear@1', scheme, { x, w });
      for (const [name, ops] of IMPLEMENTATIONS) {
        const got = evaluateRequest(ops, q);
        expect('error' in got ? got.error.code : 'outputs', `${q.id} on ${name} (replay: npx vitest run ${FILE} -t 'schemes not run'; echo '${JSON.stringify(q)}' | npx qconform eval --backend reference)`).toBe(IDM);
      }
    }
  });
});
