/**
 * impl's optional worker_threads parallelism for large convs: quantizedConv2dParallel splits a quantized_conv2d@1
 * call over output channels (whole groups when groups > 1; conv_split.ts), computes the first part on the calling
 * thread and the others on worker threads (conv_worker.ts, each with its own WebAssembly instance), and returns the
 * same bits as quantizedConv2d (impl/conv/conv2d.ts). The call is checked whole first, so a bad one gets the same typed
 * error as quantizedConv2d before any work starts; if a part fails anyway, or a worker dies, the whole conv is
 * computed again on the calling thread, so the caller gets the serial answer or its canonical error, never a partial
 * one. Convs below `minMacs` multiply-accumulates, and `threads: 1`, run on the calling thread alone.
 * Workers start on first use and are kept (unreferenced while idle, so they never keep a process alive);
 * closeConvWorkers ends them.
 */
import { Worker } from 'node:worker_threads';
import type { Conv2dArgs } from '../../../contract/conv.js';
import { type ConvGeometry, checkConv2d } from '../../../contract/conv_checks.js';
import { QconformError } from '../../../contract/errors.js';
import type { IntTensor } from '../../../contract/tensor.js';
import { preparedChannelParams } from '../channel_params.js';
import { quantizedConv2d } from '../conv2d.js';
import { type ConvCallOptions, convOutputBuffer } from '../conv_out.js';
import { convParts, placePart } from './conv_split.js';
import type { PartRequest, PartResponse } from './worker_messages.js';
import { HeldChannelTensors, channelTensorsOf, ownData } from './worker_tensors.js';

/** Options of a parallel conv call. */
export interface ParallelConvOptions extends ConvCallOptions {
  /** threads that compute the conv, the calling one included: an integer in [1, MAX_CONV_THREADS] */
  readonly threads: number;
  /** below this many multiply-accumulates the conv runs on the calling thread alone (default PARALLEL_MIN_MACS) */
  readonly minMacs?: number;
}

/** The most threads one conv call may ask for. */
export const MAX_CONV_THREADS = 64;

/**
 * The default size below which a conv runs on the calling thread alone, about 1 ms of impl's serial work: a part sent
 * to a worker costs a message each way, a copy of x and, when its weight changed, of the weight (0.2 to 0.6 ms
 * measured on a 2-vCPU host). There the bench's dense 3x3 layer (115.6 M MAC) takes about 2.5 ms on two threads
 * against 3.5 ms on one, and its pointwise layer (25.7 M MAC, below this size) would be no faster.
 */
export const PARALLEL_MIN_MACS = 1 << 25;

/**
 * How parallel calls went (for tests and the bench): parts computed, parts whose channel tensors were sent (a worker kept
 * no equal ones), parts computed by workers and by workers in WebAssembly, and whole convs computed again on the
 * calling thread.
 */
export interface ParallelConvCounter {
  parts: number;
  channelTensorSends: number;
  workerParts: number;
  workerWasmParts: number;
  serialReruns: number;
}

/** Compiled (dist/), a worker runs conv_worker.js; from the TypeScript sources, conv_worker_source.mjs first lets it load TypeScript. */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './conv_worker_source.mjs' : './conv_worker.js', import.meta.url);

/** One worker thread and its requests in flight. */
class ConvWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: PartResponse) => void>();
  private nextId = 0;
  /** copies of the channel tensors this worker keeps (worker_tensors.ts) */
  private readonly held = new HeldChannelTensors();
  dead = false;

  constructor() {
    this.worker = new Worker(WORKER_ENTRY);
    this.worker.unref();
    this.worker.on('message', (r: PartResponse) => {
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
    });
    this.worker.on('error', (e: Error) => this.die(`an uncaught ${e.name}: ${e.message}`));
    this.worker.on('exit', (code) => this.die(`its thread ended (exit code ${code})`));
  }

  /**
   * Computes a part; its channel tensors are sent only when the worker keeps no equal ones (`sentTensors`).
   */
  run(args: Conv2dArgs): { answer: Promise<PartResponse>; sentTensors: boolean } {
    const id = this.nextId++;
    if (this.dead) return { answer: Promise.resolve({ id, error: 'conv worker: dead' }), sentTensors: false };
    const place = this.held.place(channelTensorsOf(args));
    const x = { ...args.x, data: ownData(args.x.data) };
    let request: PartRequest;
    if (place.reuse) {
      const { weight: _w, weightScales: _s, weightZeroPoints: _z, bias: _b, ...rest } = args;
      request = { id, slot: place.slot, reuse: true, args: { ...rest, x } };
    } else {
      request = { id, slot: place.slot, reuse: false, args: { ...args, ...place.sent, x } };
    }
    const answer = new Promise<PartResponse>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.ref(); // a request in flight keeps the process alive until its answer
      try {
        this.worker.postMessage(request);
      } catch (e) {
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        resolve({ id, error: `conv worker: the part could not be sent (${e instanceof Error ? e.message : String(e)})` });
      }
    });
    return { answer, sentTensors: !place.reuse };
  }

  private die(why: string): void {
    this.dead = true;
    for (const [id, settle] of this.pending) settle({ id, error: `conv worker: ${why}` });
    this.pending.clear();
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }

  /** Ends the thread as a crash would, the pool unaware until its exit event (endConvWorkerThreads). */
  crash(): void {
    void this.worker.terminate();
  }
}

const workers: ConvWorker[] = [];

/** Worker i, started (again, when the last one died) on demand. */
function workerAt(i: number): ConvWorker {
  let w = workers[i];
  if (w === undefined || w.dead) {
    w = new ConvWorker();
    workers[i] = w;
  }
  return w;
}

/**
 * Ends the worker threads the way a crash inside them would, without telling the pool: parts sent before their exit
 * event is seen are answered by their death, and the pool computes those convs again on the calling thread. For tests
 * of that path.
 */
export function endConvWorkerThreads(): void {
  for (const w of workers) w.crash();
}

/** Ends every conv worker thread (the next parallel call starts new ones). */
export async function closeConvWorkers(): Promise<void> {
  const all = workers.splice(0, workers.length);
  await Promise.all(all.map((w) => w.terminate()));
}

function checkedOptions(o: ParallelConvOptions): { threads: number; minMacs: number } {
  if (typeof o !== 'object' || o === null) throw new QconformError('malformed_request', 'quantized_conv2d parallel: options', o, 'an object with threads');
  const { threads, minMacs = PARALLEL_MIN_MACS } = o;
  if (!Number.isInteger(threads) || threads < 1) throw new QconformError('malformed_request', 'quantized_conv2d parallel: threads', threads, 'an integer >= 1');
  if (threads > MAX_CONV_THREADS) throw new QconformError('too_large', 'quantized_conv2d parallel: threads', threads, `at most ${MAX_CONV_THREADS}`);
  if (typeof minMacs !== 'number' || !(minMacs >= 0)) throw new QconformError('malformed_request', 'quantized_conv2d parallel: minMacs', minMacs, 'a number >= 0');
  return { threads, minMacs };
}

/**
 * quantized_conv2d@1 on up to `o.threads` threads (the calling one and o.threads - 1 workers): the same outputs as
 * quantizedConv2d(a, o), the same typed errors. `o.out` as for quantizedConv2d (conv_out.ts).
 */
export async function quantizedConv2dParallel(a: Conv2dArgs, o: ParallelConvOptions, counter?: ParallelConvCounter): Promise<IntTensor> {
  const { threads, minMacs } = checkedOptions(o);
  const serial = (): IntTensor => quantizedConv2d(a, o.out === undefined ? {} : { out: o.out });
  if (threads === 1) return serial();
  // the shapes and parameters first (a bad call fails here as it fails serially); values are range-checked by the parts
  let g: ConvGeometry;
  try {
    g = checkConv2d(a, { deferValues: true });
    preparedChannelParams(a, g); // the scheme's refusals
  } catch {
    return serial(); // the canonical error, whichever rule it is
  }
  const macs = g.n * g.oc * g.oh * g.ow * g.icg * g.kh * g.kw;
  if (macs < minMacs) return serial();
  const parts = convParts(a, g, threads);
  if (parts.length < 2) return serial();
  const out = convOutputBuffer(a, g, o, true);
  const sends = parts.slice(1).map((part, i) => workerAt(i).run(part.args));
  const answers = sends.map((s) => s.answer);
  const first = parts[0]!;
  let firstFailed = false;
  try {
    if (g.n === 1) quantizedConv2d(first.args, { out: out.subarray(0, first.ocTo * g.oh * g.ow) });
    else placePart(out, first, quantizedConv2d(first.args).data, g);
  } catch {
    firstFailed = true; // which error comes first is the serial order's to say: computed again below
  }
  const responses = await Promise.all(answers);
  if (counter) {
    counter.parts += parts.length;
    counter.channelTensorSends += sends.filter((s) => s.sentTensors).length;
    for (const r of responses) {
      if ('error' in r) continue;
      counter.workerParts++;
      if (r.wasm) counter.workerWasmParts++;
    }
  }
  if (firstFailed || responses.some((r) => 'error' in r)) {
    if (counter) counter.serialReruns++;
    return serial();
  }
  for (const [i, r] of responses.entries()) if (!('error' in r)) placePart(out, parts[i + 1]!, r.data, g);
  return { dtype: g.dtype, shape: [g.n, g.oc, g.oh, g.ow], data: out };
}
