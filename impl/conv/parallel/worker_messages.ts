/** The messages between impl's conv worker threads as the pool sees them (worker_thread.ts) and their bodies (conv_worker.ts). */
import type { Conv2dArgs } from '../../../contract/conv.js';
import type { IntData } from '../../../contract/tensor.js';

/** A part's per-output-channel tensors, which a worker keeps from call to call (worker_tensors.ts HeldChannelTensors). */
export type ChannelTensors = Pick<Conv2dArgs, 'weight' | 'weightScales' | 'weightZeroPoints' | 'bias'>;

/** Any tensor a part carries: x or one of its channel tensors. */
export type PartTensor = Conv2dArgs['x'] | NonNullable<ChannelTensors[keyof ChannelTensors]>;

/** How many sets of channel tensors a worker keeps (the layers it computes parts of, least recently used replaced). */
export const HELD_TENSOR_SETS = 8;

/**
 * One part of a conv (conv_split.ts) to compute; `id` pairs it with its answer. The part's channel tensors are those
 * the worker keeps in `slot` (0 .. HELD_TENSOR_SETS - 1): sent with the part (`reuse` false), which the worker keeps
 * there for the next parts, or equal to the ones it was last sent for that slot (`reuse` true), which it uses (the
 * same objects, so impl's per-tensor caches of packed weights and prepared channel parameters hit).
 */
export type PartRequest =
  | { readonly id: number; readonly slot: number; readonly reuse: false; readonly args: Conv2dArgs }
  | { readonly id: number; readonly slot: number; readonly reuse: true; readonly args: Omit<Conv2dArgs, keyof ChannelTensors> };

/** A part's outputs and whether WebAssembly computed them, or the error its call threw ("Name: message"). */
export type PartResponse = { readonly id: number; readonly data: IntData; readonly wasm: boolean } | { readonly id: number; readonly error: string };
