/**
 * Case generators of quantized_hardswish@1 and quantized_hardsigmoid@1 (contract/quantized_hard_activations.ts) for one
 * ATen CPU capability: quantized_add's layouts (lengths around the vector step, channels_last, two threads above
 * GRAIN_SIZE), input scales whose dequantized values overflow to inf (hardswish's -inf * 0 is NaN), hardswish output
 * scales so small that y / s overflows int32 (the vector form's zero point addition wraps), and witnesses: qparams and
 * an input value built so that the two forms give different outputs, which random inputs almost never do.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { QuantizedHardswishAttrs } from '../../contract/quantized_hard_activations.js';
import { intTensor, numel } from '../../contract/tensor.js';
import { quantizedHardsigmoid, quantizedHardswish } from '../../impl/quantized_hard_activations.js';
import type { OpName } from '../../contract/ops.js';
import { type CaseFactory, QUANT8, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import { drawAtenLoopLayout } from './quantized_add_cases.js';
import type { CaseRandom } from './random.js';

const f = Math.fround;

/** A witness search's bound. */
const WITNESS_TRIES = 400;

export type HardActivation = 'hardswish' | 'hardsigmoid';

/** x's qparams and, for hardswish, the output's. */
type Qparams = Pick<QuantizedHardswishAttrs, 'xScale' | 'xZeroPoint' | 'scale' | 'zeroPoint'>;

/** One value's output under the vector form (AVX2, 64 copies) and the scalar form (DEFAULT). */
function bothForms(fn: HardActivation, dtype: QuantDtype, p: Qparams, q: number): [number, number] {
  const x = intTensor(dtype, [64], new Array(64).fill(q));
  const at = (cpuCapability: AtenCpuCapability) => {
    const attrs = { ...p, cpuCapability, memoryFormat: 'contiguous' as const, threads: 1 };
    return (fn === 'hardswish' ? quantizedHardswish(x, attrs) : quantizedHardsigmoid(x, attrs)).data[0] as number;
  };
  return [at('avx2'), at('default')];
}

/** hardswish's float32 value of d (both forms compute it alike on finite d). */
const hardswishOf = (d: number) => f(f(d * Math.min(Math.max(f(d + 3), 0), 6)) / 6);

/**
 * Qparams and an input value on which the forms differ, or null when the bounded search finds none. Hardswish: x's
 * qparams drawn, the output scale chosen so that the vector form's value lands on k + 1/2 output steps (its reciprocal,
 * rounded from double, and the dequantize's fma then decide). Hardsigmoid (output scale fixed at 2^-8): x's scale
 * chosen so that s (q - z) lies near d = 6 (k + 1/2) / 256 - 3, nudged by a few ulps.
 */
function witness(r: CaseRandom, fn: HardActivation, dtype: QuantDtype): { p: Qparams; q: number } | null {
  const { min, max } = DTYPE_RANGE[dtype];
  for (let t = 0; t < WITNESS_TRIES; t++) {
    const [z, q] = [r.int(min, max), r.int(min, max)];
    if (q === z) continue;
    let p: Qparams;
    if (fn === 'hardswish') {
      const s = f(Math.exp(r.next() * 5 - 7));
      const y = hardswishOf(f(f(s * q) + f(s * -z)));
      if (y === 0) continue;
      const k = r.int(1, 100);
      const zeroPoint = y > 0 ? r.int(min, max - k - 1) : r.int(min + k + 1, max);
      p = { xScale: s, xZeroPoint: z, scale: f(Math.abs(y) / (k + 0.5)), zeroPoint };
    } else {
      const target = (6 * (r.int(1, 254) + 0.5)) / 256 - 3;
      const s = f(f(target / (q - z)) * (1 + r.int(-3, 3) * 2 ** -24));
      if (!(s > 0)) continue;
      p = { xScale: s, xZeroPoint: z, scale: 0, zeroPoint: 0 };
    }
    const [vector, scalar] = bothForms(fn, dtype, p, q);
    if (vector !== scalar) return { p, q };
  }
  return null;
}

function drawQparams(r: CaseRandom, dtype: QuantDtype): Qparams {
  const { min, max } = DTYPE_RANGE[dtype];
  // now and then an input scale near float32's maximum: dequantized values overflow to +-inf
  const xScale = r.bool(0.05) ? r.pick([3e38, 1e38, 2 ** 127]) : drawScale(r);
  // now and then an output scale that makes y / s overflow int32
  const scale = r.bool(0.06) ? r.pick([1e-30, 1e-12, 2 ** -40]) : drawScale(r);
  return { xScale, xZeroPoint: r.bool(0.2) ? r.pick([min, max, 0]) : r.int(min, max), scale, zeroPoint: r.int(min, max) };
}

/** `fn`'s cases for a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedHardActivationCases(fn: HardActivation): (capability: AtenCpuCapability) => CaseFactory {
  return (capability) => (r, index) => {
    const dtype = r.pick(QUANT8);
    const { shape, memoryFormat, threads } = drawAtenLoopLayout(r, index, capability);
    const n = numel(shape);
    const x = drawQuantized(r, n, dtype);
    let p = drawQparams(r, dtype);
    // a witness in 40% of the cases, and in every two-thread one (so that its ranges' tails decide outputs)
    const found = r.bool(0.4) || threads === 2 ? witness(r, fn, dtype) : null;
    if (found !== null) {
      p = found.p;
      // the witness value at a quarter of the positions: some in the vector body, some in the scalar tail
      for (let i = 0; i < n; i++) if (r.bool(0.25) || i === n - 1) x[i] = found.q;
    }
    const output = fn === 'hardswish' ? { scale: hex64(p.scale), zero_point: p.zeroPoint } : {};
    return {
      op: `quantized_${fn}@1` satisfies OpName,
      attrs: { x_scale: hex64(p.xScale), x_zero_point: p.xZeroPoint, ...output, cpu_capability: capability, memory_format: memoryFormat, threads },
      inputs: { x: wireInt(dtype, shape, x) },
    };
  };
}

/** What `--fuzz` draws of `fn`: the same cases, each of a drawn capability (a torch backend claims its own process's). */
export function quantizedHardActivationFuzzCase(fn: HardActivation): CaseFactory {
  const cases = quantizedHardActivationCases(fn);
  return (r, index) => cases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);
}
