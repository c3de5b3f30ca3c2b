/**
 * calculate_qparams@1 on min/max state of every shape, on real torch 1.13.0 (Debian python3-torch) through the torch
 * adapter. UniformQuantizationObserverBase._calculate_qparams (observer.py l.296) is elementwise whatever the qscheme:
 * a state of one shape ([], [1], [2], [C], 2-D, 3-D) gives qparams of that shape ([1] for a 0-dim one), per_tensor_*
 * and per_channel_* qschemes alike, and an empty min_val or max_val gives the default qparams whatever the other's shape
 * (check_min_max_valid tests numel first). qconform took only [] for per_tensor_* and [C] for per_channel_*.
 * Different shapes: torch raises for shapes that do not broadcast and for a 0-dim state beside one of several elements
 * (shape_mismatch on both sides); it computes on the broadcast of the others, which qconform refuses
 * (min_max_shapes_differ, a CONTRACT_REJECTIONS entry). Every implementation must give torch's answer bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { runThroughTorch } from '../../conformance/backends/torch/torch_process.js';
import { type QScheme } from '../../contract/dtypes.js';
import { CONTRACT_REJECTIONS } from '../../contract/errors.js';
import { f64ToHex } from '../../contract/wire.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES, drawConfig } from '../../conformance/cases/builders.js';
import { drawMinMax } from '../../conformance/cases/qparams_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { expectTorchAnswers, f32 } from '../support/torch_wire_requests.js';

const SEED = 'torch-calculate-qparams-shapes/1';
const QSCHEMES: readonly QScheme[] = [...PER_TENSOR_QSCHEMES, ...PER_CHANNEL_QSCHEMES];
/** State shapes of one kind: 0-dim, one element, a few, long ones (16-lane vector body and scalar tail), 2-D, 3-D. */
const SHAPES: ReadonlyArray<readonly number[]> = [[], [1], [2], [5], [21], [40], [1, 1], [2, 3], [3, 7], [4, 8], [2, 1, 3], [2, 3, 4]];
/** eps as given to the observer: torch's default, or one that lets torch.max's tie and NaN rules decide the scale's bits. */
const EPS = [2 ** -23, 0, -0, NaN, 1e-3];
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const valid = ([mn, mx]: readonly [number, number]) => mn <= mx; // false for NaN too

function stateRequest(r: CaseRandom, id: string, qscheme: QScheme, minShape: readonly number[], maxShape: readonly number[]): WireRequest {
  const config = drawConfig(r, qscheme, false);
  const eps = r.bool(0.5) ? r.pick(EPS) : null;
  // mostly valid pairs; now and then a state holding a NaN or min > max somewhere (torch's assertion)
  const broken = r.bool(0.1);
  const pair = (): [number, number] => {
    for (;;) {
      const p = drawMinMax(r);
      if (broken || valid(p)) return p;
    }
  };
  const n = Math.max(count(minShape), count(maxShape));
  const pairs = Array.from({ length: n }, pair);
  return {
    id,
    op: 'calculate_qparams@1',
    attrs: { qscheme, ...config, ...(eps === null ? {} : { eps: f64ToHex(eps) }) },
    inputs: { min_val: f32(minShape, pairs.slice(0, count(minShape)).map((p) => p[0])), max_val: f32(maxShape, pairs.slice(0, count(maxShape)).map((p) => p[1])) },
  } as WireRequest;
}

/** Every qscheme on every state shape, several seeded draws each; plus empty states beside any other shape. */
function oneShapeRequests(): WireRequest[] {
  const r = new CaseRandom(SEED);
  const out: WireRequest[] = [];
  for (const qscheme of QSCHEMES) {
    for (const shape of SHAPES) {
      for (let k = 0; k < 4; k++) out.push(stateRequest(r, `${qscheme}-[${shape}]-${k}`, qscheme, shape, shape));
    }
    for (const [mn, mx] of [[[0], [0]], [[0, 3], [0, 3]], [[2], [0]], [[], [0]], [[0], [2, 3]], [[3, 0], [3]]] as const) {
      out.push(stateRequest(r, `${qscheme}-empty-[${mn}]-[${mx}]`, qscheme, mn, mx));
    }
  }
  return out;
}

/** Different state shapes: [shapes], what torch does with them. */
const MISMATCHED: ReadonlyArray<readonly [readonly number[], readonly number[], 'raises' | 'broadcasts']> = [
  [[2], [3], 'raises'],
  [[2, 3], [3, 2], 'raises'],
  [[], [3], 'raises'],
  [[3], [], 'raises'],
  [[2, 2], [], 'raises'],
  [[1], [3], 'broadcasts'],
  [[3], [1], 'broadcasts'],
  [[], [1], 'broadcasts'],
  [[1], [], 'broadcasts'],
  [[], [1, 1], 'broadcasts'],
  [[3], [2, 3], 'broadcasts'],
  [[2, 1], [1, 3], 'broadcasts'],
];

function mismatchedRequests(): WireRequest[] {
  const r = new CaseRandom(`${SEED}/mismatched`);
  // valid values (min -1.5 <= max 2.25 everywhere), so that torch's answer is about the shapes
  return QSCHEMES.flatMap((qscheme) =>
    MISMATCHED.map(
      ([mn, mx, torch]) =>
        ({
          id: `${qscheme}-[${mn}]-vs-[${mx}]-${torch}`,
          op: 'calculate_qparams@1',
          attrs: { qscheme, ...drawConfig(r, qscheme, false) },
          inputs: { min_val: f32(mn, Array(count(mn)).fill(-1.5)), max_val: f32(mx, Array(count(mx)).fill(2.25)) },
        }) as WireRequest,
    ),
  );
}

describe('calculate_qparams@1 state shapes, as torch 1.13 takes them', () => {
  it('state of one shape, any rank, any qscheme (and an empty one beside any shape): every implementation gives torch\'s qparams', { timeout: 300_000 }, async () => {
    const q = oneShapeRequests();
    const { responses } = await runThroughTorch(q);
    expectTorchAnswers(q, responses, IMPLEMENTATIONS, `torch 1.13 via runThroughTorch, seed ${SEED}`);
    // not vacuous: torch computed qparams of the state's shape for per_tensor_* qschemes on [C] and 2-D states, and for
    // per_channel_* ones on 0-dim and 2-D states; errors only from the drawn NaN / min > max states and configurations
    const computed = (pred: (qscheme: string, shape: number[]) => boolean) =>
      q.filter((r, i) => {
        const a = responses[i]!;
        const shape = (r.inputs!['min_val'] as { shape: number[] }).shape;
        return 'outputs' in a && pred(r.attrs!['qscheme'] as string, shape);
      }).length;
    expect(computed((s, shape) => s.startsWith('per_tensor') && shape.length >= 1 && count(shape) > 0)).toBeGreaterThanOrEqual(50);
    expect(computed((s, shape) => s.startsWith('per_channel') && shape.length === 0)).toBeGreaterThanOrEqual(8);
    expect(computed((_s, shape) => shape.length >= 2 && count(shape) >= 16)).toBeGreaterThanOrEqual(30);
    const byShape = q.filter((r, i) => {
      const a = responses[i]!;
      const shape = (r.inputs!['min_val'] as { shape: number[] }).shape;
      return 'outputs' in a && shape.length >= 2 && count(shape) > 0 && JSON.stringify((a.outputs['scale'] as { shape: number[] }).shape) === JSON.stringify(shape);
    });
    expect(byShape.length).toBeGreaterThanOrEqual(50);
    const errors = responses.filter((a) => 'error' in a).map((a) => ('error' in a ? a.error.code : ''));
    // (quant_range_too_wide: drawConfig's qint32 range of 2^32 values, which 1.13 refuses)
    expect([...new Set(errors)].sort()).toEqual(['min_greater_than_max', 'nan_observed', 'quant_range_too_wide']);
    expect(errors.length).toBeLessThan(q.length / 5);
    // and torch.max's two NaN rules both decided scale bits (eps NaN): the vector body's 0xffffffff, the scalar tail's 0x7fc00000
    const scaleHex = responses.flatMap((a) => ('outputs' in a ? (a.outputs['scale'] as { hex: string[] }).hex : []));
    expect(scaleHex.filter((h) => h === 'ffffffff').length).toBeGreaterThanOrEqual(50);
    expect(scaleHex.filter((h) => h === '7fc00000').length).toBeGreaterThanOrEqual(20);
  });

  it('different state shapes: torch\'s shape_mismatch where it raises, min_max_shapes_differ (a contract rejection) where it broadcasts', { timeout: 300_000 }, async () => {
    const q = mismatchedRequests();
    const { responses } = await runThroughTorch(q);
    expect(CONTRACT_REJECTIONS.min_max_shapes_differ).toMatch(/broadcast/);
    for (const [i, r] of q.entries()) {
      const torch = responses[i]!;
      const broadcasts = r.id.endsWith('broadcasts');
      const replay = `seed ${SEED}/mismatched; replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend reference`;
      expect('error' in torch ? torch.error.code : 'outputs', `${r.id}: torch 1.13 (${replay})`).toBe(broadcasts ? 'outputs' : 'shape_mismatch');
      for (const [name, ops] of IMPLEMENTATIONS) {
        const got = evaluateRequest(ops, r);
        expect('error' in got ? got.error.code : 'outputs', `${r.id} on ${name} (${replay})`).toBe(broadcasts ? 'min_max_shapes_differ' : 'shape_mismatch');
      }
    }
  });
});
