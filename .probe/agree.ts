import { generateRequests } from '../conformance/cases/catalog.js';
import { matmulNBitsCase } from '../conformance/cases/onnx_nbits_cases.js';
import { ORT_OPS_DEFAULT_SEED } from '../conformance/cases/ort_ops_catalog.js';
import { loadOrt, runThroughOrt } from '../conformance/backends/onnxruntime/ort_oracle.js';
import { evaluateRequest } from '../conformance/protocol/dispatch.js';
import { reference } from '../reference/index.js';
import { impl } from '../impl/index.js';
const reqs = generateRequests('matmul_nbits@1', Number(process.env.COUNT ?? 300), matmulNBitsCase, ORT_OPS_DEFAULT_SEED);
const ort = (await loadOrt())!;
const t0 = Date.now();
const resp = await runThroughOrt(ort, reqs);
console.log('ort ms', Date.now() - t0);
let same = 0, diffR = 0, diffI = 0, errs = 0; let tr = 0, ti = 0;
const key = (r: any) => JSON.stringify('error' in r ? r.error.code : r.outputs);
for (let i = 0; i < reqs.length; i++) {
  let t = Date.now(); const ref = evaluateRequest(reference, reqs[i]!); tr += Date.now() - t;
  t = Date.now(); const imp = evaluateRequest(impl, reqs[i]!); ti += Date.now() - t;
  const o = resp[i]!;
  if ('error' in o) errs++;
  if (key(ref) !== key(o)) { diffR++; if (diffR < 6) console.log('REF', reqs[i]!.attrs, key(o).slice(0, 200), '\n   ', key(ref).slice(0, 200)); }
  if (key(imp) !== key(o)) diffI++;
  else same++;
}
console.log({ n: reqs.length, same, diffR, diffI, errs, tr, ti });
const codes: Record<string, number> = {}; let nan = 0, inf = 0, negz = 0;
for (const o of resp) { if ('error' in o) codes[o.error.code] = (codes[o.error.code] ?? 0) + 1; else { const h = (o.outputs.y as any).hex as string[]; if (h.some((x) => x === 'ffc00000')) nan++; if (h.some((x) => x === '7f800000' || x === 'ff800000')) inf++; if (h.some((x) => x === '80000000')) negz++; } }
console.log(codes, { nan, inf, negz });
