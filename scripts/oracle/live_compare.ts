/**
 * The comparison half of the live oracles (oracle:torch, oracle:ort): given fresh requests and the real
 * backend's responses, judge the exact reference and the fast impl against them (strict contract),
 * print every mismatch (up to 20) with its request, a per-op tally and one closing line. Returns the
 * number of mismatches.
 */
import { evaluateRequest, type WireRequest, type WireResponse } from '../../conformance/dispatch.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../spec/ops.js';
import { toVectorCase } from '../vectors/build_vector_set.js';

const IMPLEMENTATIONS: Array<[string, QuantOps]> = [
  ['reference', reference],
  ['impl', impl],
];

export function compareWithOracle(requests: readonly WireRequest[], responses: readonly WireResponse[], replay: string): number {
  let mismatches = 0;
  const perOp = new Map<string, { cases: number; withOutputs: number }>();
  requests.forEach((req, i) => {
    const golden = toVectorCase(req, responses[i]!);
    const tally = perOp.get(req.op) ?? { cases: 0, withOutputs: 0 };
    tally.cases++;
    if ('outputs' in golden.expect) tally.withOutputs++;
    perOp.set(req.op, tally);
    for (const [name, ops] of IMPLEMENTATIONS) {
      const verdict = judgeAnswer(golden, evaluateRequest(ops, req), { strictContract: true });
      if (verdict.pass) continue;
      mismatches++;
      if (mismatches <= 20) console.log(`MISMATCH ${name} ${req.id}: ${verdict.difference.message}\n  request: ${JSON.stringify(req).slice(0, 600)}`);
    }
  });
  for (const [op, t] of perOp) console.log(`  ${op.padEnd(48)} ${String(t.cases).padStart(5)} cases, ${t.withOutputs} with outputs`);
  console.log(`${mismatches === 0 ? 'OK' : 'FAILED'}: ${mismatches} mismatches over ${requests.length} cases x ${IMPLEMENTATIONS.length} implementations (replay: ${replay})`);
  return mismatches;
}
