/**
 * Empty linears (M = 0 or N = 0) whose x's K differs from the weight's, live through the torch adapter on torch 1.13.0
 * (/usr/bin/python3) and torch 2.6 (its chroot, when set up), which answer alike: torch compares no K on an empty output
 * (onednn's apply_impl / apply_dynamic_impl return it before the matmul, qnnpack never compares them) and computes it,
 * except where its other K = 0 rules hold: onednn's static linear dies of SIGFPE on x's K = 0, its dynamic one of rank
 * >= 3 raises the reshape error on x's K = 0, and qnnpack dies of SIGSEGV on an x of K >= 1 with a weight [N >= 1, 0]
 * (PackBMatrix packs with x's K). qconform refused every one (inner_dim_mismatch); the contract now follows torch
 * (contract/linear_checks.ts shapeOf, emptyLinearRefusal). Non-empty controls keep inner_dim_mismatch where torch raises.
 */
import { describe } from 'vitest';
import { type Row, itChecksTableOnBothTorches } from '../support/torch_linear_table.js';

const FILE = 'tests/backends/torch_linear_empty_k_mismatch.test.ts';
const OUT = 'outputs';
const RANK = 'shape_mismatch';

/** [tag, spec, labels: qnnpack static, qnnpack dynamic, onednn static, onednn dynamic] (null: not run here) */
const ROWS: readonly Row[] = [
  ['M0-kx5-kw3', { x: [0, 5], w: [4, 3] }, [OUT, OUT, OUT, OUT]],
  ['N0-kx5-kw3', { x: [2, 5], w: [0, 3] }, [OUT, OUT, OUT, OUT]],
  ['M0N0-kx5-kw3', { x: [0, 5], w: [0, 3] }, [OUT, OUT, OUT, OUT]],
  ['M0-rank3-kx5-kw3', { x: [0, 2, 5], w: [4, 3] }, [OUT, OUT, OUT, OUT]],
  ['N0-rank3-kx5-kw3', { x: [2, 2, 5], w: [0, 3] }, [OUT, OUT, OUT, OUT]],
  ['N0-kx3-kw0', { x: [2, 3], w: [0, 0] }, [OUT, OUT, OUT, OUT]],
  ['M0-kx0-kw3', { x: [0, 0], w: [4, 3] }, [OUT, OUT, 'crash:SIGFPE', OUT]],
  ['N0-kx0-kw3', { x: [2, 0], w: [0, 3] }, [OUT, OUT, 'crash:SIGFPE', OUT]],
  ['M0-kx3-kw0', { x: [0, 3], w: [4, 0] }, ['crash:SIGSEGV', 'crash:SIGSEGV', OUT, OUT]],
  ['M0-rank3-kx5-kw0', { x: [0, 2, 5], w: [4, 0] }, ['crash:SIGSEGV', 'crash:SIGSEGV', OUT, OUT]],
  ['M0-rank3-kx0-kw3', { x: [0, 2, 0], w: [4, 3] }, [OUT, OUT, 'crash:SIGFPE', RANK]],
  ['N0-rank3-kx0-kw3', { x: [2, 2, 0], w: [0, 3] }, [OUT, OUT, 'crash:SIGFPE', RANK]],
  ['N0-rank1-kx5-kw3', { x: [5], w: [0, 3] }, [RANK, RANK, OUT, RANK]],
  ['M0-kx5-kw3-per-channel-bias', { x: [0, 5], w: [4, 3], perChannel: true, bias: { dtype: 'float32', shape: [4] } }, [OUT, OUT, OUT, OUT]],
  ['N0-kx5-kw3-bias', { x: [2, 5], w: [0, 3], bias: { dtype: 'float32', shape: [0] } }, [OUT, OUT, OUT, OUT]],
  // controls: not empty, K's differ (torch's qnnpack computes these from x's K, a contract refusal: not run here)
  ['rank1-kx5-kw3', { x: [5], w: [4, 3] }, [RANK, RANK, 'inner_dim_mismatch', RANK]],
  ['kx5-kw3', { x: [2, 5], w: [4, 3] }, [null, null, 'inner_dim_mismatch', 'inner_dim_mismatch']],
];

describe('empty linears whose K differs from the weight\'s: computed where torch computes them', () => {
  itChecksTableOnBothTorches(ROWS, FILE);
});
