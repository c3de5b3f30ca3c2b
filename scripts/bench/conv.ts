/**
 * The conv bench (issue 3), one table in one run: the layer 1x64x56x56 -> 64, 3x3, pad 1, single thread,
 * through the fast impl, a straightforward Int32Array loop, the exact reference (a subsample, rate
 * extrapolated), ONNX Runtime QLinearConv (intraOpNumThreads 1) and torch qnnpack/onednn
 * (torch.set_num_threads(1)) when installed; then the requantization throughput of every scheme.
 * Run bundled by run.ts (esbuild), as compiled library code runs: under tsx's loader cross-module calls
 * are not inlined and the per-output requantization runs several times slower.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { qlinearConvModel } from '../../conformance/backends/onnxruntime/qlinear_conv_model.js';
import { impl } from '../../impl/index.js';
import { REQUANT_IMPL } from '../../impl/requant/index.js';
import { reference } from '../../reference/index.js';
import { REQUANT_SCHEMES } from '../../contract/conv.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { LAYER, LAYER_MACS, layerArgs } from './conv_layer.js';
import { naiveConv } from './naive_conv.js';

/** The project root (npm runs scripts there; the bundle itself lives under node_modules/.cache). */
const root = process.env.QCONFORM_ROOT ?? process.cwd();

async function medianSeconds(run: () => unknown | Promise<unknown>, repeats: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function ortGmacs(): Promise<number | string> {
  const ort = await loadOrt();
  if (!ort) return 'onnxruntime-node not installed';
  const a = layerArgs('onnxruntime@1');
  const session = await ort.InferenceSession.create(qlinearConvModel(a), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const feed = { x: new ort.Tensor('uint8', Uint8Array.from(a.x.data), [...a.x.shape]) };
  return LAYER_MACS / (await medianSeconds(() => session.run(feed), 10)) / 1e9;
}

function torchGmacs(): Record<string, number> | string {
  const r = spawnSync(process.env.QCONFORM_TORCH_PYTHON ?? '/usr/bin/python3', [join(root, 'scripts/bench/torch_conv_bench.py')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `torch unavailable (${(r.stderr || '').trim().split('\n').at(-1) ?? r.status})`;
  return JSON.parse(r.stdout) as Record<string, number>;
}

const line = (name: string, gmacs: number | string, base?: number) =>
  console.log(`${name.padEnd(52)} ${typeof gmacs === 'number' ? `${gmacs.toFixed(3).padStart(9)} GMAC/s` : gmacs}${typeof gmacs === 'number' && base ? `   ${(gmacs / base).toFixed(1).padStart(7)}x loop` : ''}`);

console.log(`conv layer ${LAYER.n}x${LAYER.c}x${LAYER.h}x${LAYER.w} -> ${LAYER.oc}, ${LAYER.k}x${LAYER.k}, pad ${LAYER.pad}: ${(LAYER_MACS / 1e6).toFixed(1)} M MAC, one thread, node ${process.version}`);
const naive = LAYER_MACS / (await medianSeconds(() => naiveConv(layerArgs('torch-qnnpack@1')), 2)) / 1e9;
for (const scheme of ['torch-qnnpack@1', 'onnxruntime@1', 'tflite-double-rounding@1'] as const) {
  const a = layerArgs(scheme);
  line(`impl (${scheme}, int32_wrap)`, LAYER_MACS / (await medianSeconds(() => impl.quantizedConv2d(a), 7)) / 1e9, naive);
}
line('straightforward Int32Array loop', naive, naive);
const sub = layerArgs('torch-qnnpack@1', { h: 8, w: 8, oc: 2 });
const subMacs = 2 * 64 * 8 * 8 * 9;
const refRate = subMacs / (await medianSeconds(() => reference.quantizedConv2d(sub), 3)) / 1e9;
line(`exact reference (2x8x8 outputs; full layer ~${(LAYER_MACS / refRate / 1e9).toFixed(0)} s)`, refRate, naive);
line('ONNX Runtime QLinearConv u8s8 (intraOpNumThreads 1)', await ortGmacs(), naive);
const torch = torchGmacs();
if (typeof torch === 'string') line('torch quantized::conv2d', torch);
else for (const [engine, g] of Object.entries(torch)) line(`torch ${engine} (set_num_threads(1))`, g, naive);

console.log('\nrequantization: accumulators per second per scheme (impl, 2^22 accumulators in [-2^20, 2^20])');
const N = 1 << 22;
const accs = Int32Array.from({ length: N }, (_, i) => (Math.imul(i, 2654435761) >> 11) | 0);
for (const scheme of REQUANT_SCHEMES) {
  const r = REQUANT_IMPL[scheme];
  const p = r.prepare({ xScale: 0.02, wScale: 0.003, yScale: 0.5, perChannel: true, yZeroPoint: 3, bias: null, relu: false, outMin: -128, outMax: 127 });
  const s = await medianSeconds(() => {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += r.requantize(accs[i]!, p, 'wrap');
    return sum;
  }, 3);
  console.log(`  ${scheme.padEnd(28)} ${(N / s / 1e6).toFixed(1).padStart(7)} M acc/s`);
}
