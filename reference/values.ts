import { BINARY32, type IeeeValue } from './exact/ieee_value.js';
import { fromFloat32, toNumber } from './exact/ieee_bits.js';
import { isRepresentable } from './exact/round_to_format.js';
import type { F32Tensor } from '../contract/tensor.js';
import { f32Tensor } from '../contract/tensor.js';

/**
 * Tensor <-> exact values. Float32 elements enter the exact world by bit decomposition only;
 * results leave it as the JS number holding the same float32 value.
 */
export function exactElementsF32(t: F32Tensor): IeeeValue[] {
  return Array.from(t.data, fromFloat32);
}

/** Build a float32 tensor from exact values that are float32 values (results of f32 operations). */
export function toF32Tensor(shape: readonly number[], values: readonly IeeeValue[]): F32Tensor {
  return f32Tensor(
    shape,
    values.map((v) => {
      if (v.kind === 'finite' && !isRepresentable(v.value, BINARY32)) {
        throw new RangeError(`toF32Tensor: ${v.value} is not a float32 value`);
      }
      return toNumber(v);
    }),
  );
}
