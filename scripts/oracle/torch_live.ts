/**
 * npm run oracle:torch [-- --seed S --scale K]: draw FRESH random cases from the vector generators
 * (a new seed each run unless given), run them through the installed PyTorch and through the exact
 * reference and the fast impl, and report every mismatch. Exit 0 only when there are none.
 */
import { CATALOG } from '../../conformance/cases/catalog.js';
import { compareWithOracle, drawLiveRequests, parseLiveOptions } from './live_compare.js';
import { TORCH_INSTALL_HINT, runThroughTorch, torchAvailable } from '../../conformance/backends/torch/torch_process.js';

const opts = parseLiveOptions('oracle:torch');
const { seed } = opts;

if (!torchAvailable()) {
  console.error(`PyTorch is not importable from /usr/bin/python3; install it with: ${TORCH_INSTALL_HINT}`);
  process.exit(2); // nothing was written yet
}

const requests = drawLiveRequests(CATALOG, opts);
console.log(`oracle:torch seed=${seed}: ${requests.length} fresh cases through PyTorch, the reference and impl`);
const { handshake, responses } = await runThroughTorch(requests);
console.log(`torch ${handshake.version}, cpu capability ${String(handshake.info?.cpu_capability)}`);
process.exitCode = compareWithOracle(requests, responses, `npm run oracle:torch -- --seed ${seed} --scale ${opts.scale}`) === 0 ? 0 : 1;
