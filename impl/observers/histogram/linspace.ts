import { f32Fma } from '../../float32.js';

const f32 = Math.fround;

/**
 * Element `index` of float32 torch.linspace(start, end, steps), scalar kernel: fma(step, i, start) below steps/2,
 * fma(-step, steps-1-i, end) above. ATen compiles linspace's `start + step * idx` into an FMA on AVX2 (f32Fma: one rounding).
 */
export function linspaceElement(start: number, end: number, step: number, steps: number, index: number): number {
  return index < Math.floor(steps / 2) ? f32Fma(step, index, start) : f32Fma(-step, steps - 1 - index, end);
}

/** linspace's step: f32(f32(end - start) / f32(steps - 1)). */
export function linspaceStep(start: number, end: number, steps: number): number {
  return f32(f32(end - start) / f32(steps - 1));
}
