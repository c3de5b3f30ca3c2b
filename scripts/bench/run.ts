/**
 * npm run bench: throughput of the fast impl against the exact reference, measured in one run and
 * reported as ratios side by side (never asserted in tests). Each op runs on the same seeded data; the
 * reference gets fewer elements because it is orders of magnitude slower, and rates are per element.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { QuantOps, QparamsConfig } from '../../contract/ops.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { runBundled } from './run_bundled.js';

const IMPL_ELEMENTS = 1 << 20;
const REFERENCE_ELEMENTS = 64 * 300;

function data(n: number): number[] {
  const r = new CaseRandom('bench');
  return Array.from({ length: n }, () => Math.fround(r.normal() * 3));
}

const CONFIG: QparamsConfig = { dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: false, quantMin: null, quantMax: null, eps: 2 ** -23 };

/** One benchmark: build inputs for n elements, then return the op to time. */
type Bench = { name: string; prepare: (n: number) => (ops: QuantOps) => unknown };

const BENCHES: Bench[] = [
  {
    name: 'quantize_per_tensor',
    prepare: (n) => {
      const x = f32Tensor([n], data(n));
      return (ops) => ops.quantizePerTensor(x, { scale: 0.0235, zeroPoint: 128, dtype: 'quint8' });
    },
  },
  {
    name: 'quantize_per_channel (C=64)',
    prepare: (n) => {
      const x = f32Tensor([64, n / 64], data(n));
      const scales = f64Tensor([64], Array.from({ length: 64 }, (_, c) => 0.01 + c * 1e-4));
      const zps = intTensor('int64', [64], new Array(64).fill(0));
      return (ops) => ops.quantizePerChannel(x, scales, zps, { axis: 0, dtype: 'qint8' });
    },
  },
  {
    name: 'dequantize_per_tensor',
    prepare: (n) => {
      const q = intTensor('quint8', [n], data(n).map((v) => (Math.abs(Math.trunc(v * 40)) % 256)));
      return (ops) => ops.dequantizePerTensor(q, { scale: 0.0235, zeroPoint: 128 });
    },
  },
  {
    name: 'fake_quantize_per_tensor_affine',
    prepare: (n) => {
      const x = f32Tensor([n], data(n));
      return (ops) => ops.fakeQuantizePerTensorAffine(x, { scale: 0.0235, zeroPoint: 128, quantMin: 0, quantMax: 255 });
    },
  },
  {
    name: 'min_max_observer + qparams',
    prepare: (n) => {
      const x = f32Tensor([n], data(n));
      return (ops) => ops.minMaxObserver([x], CONFIG);
    },
  },
  {
    // ch_axis 1 of an NCHW activation: the permute-and-flatten visiting order is the cost beside the min/max scan
    name: 'per_channel_min_max_observer (ch_axis 1, C=64)',
    prepare: (n) => {
      const x = f32Tensor([4, 64, n / 256], data(n));
      return (ops) => ops.perChannelMinMaxObserver([x], { ...CONFIG, qscheme: 'per_channel_affine', dtype: 'qint8', chAxis: 1 });
    },
  },
  {
    name: 'moving_average_min_max_observer (4 batches)',
    prepare: (n) => {
      const all = data(n);
      const batches = [0, 1, 2, 3].map((k) => f32Tensor([n / 4], all.slice((k * n) / 4, ((k + 1) * n) / 4)));
      return (ops) => ops.movingAverageMinMaxObserver(batches, { ...CONFIG, averagingConstant: 0.01 });
    },
  },
  ...(['@1', '@2'] as const).map(
    (version): Bench => ({
      // torch's defaults: 2048 bins (and 1.13's upsample rate 128); the batches' ranges differ, so histograms merge
      name: `histogram_observer${version} + qparams (4 batches)`,
      prepare: (n) => {
        const all = data(n);
        const batches = [0, 1, 2, 3].map((k) => f32Tensor([n / 4], all.slice((k * n) / 4, ((k + 1) * n) / 4)));
        const attrs = { ...CONFIG, bins: 2048, upsampleRate: 128, sumLaneWidth: 8 as const };
        return version === '@1' ? (ops) => ops.histogramObserver(batches, attrs) : (ops) => ops.histogramObserverV2(batches, attrs);
      },
    }),
  ),
];

/** Median elements/second over `repeats` timed runs after one warm-up. */
function rate(run: () => unknown, n: number, repeats: number): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return n / (times[Math.floor(times.length / 2)]! / 1000);
}

const fmt = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(1)} M/s` : `${(r / 1e3).toFixed(1)} k/s`);
console.log(`node ${process.version}; impl on ${IMPL_ELEMENTS.toLocaleString()} elements, reference on ${REFERENCE_ELEMENTS.toLocaleString()}; median of 5 (reference: 3)`);
console.log(`${'op'.padEnd(46)} ${'impl'.padStart(12)} ${'reference'.padStart(12)} ${'impl/ref'.padStart(10)}`);
for (const b of BENCHES) {
  const implRun = b.prepare(IMPL_ELEMENTS);
  const implRate = rate(() => implRun(impl), IMPL_ELEMENTS, 5);
  const refRun = b.prepare(REFERENCE_ELEMENTS);
  const refRate = rate(() => refRun(reference), REFERENCE_ELEMENTS, 3);
  console.log(`${b.name.padEnd(46)} ${fmt(implRate).padStart(12)} ${fmt(refRate).padStart(12)} ${`${Math.round(implRate / refRate)}x`.padStart(10)}`);
}

console.log('');
process.exitCode = runBundled(join(dirname(fileURLToPath(import.meta.url)), 'conv.ts'), [], { convWorker: true });
