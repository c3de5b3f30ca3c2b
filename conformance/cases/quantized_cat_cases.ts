/**
 * Case generators of quantized_cat@1 (contract/quantized_cat.ts) for one ATen CPU capability: 4-D inputs whose channel
 * counts straddle the vector blocks (8 on AVX2, 16 on AVX512, and the 32 / 64 loops), channels_last on dim 1 (the NHWC
 * fast path) mostly, and also dim -3 (the generic path on the same tensors), other dims, contiguous inputs and other
 * ranks; inputs whose qparams equal the output's (copied) or only nearly (a scale one ulp off, as a double); cat_relu;
 * GoogLeNet's and Inception's [1, C, H, W] branch sizes. Random inputs almost never tell the forms apart (they part
 * only within an ulp of a half-integer), so 40% of the cases carry a witness: an input's qparams and value built so
 * that the vector and scalar forms give different outputs (searched with impl), at some positions of every channel.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { intTensor, numel } from '../../contract/tensor.js';
import { quantizedCat } from '../../impl/quantized_cat.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

const f = Math.fround;

/** A witness search's bound. */
const WITNESS_TRIES = 400;

interface Qparams {
  readonly scale: number;
  readonly zeroPoint: number;
}

interface Witness {
  readonly input: Qparams;
  readonly output: Qparams;
  readonly q: number;
}

/** One value's output in the vector form (AVX2, 8 channels) and the scalar form (DEFAULT). */
function bothForms(dtype: QuantDtype, w: Witness, relu: boolean): [number, number] {
  const at = (cpuCapability: AtenCpuCapability) =>
    quantizedCat([{ x: intTensor(dtype, [1, 8, 1, 1], new Array(8).fill(w.q)), ...w.input }], { ...w.output, dim: 1, relu, cpuCapability, memoryFormat: 'channels_last' }).data[0] as number;
  return [at('avx2'), at('default')];
}

/**
 * An input's qparams, a value and output qparams on which the forms differ: the output scale chosen so that the
 * dequantized value lands on k + 1/2 output steps, as a double (so its float32 and its double reciprocal part too).
 */
function witness(r: CaseRandom, dtype: QuantDtype, relu: boolean): Witness | null {
  const { min, max } = DTYPE_RANGE[dtype];
  for (let t = 0; t < WITNESS_TRIES; t++) {
    const input = { scale: r.bool(0.5) ? f(Math.exp(r.next() * 5 - 7)) : Math.exp(r.next() * 5 - 7), zeroPoint: r.int(min, max) };
    const q = r.int(min, max);
    const d = f(f(input.scale) * (q - input.zeroPoint));
    if (d === 0 || (relu && d < 0)) continue;
    const k = r.int(1, 100);
    const zeroPoint = d > 0 ? r.int(min, max - k - 1) : r.int(min + k + 1, max);
    const exact = Math.abs(d) / (k + 0.5);
    const w = { input, output: { scale: r.bool(0.5) ? f(exact) : exact, zeroPoint }, q };
    const [vector, scalar] = bothForms(dtype, w, relu);
    if (vector !== scalar) return w;
  }
  return null;
}

/** A channel count around the vector blocks of `capability` (and the other's), or a network's branch width. */
function drawChannels(r: CaseRandom): number {
  if (r.bool(0.15)) return r.pick([1, 2, 3, 5, 7]);
  if (r.bool(0.1)) return r.pick([24, 48, 96, 128, 192]);
  return Math.max(1, r.pick([8, 16, 32, 64]) * r.int(1, 2) + r.int(-3, 3));
}

/** Where the concatenation runs: the NHWC fast path mostly, or the generic path on its own or on the same tensors. */
function drawLayout(r: CaseRandom): { rank: number; dim: number; memoryFormat: 'contiguous' | 'channels_last' } {
  const u = r.next();
  if (u < 0.6) return { rank: 4, dim: 1, memoryFormat: 'channels_last' };
  if (u < 0.7) return { rank: 4, dim: -3, memoryFormat: 'channels_last' }; // -3 is dim 1, yet not the fast path
  if (u < 0.8) return { rank: 4, dim: r.pick([0, 2, 3, -1]), memoryFormat: r.bool(0.5) ? 'channels_last' : 'contiguous' };
  if (u < 0.9) return { rank: 4, dim: 1, memoryFormat: 'contiguous' };
  const rank = r.int(1, 3);
  return { rank, dim: r.int(-rank, rank - 1), memoryFormat: 'contiguous' };
}

/** quantized_cat@1 cases run on a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedCatCases(capability: AtenCpuCapability): CaseFactory {
  return (r, index) => {
    const dtype = r.pick(QUANT8);
    const { min, max } = DTYPE_RANGE[dtype];
    const relu = r.bool(0.3);
    const { rank, dim, memoryFormat } = drawLayout(r);
    const d = dim < 0 ? dim + rank : dim;
    // every 50th case: a GoogLeNet / Inception concatenation of four branches
    const big = index % 50 === 49 && rank === 4;
    const base = rank === 4 ? [r.int(1, 2), drawChannels(r), r.int(1, 4), r.int(1, 4)] : Array.from({ length: rank }, () => r.int(1, 6));
    if (big) [base[0], base[2], base[3]] = [1, 7, 7];
    const count = big ? 4 : r.int(1, 4);
    const output: Qparams = { scale: drawScale(r), zeroPoint: r.bool(0.2) ? r.pick([min, max, 0]) : r.int(min, max) };
    const found = r.bool(0.4) ? witness(r, dtype, relu) : null;
    const out = found?.output ?? output;
    const witnessAt = found === null ? -1 : r.int(0, count - 1);
    const xs: unknown[] = [];
    const scales: string[] = [];
    const zeroPoints: number[] = [];
    for (let k = 0; k < count; k++) {
      const shape = [...base];
      shape[d] = rank === 4 && d === 1 ? (big ? r.pick([64, 96, 128, 32]) : drawChannels(r)) : r.int(1, 5);
      const n = numel(shape);
      const values = drawQuantized(r, n, dtype);
      let qp: Qparams;
      if (k === witnessAt && found !== null) {
        qp = found.input;
        // the witness value at a third of the positions: in the vector and scalar channels both
        for (let i = 0; i < n; i++) if (r.bool(0.33) || i === n - 1) values[i] = found.q;
      } else {
        const u = r.next();
        // equal to the output's (copied on the fast path), a scale one double ulp off (requantized), or drawn
        qp = u < 0.2 ? out : u < 0.25 ? { scale: out.scale * (1 + 2 ** -52), zeroPoint: out.zeroPoint } : { scale: drawScale(r), zeroPoint: r.int(min, max) };
      }
      xs.push(wireInt(dtype, shape, values));
      scales.push(hex64(qp.scale));
      zeroPoints.push(qp.zeroPoint);
    }
    return {
      op: 'quantized_cat@1',
      attrs: { x_scales: scales, x_zero_points: zeroPoints, scale: hex64(out.scale), zero_point: out.zeroPoint, dim, relu, cpu_capability: capability, memory_format: memoryFormat },
      inputs: { xs },
    };
  };
}

/**
 * What `--fuzz` draws of quantized_cat@1: the same cases, each of a drawn capability (a torch backend claims its own
 * process's only: the others are skipped as unclaimed, conformance/backends/torch/torch_builtins.ts).
 */
export const quantizedCatFuzzCase: CaseFactory = (r, index) => quantizedCatCases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);

/** The same draws as torch 2.6's quantized_cat@2 (its AVX512 blocks are AVX2's: contract/quantized_cat.ts). */
export const quantizedCat2FuzzCase: CaseFactory = (r, index) => ({ ...quantizedCatFuzzCase(r, index), op: 'quantized_cat@2' });
