/**
 * Case generators of quantized_add@1 (contract/quantized_add.ts) for one ATen CPU capability: lengths around the
 * vector step (64 on AVX2, 128 on AVX512) so that both forms occur, 4-D channels_last tensors, a few tensors above
 * GRAIN_SIZE on two threads (one tail per thread's range), ReLU, output scales so small that c / s overflows int32
 * (where the vector form's zero point addition wraps), input scales whose dequantized values overflow to inf (and sum
 * to NaN), and witnesses: inputs built so that the two forms give different
 * outputs, which random inputs almost never do (they part only within an ulp of a half-integer).
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, ATEN_GRAIN_SIZE, vectorStep } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { QuantizedAddAttrs } from '../../contract/quantized_add.js';
import { intTensor, numel } from '../../contract/tensor.js';
import { quantizedAdd } from '../../impl/quantized_add.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

const f = Math.fround;

/** A witness search's bound: the forms part for about one try in ten. */
const WITNESS_TRIES = 400;

interface Pair {
  readonly qa: number;
  readonly qb: number;
}

type Qparams = Omit<QuantizedAddAttrs, 'relu' | 'cpuCapability' | 'memoryFormat' | 'threads'>;

/** One element's output under the vector form (AVX2 on 64 copies) and the scalar form (DEFAULT). */
function bothForms(dtype: QuantDtype, p: Qparams, relu: boolean, pair: Pair): [number, number] {
  const at = (cpuCapability: AtenCpuCapability) =>
    quantizedAdd(intTensor(dtype, [64], new Array(64).fill(pair.qa)), intTensor(dtype, [64], new Array(64).fill(pair.qb)), { ...p, relu, cpuCapability, memoryFormat: 'contiguous', threads: 1 }).data[0] as number;
  return [at('avx2'), at('default')];
}

/**
 * Qparams and a pair of inputs on which the forms differ: s_a, s_b, z_a, z_b drawn, then the output scale chosen so
 * that the vector form's sum lands on k + 1/2 output steps; null when the bounded search finds none.
 */
function witness(r: CaseRandom, dtype: QuantDtype, relu: boolean): { p: Qparams; pair: Pair } | null {
  const { min, max } = DTYPE_RANGE[dtype];
  for (let t = 0; t < WITNESS_TRIES; t++) {
    const sa = f(Math.exp(r.next() * 5 - 7));
    const sb = f(Math.exp(r.next() * 5 - 7));
    const [za, zb] = [r.int(min, max), r.int(min, max)];
    const pair = { qa: r.int(min, max), qb: r.int(min, max) };
    const c = f(f(sa * pair.qa + f(sa * -za)) + f(sb * pair.qb + f(sb * -zb)));
    if (c === 0 || (relu && c < 0)) continue;
    const k = r.int(1, 100);
    const zeroPoint = c > 0 ? r.int(min, max - k - 1) : r.int(min + k + 1, max);
    const p = { aScale: sa, aZeroPoint: za, bScale: sb, bZeroPoint: zb, scale: f(Math.abs(c) / (k + 0.5)), zeroPoint };
    const [vector, scalar] = bothForms(dtype, p, relu, pair);
    if (vector !== scalar) return { p, pair };
  }
  return null;
}

function drawQparams(r: CaseRandom, dtype: QuantDtype): Qparams {
  const { min, max } = DTYPE_RANGE[dtype];
  // now and then an output scale that makes c / s overflow int32
  const scale = r.bool(0.06) ? r.pick([1e-30, 1e-12, 2 ** -40]) : drawScale(r);
  // now and then input scales near float32's maximum, so that the dequantized values overflow to +-inf and their sum is
  // inf or NaN (inf - inf)
  const huge = r.bool(0.05);
  const inputScale = () => (huge ? r.pick([3e38, 1e38, 2 ** 127]) : drawScale(r));
  return { aScale: inputScale(), aZeroPoint: r.int(min, max), bScale: inputScale(), bZeroPoint: r.int(min, max), scale, zeroPoint: r.bool(0.2) ? r.pick([min, max, 0]) : r.int(min, max) };
}

/** A shape: 1-D around multiples of the vector step mostly, sometimes 4-D (channels_last then half the time). */
function drawShape(r: CaseRandom, step: number): { shape: number[]; memoryFormat: 'contiguous' | 'channels_last' } {
  if (r.bool(0.25)) {
    const shape = [r.int(1, 2), r.int(1, 24), r.int(1, 9), r.int(1, 9)];
    return { shape, memoryFormat: r.bool(0.5) ? 'channels_last' : 'contiguous' };
  }
  const unit = step === 0 ? 64 : step;
  const n = r.bool(0.6) ? Math.max(1, unit * r.int(0, 3) + r.int(-3, 3)) : r.int(1, 300);
  return { shape: [n], memoryFormat: 'contiguous' };
}

/**
 * The layout of an ATen elementwise case (quantized_add, the hard activations): drawShape's, and for every 100th case
 * a tensor above GRAIN_SIZE on two threads, so that each thread's range has its own scalar tail.
 */
export function drawAtenLoopLayout(r: CaseRandom, index: number, capability: AtenCpuCapability): { shape: number[]; memoryFormat: 'contiguous' | 'channels_last'; threads: number } {
  if (index % 100 === 99) return { shape: [ATEN_GRAIN_SIZE + r.int(1, 3000)], memoryFormat: 'contiguous', threads: 2 };
  return { ...drawShape(r, vectorStep(capability)), threads: 1 };
}

/** quantized_add@1 cases run on a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedAddCases(capability: AtenCpuCapability): CaseFactory {
  return (r, index) => {
    const dtype = r.pick(QUANT8);
    const relu = r.bool(0.4);
    const { shape, memoryFormat, threads } = drawAtenLoopLayout(r, index, capability);
    const n = numel(shape);
    const a = drawQuantized(r, n, dtype);
    const b = drawQuantized(r, n, dtype);
    let p = drawQparams(r, dtype);
    const found = r.bool(0.4) ? witness(r, dtype, relu) : null;
    if (found !== null) {
      p = found.p;
      // the witness pair at a quarter of the positions: some in the vector body, some in the scalar tail
      for (let i = 0; i < n; i++) {
        if (r.bool(0.25) || i === n - 1) [a[i], b[i]] = [found.pair.qa, found.pair.qb];
      }
    }
    return {
      op: 'quantized_add@1',
      attrs: {
        a_scale: hex64(p.aScale),
        a_zero_point: p.aZeroPoint,
        b_scale: hex64(p.bScale),
        b_zero_point: p.bZeroPoint,
        scale: hex64(p.scale),
        zero_point: p.zeroPoint,
        relu,
        cpu_capability: capability,
        memory_format: memoryFormat,
        threads,
      },
      inputs: { a: wireInt(dtype, shape, a), b: wireInt(dtype, shape, b) },
    };
  };
}

/**
 * What `--fuzz` draws of quantized_add@1: the same cases, each of a drawn capability (a torch backend claims its own
 * process's only: the others are skipped as unclaimed, conformance/backends/torch/torch_builtins.ts).
 */
export const quantizedAddFuzzCase: CaseFactory = (r, index) => quantizedAddCases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);

/** The same draws as torch 2.6's quantized_add@2 (its AVX512 loop's 64-element split: contract/quantized_add.ts). */
export const quantizedAdd2FuzzCase: CaseFactory = (r, index) => ({ ...quantizedAddFuzzCase(r, index), op: 'quantized_add@2' });
