import { generateRequests } from '../conformance/cases/catalog.js';
import { matmulNBitsCase } from '../conformance/cases/onnx_nbits_cases.js';
import { loadOrt, runThroughOrt } from '../conformance/backends/onnxruntime/ort_oracle.js';
import { ortProcessCommand } from '../conformance/backends/onnxruntime/ort_process.js';
import { cpuModel } from '../conformance/backends/cpu/cpu_models.js';
import { runThroughProcess } from '../conformance/backends/process_oracle.js';
import { evaluateRequest } from '../conformance/protocol/dispatch.js';
import { impl } from '../impl/index.js';
import type { WireRequest } from '../conformance/protocol/messages.js';
const base = generateRequests('matmul_nbits@1', 120, matmulNBitsCase, 'probe-hw').filter((r) => {
  const a = r.inputs!.a as any; return a.shape[a.shape.length - 1] <= 64 && (r.attrs as any).N <= 8 && (r.attrs as any).bits !== 3 && (r.attrs as any).block_size !== 8;
}).slice(0, 40);
const variants: { name: string; req: WireRequest; model: () => string[] }[] = [];
for (const r of base) {
  const a = r.inputs!.a as any; const k = a.shape[a.shape.length - 1];
  const one = { ...r, id: r.id + '-m1', inputs: { ...r.inputs, a: { ...a, shape: [1, k], hex: a.hex.slice(0, k) } } };
  const two = { ...r, inputs: { ...r.inputs, a: { ...a, shape: [2, k], hex: [...a.hex.slice(0, k), ...a.hex.slice(0, k)] } } };
  variants.push({ name: 'm1', req: one, model: () => { const o = evaluateRequest(impl, two) as any; return o.outputs ? o.outputs.y.hex.slice(0, o.outputs.y.hex.length / 2) : []; } });
  const lvl4 = { ...r, id: r.id + '-l4', attrs: { ...r.attrs, accuracy_level: 4 } };
  variants.push({ name: 'level4', req: lvl4, model: () => { const o = evaluateRequest(impl, r) as any; return o.outputs ? o.outputs.y.hex : []; } });
}
const reqs = variants.map((v) => v.req);
const ort = (await loadOrt())!;
const hostR = await runThroughOrt(ort, reqs);
const { command, args } = await ortProcessCommand(cpuModel('haswell'));
const hwR = (await runThroughProcess({ label: 'hw', command, args, startTimeoutMs: 120000 }, reqs)).responses;
const stats: Record<string, any> = {};
variants.forEach((v, i) => {
  const s = (stats[v.name] ??= { n: 0, hostEqModel: 0, hwEqModel: 0, hostEqHw: 0, elems: 0, hostElemEq: 0 });
  const h = hostR[i] as any, w = hwR[i] as any;
  if (!h.outputs || !w.outputs) return;
  s.n++;
  const m = v.model();
  const hh = h.outputs.y.hex as string[], ww = w.outputs.y.hex as string[];
  if (JSON.stringify(hh) === JSON.stringify(m)) s.hostEqModel++;
  if (JSON.stringify(ww) === JSON.stringify(m)) s.hwEqModel++;
  if (JSON.stringify(hh) === JSON.stringify(ww)) s.hostEqHw++;
  s.elems += hh.length; s.hostElemEq += hh.filter((x, j) => x === m[j]).length;
});
console.log(stats);
