/**
 * torch's qnnpack static linear (quantized::linear through the adapter: the weight's construction, linear_prepack, then
 * the call) on inputs wrong in two ways, live: torch 1.13.0 (/usr/bin/python3) and torch 2.6 (its chroot, when set up)
 * refuse them in the same order: the bias's shape (prepack), x's rank, the requantization scales (x_scale, y_scale, the
 * weight scales of the first N channels), an int32 bias (QuantizeBias: "Quantize only works on Float Tensor, got Int"),
 * a per-channel weight of more than N ("length of scales must equal to channel"); x's K is never compared. The adapter
 * refused an int32 bias before calling torch, so it named that before x's rank, the bias's shape and a bad scale; the
 * contract checked x's rank and K first and a weight scale before the bias's shape (contract/linear_checks.ts
 * qnnpackStaticOrder, which shares its prepack and rank checks with qnnpackDynamicOrder).
 */
import { describe } from 'vitest';
import { type Row, itChecksTableOnBothTorches } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/torch_qnnpack_static_order.test.ts';
const x = [2, 4];
const w = [3, 4];
const INT32 = { dtype: 'int32', shape: [3] } as const;
const INT32_SHORT = { dtype: 'int32', shape: [2] } as const;
const F32_SHORT = { dtype: 'float32', shape: [2] } as const;
const MORE = { perChannel: true, scales: [0.05, 0.05, 0.05, 0.05] } as const;

/** torch's first refusal (the adapter's code for it) on qnnpack's static linear; the other kinds are not run */
const ROWS: readonly Row[] = ([
  ['int32-bias', { x, w, bias: INT32 }, 'unsupported_by_scheme'],
  ['int32-bias+rank1', { x: [4], w, bias: INT32 }, 'shape_mismatch'],
  ['int32-bias-shape', { x, w, bias: INT32_SHORT }, 'shape_mismatch'],
  ['int32-bias-shape+rank1', { x: [4], w, bias: INT32_SHORT }, 'shape_mismatch'],
  ['int32-bias+K', { x: [2, 5], w, bias: INT32 }, 'unsupported_by_scheme'],
  ['int32-bias+K0', { x: [2, 0], w, bias: INT32 }, 'unsupported_by_scheme'],
  ['int32-bias+scale0', { x, w, bias: INT32, scales: [0] }, 'scale_not_positive'],
  ['int32-bias+x-scale0', { x, w, bias: INT32, xScale: 0 }, 'scale_not_positive'],
  ['int32-bias+M0', { x: [0, 4], w, bias: INT32 }, 'unsupported_by_scheme'],
  ['int32-bias+N0', { x, w: [0, 4], bias: { dtype: 'int32', shape: [0] } }, 'unsupported_by_scheme'],
  ['int32-bias+scale0+M0', { x: [0, 4], w, bias: INT32, scales: [0] }, 'scale_not_positive'],
  ['int32-bias+per-channel-more', { x, w, bias: INT32, ...MORE }, 'unsupported_by_scheme'],
  ['scale0+rank1', { x: [4], w, scales: [0] }, 'shape_mismatch'],
  ['scale0+bias-shape', { x, w, scales: [0], bias: F32_SHORT }, 'shape_mismatch'],
  ['scale0+K', { x: [2, 5], w, scales: [0] }, 'scale_not_positive'],
  ['x-scale0+K', { x: [2, 5], w, xScale: 0 }, 'scale_not_positive'],
  ['bias-shape+rank1', { x: [4], w, bias: F32_SHORT }, 'shape_mismatch'],
  ['bias-shape+K', { x: [2, 5], w, bias: F32_SHORT }, 'shape_mismatch'],
  ['per-channel-more+rank1', { x: [4], w, ...MORE }, 'shape_mismatch'],
  ['per-channel-more+scale0', { x, w, perChannel: true, scales: [0, 0, 0, 0] }, 'scale_not_positive'],
  ['per-channel-more+K', { x: [2, 5], w, ...MORE }, 'shape_mismatch'],
  ['per-channel-fewer+int32-bias', { x, w, perChannel: true, scales: [0.05, 0.05], bias: INT32 }, 'shape_mismatch'],
] as const).map(([tag, spec, label]): Row => [tag, spec, [label, null, null, null]]);

describe('torch-qnnpack@1 static linear: inputs wrong in two ways are refused with the error torch gives first', () => {
  itChecksTableOnBothTorches(ROWS, FILE, ['torch 1.13.0', 'torch 2.6 (chroot)']);
});
