/**
 * The --fuzz catalogues draw general numpy broadcasts for com.microsoft QLinearAdd / QLinearMul (per-channel
 * [1, C, 1, 1] with [N, C, H, W], [2, 1, 3] with [1, 4, 3], a column with a row, ...), which ORT 1.30 computes
 * (tests/backends/ort_qlinear_broadcast.test.ts) but the committed vector set's generators never draw
 * (conformance/cases/ort_fuzz_broadcast_cases.ts). Not vacuous: a share of the draws are general broadcasts and the rest
 * are not, they cover every span split of ORT's Broadcaster (a the scalar of every span, b, neither), and a seeded fuzz
 * run through live onnxruntime-node answers such requests with outputs that agree with the reference.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { EVERY_OP_FUZZ_CATALOG, ORT_FUZZ_CATALOG } from '../../conformance/cases/fuzz_catalogs.js';
import { isGeneralBroadcast } from '../../conformance/cases/ort_fuzz_broadcast_cases.js';
import { ORT_OPS_CATALOG } from '../../conformance/cases/ort_ops_catalog.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ortBroadcastSpans } from '../../contract/ort_broadcast_spans.js';
import { ortFuzzRun } from '../support/ort_fuzz_run.js';

const OPS = ['qlinear_add@1', 'qlinear_mul@1'] as const;
const DRAWS = 200;

const shapes = (q: { inputs?: Record<string, unknown> }) => [(q.inputs!.a as { shape: number[] }).shape, (q.inputs!.b as { shape: number[] }).shape] as const;
const general = (q: { inputs?: Record<string, unknown> }) => isGeneralBroadcast(...shapes(q));

/** The shape pairs of DRAWS seeded draws of `op`'s factory in `catalog` that are general broadcasts. */
function generalPairs(catalog: ReadonlyArray<{ op: string; factory: CaseFactory }>, op: string): (readonly [number[], number[]])[] {
  const { factory } = catalog.find((e) => e.op === op)!;
  return Array.from({ length: DRAWS }, (_, i) => factory(new CaseRandom(`ort-fuzz-broadcast/${op}/${i}`), i)).filter(general).map(shapes);
}

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

  it('a seeded fuzz run through live onnxruntime-node agrees with the reference, on general broadcasts among others', { timeout: 300_000 }, async () => {
    const answered = await ortFuzzRun(OPS, 11, 60, (request) => general(request));
    for (const op of OPS) expect(answered.get(op) ?? 0, `${op}: ORT answered requests with general broadcasts (seed 11)`).toBeGreaterThanOrEqual(5);
  });
});
