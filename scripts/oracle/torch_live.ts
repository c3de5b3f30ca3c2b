/**
 * npm run oracle:torch [-- --seed S --scale K --torch 1.13|2.6]: draw FRESH random cases from the vector generators
 * (a new seed each run unless given), run them through real PyTorch (1.13 installed on the host, or 2.6 in the
 * chroot of `npm run setup:torch26`, asked the 2.x ops: conformance/cases/torch26_catalog.ts) and through the exact
 * reference and the fast impl, and report every mismatch. Exit 0 only when there are none.
 */
import { CATALOG } from '../../conformance/cases/catalog.js';
import { torch26Requests } from '../../conformance/cases/torch26_catalog.js';
import { compareWithOracle, drawLiveRequests, parseLiveOptions } from './live_compare.js';
import { TORCH_INSTALL_HINT, runThroughTorch, torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { torch26Availability, torch26Command } from '../../conformance/backends/torch/torch26_chroot.js';
import { torch26OnednnConvRefusal } from '../../conformance/backends/torch/torch26_builtins.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';

const opts = parseLiveOptions('oracle:torch');
const { seed } = opts;
if (opts.torch !== '1.13' && opts.torch !== '2.6') {
  console.error(`--torch ${opts.torch}: this project runs torch 1.13 and 2.6`);
  process.exit(2);
}
const torch26 = opts.torch === '2.6';
const available = torch26 ? torch26Availability() : torchAvailable() ? { available: true as const } : { available: false as const, reason: 'PyTorch is not importable from /usr/bin/python3', install: TORCH_INSTALL_HINT };
if (!available.available) {
  console.error(`torch ${opts.torch}: ${available.reason}; set it up with: ${available.install}`);
  process.exit(2); // nothing was written yet
}

const drawn = torch26 ? torch26Requests(seed, (n) => Math.max(1, Math.round(n * Number(opts.scale)))).flatMap((g) => g.requests) : drawLiveRequests(CATALOG, opts);
// torch 2.6's onednn convs on which oneDNN 3.7 reads memory it never wrote are not claimed (torch26_builtins.ts
// torch26OnednnConvRefusal, onednn37_unwritten_reads.ts): left out
const requests = torch26 ? drawn.filter((r) => torch26OnednnConvRefusal(r) === null) : drawn;
if (requests.length < drawn.length) console.log(`${drawn.length - requests.length} torch-onednn@2 convs left out: oneDNN 3.7 reads memory it never wrote on them (onednn37_unwritten_reads.ts)`);
console.log(`oracle:torch seed=${seed}: ${requests.length} fresh cases through PyTorch ${opts.torch}, the reference and impl`);
const { handshake, responses } = torch26
  ? await runThroughProcess({ label: 'torch 2.6', ...torch26Command(null), startTimeoutMs: 120_000 }, requests)
  : await runThroughTorch(requests);
console.log(`torch ${handshake.version}, cpu capability ${String(handshake.info?.cpu_capability)}`);
process.exitCode = compareWithOracle(requests, responses, `npm run oracle:torch -- --seed ${seed} --scale ${opts.scale} --torch ${opts.torch}`) === 0 ? 0 : 1;
