/**
 * Linears whose x's K differs from the weight's (K >= 1 on both sides) and that are wrong in a second way, live through
 * the torch adapter on torch 1.13.0 (/usr/bin/python3) and torch 2.6 (its chroot, when set up), which answer alike.
 * torch compares the K's last, if at all: onednn's static linear in ideep's matmul ("could not create a descriptor",
 * inner_dim_mismatch) after linear_prepack (the weight's rank, its zero points, fewer per-channel zero points than N,
 * the bias's shape), x's rank and x's dtype (qlinear.cpp apply_impl: "data type of input should be QUint8"), and before
 * any scale or zero-point range, which it never checks; onednn's dynamic one likewise after x's NaNs; qnnpack never (it
 * packs the weight with x's K). qconform checked onednn's static linear's K first, then the conv's rules, so it answered
 * inner_dim_mismatch where torch refuses the bias, the weight's zero points, a short per-channel weight or a qint8 x (and,
 * with K's alike, zero_point_out_of_range or shape_mismatch where torch refuses an asymmetric weight or an int32 bias):
 * contract/linear_checks.ts onednnStaticOrder now runs linear_prepack's and apply_impl's checks for every onednn static
 * linear, not only x's K = 0. The torch adapter (linear_ops.py) reported qnnpack's prepack refusal of a weight not [N, K]
 * as backend_error, and a dynamic linear's int32 bias as unsupported_by_scheme where the op's wire contract makes it
 * malformed_request (reference/ and impl/ decode it so); both now as reference/ and impl/ answer.
 * Not run (null): where torch computes and qconform refuses on purpose (qnnpack with K's that differ reads the weight
 * row-shifted: inner_dim_mismatch, a contract rejection; a qint8 x on qnnpack; a weight zero point outside qint8).
 */
import { describe } from 'vitest';
import { type Row, type TableSpec, itChecksTableOnBothTorches } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/torch_linear_k_mismatch_order.test.ts';
const IDM = 'inner_dim_mismatch';
const SHAPE = 'shape_mismatch';
const USC = 'unsupported_by_scheme';
const MAL = 'malformed_request';
const SNP = 'scale_not_positive';
const SNF = 'scale_not_finite';
const INF = Number.POSITIVE_INFINITY;
const NAN = Number.NaN;
const F32_LEN = { dtype: 'float32', shape: [4] } as const;
const F32_2D = { dtype: 'float32', shape: [1, 3] } as const;
const INT32 = { dtype: 'int32', shape: [3] } as const;
const INT32_LEN = { dtype: 'int32', shape: [4] } as const;

/** The second faults, each beside x's K differing from the weight's; labels: qnnpack static, qnnpack dynamic, onednn static, onednn dynamic. */
const FAULTS: ReadonlyArray<readonly [string, Partial<TableSpec>, readonly (string | null)[]]> = [
  ['bias-length', { bias: F32_LEN }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['bias-2d', { bias: F32_2D }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['int32-bias', { bias: INT32 }, [USC, MAL, USC, MAL]],
  ['int32-bias-length', { bias: INT32_LEN }, [SHAPE, MAL, USC, MAL]],
  ['weight-zero-point', { zps: [3] }, [null, null, USC, USC]],
  ['weight-zero-point-300', { zps: [300] }, [null, null, USC, USC]],
  ['per-channel-zero-point', { perChannel: true, zps: [0, 3, 0] }, [null, null, USC, USC]],
  ['per-channel-fewer', { perChannel: true, scales: [0.05, 0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['per-channel-more', { perChannel: true, scales: [0.05, 0.05, 0.05, 0.05] }, [SHAPE, null, IDM, IDM]],
  ['per-channel-counts-differ', { perChannel: true, scales: [0.05, 0.05, 0.05], zps: [0, 0] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['per-tensor-two-scales', { scales: [0.05, 0.05], zps: [0, 0] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['x-qint8', { xDtype: 'qint8' }, [null, null, USC, null]],
  ['x-scale-0', { xScale: 0 }, [SNP, null, IDM, null]],
  ['x-scale-neg', { xScale: -1 }, [SNP, null, IDM, null]],
  ['x-scale-inf', { xScale: INF }, [SNF, null, IDM, null]],
  ['x-scale-nan', { xScale: NAN }, [SNF, null, IDM, null]],
  ['y-scale-0', { yScale: 0 }, [SNP, null, IDM, null]],
  ['y-scale-inf', { yScale: INF }, [SNF, null, IDM, null]],
  ['weight-scale-0', { scales: [0] }, [SNP, SNP, IDM, IDM]],
  ['weight-scale-neg', { scales: [-1] }, [SNP, SNP, IDM, IDM]],
  ['weight-scale-inf', { scales: [INF] }, [SNF, SNF, IDM, IDM]],
  ['weight-scale-nan', { scales: [NAN] }, [SNF, SNF, IDM, IDM]],
  ['per-channel-weight-scale-0', { perChannel: true, scales: [0.05, 0, 0.05] }, [SNP, SNP, IDM, IDM]],
  ['x-zero-point-300', { xZeroPoint: 300 }, [null, null, IDM, null]],
  ['x-nan', { special: NAN }, [null, 'nan_observed', null, 'nan_observed']],
  ['x-inf', { special: INF }, [null, 'non_finite_observed', null, IDM]],
];

/** x's K below the weight's ([2, 4] against [3, 5]) with every fault; above it and on an x of rank 3 with the faults onednn's static linear got wrong. */
const ONEDNN_STATIC_WRONG = ['bias-length', 'bias-2d', 'int32-bias', 'int32-bias-length', 'weight-zero-point', 'weight-zero-point-300', 'per-channel-zero-point', 'per-channel-fewer', 'x-qint8'];
const w = [3, 5];
const GEOMETRIES: ReadonlyArray<readonly [string, readonly number[], (tag: string) => boolean]> = [
  ['kx4-kw5', [2, 4], () => true],
  ['kx6-kw5', [2, 6], (tag) => ONEDNN_STATIC_WRONG.includes(tag)],
  ['rank3-kx4-kw5', [2, 2, 4], (tag) => ONEDNN_STATIC_WRONG.includes(tag)],
];

/** Faults together, x's K alike or not: torch's order within linear_prepack and apply_impl, which onednnStaticOrder now keeps whatever K. */
const MORE: readonly Row[] = [
  ['rank1-kx4-kw5', { x: [4], w }, [SHAPE, SHAPE, IDM, SHAPE]],
  ['rank1-kx4-kw5-bias-length', { x: [4], w, bias: F32_LEN }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['weight-rank3-kx4-kw5', { x: [2, 4], w: [3, 5, 1] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['weight-rank3', { x: [2, 5], w: [3, 5, 1] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['weight-zero-point-300', { x: [2, 5], w, zps: [300] }, [null, null, USC, USC]],
  ['int32-bias-length', { x: [2, 5], w, bias: INT32_LEN }, [SHAPE, MAL, USC, MAL]],
  ['bias-length+weight-zero-point', { x: [2, 5], w, bias: F32_LEN, zps: [3] }, [SHAPE, SHAPE, USC, USC]],
  ['x-qint8+bias-length', { x: [2, 5], w, xDtype: 'qint8', bias: F32_LEN }, [SHAPE, null, SHAPE, null]],
  ['x-qint8+rank0', { x: [], w, xDtype: 'qint8' }, [SHAPE, null, SHAPE, null]],
  ['x-scale-0+weight-zero-point', { x: [2, 5], w, xScale: 0, zps: [3] }, [SNP, null, USC, null]],
  ['x-scale-0+bias-length', { x: [2, 5], w, xScale: 0, bias: F32_LEN }, [SHAPE, null, SHAPE, null]],
  ['weight-scale-inf+per-channel-fewer', { x: [2, 5], w, perChannel: true, scales: [INF, 0.05] }, [SHAPE, SHAPE, SHAPE, SHAPE]],
  ['x-zero-point-300+weight-zero-point', { x: [2, 5], w, xZeroPoint: 300, zps: [3] }, [null, null, USC, null]],
  ['m0-kx4-kw5-weight-zero-point+x-scale-0', { x: [0, 4], w, zps: [3], xScale: 0 }, [SNP, null, USC, null]],
  ['n0-kx4-kw5-bias-length', { x: [2, 4], w: [0, 5], bias: { dtype: 'float32', shape: [1] } }, [SHAPE, SHAPE, SHAPE, SHAPE]],
];

const ROWS: readonly Row[] = [
  ...GEOMETRIES.flatMap(([geometry, x, picks]) => FAULTS.filter(([tag]) => picks(tag)).map(([tag, spec, labels]): Row => [`${geometry}-${tag}`, { x, w, ...spec }, labels])),
  ...MORE,
];

describe("linears whose x's K differs from the weight's, wrong in a second way, are refused with the error torch gives first", () => {
  itChecksTableOnBothTorches(ROWS, FILE);
});
