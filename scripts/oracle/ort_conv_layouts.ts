/**
 * npm run oracle:ort-conv-layouts [-- --cpu haswell --count N --seed S]: ONNX Runtime's two QLinearConv kernels on
 * the same convs, byte for byte. Each qlinear_conv_nhwc@1 case of the generator that has an NCHW twin (2-D, int8
 * weights, equal begin and end pads: cases/qlinear_conv_nhwc_cases.ts hasNchwTwin; the 1-D, 3-D and uint8-weight
 * cases are checked against ORT by their vectors only) (com.microsoft QLinearConv, channels_last = 1, NHWC) is also run as its quantized_conv2d@1 twin (ONNX QLinearConv,
 * NCHW: x transposed, the same weights, scales, zero points, bias and geometry), both through onnxruntime-node on the
 * chosen CPU (the host, or under QEMU); the NCHW output transposed to NHWC must equal the NHWC output, or the same
 * error code come back. ORT's QLinearConv<T>::Compute computes in NHWC for both (qlinearconv.cc), so the routes
 * (depthwise, ConvSym, symmetric or plain QGEMM) are the same; this checks it. Exit 0 only when every pair agrees.
 */
import { Command } from 'commander';
import { cpuAvailability, cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { ORT_INSTALL_HINT, loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { hasNchwTwin, qlinearConvNchwTwin, qlinearConvNhwcCase } from '../../conformance/cases/qlinear_conv_nhwc_cases.js';
import type { WireResponse } from '../../conformance/protocol/messages.js';
import { decodeTensor, encodeTensor } from '../../contract/wire.js';
import { nchwToNhwc } from '../../contract/qlinear_conv_nhwc_checks.js';
import type { IntTensor } from '../../contract/tensor.js';

const key = (r: WireResponse | undefined): string => (!r ? 'missing' : 'error' in r ? `error ${r.error.code}` : JSON.stringify(r.outputs.y));

const o = new Command('oracle:ort-conv-layouts').option('--cpu <model>', 'host or a QEMU model (haswell, nehalem)', 'host').option('--count <n>', 'cases drawn', '300').option('--seed <s>', 'generator seed', 'qconform-ort-conv-layouts').parse().opts<{ cpu: string; count: string; seed: string }>();
const cpu = cpuModel(o.cpu);
const available = cpuAvailability(cpu);
if (!available.available) {
  console.error(`--cpu ${cpu.name}: ${available.reason}. Install it with: ${available.install}`);
  process.exit(2);
}
const nhwc = generateRequests('qlinear_conv_nhwc@1', Number(o.count), qlinearConvNhwcCase, o.seed).filter(hasNchwTwin);
const requests = nhwc.flatMap((q) => [q, qlinearConvNchwTwin(q)]);
let responses: WireResponse[];
if (cpu.qemu) {
  const { command, args } = await ortProcessCommand(cpu);
  responses = (await runThroughProcess({ label: `onnxruntime on ${cpu.name}`, command, args, startTimeoutMs: 120_000 }, requests)).responses;
} else {
  const ort = await loadOrt();
  if (!ort) {
    console.error(`onnxruntime-node is not installed: ${ORT_INSTALL_HINT}`);
    process.exit(2);
  }
  responses = await runThroughOrt(ort, requests);
}
const byId = new Map(responses.map((r) => [r.id, r]));
let [agree, outputs, differ] = [0, 0, 0];
for (const q of nhwc) {
  const a = byId.get(q.id);
  const b = byId.get(`${q.id}-nchw`);
  const bNhwc = b && 'outputs' in b ? { id: b.id, outputs: { y: encodeTensor(nchwToNhwc(decodeTensor(b.outputs.y, 'y') as IntTensor)) } } : b;
  if (key(a) === key(bNhwc)) {
    agree++;
    if (a && 'outputs' in a) outputs++;
  } else {
    differ++;
    console.log(`${q.id}: NHWC ${key(a).slice(0, 200)}\n  NCHW ${key(bNhwc).slice(0, 200)}`);
  }
}
console.log(`ORT on ${cpu.name}: ${nhwc.length} convs as com.microsoft QLinearConv (NHWC) and ONNX QLinearConv (NCHW): ${agree} agree (${outputs} with outputs), ${differ} differ`);
process.exitCode = differ === 0 && outputs > 0 ? 0 : 1;
