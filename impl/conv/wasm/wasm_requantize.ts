/** The kernels' requantization run on its own, for the tests that prove it against the reference. */
import type { RequantScheme } from '../../../contract/conv.js';
import { CHANNEL_PARAM_WORDS, channelParamBlock } from './channel_block.js';
import { align16, convKernelModule } from './kernel_module.js';
import { WASM_REQUANT, type WasmRequant, wrappingRequantMode } from './requant_mode.js';

/**
 * The kernels' requantization of `accs` (int32 accumulators) for one output channel with the scheme's prepared
 * parameters `p`, as a wrapping conv runs it (conv_kernels.c requant_values), or in the kernel mode `mode` when given
 * (a bounded form, whose conditions the caller answers for); null when the scheme's epilogue is not in the kernel for
 * this channel. For tests: the breakpoint proof against the reference (tests/impl/wasm_requant.test.ts).
 */
export function wasmRequantize(scheme: RequantScheme, p: unknown, accs: Int32Array, mode: WasmRequant = wrappingRequantMode(scheme, [p])): Int32Array | null {
  const mod = convKernelModule();
  if (mod === null || mode === WASM_REQUANT.none || accs.length === 0) return null;
  const cp = align16(mod.heapBase);
  const v = cp + CHANNEL_PARAM_WORDS * 4;
  const mem = mod.memoryOfAtLeast(v + accs.length * 4);
  mem.i32.set(channelParamBlock(scheme, mode, [p]), cp / 4);
  mem.i32.set(accs, v / 4);
  mod.requantValues(cp, mode, v, accs.length);
  return mem.i32.slice(v / 4, v / 4 + accs.length);
}
