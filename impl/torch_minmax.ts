/**
 * The NaN-propagating min/max kernels of torch 1.13 on float32, x86 AVX2, one thread, as measured on
 * the installed torch: torch.minimum/maximum (aten/src/ATen/native/cpu/BinaryOpsKernel.cpp) and
 * torch.aminmax (ReduceAllOpsKernel.cpp with vec::reduce2_all; TensorCompareKernel.cpp for dim=1).
 * Comparisons only, nothing is rounded. The kernels differ only in which operand survives a tie
 * between equal values (in practice -0 and +0), and in which NaN they return: the scalar kernel returns
 * quiet_NaN() (0x7fc00000), the vector body ORs the NaN mask in (0xffffffff). JS numbers cannot carry
 * NaN bits reliably, so results that can be NaN are stored through storeKernelResult.
 */

const AVX2_FLOAT_LANES = 8;

/** Scalar kernel (std::min-like): on a tie, `a`. */
export function minTieFirst(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return b < a ? b : a;
}

export function maxTieFirst(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return b > a ? b : a;
}

/** Vector kernel (_mm256_min_ps(a, b) returns its second source unless a < b): on a tie, `b`. */
export function minTieSecond(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a < b ? a : b;
}

export function maxTieSecond(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a > b ? a : b;
}

/**
 * Whether element `index` of a contiguous `count`-element torch.minimum/maximum result runs in the
 * scalar tail (ties keep the first operand) rather than the vector body (ties keep the second):
 * cpu_kernel_vec processes 2 x 8 lanes per iteration, then finishes element by element.
 */
export function elementwiseTieKeepsFirst(index: number, count: number): boolean {
  return index >= 2 * AVX2_FLOAT_LANES * Math.floor(count / (2 * AVX2_FLOAT_LANES));
}

/** The bit pattern of the NaN that torch.minimum/maximum element `index` of `count` returns. */
export function elementwiseNaNBits(index: number, count: number): number {
  return elementwiseTieKeepsFirst(index, count) ? 0x7fc00000 : 0xffffffff;
}

/** Store a torch.minimum/maximum result into float32 storage, writing the kernel's NaN bits when it is NaN. */
export function storeKernelResult(target: Float32Array, index: number, value: number, count: number): void {
  if (Number.isNaN(value)) new Uint32Array(target.buffer, target.byteOffset, target.length)[index] = elementwiseNaNBits(index, count);
  else target[index] = value;
}

/** torch.minimum(a, b) as element `index` of a `count`-element result: the kernel's tie rule, NaN-propagating. */
export function elementwiseMin(a: number, b: number, index: number, count: number): number {
  return elementwiseTieKeepsFirst(index, count) ? minTieFirst(a, b) : minTieSecond(a, b);
}

/** torch.maximum(a, b) as element `index` of a `count`-element result. */
export function elementwiseMax(a: number, b: number, index: number, count: number): number {
  return elementwiseTieKeepsFirst(index, count) ? maxTieFirst(a, b) : maxTieSecond(a, b);
}

/**
 * torch.aminmax(x) over a whole non-empty tensor (vec::reduce2_all): with n < 8 a left-to-right
 * fold; otherwise element p of the first 8*floor(n/8) goes to lane p mod 8 and tail element p to
 * lane p - 8*floor(n/8), the later element winning ties inside a lane; the lanes then combine as
 * f(f(f(v0,v4), f(v2,v6)), f(f(v1,v5), f(v3,v7))) with the vector kernel (ties keep the second).
 * Above 32768 elements torch splits the work across threads; this models the single-thread order.
 */
export function aminmaxAll(data: Float32Array): { min: number; max: number } {
  return { min: laneReduce(data, minTieSecond), max: laneReduce(data, maxTieSecond) };
}

/**
 * torch.aminmax(y, dim=1) on one row data[start, end) (compare_base_kernel): a sequential scan
 * where a value replaces the running result only when strictly beyond it, so the first of equal
 * values survives. Needs end > start.
 */
export function aminmaxScan(data: Float32Array, start: number, end: number): { min: number; max: number } {
  let min = data[start] as number;
  let max = min;
  for (let i = start + 1; i < end; i++) {
    const v = data[i] as number;
    min = minTieFirst(min, v);
    max = maxTieFirst(max, v);
  }
  return { min, max };
}

function laneReduce(data: Float32Array, f: (a: number, b: number) => number): number {
  const n = data.length;
  if (n < AVX2_FLOAT_LANES) {
    let acc = data[0] as number;
    for (let i = 1; i < n; i++) acc = f(acc, data[i] as number);
    return acc;
  }
  const lane = Float64Array.from(data.subarray(0, AVX2_FLOAT_LANES));
  const main = n - (n % AVX2_FLOAT_LANES);
  for (let p = AVX2_FLOAT_LANES; p < main; p++) lane[p % AVX2_FLOAT_LANES] = f(lane[p % AVX2_FLOAT_LANES] as number, data[p] as number);
  for (let p = main; p < n; p++) lane[p - main] = f(lane[p - main] as number, data[p] as number);
  const [v0, v1, v2, v3, v4, v5, v6, v7] = lane as unknown as [number, number, number, number, number, number, number, number];
  return f(f(f(v0, v4), f(v2, v6)), f(f(v1, v5), f(v3, v7)));
}
