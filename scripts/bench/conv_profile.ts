/**
 * Where the time of impl's WebAssembly conv goes on the bench layers (conv_layer.ts): end to end per call (min and
 * median of N runs after N warm-up runs, one thread), the time spent inside the kernel entry points (the module's
 * exports wrapped with timers; min and median per entry point) and the minor page faults per call (median). Without the
 * warm-up a fresh output faults in every page (about 200 per 800 KB output): until the garbage collector has freed
 * earlier outputs, each one is new heap; at steady state the allocator reuses their memory and the median is 0.
 * Times are printed as min/median ms.
 * Run: npx tsx -e "import('./scripts/bench/run_bundled.ts').then((m) => m.runBundled('scripts/bench/conv_profile.ts', process.argv.slice(1)))" [runs] [layer prefix] [reuse] [bytes]
 * (`reuse`: one caller-provided output buffer for every call, impl/conv/conv_out.ts; `bytes`: x and the weight stored
 * in bytes, Uint8Array and Int8Array, so the outputs are too)
 */
import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import { convKernelModule } from '../../impl/conv/wasm/kernel_module.js';
import { BENCH_LAYERS, layerArgs, layerMacs } from './conv_layer.js';

const mod = convKernelModule() as unknown as Record<string, unknown>;
const spent: Record<string, number> = {};
for (const name of Object.keys(mod)) {
  const f = mod[name];
  if (typeof f !== 'function' || name === 'memoryOfAtLeast') continue;
  mod[name] = (...args: unknown[]) => {
    const t0 = performance.now();
    const r = (f as (...a: unknown[]) => unknown)(...args);
    spent[name] = (spent[name] ?? 0) + performance.now() - t0;
    return r;
  };
}
const wasm = implOnConvPath('wasm');
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const minMedian = (xs: number[]) => `${Math.min(...xs).toFixed(3)}/${median(xs).toFixed(3)}`;
const runs = Number(process.argv[2] ?? 40);
const only = process.argv[3];
const flags = process.argv.slice(4);
const reuse = flags.includes('reuse'); // one output buffer for every call (conv_out.ts)
const bytes = flags.includes('bytes'); // one-byte storage (contract/tensor.ts IntData)
for (const l of BENCH_LAYERS) {
  if (only && !l.name.startsWith(only)) continue;
  const macs = layerMacs(l);
  for (const scheme of ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'] as const) {
    const a = layerArgs(scheme, {}, l, bytes ? 'bytes' : 'int32');
    const out = bytes ? new Uint8Array(l.n * l.oc * l.h * l.w) : new Int32Array(l.n * l.oc * l.h * l.w);
    const times: number[] = [];
    const spentRuns: Record<string, number[]> = {};
    const faults: number[] = [];
    for (let i = -runs; i < runs; i++) {
      for (const k of Object.keys(spent)) delete spent[k];
      const f0 = process.resourceUsage().minorPageFault;
      const t0 = performance.now();
      if (reuse) quantizedConv2dOn('wasm', a, undefined, { out });
      else wasm.quantizedConv2d(a);
      const t = performance.now() - t0;
      const f = process.resourceUsage().minorPageFault - f0;
      if (i < 0) continue; // warm-up
      faults.push(f);
      times.push(t);
      for (const [k, v] of Object.entries(spent)) (spentRuns[k] ??= []).push(v);
    }
    const parts = Object.entries(spentRuns).map(([k, v]) => `${k} ${minMedian(v)}`).join(', ');
    const med = median(times);
    console.log(`${l.name.padEnd(14)} ${scheme.padEnd(26)} ${minMedian(times)} ms ${(macs / med / 1e6).toFixed(2).padStart(7)} GMAC/s (median) ${String(median(faults)).padStart(4)} faults/call | ${parts}`);
  }
}
