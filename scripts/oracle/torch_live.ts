/**
 * npm run oracle:torch [-- --seed S --scale K]: draw FRESH random cases from the vector generators
 * (a new seed each run unless given), run them through the installed PyTorch and through the exact
 * reference and the fast impl, and report every mismatch. Exit 0 only when there are none.
 */
import { Command } from 'commander';
import { CATALOG, generateRequests } from '../vectors/catalog.js';
import { compareWithOracle } from './live_compare.js';
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
process.exitCode = compareWithOracle(requests, responses, `npm run oracle:torch -- --seed ${seed} --scale ${opts.scale}`) === 0 ? 0 : 1;
