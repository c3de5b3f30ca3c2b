/**
 * Evidence for the MatMulNBits routes qconform answers `unsupported_by_scheme` (contract/matmul_nbits_checks.ts): runs
 * small generated requests (K <= 64, N <= 8) through onnxruntime-node 1.30 as a single row of a (MLAS's M1 kernels)
 * and with accuracy_level 4 (SQNBIT_CompInt8), and compares ORT's outputs with the modelled float chain of the same
 * request (the row duplicated to 2 rows; accuracy_level 0). With `--cpu haswell` it runs ORT under QEMU too and
 * counts the requests whose outputs differ between the two CPUs. A report, not a check: it exits 0.
 *   npx tsx scripts/oracle/matmul_nbits_unmodelled.ts [--cpu haswell] [--count 40]
 */
import { Command } from 'commander';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
import { loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';

type A = { shape: number[]; hex: string[] };
const hexOf = (r: WireResponse): string[] | null => ('outputs' in r ? (r.outputs.y as { hex: string[] }).hex : null);

const o = new Command().option('--cpu <model>', 'also run ORT under QEMU on this CPU model (haswell)').option('--count <n>', 'requests per route', '40').parse().opts();
const small = generateRequests('matmul_nbits@1', 400, matmulNBitsCase, 'matmul-nbits-unmodelled').filter((r) => {
  const a = r.inputs?.a as A;
  return a.shape[a.shape.length - 1]! <= 64 && (r.attrs?.N as number) <= 8 && evaluateRequest(impl, r).hasOwnProperty('outputs');
}).slice(0, Number(o.count));
const probes: { route: string; request: WireRequest; model: string[] }[] = [];
for (const r of small) {
  const a = r.inputs!.a as A;
  const k = a.shape[a.shape.length - 1]!;
  const row = a.hex.slice(0, k);
  const two = hexOf(evaluateRequest(impl, { ...r, inputs: { ...r.inputs, a: { ...a, shape: [2, k], hex: [...row, ...row] } } }))!;
  probes.push({ route: 'one row (M1 kernels)', request: { ...r, id: `${r.id}-m1`, inputs: { ...r.inputs, a: { ...a, shape: [1, k], hex: row } } }, model: two.slice(0, two.length / 2) });
  probes.push({ route: 'accuracy_level 4 (CompInt8)', request: { ...r, id: `${r.id}-l4`, attrs: { ...r.attrs, accuracy_level: 4 } }, model: hexOf(evaluateRequest(impl, r))! });
}
const requests = probes.map((p) => p.request);
const ort = await loadOrt();
if (!ort) throw new Error('onnxruntime-node is not installed (npm install)');
const host = await runThroughOrt(ort, requests);
let emulated: WireResponse[] | null = null;
if (o.cpu) {
  const { command, args } = await ortProcessCommand(cpuModel(o.cpu));
  emulated = (await runThroughProcess({ label: `onnxruntime on ${o.cpu}`, command, args, startTimeoutMs: 120_000 }, requests)).responses;
}
for (const route of [...new Set(probes.map((p) => p.route))]) {
  const s = { requests: 0, hostEqualsModel: 0, elements: 0, hostElementsEqualModel: 0, emulatedEqualsModel: 0, hostEqualsEmulated: 0 };
  probes.forEach((p, i) => {
    const h = hexOf(host[i]!);
    if (p.route !== route || !h) return;
    s.requests++;
    s.elements += h.length;
    s.hostElementsEqualModel += h.filter((x, j) => x === p.model[j]).length;
    if (JSON.stringify(h) === JSON.stringify(p.model)) s.hostEqualsModel++;
    const e = emulated ? hexOf(emulated[i]!) : null;
    if (e && JSON.stringify(e) === JSON.stringify(p.model)) s.emulatedEqualsModel++;
    if (e && JSON.stringify(e) === JSON.stringify(h)) s.hostEqualsEmulated++;
  });
  console.log(route, JSON.stringify(emulated ? s : { ...s, emulatedEqualsModel: undefined, hostEqualsEmulated: undefined }));
}
