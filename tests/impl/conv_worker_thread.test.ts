/**
 * impl/conv/parallel/worker_thread.ts on the ways a thread fails that a real worker does not show on demand: a part that
 * cannot be sent after its channel tensors were recorded as held, an answer that cannot be read (`messageerror`), and
 * a thread that ends before its first answer. The thread is a scripted stand-in for node:worker_threads' Worker
 * (events and postMessage only; the real Worker's paths are tests/impl/conv_parallel.test.ts's): every failure must
 * give each part in flight an error answer, tell the pool how the thread ended, and never leave a slot that claims
 * tensors the thread does not hold.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import { ConvWorkerThread, type WorkerClass } from '../../impl/conv/parallel/worker_thread.js';
import type { PartRequest } from '../../impl/conv/parallel/worker_messages.js';
import { intTensor } from '../../contract/tensor.js';
import { convArgs } from '../support/conv_args.js';

/** A Worker stand-in: records what was posted, throws from postMessage while `refuse` is set, emits what a test says. */
class ScriptedWorker extends EventEmitter {
  static last: ScriptedWorker | undefined;
  readonly posted: PartRequest[] = [];
  refuse: Error | null = null;
  terminated = false;
  refs = 0;
  constructor() {
    super();
    ScriptedWorker.last = this;
  }
  postMessage(m: PartRequest): void {
    if (this.refuse !== null) throw this.refuse;
    this.posted.push(m);
  }
  ref(): void {
    this.refs++;
  }
  unref(): void {
    this.refs = 0;
  }
  terminate(): Promise<number> {
    this.terminated = true;
    this.emit('exit', 1);
    return Promise.resolve(1);
  }
}

/** A thread on a fresh stand-in, and what it told the pool. */
function scriptedThread(): { thread: ConvWorkerThread; worker: ScriptedWorker; events: { firstAnswers: number; deaths: Array<{ answered: boolean; retired: boolean }> } } {
  const events = { firstAnswers: 0, deaths: [] as Array<{ answered: boolean; retired: boolean }> };
  const thread = new ConvWorkerThread(ScriptedWorker as unknown as WorkerClass, {
    onFirstAnswer: () => events.firstAnswers++,
    onDeath: (t) => events.deaths.push({ answered: t.answered, retired: t.retired }),
  });
  return { thread, worker: ScriptedWorker.last!, events };
}

/** A small conv; each call a new object around new arrays of the same values (a thread compares contents, not identity). */
const layer = (): Conv2dArgs =>
  convArgs({ x: intTensor('quint8', [1, 2, 3, 3], Array.from({ length: 18 }, (_, i) => i)), weight: intTensor('qint8', [2, 2, 2, 2], Array.from({ length: 16 }, (_, i) => i - 8)) });

describe('conv worker thread: failures a real worker does not show on demand', () => {
  it('forgets the slot of a part it could not send, so the next part sends its tensors again', async () => {
    const { thread, worker } = scriptedThread();
    const a = layer();
    worker.refuse = new Error('DataCloneError: scripted');
    const failed = thread.run(a);
    expect(failed.sentTensors).toBe(true);
    expect(await failed.answer).toEqual({ id: 0, error: 'conv worker: the part could not be sent (DataCloneError: scripted)' });
    expect(worker.refs).toBe(0); // nothing in flight keeps the process alive
    worker.refuse = null;
    const again = thread.run(a);
    expect(again.sentTensors).toBe(true); // mutation check: without forget() this is a reuse of tensors never received
    expect(worker.posted).toHaveLength(1);
    expect(worker.posted[0]!.reuse).toBe(false);
    // answered, the same tensors are then reused from the slot
    worker.emit('message', { id: 1, data: new Uint8Array(0), wasm: true });
    await again.answer;
    expect(thread.run(a).sentTensors).toBe(false);
    expect(worker.posted[1]!.reuse).toBe(true);
    expect(worker.posted[1]!.slot).toBe(worker.posted[0]!.slot);
  });

  it('answers every part in flight with an error when an answer cannot be read, and ends the thread', async () => {
    const { thread, worker, events } = scriptedThread();
    const parts = [thread.run(layer()), thread.run(layer())];
    worker.emit('message', { id: 0, data: new Uint8Array(0), wasm: true });
    expect(await parts[0]!.answer).toEqual({ id: 0, data: new Uint8Array(0), wasm: true });
    worker.emit('messageerror', new Error('scripted'));
    expect(await parts[1]!.answer).toEqual({ id: 1, error: 'conv worker: an answer could not be read' });
    expect(thread.dead).toBe(true);
    expect(worker.terminated).toBe(true);
    expect(events).toEqual({ firstAnswers: 1, deaths: [{ answered: true, retired: false }] }); // one death, not a failed start
    expect(await thread.run(layer()).answer).toEqual({ id: 2, error: 'conv worker: dead' });
  });

  it('tells the pool of a thread that ended before its first answer (a failed start), and of one it retired', async () => {
    const early = scriptedThread();
    const part = early.thread.run(layer());
    early.worker.emit('exit', 1);
    expect(await part.answer).toEqual({ id: 0, error: 'conv worker: its thread ended (exit code 1)' });
    expect(early.events).toEqual({ firstAnswers: 0, deaths: [{ answered: false, retired: false }] });

    const crashed = scriptedThread();
    const p = crashed.thread.run(layer());
    crashed.worker.emit('error', new RangeError('scripted'));
    expect(await p.answer).toEqual({ id: 0, error: 'conv worker: an uncaught RangeError: scripted' });
    crashed.worker.emit('exit', 1); // the exit after the error is not a second death
    expect(crashed.events.deaths).toEqual([{ answered: false, retired: false }]);

    const retired = scriptedThread();
    await retired.thread.terminate(true);
    expect(retired.events.deaths).toEqual([{ answered: false, retired: true }]);
  });
});
