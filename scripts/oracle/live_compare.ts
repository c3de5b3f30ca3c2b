/**
 * The shared half of the live oracles (oracle:torch, oracle:ort): their options and fresh requests,
 * and, given the real backend's responses, the comparison: judge the exact reference and the fast impl against them (strict contract),
 * print every mismatch (up to 20) with its request, a per-op tally and one closing line. Returns the
 * number of mismatches.
 */
import { Command } from 'commander';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { type WireRequest, type WireResponse } from '../../conformance/protocol/messages.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../contract/ops.js';
import { toVectorCase } from '../../conformance/vectors/build_vector_set.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { generateRequests } from '../../conformance/cases/catalog.js';

const IMPLEMENTATIONS: Array<[string, QuantOps]> = [
  ['reference', reference],
  ['impl', impl],
];

export interface LiveOptions {
  readonly seed: string;
  readonly scale: string;
  /** oracle:torch's `--torch <version>`: which torch answers (1.13 on the host, 2.6 in its chroot) */
  readonly torch: string;
}

/** `--seed S --scale K [--torch V]` from the command line; the seed defaults to one from the clock. */
export function parseLiveOptions(name: string): LiveOptions {
  const program = new Command(name)
    .option('--seed <seed>', 'seed for the fresh cases (default: derived from the clock)')
    .option('--scale <k>', 'fraction of the golden-vector case counts to draw per op', '0.5')
    .option('--torch <version>', 'oracle:torch only: 1.13 (Debian 12 python3-torch) or 2.6 (the chroot of npm run setup:torch26)', '1.13')
    .parse();
  const opts = program.opts<{ seed?: string; scale: string; torch: string }>();
  return { seed: opts.seed ?? `live-${Date.now()}`, scale: opts.scale, torch: opts.torch };
}

/** Fresh requests from a vector catalogue: `scale` times each op's golden count (at least one). */
export function drawLiveRequests(catalog: ReadonlyArray<{ op: Parameters<typeof generateRequests>[0]; count: number; factory: CaseFactory }>, { seed, scale }: LiveOptions): WireRequest[] {
  return catalog.flatMap(({ op, count, factory }) => generateRequests(op, Math.max(1, Math.round(count * Number(scale))), factory, seed));
}

export function compareWithOracle(requests: readonly WireRequest[], responses: readonly WireResponse[], replay: string): number {
  let mismatches = 0;
  const perOp = new Map<string, { cases: number; withOutputs: number; notRun: number }>();
  requests.forEach((req, i) => {
    const tally = perOp.get(req.op) ?? { cases: 0, withOutputs: 0, notRun: 0 };
    perOp.set(req.op, tally);
    // an answer the oracle's library did not compute (not_run: a request known to kill it) is no oracle answer: counted, not compared
    if (responses[i]!.not_run !== undefined) {
      tally.notRun++;
      return;
    }
    const golden = toVectorCase(req, responses[i]!);
    tally.cases++;
    if ('outputs' in golden.expect) tally.withOutputs++;
    for (const [name, ops] of IMPLEMENTATIONS) {
      const verdict = judgeAnswer(golden, evaluateRequest(ops, req), { strictContract: true });
      if (verdict.pass) continue;
      mismatches++;
      if (mismatches <= 20) console.log(`MISMATCH ${name} ${req.id}: ${verdict.difference.message}\n  request: ${JSON.stringify(req).slice(0, 600)}`);
    }
  });
  for (const [op, t] of perOp) console.log(`  ${op.padEnd(48)} ${String(t.cases).padStart(5)} cases, ${t.withOutputs} with outputs${t.notRun ? `, ${t.notRun} not run by the oracle's library (its process dies of them)` : ''}`);
  const compared = [...perOp.values()].reduce((n, t) => n + t.cases, 0);
  console.log(`${mismatches === 0 ? 'OK' : 'FAILED'}: ${mismatches} mismatches over ${compared} cases x ${IMPLEMENTATIONS.length} implementations (replay: ${replay})`);
  return mismatches;
}
