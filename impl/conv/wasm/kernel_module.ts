/**
 * The instantiated kernel module (conv_kernels.c, depthwise_3x3_kernels.c and quantize_kernels.c, embedded as conv_kernels_wasm.ts),
 * created on first use, synchronously. null when this JavaScript engine has no WebAssembly SIMD128.
 */
import { CONV_KERNELS_WASM_BASE64 } from './conv_kernels_wasm.js';

/** n rounded up to a multiple of 16 bytes: where the JS side places each buffer in the module's memory (v128 alignment). */
export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

export interface KernelMemory {
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  /** byte views, for one-byte tensors (conv_kernels.h STORAGE_U8, STORAGE_I8) */
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
}

export interface ConvKernelModule {
  /** first free byte after the module's stack and data */
  readonly heapBase: number;
  /** views of the memory, grown to at least `bytes` (views are recreated after a growth) */
  memoryOfAtLeast(bytes: number): KernelMemory;
  readonly convGeneral: (params: number) => void;
  readonly convDepthwise: (params: number) => void;
  /** depthwise_3x3_kernels.c */
  readonly convDepthwise3x3: (params: number) => void;
  /** conv_kernels.c requant_values: the `n` int32 at `v` requantized in place with the channel parameters at `p` and mode `mode` */
  readonly requantValues: (p: number, mode: number, v: number, n: number) => void;
  /** 1 when the `n` int32 at `a` and at `b` are equal, else 0 */
  readonly wordsEqual: (a: number, b: number, n: number) => number;
  /** writes min and max of the `n` int32 at `at` to the two words at `out` */
  readonly inputRange: (at: number, n: number, out: number) => void;
  /** quantize_kernels.c: quantize_val of the `n` float32 at `x` into the int32 at `out` */
  readonly quantizePerTensorF32: (x: number, n: number, out: number, inv: number, zeroPointF: number, qmin: number, qmax: number) => void;
}

let loaded: ConvKernelModule | null | undefined;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function instantiate(): ConvKernelModule | null {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(CONV_KERNELS_WASM_BASE64)), {});
  } catch {
    return null; // no SIMD128 (a CompileError): the JavaScript path runs
  }
  const ex = instance.exports as { memory: WebAssembly.Memory; __heap_base: WebAssembly.Global; conv_general: (p: number) => void; conv_depthwise: (p: number) => void; conv_depthwise_3x3: (p: number) => void; input_range: (at: number, n: number, out: number) => void; requant_values: ConvKernelModule['requantValues']; words_equal: (a: number, b: number, n: number) => number; quantize_per_tensor_f32: ConvKernelModule['quantizePerTensorF32'] };
  const memory = ex.memory;
  let views: KernelMemory | null = null;
  return {
    heapBase: ex.__heap_base.value as number,
    memoryOfAtLeast(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
      if (views === null || views.i32.buffer !== memory.buffer) {
        views = { i32: new Int32Array(memory.buffer), f32: new Float32Array(memory.buffer), u8: new Uint8Array(memory.buffer), i8: new Int8Array(memory.buffer) };
      }
      return views;
    },
    convGeneral: ex.conv_general,
    convDepthwise: ex.conv_depthwise,
    convDepthwise3x3: ex.conv_depthwise_3x3,
    inputRange: ex.input_range,
    requantValues: ex.requant_values,
    wordsEqual: ex.words_equal,
    quantizePerTensorF32: ex.quantize_per_tensor_f32,
  };
}

export function convKernelModule(): ConvKernelModule | null {
  if (loaded === undefined) loaded = instantiate();
  return loaded;
}
