/**
 * The conv bench (issues 3 and 15), one table in one run, single thread: the dense 3x3, depthwise and pointwise
 * layers of conv_layer.ts through impl's WebAssembly and JavaScript paths, ONNX Runtime QLinearConv
 * (intraOpNumThreads 1) and torch qnnpack/onednn (torch.set_num_threads(1)), every one timed at steady state
 * (steady_state.ts: a warm-up until the median of the last window of timings, at least 15 runs and 0.25 s, settles,
 * then the median of at least 41 runs and 1 s, with the 10th-90th percentile range; `*` marks a warm-up that did not
 * settle within half its budget, or, for the slow baselines capped at a few runs, could not be checked),
 * with impl's ratio to ORT and oneDNN (impl with Int32Array tensors and with one-byte tensors, Uint8Array x and
 * output and Int8Array weight as ORT takes them, each with a fresh output per call and with one output buffer reused,
 * as ORT's arena reuses output memory), what the Int32Array format's copies alone take (int32_traffic.ts), and, on the
 * depthwise layer, TFLite's own DEPTHWISE_CONV_2D in LiteRT.js for impl's tflite-double-rounding@1 rows
 * (litert_peer.ts); then the exact reference on a subsample, a straightforward loop, and
 * the requantization throughput of every scheme; `qconform eval` throughput in both tensor encodings and the CLI's
 * start time. Run bundled by run.ts (esbuild), as compiled library code runs.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { qlinearConvModel } from '../../conformance/backends/onnxruntime/qlinear_conv_model.js';
import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import { PARALLEL_MIN_MACS, closeConvWorkers, parallelConvCounter, quantizedConv2dParallel } from '../../impl/conv/parallel/conv_pool.js';
import { REQUANT_IMPL } from '../../impl/requant/index.js';
import { reference } from '../../reference/index.js';
import { REQUANT_SCHEMES } from '../../contract/conv.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { BENCH_LAYERS, type BenchLayer, LAYER, LAYER_MACS, layerArgs, layerMacs, layerTitle } from './conv_layer.js';
import { naiveConv } from './naive_conv.js';
import { evalThroughputRuns } from './eval_throughput.js';
import { cliStart } from './cli_start.js';
import { type SteadyTiming, steadySeconds } from './steady_state.js';
import { type ImplConvRow, LAYER_TARGET_GMACS, targetLines } from './targets.js';
import { int32Traffic } from './int32_traffic.js';
import { coreClockGhz } from './core_clock.js';
import { LITERT_PEER_SCHEME, litertPeerTiming, litertPeerTitle } from './litert_peer.js';

/** The project root (npm runs scripts there; the bundle itself lives under node_modules/.cache). */
const root = process.env.QCONFORM_ROOT ?? process.cwd();

interface Rate {
  /** from the median time */
  readonly gmacs: number;
  /** from the 90th and 10th percentile times (absent: torch's older output) */
  readonly low?: number;
  readonly high?: number;
  readonly stable: boolean;
}
const rate = (macs: number, t: SteadyTiming): Rate => ({ gmacs: macs / t.seconds / 1e9, low: macs / t.p90 / 1e9, high: macs / t.p10 / 1e9, stable: t.stable });
const spread = (r: Rate) => (r.low === undefined || r.high === undefined ? '' : ` (${r.low.toFixed(1)}-${r.high.toFixed(1)})`.padEnd(14));
const fmtRate = (r: Rate | string) => (typeof r === 'string' ? r : `${r.gmacs.toFixed(2).padStart(8)}${r.stable ? ' ' : '*'} GMAC/s${spread(r)}`);
const loads = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** The checkout's commit and whether its tree differs from it, for the header (numbers belong to a code state). */
function codeState(): string {
  const git = (...args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'not a git checkout';
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return `commit ${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}

type Ort = NonNullable<Awaited<ReturnType<typeof loadOrt>>>;

async function ortRate(ort: Ort | null, l: BenchLayer): Promise<Rate | string> {
  if (!ort) return 'onnxruntime-node not installed';
  const a = layerArgs('onnxruntime@1', {}, l);
  const session = await ort.InferenceSession.create(qlinearConvModel(a), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const feed = { x: new ort.Tensor('uint8', Uint8Array.from(a.x.data), [...a.x.shape]) };
  return rate(layerMacs(l), await steadySeconds(() => session.run(feed)));
}

function torchRates(): Record<string, Record<string, Rate>> | string {
  const layers = JSON.stringify(BENCH_LAYERS);
  const r = spawnSync(process.env.QCONFORM_TORCH_PYTHON ?? '/usr/bin/python3', [join(root, 'scripts/bench/torch_conv_bench.py'), layers], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `torch unavailable (${(r.stderr || '').trim().split('\n').at(-1) ?? r.status})`;
  return JSON.parse(r.stdout) as Record<string, Record<string, Rate>>;
}

const ratio = (a: Rate, b: Rate | string | undefined) => (b === undefined || typeof b === 'string' ? '' : `${(a.gmacs / b.gmacs).toFixed(3)}x`);
const row = (name: string, r: Rate | string, extra = '') => console.log(`  ${name.padEnd(90)} ${fmtRate(r)}${extra}`);

const clockBefore = coreClockGhz();
console.log(`${codeState()}\nconv layers, one thread, node ${process.version}; steady state: median GMAC/s of >= 41 runs and 1 s after a warm-up whose median settled (* = it did not within half its budget, or too few runs to check), 10th-90th percentile range in parentheses; load average ${loads()} on ${availableParallelism()} CPUs; core clock ${clockBefore.toFixed(2)} GHz (core_clock.ts)`);
const ort = await loadOrt();
const torch = torchRates();
const wasm = implOnConvPath('wasm');
const js = implOnConvPath('js');
const implRows: ImplConvRow[] = [];
for (const l of BENCH_LAYERS) {
  const macs = layerMacs(l);
  console.log(`\n${l.name}: ${layerTitle(l)} (${(macs / 1e6).toFixed(1)} M MAC)`);
  const ortR = await ortRate(ort, l);
  const onednn = typeof torch === 'string' ? torch : torch[l.name]?.onednn;
  const qnnpack = typeof torch === 'string' ? torch : torch[l.name]?.qnnpack;
  const liteT = await litertPeerTiming(l);
  const liteR = liteT === null || typeof liteT === 'string' ? liteT : rate(macs, liteT);
  for (const scheme of ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'] as const) {
    const vsTflite = (r: Rate) => (scheme === LITERT_PEER_SCHEME && liteR !== null && typeof liteR !== 'string' ? `   vs TFLite ${ratio(r, liteR).padStart(7)}` : '');
    const vs = (r: Rate) => `   vs ORT ${ratio(r, ortR).padStart(7)}   vs oneDNN ${ratio(r, onednn).padStart(7)}${vsTflite(r)}`;
    for (const storage of ['int32', 'bytes'] as const) {
      const a = layerArgs(scheme, {}, l, storage);
      const w = rate(macs, await steadySeconds(() => wasm.quantizedConv2d(a)));
      const tensors = storage === 'int32' ? 'Int32Array tensors' : 'one-byte tensors, as ORT\'s';
      row(`impl wasm (${scheme}, int32_wrap), ${tensors}, fresh output`, w, vs(w));
      const rowKey = { layer: l.name, scheme, storage: storage === 'int32' ? 'Int32Array' : 'one-byte' } as const;
      implRows.push({ ...rowKey, output: 'fresh', gmacs: w.gmacs, stable: w.stable });
      const elements = l.n * l.oc * l.h * l.w; // stride 1, 'same' padding
      const out = storage === 'int32' ? new Int32Array(elements) : new Uint8Array(elements);
      const r = rate(macs, await steadySeconds(() => quantizedConv2dOn('wasm', a, undefined, { out })));
      row('  same, output buffer reused, as ORT\'s arena', r, vs(r));
      implRows.push({ ...rowKey, output: 'reused', gmacs: r.gmacs, stable: r.stable });
    }
  }
  if (macs >= PARALLEL_MIN_MACS && availableParallelism() >= 2) {
    // impl's optional worker_threads parallelism (impl/conv/parallel): not a target row (the targets are single-threaded)
    const a = layerArgs('onnxruntime@1', {}, l, 'bytes');
    const one = implRows.find((r) => r.layer === l.name && r.scheme === 'onnxruntime@1' && r.storage === 'one-byte' && r.output === 'fresh');
    const title = 'impl wasm (onnxruntime@1), one-byte tensors, fresh output, 2 threads (worker_threads)';
    const used = parallelConvCounter();
    await quantizedConv2dParallel(a, { threads: 2 }, used);
    if (used.workerWasmParts === 0) row(title, 'not measured: no part ran on a worker thread in WebAssembly');
    else {
      const p = rate(macs, await steadySeconds(() => quantizedConv2dParallel(a, { threads: 2 })));
      row(title, p, one === undefined ? '' : `   vs 1 thread ${(p.gmacs / one.gmacs).toFixed(2)}x`);
    }
  }
  const target = LAYER_TARGET_GMACS[l.name];
  if (target !== undefined) {
    const t = await int32Traffic(l, target);
    const ms = (seconds: number) => `${(seconds * 1e3).toFixed(3)} ms`;
    console.log(`  Int32Array tensors' copies alone (int32_traffic.ts; a floor): x in ${ms(t.copyIn)}, output out ${ms(t.copyOutFresh)} fresh / ${ms(t.copyOutReused)} reused; a call at ${target} GMAC/s has ${ms(t.budget)}`);
  }
  const a = layerArgs('onnxruntime@1', {}, l);
  const j = rate(macs, await steadySeconds(() => js.quantizedConv2d(a), { maxRuns: 30, maxSeconds: 8 }));
  row('impl js (onnxruntime@1, int32_wrap)', j, `   vs ORT ${ratio(j, ortR).padStart(7)}   vs oneDNN ${ratio(j, onednn).padStart(7)}`);
  row('ONNX Runtime QLinearConv u8s8 (intraOpNumThreads 1)', ortR);
  if (liteR !== null) row(typeof liteR === 'string' ? 'TFLite builtin DEPTHWISE_CONV_2D (LiteRT.js)' : await litertPeerTitle(), liteR);
  row('torch onednn (set_num_threads(1))', onednn ?? 'not measured');
  row('torch qnnpack (set_num_threads(1))', qnnpack ?? 'not measured');
}

await closeConvWorkers();
const clockAfter = coreClockGhz();
console.log(`\nload average after the conv layers: ${loads()}; core clock ${clockAfter.toFixed(2)} GHz`);
console.log(`\n${LAYER.name} baselines`);
const naive = rate(LAYER_MACS, await steadySeconds(() => naiveConv(layerArgs('torch-qnnpack@1')), { maxRuns: 5, maxSeconds: 5 }));
row('straightforward Int32Array loop', naive);
const sub = layerArgs('torch-qnnpack@1', { h: 8, w: 8, oc: 2 });
const subMacs = layerMacs(LAYER, { h: 8, w: 8, oc: 2 });
const ref = rate(subMacs, await steadySeconds(() => reference.quantizedConv2d(sub), { maxRuns: 3, maxSeconds: 5 }));
row(`exact reference (2x8x8 outputs; full layer ~${(LAYER_MACS / ref.gmacs / 1e9).toFixed(0)} s)`, ref);

console.log('\nrequantization: accumulators per second per scheme (impl JavaScript, 2^22 accumulators in [-2^20, 2^20])');
const N = 1 << 22;
const accs = Int32Array.from({ length: N }, (_, i) => (Math.imul(i, 2654435761) >> 11) | 0);
for (const scheme of REQUANT_SCHEMES) {
  const r = REQUANT_IMPL[scheme];
  const p = r.prepare({ xScale: 0.02, wScale: 0.003, yScale: 0.5, perChannel: true, yZeroPoint: 3, bias: null, relu: false, outMin: -128, outMax: 127, qnnpackPath: 'gemm' });
  const t = await steadySeconds(() => {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += r.requantize(accs[i]!, p, 'wrap');
    return sum;
  }, { maxRuns: 5, maxSeconds: 3 });
  console.log(`  ${scheme.padEnd(28)} ${(N / t.seconds / 1e6).toFixed(1).padStart(7)} M acc/s`);
}

console.log('\nqconform eval --backend impl (a child process): quantize_per_tensor@1, 1,000 float32 elements per request;\n  median of 3 fresh processes (range), wall clock from the first request byte, JIT warm-up included');
let base64Rate = 0;
for (const [encoding, requests] of [['json', 2000], ['base64le', 20000]] as const) {
  const t = await evalThroughputRuns(root, encoding, requests);
  if (encoding === 'base64le') base64Rate = t.median;
  const range = `${(Math.min(...t.rates) / 1e6).toFixed(1)}-${(Math.max(...t.rates) / 1e6).toFixed(1)}`;
  console.log(`  ${`${encoding} (${requests.toLocaleString()} requests)`.padEnd(28)} ${(t.median / 1e6).toFixed(2).padStart(7)} M elements/s (${range}; load average ${t.load.map((l) => l.toFixed(1)).join(' -> ')} on ${availableParallelism()} CPUs)`);
}
const cli = cliStart(root);
const cliEntry = cli.entry === 'dist' ? "dist/'s compiled JavaScript" : 'the TypeScript sources through tsx (dist/ is older than the sources: `npm run build`)';
console.log(`\nCLI start: node bin/qconform.mjs --version, best of 5: ${cli.seconds.toFixed(3)} s, running ${cliEntry}`);
console.log(`\ntargets of issue 15 (scripts/bench/targets.ts; informational, not an exit status; the conv rows ran at a core clock of ${clockBefore.toFixed(2)} GHz before and ${clockAfter.toFixed(2)} GHz after):`);
for (const line of targetLines(implRows, base64Rate, cli)) console.log(line);
