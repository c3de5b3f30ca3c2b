/**
 * impl's optional worker_threads parallelism (impl/conv/parallel): a conv split over output channels (whole groups when
 * grouped) and computed on the calling thread and worker threads gives the bytes of the serial call, or its typed
 * error, for every scheme and accumulator; the split really happens (parts computed by workers, in WebAssembly, grouped
 * and batched convs among them), so the agreement is not vacuous. Also: the default size threshold, the options'
 * typed errors, a caller's out buffer, a write to the weight between calls (the worker's kept tensors are not reused
 * stale), a worker ended mid-call (the conv is computed again on the calling thread), and a process that exits
 * with its workers idle.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvOpName } from '../../contract/conv.js';
import { QconformError } from '../../contract/errors.js';
import { byteTensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { decodeConvArgs } from '../../conformance/protocol/conv_dispatch.js';
import { Attrs, Inputs } from '../../conformance/protocol/messages.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { quantizedConv2d } from '../../impl/conv/conv2d.js';
import { HELD_TENSOR_SETS } from '../../impl/conv/parallel/worker_messages.js';
import { type ParallelConvCounter, PARALLEL_MIN_MACS, parallelConvCounter, closeConvWorkers, endConvWorkerThreads, quantizedConv2dParallel } from '../../impl/conv/parallel/conv_pool.js';
import { convCase } from '../arbitraries/conv_request.js';
import { convArgs } from '../support/conv_args.js';
import { checkAsyncProperty } from '../support/property.js';

afterAll(() => closeConvWorkers());

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The serial call's output bytes or error code and message. */
function serialOutcome(a: Conv2dArgs): string {
  try {
    const y = quantizedConv2d(a);
    return JSON.stringify({ shape: y.shape, kind: y.data.constructor.name, values: Array.from(y.data) });
  } catch (e) {
    return JSON.stringify({ error: e instanceof QconformError ? e.code : String(e), message: (e as Error).message });
  }
}

async function parallelOutcome(a: Conv2dArgs, threads: number, counter: ParallelConvCounter, minMacs = 0): Promise<string> {
  try {
    const y = await quantizedConv2dParallel(a, { threads, minMacs }, counter);
    return JSON.stringify({ shape: y.shape, kind: y.data.constructor.name, values: Array.from(y.data) });
  } catch (e) {
    return JSON.stringify({ error: e instanceof QconformError ? e.code : String(e), message: (e as Error).message });
  }
}

/** A dense conv: 1 x c x hw x hw -> oc, 3x3, pad 1, seeded values, onnxruntime@1 and int32_wrap; x and weight in bytes when asked. */
function denseConv(seed: string, c: number, hw: number, oc: number, bytes = false): Conv2dArgs {
  const r = new CaseRandom(seed);
  const x = Array.from({ length: c * hw * hw }, () => r.int(0, 255));
  const w = Array.from({ length: oc * c * 9 }, () => r.int(-128, 127));
  return convArgs({
    x: bytes ? byteTensor('quint8', [1, c, hw, hw], Uint8Array.from(x)) : intTensor('quint8', [1, c, hw, hw], x),
    weight: bytes ? byteTensor('qint8', [oc, c, 3, 3], Int8Array.from(w)) : intTensor('qint8', [oc, c, 3, 3], w),
    xScale: 0.02,
    xZeroPoint: 120,
    weightScales: f64Tensor([1], [0.002]),
    bias: intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-5000, 5000))),
    padding: [1, 1],
    yScale: 0.5,
    yZeroPoint: 128,
    accumulator: 'int32_wrap',
  });
}

describe('quantizedConv2dParallel', () => {
  it('equals the serial call bit for bit (or its typed error) on every scheme and accumulator, not vacuously', async () => {
    const counter = parallelConvCounter();
    let cases = 0;
    let errors = 0;
    let groupedSplits = 0;
    let batchedSplits = 0;
    await checkAsyncProperty(
      'quantizedConv2dParallel equals quantizedConv2d',
      fc.tuple(convCase, fc.integer({ min: 2, max: 4 })),
      async ([{ request }, threads]) => {
        const op = request.op as ConvOpName;
        const a = decodeConvArgs(op, new Attrs(request.attrs ?? {}, op), new Inputs(request.inputs ?? {}, op));
        const before = counter.workerParts;
        const serial = serialOutcome(a);
        const parallel = await parallelOutcome(a, threads, counter);
        if (parallel !== serial) throw new Error(`serial ${serial.slice(0, 300)}\nparallel (${threads} threads) ${parallel.slice(0, 300)}`);
        cases++;
        if (serial.startsWith('{"error"')) errors++;
        if (counter.workerParts > before && a.groups > 1) groupedSplits++;
        if (counter.workerParts > before && (a.x.shape[0] as number) > 1) batchedSplits++;
      },
      250,
    );
    expect(cases).toBe(250);
    expect(counter.workerParts).toBeGreaterThan(100);
    expect(counter.workerWasmParts).toBeGreaterThan(50);
    expect(groupedSplits).toBeGreaterThan(10);
    expect(batchedSplits).toBeGreaterThan(10);
    expect(counter.serialReruns).toBeGreaterThan(0); // some errors found by a part, then computed again serially
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(cases / 2);
  }, 240_000);

  it('splits a conv of at least PARALLEL_MIN_MACS by default, on workers in WebAssembly, and runs a smaller one on the calling thread', async () => {
    // 1x64x32x32 -> 64, 3x3: 37.7 M MAC, above 2^25; 1x32x32x32 -> 32: 9.4 M MAC, below
    const big = denseConv('parallel-big', 64, 32, 64, true);
    expect(64 * 32 * 32 * 64 * 9).toBeGreaterThanOrEqual(PARALLEL_MIN_MACS);
    const counter = parallelConvCounter();
    const y = await quantizedConv2dParallel(big, { threads: 2 }, counter);
    expect(counter).toMatchObject({ parts: 2, workerParts: 1, workerWasmParts: 1, serialReruns: 0 });
    expect(y.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(y.data)).toEqual(Array.from(quantizedConv2d(big).data));
    const small = denseConv('parallel-small', 32, 32, 32);
    const smallCounter = parallelConvCounter();
    const ys = await quantizedConv2dParallel(small, { threads: 2 }, smallCounter);
    expect(smallCounter.parts).toBe(0);
    expect(Array.from(ys.data)).toEqual(Array.from(quantizedConv2d(small).data));
  });

  it('rejects bad options with typed errors', async () => {
    const a = denseConv('parallel-options', 4, 6, 4);
    const code = async (o: { threads: number; minMacs?: number }) => {
      try {
        await quantizedConv2dParallel(a, o);
        return 'no error';
      } catch (e) {
        return e instanceof QconformError ? e.code : String(e);
      }
    };
    expect(await code({ threads: 0 })).toBe('malformed_request');
    expect(await code({ threads: 1.5 })).toBe('malformed_request');
    expect(await code({ threads: Number.NaN })).toBe('malformed_request');
    expect(await code({ threads: 65 })).toBe('too_large');
    expect(await code({ threads: 2, minMacs: -1 })).toBe('malformed_request');
    expect(await code({ threads: 2, minMacs: Number.NaN })).toBe('malformed_request');
    expect(await code(undefined as unknown as { threads: number })).toBe('malformed_request');
    expect(await code({ threads: 64 })).toBe('no error');
  });

  it('gives the serial typed error for a bad conv, found by a part (a value outside its dtype) or up front (a shape, an out buffer)', async () => {
    const a = denseConv('parallel-bad', 8, 8, 8);
    const data = Int32Array.from(a.x.data);
    data[data.length - 1] = 300; // quint8 holds 0..255; in the last input channel, which every part reads
    const badValue: Conv2dArgs = { ...a, x: { ...a.x, data } };
    const badShape: Conv2dArgs = { ...a, bias: intTensor('int32', [7], new Array(7).fill(0)) };
    const cases = [
      { args: badValue, out: undefined, code: 'invalid_integer', path: { serialReruns: 1, workerParts: 0 } },
      { args: badShape, out: undefined, code: 'shape_mismatch', path: { parts: 0 } },
      // a bad value and a bad out: the serial call names the value first, and so does the parallel one
      { args: badValue, out: new Int32Array(1), code: 'invalid_integer', path: { parts: 0 } },
      { args: a, out: new Int32Array(1), code: 'shape_mismatch', path: { parts: 0 } },
    ];
    for (const c of cases) {
      const serial = (() => {
        try {
          quantizedConv2d(c.args, c.out === undefined ? {} : { out: c.out });
          return 'no error';
        } catch (e) {
          return `${(e as QconformError).code}: ${(e as Error).message}`;
        }
      })();
      expect(serial.startsWith(`${c.code}: `)).toBe(true);
      const counter = parallelConvCounter();
      let parallel = 'no error';
      try {
        await quantizedConv2dParallel(c.args, { threads: 3, minMacs: 0, ...(c.out === undefined ? {} : { out: c.out }) }, counter);
      } catch (e) {
        parallel = `${(e as QconformError).code}: ${(e as Error).message}`;
      }
      expect(parallel).toBe(serial);
      expect(counter).toMatchObject(c.path);
    }
  });

  it('writes into a caller\'s out buffer (int32 or bytes; one batch element or several, grouped) and returns it', async () => {
    const dense = denseConv('parallel-out', 16, 12, 24);
    // grouped, N = 2, qint8 activations: each part gathers its groups' channels of both batch elements
    const r = new CaseRandom('parallel-out-grouped');
    const grouped = convArgs({
      x: intTensor('qint8', [2, 12, 9, 9], Array.from({ length: 2 * 12 * 81 }, () => r.int(-128, 127))),
      weight: intTensor('qint8', [18, 2, 3, 3], Array.from({ length: 18 * 2 * 9 }, () => r.int(-128, 127))),
      groups: 6,
      xScale: 0.05,
      weightScales: f64Tensor([1], [0.01]),
      padding: [1, 1],
      yScale: 0.7,
      yZeroPoint: -3,
      accumulator: 'int32_wrap',
    });
    for (const [a, outs] of [
      [dense, [new Int32Array(24 * 144), new Uint8Array(24 * 144)]],
      [grouped, [new Int32Array(2 * 18 * 81), new Int8Array(2 * 18 * 81)]],
    ] as const) {
      const want = Array.from(quantizedConv2d(a).data);
      for (const out of outs) {
        const counter = parallelConvCounter();
        const y = await quantizedConv2dParallel(a, { threads: 3, minMacs: 0, out }, counter);
        expect(y.data).toBe(out);
        expect(Array.from(out)).toEqual(want);
        expect(counter.workerParts).toBe(2);
      }
    }
  });

  it('gives each of two calls in flight at once its own answer', async () => {
    const a = denseConv('parallel-concurrent-a', 16, 12, 24);
    const b = denseConv('parallel-concurrent-b', 16, 12, 24);
    const counter = parallelConvCounter();
    const [ya, yb] = await Promise.all([quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter), quantizedConv2dParallel(b, { threads: 2, minMacs: 0 }, counter)]);
    expect(Array.from(ya.data)).toEqual(Array.from(quantizedConv2d(a).data));
    expect(Array.from(yb.data)).toEqual(Array.from(quantizedConv2d(b).data));
    expect(Array.from(ya.data)).not.toEqual(Array.from(yb.data));
    expect(counter.workerParts).toBe(2);
  });

  it('sends a layer\'s channel tensors to a worker once, and again after a write to them', async () => {
    // three layers in turn, as a model's convs run: each layer's tensors cross to the worker the first time only
    const layers = [denseConv('parallel-layer-a', 16, 12, 24), denseConv('parallel-layer-b', 8, 10, 16), denseConv('parallel-layer-c', 16, 12, 24)];
    const counter = parallelConvCounter();
    for (let round = 0; round < 3; round++) {
      for (const a of layers) expect(Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data)).toEqual(Array.from(quantizedConv2d(a).data));
    }
    expect(counter).toMatchObject({ parts: 18, channelTensorSends: 3, workerParts: 9, serialReruns: 0 });
    const a = layers[0]!;
    const first = Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data);
    const w = a.weight.data as Int32Array;
    for (let i = w.length - 200; i < w.length; i++) w[i] = -w[i]! - 1; // channels of the worker's part only
    const second = Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data);
    expect(counter.channelTensorSends).toBe(4);
    expect(second).toEqual(Array.from(quantizedConv2d(a).data));
    expect(second).not.toEqual(first);
  });

  it('sees a write to a weight held in a Node Buffer (the pool keeps a copy, not a view)', async () => {
    const a = denseConv('parallel-buffer', 16, 12, 24);
    // a qint8 weight of values 0..127 may be stored in a Uint8Array (contract/tensor.ts), here a Node Buffer
    const bytes = Buffer.from(Array.from(a.weight.data, (v) => v & 127));
    const b: Conv2dArgs = { ...a, weight: { dtype: 'qint8', shape: a.weight.shape, data: bytes } };
    const counter = parallelConvCounter();
    const first = Array.from((await quantizedConv2dParallel(b, { threads: 2, minMacs: 0 }, counter)).data);
    expect(first).toEqual(Array.from(quantizedConv2d(b).data));
    for (let i = bytes.length - 200; i < bytes.length; i++) bytes[i] = 127 - bytes[i]!; // channels of the worker's part only
    const second = Array.from((await quantizedConv2dParallel(b, { threads: 2, minMacs: 0 }, counter)).data);
    expect(second).toEqual(Array.from(quantizedConv2d(b).data));
    expect(second).not.toEqual(first);
    expect(counter.channelTensorSends).toBe(2);
  });

  it('sends only the conv\'s own fields to a worker (a caller\'s extra property, even one no message can clone, is left behind)', async () => {
    const a = { ...denseConv('parallel-extra', 16, 12, 24), note: () => 'not cloneable' } as Conv2dArgs;
    const counter = parallelConvCounter();
    expect(Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data)).toEqual(Array.from(quantizedConv2d(a).data));
    expect(counter).toMatchObject({ workerParts: 1, serialReruns: 0 });
  });

  it('stays exact when more layers run in turn than a worker keeps (each sent again, its slot reused)', async () => {
    const layers = Array.from({ length: HELD_TENSOR_SETS + 1 }, (_, i) => denseConv(`parallel-evict-${i}`, 8, 8, 12));
    const counter = parallelConvCounter();
    for (let round = 0; round < 2; round++) {
      for (const a of layers) expect(Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data)).toEqual(Array.from(quantizedConv2d(a).data));
    }
    expect(counter).toMatchObject({ channelTensorSends: 2 * layers.length, workerParts: 2 * layers.length, serialReruns: 0 });
  });

  it('computes the conv again on the calling thread when a worker ends mid-call', async () => {
    const a = denseConv('parallel-death', 16, 12, 24);
    const want = Array.from(quantizedConv2d(a).data);
    await quantizedConv2dParallel(a, { threads: 3, minMacs: 0 }); // the workers are up
    const counter = parallelConvCounter();
    endConvWorkerThreads(); // as if both crashed: the pool learns it only from their exit events
    const y = await quantizedConv2dParallel(a, { threads: 3, minMacs: 0 }, counter);
    expect(counter).toMatchObject({ parts: 3, workerParts: 0, workerWasmParts: 0, serialReruns: 1 });
    expect(Array.from(y.data)).toEqual(want);
    const again = parallelConvCounter();
    expect(Array.from((await quantizedConv2dParallel(a, { threads: 3, minMacs: 0 }, again)).data)).toEqual(want); // new workers start
    expect(again.workerWasmParts).toBe(2);
  });

  // the compiled package (npm run build, run first by npm test): its workers start conv_worker.js; where no thread may
  // be made (Node's permission model without --allow-worker), every call runs on the calling thread, exactly
  it.runIf(existsSync(join(ROOT, 'dist/build-info.json')))('runs from dist/, and on the calling thread alone where worker threads are forbidden', () => {
    const script = [
      `import { impl, quantizedConv2dParallel, convWorkersAvailable, parallelConvCounter } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/impl/index.js')).href)};`,
      `import { intTensor, f64Tensor } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/contract/tensor.js')).href)};`,
      'const counter = parallelConvCounter();',
      'const x = intTensor("quint8", [1, 8, 16, 16], Array.from({ length: 2048 }, (_, i) => i % 256));',
      'const weight = intTensor("qint8", [16, 8, 3, 3], Array.from({ length: 1152 }, (_, i) => (i % 255) - 127));',
      'const a = { x, xScale: 0.1, xZeroPoint: 3, weight, weightQuantization: "per_tensor", weightScales: f64Tensor([1], [0.01]), weightZeroPoints: intTensor("int64", [1], [0]), bias: null, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, relu: false, yScale: 0.3, yZeroPoint: 10, scheme: "onnxruntime@1", accumulator: "int32_wrap" };',
      'const want = JSON.stringify(Array.from(impl.quantizedConv2d(a).data));',
      'let same = 0;',
      'for (let i = 0; i < 5; i++) if (JSON.stringify(Array.from((await quantizedConv2dParallel(a, { threads: 2, minMacs: 0 }, counter)).data)) === want) same++;',
      'console.log("same", same, "parts", counter.parts, "worker parts", counter.workerParts, "available", await convWorkersAvailable());',
    ].join('\n');
    const run = (flags: string[]) => spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const free = run([]);
    expect(free.stdout.trim()).toBe('same 5 parts 10 worker parts 5 available true');
    expect(free.status).toBe(0);
    const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const forbidden = run([permission, '--allow-fs-read=*']);
    expect(forbidden.stdout.trim()).toBe('same 5 parts 0 worker parts 0 available false');
    expect(forbidden.status).toBe(0);
  });

  it('lets a process exit with its workers idle, and starts them whatever node options the process has', () => {
    const script = [
      "import { parallelConvCounter, quantizedConv2dParallel } from './impl/conv/parallel/conv_pool.ts';",
      "import { intTensor, f64Tensor } from './contract/tensor.ts';",
      'const counter = parallelConvCounter();',
      'const x = intTensor("quint8", [1, 8, 16, 16], Array.from({ length: 2048 }, (_, i) => i % 256));',
      'const weight = intTensor("qint8", [16, 8, 3, 3], Array.from({ length: 1152 }, (_, i) => (i % 255) - 127));',
      'const y = await quantizedConv2dParallel({ x, xScale: 0.1, xZeroPoint: 3, weight, weightQuantization: "per_tensor", weightScales: f64Tensor([1], [0.01]), weightZeroPoints: intTensor("int64", [1], [0]), bias: null, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, relu: false, yScale: 0.3, yZeroPoint: 10, scheme: "onnxruntime@1", accumulator: "int32_wrap" }, { threads: 2, minMacs: 0 }, counter);',
      'console.log("outputs", y.data.length, "worker parts", counter.workerParts);',
    ].join('\n');
    // node options a worker would refuse if it inherited them: --input-type (with a file entry) and a V8 flag
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('outputs 4096 worker parts 1');
    expect(r.status).toBe(0);
  });
});
