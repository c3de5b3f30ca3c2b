/**
 * Evidence for MatMulNBits' routes: what qconform still answers `unsupported_by_scheme` (contract/matmul_nbits_checks.ts)
 * and what it now models. Runs small generated requests (K <= 64, N <= 8) through onnxruntime-node 1.30
 *   - as a single row of a (MLAS's M1 kernels, modelled: contract/matmul_nbits_m1_plan.ts) against the model of the
 *     CPU's `qnbit_kernel`, and against the many-row chain (the row duplicated to 2 rows), which they do not follow;
 *   - with accuracy_level 4 (SQNBIT_CompInt8, NOT modelled: A quantized to int8 per block, integer dot products, then
 *     float sums of block results whose order is not modelled) against the float model of accuracy_level 0, the
 *     nearest modelled answer (how many outputs happen to be equal), per bits.
 * With `--cpu haswell` it runs ORT under QEMU too (qnbit_kernel avx2 there) and counts the requests whose outputs
 * differ between the two CPUs. A report, not a check: it exits 0.
 *   npx tsx scripts/oracle/matmul_nbits_unmodelled.ts [--cpu haswell] [--count 40]
 */
import { Command } from 'commander';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
import { loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { ortQNBitKernel } from '../../conformance/backends/onnxruntime/ort_cpu_paths.js';
import { cpuFlagsWithCpuid } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { HOST_CPU, cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';

type A = { shape: number[]; hex: string[] };
const hexOf = (r: WireResponse): string[] | null => ('outputs' in r ? (r.outputs.y as { hex: string[] }).hex : null);
const same = (x: string[] | null, y: string[] | null) => x !== null && y !== null && JSON.stringify(x) === JSON.stringify(y);

const o = new Command().option('--cpu <model>', 'also run ORT under QEMU on this CPU model (haswell)').option('--count <n>', 'requests per route', '40').parse().opts();
const hostKernel = ortQNBitKernel(cpuFlagsWithCpuid(HOST_CPU).flags);
const emulatedKernel = o.cpu ? ortQNBitKernel(cpuFlagsWithCpuid(cpuModel(o.cpu)).flags) : null;
const small = generateRequests('matmul_nbits@1', 300, matmulNBitsCase, 'matmul-nbits-unmodelled').filter((r) => {
  const a = r.inputs?.a as A;
  return a.shape[a.shape.length - 1]! <= 64 && (r.attrs?.N as number) <= 8 && evaluateRequest(impl, r).hasOwnProperty('outputs');
}).slice(0, Number(o.count));

interface Probe { route: string; request: WireRequest; nearest: (kernel: string) => string[] | null; modelled: boolean }
const probes: Probe[] = [];
for (const r of small) {
  const a = r.inputs!.a as A;
  const k = a.shape[a.shape.length - 1]!;
  const row = a.hex.slice(0, k);
  const one: WireRequest = { ...r, id: `${r.id}-m1`, inputs: { ...r.inputs, a: { ...a, shape: [1, k], hex: row } } };
  const two = hexOf(evaluateRequest(impl, { ...r, inputs: { ...r.inputs, a: { ...a, shape: [2, k], hex: [...row, ...row] } } }))!;
  probes.push({ route: 'one row (M1 kernels), modelled', request: one, modelled: true, nearest: (kernel) => hexOf(evaluateRequest(impl, { ...one, attrs: { ...one.attrs, qnbit_kernel: kernel } })) });
  probes.push({ route: 'one row, against the many-row chain', request: one, modelled: false, nearest: () => two.slice(0, two.length / 2) });
  probes.push({ route: `accuracy_level 4 (CompInt8), bits ${r.attrs?.bits}, unmodelled, against accuracy_level 0`, request: { ...r, id: `${r.id}-l4`, attrs: { ...r.attrs, accuracy_level: 4 } }, modelled: false, nearest: () => hexOf(evaluateRequest(impl, r)) });
}
// the one-row request is run once (the chain probe reuses its answer)
const requests = [...new Map(probes.map((p) => [p.request.id, p.request])).values()];
const ort = await loadOrt();
if (!ort) throw new Error('onnxruntime-node is not installed (npm install)');
const answer = new Map<string, WireResponse>((await runThroughOrt(ort, requests)).map((r) => [String(r.id), r] as const));
let emulated: Map<string, WireResponse> | null = null;
if (o.cpu) {
  const { command, args } = await ortProcessCommand(cpuModel(o.cpu));
  emulated = new Map((await runThroughProcess({ label: `onnxruntime on ${o.cpu}`, command, args, startTimeoutMs: 120_000 }, requests)).responses.map((r) => [String(r.id), r] as const));
}
for (const route of [...new Set(probes.map((p) => p.route))]) {
  const s = { requests: 0, hostEqualsModel: 0, elements: 0, hostElementsEqualModel: 0, emulatedEqualsModel: 0, hostEqualsEmulated: 0 };
  for (const p of probes.filter((q) => q.route === route)) {
    const h = hexOf(answer.get(p.request.id)!);
    if (!h) continue;
    const model = p.nearest(hostKernel);
    s.requests++;
    s.elements += h.length;
    s.hostElementsEqualModel += h.filter((x, j) => x === model?.[j]).length;
    if (same(h, model)) s.hostEqualsModel++;
    const e = emulated ? hexOf(emulated.get(p.request.id)!) : null;
    if (same(e, p.nearest(emulatedKernel ?? hostKernel))) s.emulatedEqualsModel++;
    if (same(e, h)) s.hostEqualsEmulated++;
  }
  console.log(route, JSON.stringify(emulated ? s : { ...s, emulatedEqualsModel: undefined, hostEqualsEmulated: undefined }));
}
