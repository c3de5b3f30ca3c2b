/**
 * npm run oracle:torch [-- --seed S --scale K]: draw FRESH random cases from the vector generators
 * (a new seed each run unless given), run them through the installed PyTorch and through the exact
 * reference and the fast impl, and report every mismatch. Exit 0 only when there are none.
 */
import { Command } from 'commander';
import { evaluateRequest } from '../../conformance/dispatch.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps } from '../../spec/ops.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import { toVectorCase } from '../vectors/build_vector_set.js';
import { CATALOG, generateRequests } from '../vectors/catalog.js';
import { TORCH_INSTALL_HINT, runThroughTorch, torchAvailable } from './torch_oracle.js';

const program = new Command('oracle:torch')
  .option('--seed <seed>', 'seed for the fresh cases (default: derived from the clock)')
  .option('--scale <k>', 'fraction of the golden-vector case counts to draw per op', '0.5')
  .parse();
const opts = program.opts<{ seed?: string; scale: string }>();
const seed = opts.seed ?? `live-${Date.now()}`;

if (!torchAvailable()) {
  console.error(`PyTorch is not importable from /usr/bin/python3; install it with: ${TORCH_INSTALL_HINT}`);
  process.exit(2); // nothing was written yet
}

const requests = CATALOG.flatMap(({ op, count, factory }) => generateRequests(op, Math.max(1, Math.round(count * Number(opts.scale))), factory, seed));
console.log(`oracle:torch seed=${seed}: ${requests.length} fresh cases through PyTorch, the reference and impl`);
const { handshake, responses } = await runThroughTorch(requests);
console.log(`torch ${handshake.version}, cpu capability ${String(handshake.info?.cpu_capability)}`);

const implementations: Array<[string, QuantOps]> = [
  ['reference', reference],
  ['impl', impl],
];
let mismatches = 0;
const perOp = new Map<string, { cases: number; withOutputs: number }>();
requests.forEach((req, i) => {
  const golden = toVectorCase(req, responses[i]!);
  const tally = perOp.get(req.op) ?? { cases: 0, withOutputs: 0 };
  tally.cases++;
  if ('outputs' in golden.expect) tally.withOutputs++;
  perOp.set(req.op, tally);
  for (const [name, ops] of implementations) {
    const verdict = judgeAnswer(golden, evaluateRequest(ops, req), { strictContract: true });
    if (!verdict.pass) {
      mismatches++;
      if (mismatches <= 20) console.log(`MISMATCH ${name} ${req.id}: ${verdict.difference.message}\n  request: ${JSON.stringify(req).slice(0, 600)}`);
    }
  }
});
for (const [op, t] of perOp) console.log(`  ${op.padEnd(48)} ${String(t.cases).padStart(5)} cases, ${t.withOutputs} with outputs`);
console.log(`${mismatches === 0 ? 'OK' : 'FAILED'}: ${mismatches} mismatches over ${requests.length} cases x 2 implementations (replay: npm run oracle:torch -- --seed ${seed})`);
process.exitCode = mismatches === 0 ? 0 : 1;
