/**
 * npm run oracle:ort [-- --seed S --scale K]: fresh random QLinearConv cases (the ONNX Runtime vector
 * generators, a new seed each run unless given) through onnxruntime-node, the exact reference and the
 * fast impl; every mismatch is reported. Exit 0 only when there are none.
 */
import { ORT_CATALOG } from '../../conformance/cases/ort_catalog.js';
import { compareWithOracle, drawLiveRequests, parseLiveOptions } from './live_compare.js';
import { ORT_INSTALL_HINT, loadOrt, ortVersion, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';

const opts = parseLiveOptions('oracle:ort');
const { seed } = opts;

const ort = await loadOrt();
if (!ort) {
  console.error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
  process.exit(2); // nothing was written yet
}
const requests = drawLiveRequests(ORT_CATALOG, opts);
console.log(`oracle:ort seed=${seed}: ${requests.length} fresh cases through onnxruntime-node ${ortVersion()}, the reference and impl`);
const responses = await runThroughOrt(ort, requests);
process.exitCode = compareWithOracle(requests, responses, `npm run oracle:ort -- --seed ${seed} --scale ${opts.scale}`) === 0 ? 0 : 1;
