/**
 * What a conv worker already holds (worker_messages.ts ChannelTensors): the pool keeps a copy of each set of channel
 * tensors a worker keeps (HELD_TENSOR_SETS of them, one per layer it computed parts of lately, the least recently
 * used replaced) and sends a part's only when none of those equals them (a new layer, more layers in turn than
 * slots, or the caller wrote to its tensors), comparing dtype, shape and bytes. Arrays sent are in memory of their
 * own: a message clones a view's whole buffer, not the view.
 */
import type { Conv2dArgs } from '../../../contract/conv.js';
import { type IntData, copyOfIntData } from '../../../contract/tensor.js';
import { type ChannelTensors, HELD_TENSOR_SETS, type PartTensor } from './worker_messages.js';

type AnyData = PartTensor['data'];

/** Whether typed data is alone in an ArrayBuffer of its own (so a message may move or clone exactly it). */
export function ownsBuffer(d: ArrayBufferView): boolean {
  return d.buffer instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
}

/** A copy of typed data in memory of its own (a Node Buffer's `slice` is a view, so int data goes through copyOfIntData). */
function copyOf<T extends AnyData>(d: T): T {
  return (d instanceof Float32Array || d instanceof Float64Array ? d.slice() : copyOfIntData(d as IntData)) as T;
}

/** The typed data alone in its buffer: itself when it is, else a copy. */
export function ownData<T extends AnyData>(d: T): T {
  return ownsBuffer(d) ? d : copyOf(d);
}

function bytesOf(d: ArrayBufferView): Uint8Array {
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function sameTensor(a: PartTensor | null, b: PartTensor | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  if (a.data.BYTES_PER_ELEMENT !== b.data.BYTES_PER_ELEMENT || a.data.length !== b.data.length || a.data instanceof Int8Array !== b.data instanceof Int8Array) return false;
  return Buffer.compare(bytesOf(a.data), bytesOf(b.data)) === 0;
}

/** A part's channel tensors. */
export function channelTensorsOf(a: Conv2dArgs): ChannelTensors {
  return { weight: a.weight, weightScales: a.weightScales, weightZeroPoints: a.weightZeroPoints, bias: a.bias };
}

/** Whether two sets of channel tensors are equal, element for element. */
export function sameChannelTensors(a: ChannelTensors, b: ChannelTensors): boolean {
  return sameTensor(a.weight, b.weight) && sameTensor(a.weightScales, b.weightScales) && sameTensor(a.weightZeroPoints, b.weightZeroPoints) && sameTensor(a.bias, b.bias);
}

function ownTensor<T extends PartTensor>(t: T): T {
  return { ...t, shape: [...t.shape], data: copyOf(t.data) } as T;
}

/** Copies of channel tensors in memory of their own (what is sent, and what the pool keeps to compare with). */
export function ownChannelTensors(t: ChannelTensors): ChannelTensors {
  return { weight: ownTensor(t.weight), weightScales: ownTensor(t.weightScales), weightZeroPoints: ownTensor(t.weightZeroPoints), bias: t.bias === null ? null : ownTensor(t.bias) };
}

/** The pool's side of one worker's kept channel tensors: which slot holds a part's, or which slot to send them to. */
export class HeldChannelTensors {
  private readonly slots: Array<{ tensors: ChannelTensors; used: number } | undefined> = new Array(HELD_TENSOR_SETS).fill(undefined);
  private clock = 0;

  /**
   * The slot for a part's channel tensors: `reuse` when the worker holds equal ones there; otherwise an empty or the
   * least recently used slot, now recorded as holding `sent`, the copies to send.
   */
  place(t: ChannelTensors): { slot: number; reuse: true } | { slot: number; reuse: false; sent: ChannelTensors } {
    const now = ++this.clock;
    const found = this.slots.findIndex((s) => s !== undefined && sameChannelTensors(s.tensors, t));
    if (found >= 0) {
      this.slots[found]!.used = now;
      return { slot: found, reuse: true };
    }
    let slot = this.slots.findIndex((s) => s === undefined);
    if (slot < 0) slot = this.slots.reduce((lru, s, i) => (s!.used < this.slots[lru]!.used ? i : lru), 0);
    const sent = ownChannelTensors(t);
    this.slots[slot] = { tensors: sent, used: now };
    return { slot, reuse: false, sent };
  }

  /** The worker does not hold what `place` recorded in `slot` (its message was never sent): the slot is empty again. */
  forget(slot: number): void {
    this.slots[slot] = undefined;
  }
}
