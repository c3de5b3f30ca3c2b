/**
 * impl's optional worker_threads parallelism for large convs: quantizedConv2dParallel splits a quantized_conv2d@1
 * call over output channels (whole groups when groups > 1; conv_split.ts), computes the first part on the calling
 * thread and the others on worker threads (worker_thread.ts, conv_worker.ts: each with its own WebAssembly
 * instance), and returns the same bits as quantizedConv2d (impl/conv/conv2d.ts). The call's shapes, parameters and
 * out buffer are checked first, so such an error is quantizedConv2d's before any work starts; the parts check the
 * values; if a part fails, or a worker dies, the whole conv is computed again on the calling thread, so the caller
 * gets the serial answer or its canonical error, never a partial one. Convs below `minMacs` multiply-accumulates,
 * `threads: 1`, and any call where worker threads cannot be had (not Node, or they fail to start) run on the calling
 * thread alone. Workers start on first use and are kept (unreferenced while idle, so they never keep a process
 * alive), each with the channel tensors of its 8 most recent layers; closeConvWorkers ends them.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import { type ConvGeometry, checkConv2d } from '../../../contract/conv_checks.js';
import { QconformError } from '../../../contract/errors.js';
import type { IntData, IntTensor } from '../../../contract/tensor.js';
import { preparedChannelParams } from '../channel_params.js';
import { quantizedConv2d } from '../conv2d.js';
import { type ConvCallOptions, convOutputBuffer } from '../conv_out.js';
import { convParts, placePart } from './conv_split.js';
import { ConvWorkerThread, type WorkerClass } from './worker_thread.js';

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
 * to a worker costs a message each way and a copy of x, and of its channel tensors when the worker keeps none equal
 * (0.2 to 0.6 ms measured on a 2-vCPU host). There the bench's dense 3x3 layer (115.6 M MAC) took 2.0 to 2.5 ms on
 * two threads against 3.3 to 3.6 ms on one, and its pointwise layer (25.7 M MAC, below this size) was no faster.
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

/** A counter at zero, to pass to quantizedConv2dParallel. */
export function parallelConvCounter(): ParallelConvCounter {
  return { parts: 0, channelTensorSends: 0, workerParts: 0, workerWasmParts: 0, serialReruns: 0 };
}

/** Threads in a row that died before their first answer (or could not be made) after which the pool stops starting them (then every call runs on the calling thread). */
const MAX_START_FAILURES = 3;

const pool: Array<ConvWorkerThread | undefined> = [];
let startFailures = 0;
/** node:worker_threads' Worker, loaded on first use; null where there is none (not Node, or it failed to load). */
let workerClass: WorkerClass | null | undefined;

async function loadWorkerClass(): Promise<WorkerClass | null> {
  if (workerClass === undefined) {
    try {
      workerClass = (await import('node:worker_threads')).Worker;
    } catch {
      workerClass = null;
    }
  }
  return workerClass;
}

/** What the pool learns from its threads: a first answer (threads start here) or a death before any (a failed start). */
const threadEvents = {
  onFirstAnswer(): void {
    startFailures = 0;
  },
  onDeath(thread: ConvWorkerThread): void {
    if (!thread.answered && !thread.retired) startFailures++;
  },
};

/** Worker threads 0 .. count - 1, started (again, where one died) on demand; null when they cannot be had. */
function threadsFor(count: number, WorkerImpl: WorkerClass): ConvWorkerThread[] | null {
  if (startFailures >= MAX_START_FAILURES || workersForbidden()) return null;
  const got: ConvWorkerThread[] = [];
  for (let i = 0; i < count; i++) {
    let t = pool[i];
    if (t === undefined || t.dead) {
      try {
        t = new ConvWorkerThread(WorkerImpl, threadEvents);
      } catch {
        startFailures++;
        return null;
      }
      pool[i] = t;
    }
    got.push(t);
  }
  return got;
}

/** Whether Node's permission model (when on) forbids worker threads. */
function workersForbidden(): boolean {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  return permission !== undefined && !permission.has('worker');
}

/**
 * Whether conv worker threads can be used here (false: not Node, Node's permission model forbids them, or
 * MAX_START_FAILURES threads in a row failed to start).
 */
export async function convWorkersAvailable(): Promise<boolean> {
  return (await loadWorkerClass()) !== null && !workersForbidden() && startFailures < MAX_START_FAILURES;
}

/**
 * Ends the worker threads the way a crash inside them would, without telling the pool: parts sent before their exit
 * event is seen are answered by their death, and the pool computes those convs again on the calling thread. For tests
 * of that path.
 */
export function endConvWorkerThreads(): void {
  for (const t of pool) void t?.terminate(false);
}

/** Ends every conv worker thread (the next parallel call starts new ones) and forgets earlier start failures. */
export async function closeConvWorkers(): Promise<void> {
  const all = pool.splice(0, pool.length);
  startFailures = 0;
  await Promise.all(all.map((t) => t?.terminate(true)));
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
  // the shapes, parameters and out first (a bad call fails here as it fails serially); values are range-checked by the parts
  let g: ConvGeometry;
  let out: IntData;
  try {
    g = checkConv2d(a, { deferValues: true });
    preparedChannelParams(a, g); // the scheme's refusals
    out = convOutputBuffer(a, g, o, true);
  } catch {
    return serial(); // the canonical error, whichever rule it is
  }
  const macs = g.n * g.oc * g.oh * g.ow * g.icg * g.kh * g.kw;
  if (macs < minMacs) return serial();
  const parts = convParts(a, g, threads);
  const WorkerImpl = parts.length < 2 ? null : await loadWorkerClass();
  const workers = WorkerImpl === null ? null : threadsFor(parts.length - 1, WorkerImpl);
  if (workers === null) return serial();
  const sends = parts.slice(1).map((part, i) => workers[i]!.run(part.args));
  const first = parts[0]!;
  let firstFailed = false;
  try {
    if (g.n === 1) quantizedConv2d(first.args, { out: out.subarray(0, first.ocTo * g.oh * g.ow) });
    else placePart(out, first, quantizedConv2d(first.args).data, g);
  } catch {
    firstFailed = true; // which error comes first is the serial order's to say: computed again below
  }
  const responses = await Promise.all(sends.map((s) => s.answer));
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
