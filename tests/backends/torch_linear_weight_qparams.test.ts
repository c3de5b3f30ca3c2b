/**
 * A torch linear's weight qparams as torch takes them, live through the torch adapter on torch 1.13.0 (/usr/bin/python3)
 * and torch 2.6 (its chroot, when set up), which answer alike (contract/torch_linear_weight_qparams.ts):
 * - per channel, more scales and zero points than N: torch reads the first N and ignores the rest (an extra NaN scale or
 *   zero point 300 included) on onednn, static and dynamic, and on qnnpack's dynamic linear; qnnpack's static linear
 *   refuses them ("length of scales must equal to channel", after its requantization scales). qconform refused all
 *   (shape_mismatch). Fewer than N: onednn's IndexError, qnnpack reads past them (a garbage scale's refusal, or SIGSEGV
 *   with none), all shape_mismatch (the adapter reports qnnpack's garbage read so, in torch's order).
 * - per tensor, more than one scale or zero point: torch's per-tensor qparams are scalars ("a Tensor with 2 elements
 *   cannot be converted to Scalar", its weight construction, before every other rule). The adapter took element 0 and
 *   computed; the contract refused it after K. An invalid weight_quantization was computed per tensor by the adapter.
 */
import { describe, it } from 'vitest';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { type Row, checkTable, tableOf, tableRequest } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/torch_linear_weight_qparams.test.ts';
const OUT = 'outputs';
const SHAPE = 'shape_mismatch';
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
const x = [2, 4];
const w = [3, 4];

/** labels: qnnpack static, qnnpack dynamic, onednn static, onednn dynamic (null: not run) */
const PER_CHANNEL: readonly Row[] = [
  ['more', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05, 0.05] }, [SHAPE, OUT, OUT, OUT]],
  ['more-extra-scale0-neg', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0, -1] }, [SHAPE, OUT, OUT, OUT]],
  ['more-extra-inf-nan', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, INF, NAN] }, [SHAPE, OUT, OUT, OUT]],
  ['more-extra-zp5', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], zps: [0, 0, 0, 5] }, [SHAPE, OUT, OUT, OUT]],
  ['more-extra-zp300', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], zps: [0, 0, 0, 300] }, [SHAPE, OUT, OUT, OUT]],
  ['more-varied', { x, w, perChannel: true, scales: [0.05, 0.02, 0.07, 0.5], bias: { dtype: 'float32', shape: [3] } }, [SHAPE, OUT, OUT, OUT]],
  ['more-M0', { x: [0, 4], w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05] }, [SHAPE, OUT, OUT, OUT]],
  ['more-N0', { x, w: [0, 4], perChannel: true, scales: [0.05, 0.05] }, [SHAPE, OUT, OUT, OUT]],
  ['more-all-scale0', { x, w, perChannel: true, scales: [0, 0, 0, 0] }, ['scale_not_positive', 'scale_not_positive', OUT, OUT]],
  ['more-int32-bias', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], bias: { dtype: 'int32', shape: [3] } }, ['unsupported_by_scheme', null, null, null]],
  ['more-bias-shape', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], bias: { dtype: 'float32', shape: [2] } }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['fewer', { x, w, perChannel: true, scales: [0.05, 0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['fewer1', { x, w, perChannel: true, scales: [0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['none', { x, w, perChannel: true, scales: [] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['fewer+rank1', { x: [4], w, perChannel: true, scales: [0.05, 0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['fewer+nan', { x, w, perChannel: true, scales: [0.05, 0.05], special: NAN }, [null, 'nan_observed', null, SHAPE]],
  ['fewer+inf', { x, w, perChannel: true, scales: [0.05, 0.05], special: INF }, [null, 'non_finite_observed', null, SHAPE]],
  ['scales-more-than-zps', { x, w, perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], zps: [0, 0, 0] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
];

const PER_TENSOR: readonly Row[] = [
  ['two-scales', { x, w, scales: [0.05, 0.1] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['two-scales-one-zp', { x, w, scales: [0.05, 0.1], zps: [0] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['one-scale-two-zps', { x, w, scales: [0.05], zps: [0, 0] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['no-scale', { x, w, scales: [] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['two-scales+K', { x: [2, 5], w, scales: [0.05, 0.1] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['two-scales+nan', { x, w, scales: [0.05, 0.1], special: NAN }, [null, SHAPE, null, SHAPE]],
  ['two-scales-first-zero', { x, w, scales: [0, 0.1] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['two-scales+int32-bias', { x, w, scales: [0.05, 0.1], bias: { dtype: 'int32', shape: [3] } }, [SHAPE, null, null, null]],
];

/** weight_quantization other than per_tensor / per_channel: the adapter computed it per tensor */
function invalidQscheme(onednn: string) {
  return (['torch-qnnpack@1', onednn] as const).flatMap((scheme) =>
    (['quantized_linear@1', 'quantized_linear_dynamic@1'] as const).map((op) => {
      const q = tableRequest(`${op}-${scheme}-per-axis`, op, scheme, { x, w });
      return { ...q, attrs: { ...q.attrs, weight_quantization: 'per_axis' } } as typeof q;
    }),
  );
}

async function run(onednn: string, answers: typeof torch13Responses, who: string): Promise<void> {
  for (const rows of [PER_CHANNEL, PER_TENSOR]) {
    const { requests, labels } = tableOf(rows, onednn);
    checkTable(requests, labels, await answers(requests), who, FILE);
  }
  const invalid = invalidQscheme(onednn);
  checkTable(invalid, invalid.map(() => 'invalid_qscheme'), await answers(invalid), who, FILE);
}

describe("torch linears' weight qparams: per channel beyond N, fewer than N, several per tensor", () => {
  it('torch 1.13.0 (torch-qnnpack@1, torch-onednn@1)', { timeout: 300_000 }, async () => {
    await run('torch-onednn@1', torch13Responses, 'torch 1.13 via runThroughTorch');
  });

  it('torch 2.6 (chroot; torch-qnnpack@1, torch-onednn@2)', { timeout: 600_000, skip: !torch26Available() }, async () => {
    await run('torch-onednn@2', torch26Responses, 'torch 2.6 in its chroot');
  });
});
