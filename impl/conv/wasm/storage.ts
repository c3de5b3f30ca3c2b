/** How the kernels read and store tensor data: int32 words or the bytes of a one-byte array (contract/tensor.ts IntData). */
import type { IntData } from '../../../contract/tensor.js';

/** conv_kernels.h STORAGE_*: how the depthwise 3x3 kernel reads the input and stores the outputs (and how packed_weights.ts compares weights). */
export const STORAGE = { i32: 0, u8: 1, i8: 2 } as const;
type Storage = (typeof STORAGE)[keyof typeof STORAGE];

/** The storage of a tensor's data (contract/tensor.ts IntData). */
export function storageOf(d: IntData): Storage {
  return d instanceof Uint8Array ? STORAGE.u8 : d instanceof Int8Array ? STORAGE.i8 : STORAGE.i32;
}

/** conv_kernels.h storage_bytes: bytes per element of a storage. */
export function storageBytes(s: Storage): number {
  return s === STORAGE.i32 ? 4 : 1;
}
