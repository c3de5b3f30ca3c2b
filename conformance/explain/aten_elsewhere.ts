/**
 * What another CPU path would change in an ATen elementwise step explain ran (a quantized add, mul, Hardswish or
 * Hardsigmoid): the step run again under each other ATen capability, and on one thread when it ran on more, and the
 * outputs that differ from this run's counted. Where a model's step parts between machines.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';

export interface ElsewhereCount {
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  readonly differing: number;
}

/** Outputs that differ from `y` (run under `capability` on `threads`) when `run` computes the step on another path. */
export function countDiffering(y: ArrayLike<number>, other: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (y[i] !== other[i]) n++;
  return n;
}

/** Each other capability on the same threads, then one thread (when threads > 1), with its count of changed outputs. */
export function atenElsewhere(y: ArrayLike<number>, capability: AtenCpuCapability, threads: number, run: (cpuCapability: AtenCpuCapability, threads: number) => ArrayLike<number>): ElsewhereCount[] {
  const paths = [...ATEN_CPU_CAPABILITIES.filter((c) => c !== capability).map((c) => [c, threads] as const), ...(threads > 1 ? [[capability, 1] as const] : [])];
  return paths.map(([c, t]) => ({ cpuCapability: c, threads: t, differing: countDiffering(y, run(c, t)) }));
}
