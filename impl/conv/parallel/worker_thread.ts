/**
 * One of impl's conv worker threads as the pool sees it (conv_pool.ts): it sends a part (conv_split.ts) with or without
 * its channel tensors (worker_tensors.ts HeldChannelTensors), pairs each answer with its request, and turns every way
 * the thread can fail into an error answer for each part in flight (an uncaught error, an exit, a message that cannot
 * be cloned or read), so no call waits on a thread that will not answer. The thread is referenced only while parts
 * are in flight, so an idle one never keeps a process alive.
 */
import type { Worker } from 'node:worker_threads';
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { PartRequest, PartResponse } from './worker_messages.js';
import { HeldChannelTensors, channelTensorsOf, ownData } from './worker_tensors.js';

/** node:worker_threads' Worker class (loaded by the pool on first use, so impl/ loads where there is none). */
export type WorkerClass = typeof Worker;

/** Compiled (dist/), a worker runs conv_worker.js; from the TypeScript sources, conv_worker_source.mjs first lets it load TypeScript. */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './conv_worker_source.mjs' : './conv_worker.js', import.meta.url);

/**
 * The thread's node options: none. It needs none of the parent's (from the TypeScript sources its entry registers its
 * own loader), and Node refuses some of them in a thread: --input-type (a parent run with --eval) with a file entry,
 * and V8 and process-wide flags (--max-old-space-size, ...) in an explicit list.
 */
const WORKER_OPTIONS = { execArgv: [] as string[] };

export class ConvWorkerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: PartResponse) => void>();
  private readonly held = new HeldChannelTensors();
  private nextId = 0;
  /** whether the thread ended (or failed): the pool replaces it */
  dead = false;
  /** whether it ever answered a part (a thread that dies before its first answer, unless retired, failed to start) */
  answered = false;
  /** whether the pool ended it (closeConvWorkers) */
  retired = false;

  /**
   * Starts the thread (new Worker may throw: no thread can be made, or the permission model forbids it).
   * `onFirstAnswer` and `onDeath` tell the pool whether threads start.
   */
  constructor(WorkerImpl: WorkerClass, events: { onFirstAnswer(): void; onDeath(thread: ConvWorkerThread): void }) {
    this.worker = new WorkerImpl(WORKER_ENTRY, WORKER_OPTIONS);
    this.worker.unref();
    this.worker.on('message', (r: PartResponse) => {
      if (!this.answered) events.onFirstAnswer();
      this.answered = true;
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
    });
    const die = (why: string) => {
      if (this.dead) return;
      this.dead = true;
      for (const [id, settle] of this.pending) settle({ id, error: `conv worker: ${why}` });
      this.pending.clear();
      events.onDeath(this);
    };
    this.worker.on('error', (e: Error) => die(`an uncaught ${e.name}: ${e.message}`));
    this.worker.on('exit', (code) => die(`its thread ended (exit code ${code})`));
    // an answer that cannot be read: which part it answered is unknown, so the thread is given up
    this.worker.on('messageerror', () => {
      die('an answer could not be read');
      void this.worker.terminate();
    });
  }

  /** Computes a part; its channel tensors are sent only when the thread keeps no equal ones (`sentTensors`). */
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
      this.worker.ref(); // a part in flight keeps the process alive until its answer
      try {
        this.worker.postMessage(request);
      } catch (e) {
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        if (!place.reuse) this.held.forget(place.slot); // the thread never got these tensors
        resolve({ id, error: `conv worker: the part could not be sent (${e instanceof Error ? e.message : String(e)})` });
      }
    });
    return { answer, sentTensors: !place.reuse };
  }

  /** Ends the thread (parts in flight get error answers); `retire`: the pool's decision, not a failure. */
  terminate(retire: boolean): Promise<number> {
    this.retired ||= retire;
    return this.worker.terminate();
  }
}
