/**
 * calculate_qparams@1 on min/max state of every shape, on real torch 1.13.0 (Debian python3-torch) through the torch
 * adapter. UniformQuantizationObserverBase._calculate_qparams (observer.py l.296) is elementwise whatever the qscheme:
 * a state of one shape ([], [1], [2], [C], 2-D, 3-D) gives qparams of that shape ([1] for a 0-dim one), per_tensor_*
 * and per_channel_* qschemes alike, and an empty min_val or max_val gives the default qparams whatever the other's shape
 * (check_min_max_valid tests numel first). qconform took only [] for per_tensor_* and [C] for per_channel_*.
 * Different shapes: torch raises for shapes that do not broadcast and for a 0-dim state beside one of several elements
 * (shape_mismatch on both sides); it computes on the broadcast of the others, which qconform refuses
 * (min_max_shapes_differ, a CONTRACT_REJECTIONS entry). Every implementation must give torch's answer bit for bit.
 * The same requests run as calculate_qparams@2 through torch 2.6: torch26_calculate_qparams_shapes.test.ts.
 */
import { describe, it } from 'vitest';
import { runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { CALCULATE_QPARAMS_SHAPES_SEED as SEED, expectMismatchedAnswers, expectOneShapeCoverage, mismatchedRequests, oneShapeRequests } from '../support/calculate_qparams_shape_requests.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { expectTorchAnswers } from '../support/torch_wire_requests.js';

describe('calculate_qparams@1 state shapes, as torch 1.13 takes them', () => {
  it('state of one shape, any rank, any qscheme (and an empty one beside any shape): every implementation gives torch\'s qparams', { timeout: 300_000 }, async () => {
    const q = oneShapeRequests('calculate_qparams@1');
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, `torch 1.13 via runThroughTorch, seed ${SEED}`);
    // errors only from the drawn NaN / min > max states and configurations (quant_range_too_wide: drawConfig's qint32
    // range of 2^32 values, which 1.13 refuses)
    expectOneShapeCoverage(q, responses, ['min_greater_than_max', 'nan_observed', 'quant_range_too_wide']);
  });

  it('different state shapes: torch\'s shape_mismatch where it raises, min_max_shapes_differ (a contract rejection) where it broadcasts', { timeout: 300_000 }, async () => {
    const q = mismatchedRequests('calculate_qparams@1');
    const { responses } = await runThroughTorch(q);
    expectMismatchedAnswers(q, responses, 'torch 1.13');
  });
});
