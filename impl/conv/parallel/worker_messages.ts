/** The messages between impl's conv worker pool (conv_pool.ts) and its workers (conv_worker.ts). */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { IntData } from '../../../contract/tensor.js';

/** A part's per-output-channel tensors, which a worker keeps from call to call (worker_tensors.ts). */
export type ChannelTensors = Pick<Conv2dArgs, 'weight' | 'weightScales' | 'weightZeroPoints' | 'bias'>;

/**
 * One part of a conv (conv_split.ts) to compute; `id` pairs it with its answer. With `reuse`, the part's channel
 * tensors are equal to the last ones the worker was sent and it uses those (the same objects, so impl's per-tensor
 * caches of packed weights and prepared channel parameters hit).
 */
export type PartRequest =
  | { readonly id: number; readonly reuse: false; readonly args: Conv2dArgs }
  | { readonly id: number; readonly reuse: true; readonly args: Omit<Conv2dArgs, keyof ChannelTensors> };

/** A part's outputs and whether WebAssembly computed them, or the error its call threw ("Name: message"). */
export type PartResponse = { readonly id: number; readonly data: IntData; readonly wasm: boolean } | { readonly id: number; readonly error: string };
