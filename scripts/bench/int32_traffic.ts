/**
 * What the Int32Array tensor format costs impl's WebAssembly conv before any arithmetic: WebAssembly reads and writes
 * only its own memory, so x's words are copied in and the output's words copied out (impl/conv/wasm_conv.ts
 * runKernel), 4 bytes per element where the one-byte format moves 1. Timed apart from the conv, at steady state: the
 * copy in, and the copy out into a fresh uninitialized array (impl/conv/conv_out.ts uninitializedArray, as impl
 * allocates one: memory the caches have not seen) and into one reused array. Apart from the kernel, the copies meet
 * warmer caches than inside a call, so these times are a floor for what the format adds to a call.
 */
import { uninitializedArray } from '../../impl/conv/conv_out.js';
import { type BenchLayer, layerMacs } from './conv_layer.js';
import { steadySeconds } from './steady_state.js';

export interface Int32Traffic {
  /** median seconds of each copy */
  readonly copyIn: number;
  readonly copyOutFresh: number;
  readonly copyOutReused: number;
  /** the seconds a call has at `gmacs` on this layer */
  readonly budget: number;
}

/** The copies' median times on layer `l` (stride 1, 'same' padding), and a call's budget at `gmacs`. */
export async function int32Traffic(l: BenchLayer, gmacs: number): Promise<Int32Traffic> {
  const inElements = l.n * l.c * l.h * l.w;
  const outElements = l.n * l.oc * l.h * l.w;
  const memory = new Int32Array(new WebAssembly.Memory({ initial: Math.ceil(((inElements + outElements) * 4) / 65536) }).buffer);
  const x = Int32Array.from({ length: inElements }, (_, i) => i & 255);
  const reused = new Int32Array(outElements);
  const fromMemory = memory.subarray(inElements, inElements + outElements);
  // outputs as the kernel leaves them, written (a region never written is read from the zero page, faster)
  for (let i = 0; i < outElements; i++) fromMemory[i] = (i * 37) & 255;
  const copyIn = (await steadySeconds(() => memory.set(x))).seconds;
  const copyOutFresh = (await steadySeconds(() => {
    const out = uninitializedArray(Int32Array, outElements) as Int32Array;
    out.set(fromMemory);
    return out;
  })).seconds;
  const copyOutReused = (await steadySeconds(() => reused.set(fromMemory))).seconds;
  return { copyIn, copyOutFresh, copyOutReused, budget: layerMacs(l) / (gmacs * 1e9) };
}
