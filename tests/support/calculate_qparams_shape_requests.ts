/**
 * The calculate_qparams requests on min/max state of every shape that tests/backends/torch_calculate_qparams_shapes.test.ts
 * runs through torch 1.13 (calculate_qparams@1) and through torch 2.6 (calculate_qparams@2): the same seeded draws,
 * only the op name differs. One shape per request (any rank, any qscheme, and empty states beside others), and
 * different shapes, labelled with what torch does with them (expectMismatchedAnswers checks torch's and qconform's answers).
 */
import { expect } from 'vitest';
import type { QScheme } from '../../contract/dtypes.js';
import { CONTRACT_REJECTIONS } from '../../contract/errors.js';
import { f64ToHex } from '../../contract/wire.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES, drawConfig } from '../../conformance/cases/builders.js';
import { drawMinMax } from '../../conformance/cases/qparams_cases.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { IMPLEMENTATIONS } from './implementations.js';
import { f32 } from './torch_wire_requests.js';

export type CalculateQparamsOp = 'calculate_qparams@1' | 'calculate_qparams@2';
export const CALCULATE_QPARAMS_SHAPES_SEED = 'torch-calculate-qparams-shapes/1';
const SEED = CALCULATE_QPARAMS_SHAPES_SEED;
const QSCHEMES: readonly QScheme[] = [...PER_TENSOR_QSCHEMES, ...PER_CHANNEL_QSCHEMES];
/** State shapes of one kind: 0-dim, one element, a few, long ones (16-lane vector body and scalar tail), 2-D, 3-D. */
const SHAPES: ReadonlyArray<readonly number[]> = [[], [1], [2], [5], [21], [40], [1, 1], [2, 3], [3, 7], [4, 8], [2, 1, 3], [2, 3, 4]];
/** eps as given to the observer: torch's default, or one that lets torch.max's tie and NaN rules decide the scale's bits. */
const EPS = [2 ** -23, 0, -0, NaN, 1e-3];
export const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const valid = ([mn, mx]: readonly [number, number]) => mn <= mx; // false for NaN too

function stateRequest(r: CaseRandom, op: CalculateQparamsOp, id: string, qscheme: QScheme, minShape: readonly number[], maxShape: readonly number[]): WireRequest {
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
    op,
    attrs: { qscheme, ...config, ...(eps === null ? {} : { eps: f64ToHex(eps) }) },
    inputs: { min_val: f32(minShape, pairs.slice(0, count(minShape)).map((p) => p[0])), max_val: f32(maxShape, pairs.slice(0, count(maxShape)).map((p) => p[1])) },
  } as WireRequest;
}

/** Every qscheme on every state shape, several seeded draws each; plus empty states beside any other shape. */
export function oneShapeRequests(op: CalculateQparamsOp): WireRequest[] {
  const r = new CaseRandom(SEED);
  const out: WireRequest[] = [];
  for (const qscheme of QSCHEMES) {
    for (const shape of SHAPES) {
      for (let k = 0; k < 4; k++) out.push(stateRequest(r, op, `${qscheme}-[${shape}]-${k}`, qscheme, shape, shape));
    }
    for (const [mn, mx] of [[[0], [0]], [[0, 3], [0, 3]], [[2], [0]], [[], [0]], [[0], [2, 3]], [[3, 0], [3]]] as const) {
      out.push(stateRequest(r, op, `${qscheme}-empty-[${mn}]-[${mx}]`, qscheme, mn, mx));
    }
  }
  return out;
}

/** Different state shapes: [shapes], what torch (1.13 and 2.6 alike) does with them. */
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

/** Each qscheme on each pair of MISMATCHED shapes; the id ends in `raises` or `broadcasts`. */
export function mismatchedRequests(op: CalculateQparamsOp): WireRequest[] {
  const r = new CaseRandom(`${SEED}/mismatched`);
  // valid values (min -1.5 <= max 2.25 everywhere), so that torch's answer is about the shapes
  return QSCHEMES.flatMap((qscheme) =>
    MISMATCHED.map(
      ([mn, mx, torch]) =>
        ({
          id: `${qscheme}-[${mn}]-vs-[${mx}]-${torch}`,
          op,
          attrs: { qscheme, ...drawConfig(r, qscheme, false) },
          inputs: { min_val: f32(mn, Array(count(mn)).fill(-1.5)), max_val: f32(mx, Array(count(mx)).fill(2.25)) },
        }) as WireRequest,
    ),
  );
}

/**
 * Torch's answers to mismatchedRequests: shape_mismatch where the id says it raises, outputs where it broadcasts; every
 * implementation answers shape_mismatch and min_max_shapes_differ (a CONTRACT_REJECTIONS entry) there.
 */
export function expectMismatchedAnswers(requests: readonly WireRequest[], torch: readonly WireResponse[], version: string): void {
  expect(torch.length).toBe(requests.length);
  expect(CONTRACT_REJECTIONS.min_max_shapes_differ).toMatch(/broadcast/);
  for (const [i, r] of requests.entries()) {
    const answer = torch[i]!;
    const broadcasts = r.id.endsWith('broadcasts');
    const replay = `seed ${SEED}/mismatched; replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend reference`;
    expect('error' in answer ? answer.error.code : 'outputs', `${r.id}: ${version} (${replay})`).toBe(broadcasts ? 'outputs' : 'shape_mismatch');
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, r);
      expect('error' in got ? got.error.code : 'outputs', `${r.id} on ${name} (${replay})`).toBe(broadcasts ? 'min_max_shapes_differ' : 'shape_mismatch');
    }
  }
}

/**
 * That torch's answers to oneShapeRequests are not vacuous: it computed qparams of the state's shape for per_tensor_*
 * qschemes on [C] and 2-D states and for per_channel_* ones on 0-dim and 2-D states, both of torch.max's NaN rules
 * decided scale bits, and its errors were few and only of the `errors` codes.
 */
export function expectOneShapeCoverage(requests: readonly WireRequest[], torch: readonly WireResponse[], errors: readonly string[]): void {
  const stateShape = (r: WireRequest) => (r.inputs!['min_val'] as { shape: number[] }).shape;
  const computed = (pred: (qscheme: string, shape: number[]) => boolean) =>
    requests.filter((r, i) => 'outputs' in torch[i]! && pred(r.attrs!['qscheme'] as string, stateShape(r))).length;
  expect(computed((s, shape) => s.startsWith('per_tensor') && shape.length >= 1 && count(shape) > 0)).toBeGreaterThanOrEqual(50);
  expect(computed((s, shape) => s.startsWith('per_channel') && shape.length === 0)).toBeGreaterThanOrEqual(8);
  expect(computed((_s, shape) => shape.length >= 2 && count(shape) >= 16)).toBeGreaterThanOrEqual(30);
  const byShape = requests.filter((r, i) => {
    const a = torch[i]!;
    const shape = stateShape(r);
    return 'outputs' in a && shape.length >= 2 && count(shape) > 0 && JSON.stringify((a.outputs['scale'] as { shape: number[] }).shape) === JSON.stringify(shape);
  });
  expect(byShape.length).toBeGreaterThanOrEqual(50);
  const codes = torch.flatMap((a) => ('error' in a ? [a.error.code] : []));
  expect([...new Set(codes)].sort()).toEqual([...errors].sort());
  expect(codes.length).toBeLessThan(requests.length / 5);
  // torch.max's two NaN rules both decided scale bits (eps NaN): the vector body's 0xffffffff, the scalar tail's 0x7fc00000
  const scaleHex = torch.flatMap((a) => ('outputs' in a ? (a.outputs['scale'] as { hex: string[] }).hex : []));
  expect(scaleHex.filter((h) => h === 'ffffffff').length).toBeGreaterThanOrEqual(50);
  expect(scaleHex.filter((h) => h === '7fc00000').length).toBeGreaterThanOrEqual(20);
}
