/**
 * The --fuzz catalogues draw general numpy broadcasts for com.microsoft QLinearAdd / QLinearMul (per-channel
 * [1, C, 1, 1] with [N, C, H, W], [2, 1, 3] with [1, 4, 3], a column with a row, ...), which ORT 1.30 computes
 * (tests/backends/ort_qlinear_broadcast.test.ts) but the committed vector set's generators never draw
 * (conformance/cases/ort_fuzz_broadcast_cases.ts). Not vacuous: a share of the draws are general broadcasts and the rest
 * are not, they cover every span split of ORT's Broadcaster (a the scalar of every span, b, neither), and a seeded fuzz
 * run through live onnxruntime-node answers such requests with outputs that agree with the reference. Now and then a
 * draw is an empty broadcast instead (a dimension of 0 meeting a 0, a 1 or a missing dimension: ORT's empty y; or
 * meeting another dimension: refused by ORT and qconform), which the committed generators never draw either; a seeded
 * fuzz run answers some of them with ORT's empty y.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { EVERY_OP_FUZZ_CATALOG, ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { isEmptyBroadcast, isGeneralBroadcast } from '../../conformance/cases/ort_fuzz_broadcast_cases.js';
import { ORT_OPS_CATALOG } from '../../conformance/cases/ort_ops_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { broadcastShapes } from '../../contract/broadcast.js';
import { ortBroadcastSpans } from '../../contract/ort_broadcast_spans.js';
import { ortFuzzRun } from '../support/ort_fuzz_run.js';

const OPS = ['qlinear_add@1', 'qlinear_mul@1'] as const;
const DRAWS = 200;

const shapes = (q: { inputs?: Record<string, unknown> }) => [(q.inputs!.a as { shape: number[] }).shape, (q.inputs!.b as { shape: number[] }).shape] as const;
const general = (q: { inputs?: Record<string, unknown> }) => isGeneralBroadcast(...shapes(q));
const empty = (q: { inputs?: Record<string, unknown> }) => isEmptyBroadcast(...shapes(q));

/** The shape pairs of DRAWS seeded draws of `op`'s factory in `catalog` that `kind` picks (general broadcasts by default). */
function generalPairs(catalog: ReadonlyArray<{ op: string; factory: CaseFactory }>, op: string, kind = general): (readonly [number[], number[]])[] {
  const { factory } = catalog.find((e) => e.op === op)!;
  return Array.from({ length: DRAWS }, (_, i) => factory(new CaseRandom(`ort-fuzz-broadcast/${op}/${i}`), i)).filter(kind).map(shapes);
}

/** Whether contract/broadcast.ts (and ORT, tests/backends/ort_qlinear_broadcast.test.ts) refuses the pair. */
const refused = ([a, b]: readonly [number[], number[]]) => {
  try {
    broadcastShapes('x', { a, b });
    return false;
  } catch {
    return true;
  }
};

describe('--fuzz draws general broadcasts for ORT QLinearAdd / QLinearMul', () => {
  it.each(OPS)("%s: a share of the onnxruntime catalogue's draws (not all), none of the vector set generator's", (op) => {
    const pairs = generalPairs(ORT_FUZZ_CATALOG, op);
    const seeds = `seeds ort-fuzz-broadcast/${op}/0..${DRAWS - 1}`;
    expect(pairs.length, `${pairs.length} of ${DRAWS} draws (${seeds})`).toBeGreaterThan(DRAWS * 0.1);
    expect(pairs.length, seeds).toBeLessThan(DRAWS * 0.5);
    // every span split of ORT's Broadcaster, and the per-channel form [1, C, 1, 1] with [N, C, H, W] in both orders
    const splits = new Set(pairs.map(([a, b]) => ortBroadcastSpans(a, b).scalar));
    expect([...splits].sort(), seeds).toEqual(['a', 'b', null].sort());
    const perChannel = (x: number[], y: number[]) => x.length === 4 && x[0] === 1 && x[2] === 1 && x[3] === 1 && y.length === 4 && y[1] === x[1] && y[2]! > 1;
    expect(pairs.some(([a, b]) => perChannel(a, b)), seeds).toBe(true);
    expect(pairs.some(([a, b]) => perChannel(b, a)), seeds).toBe(true);
    expect(generalPairs(ORT_OPS_CATALOG, op), "the committed set's generator draws none").toEqual([]);
  });

  it.each(OPS)('%s: the impl and reference catalogue draws them too', (op) => {
    expect(generalPairs(EVERY_OP_FUZZ_CATALOG, op).length).toBeGreaterThan(DRAWS * 0.1);
  });

  it.each(OPS)("%s: now and then an empty broadcast, most of them ORT's empty y, some refused; none of the vector set generator's", (op) => {
    const pairs = generalPairs(ORT_FUZZ_CATALOG, op, empty);
    const seeds = `seeds ort-fuzz-broadcast/${op}/0..${DRAWS - 1}`;
    expect(pairs.length, `${pairs.length} of ${DRAWS} draws (${seeds})`).toBeGreaterThan(DRAWS * 0.03);
    expect(pairs.length, seeds).toBeLessThan(DRAWS * 0.2);
    const answered = pairs.filter((p) => !refused(p));
    expect(pairs.filter(refused).length, `a 0 against a dimension of 2 or more (${seeds})`).toBeGreaterThan(0);
    expect(answered.length, seeds).toBeGreaterThan(pairs.length / 2);
    // a 0 that meets a 1 or a missing dimension, on either side
    const stretched = (x: number[], y: number[]) => x.some((d, k) => d === 0 && (y[y.length - x.length + k] ?? 1) === 1);
    expect(answered.some(([a, b]) => stretched(a, b) && b.length > 0), seeds).toBe(true);
    expect(answered.some(([a, b]) => stretched(b, a) && a.length > 0), seeds).toBe(true);
    expect(generalPairs(ORT_OPS_CATALOG, op, empty), "the committed set's generator draws none").toEqual([]);
  });

  it('a seeded fuzz run through live onnxruntime-node agrees with the reference, on general broadcasts among others', { timeout: 300_000 }, async () => {
    const answered = await ortFuzzRun(OPS, 11, 60, (request) => general(request));
    for (const op of OPS) expect(answered.get(op) ?? 0, `${op}: ORT answered requests with general broadcasts (seed 11)`).toBeGreaterThanOrEqual(5);
  });

  it("a seeded fuzz run through live onnxruntime-node agrees with the reference on empty broadcasts (ORT's empty y)", { timeout: 300_000 }, async () => {
    const answered = await ortFuzzRun(OPS, 12, 150, (request) => empty(request));
    for (const op of OPS) expect(answered.get(op) ?? 0, `${op}: ORT answered requests with empty broadcasts (seed 12)`).toBeGreaterThanOrEqual(3);
  });
});
