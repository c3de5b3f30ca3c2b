/**
 * Case generators of quantized_mul@1 (contract/quantized_mul.ts) for one ATen CPU capability: quantized_add's layouts
 * for equal shapes (lengths around the vector step, channels_last, two threads above GRAIN_SIZE), broadcasts
 * (MobileNetV3's [N, C, 1, 1] gate times [N, C, H, W] either way round, a one-element tensor, a row), ReLU, and for equal
 * shapes now and then a multiplier s_a s_b / s (2^16 to 2^26) so large that f32(c m) passes 2^31, where the two forms part (the vector
 * form's cvtps2dq gives INT32_MIN, the scalar form's lrintf the true value). Broadcasts keep m below 2^15, so that no
 * product reaches 2^31 (the op refuses a broadcast where the forms part). Now and then a qint8 mul with an output zero
 * point below 127, which torch sends to XNNPACK: a refusal.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { QINT8_QMUL_KERNEL_ZERO_POINT } from '../../contract/quantized_mul.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, hex64, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawQuantized } from './quantize_cases.js';
import { drawAtenLoopLayout } from './quantized_add_cases.js';
import type { CaseRandom } from './random.js';

const f = Math.fround;

/** Below it, |c| m < 65,025 * 2^15 < 2^31 for every product: the forms agree. */
const SAFE_MULTIPLIER = 2 ** 15;

interface Layout {
  readonly aShape: number[];
  readonly bShape: number[];
  readonly memoryFormat: 'contiguous' | 'channels_last';
  readonly threads: number;
}

/** A broadcast: the gate [N, C, 1, 1] and [N, C, H, W] (either first), a one-element tensor, or a last-dim row. */
function drawBroadcast(r: CaseRandom): Layout {
  const [n, c, h, w] = [r.int(1, 2), r.int(1, 40), r.int(1, 9), r.int(1, 9)];
  const kind = r.int(0, 3);
  const pair = (x: number[], y: number[]) => (r.bool(0.5) ? { aShape: x, bShape: y } : { aShape: y, bShape: x });
  if (kind <= 1) return { ...pair([n, c, 1, 1], [n, c, h, w]), memoryFormat: r.bool(0.5) ? 'channels_last' : 'contiguous', threads: 1 };
  if (kind === 2) return { ...pair([1], [n, c, h, w]), memoryFormat: 'contiguous', threads: 1 };
  return { ...pair([w], [n, c, h, w]), memoryFormat: 'contiguous', threads: 1 };
}

/** The output scale: mostly drawn; for equal shapes now and then m = s_a s_b / s in [2^16, 2^26] (the forms part). */
function drawOutputScale(r: CaseRandom, sa: number, sb: number, broadcast: boolean): number {
  if (!broadcast && r.bool(0.3)) return f((sa * sb) / 2 ** r.int(16, 26));
  for (;;) {
    const s = drawScale(r);
    if (!broadcast || f(f(sa) * f(sb)) * f(1 / f(s)) < SAFE_MULTIPLIER / 2) return s;
  }
}

/** quantized_mul@1 cases for a torch process started with ATEN_CPU_CAPABILITY=`capability`. */
export function quantizedMulCases(capability: AtenCpuCapability): CaseFactory {
  return (r, index) => {
    const dtype: QuantDtype = r.bool(0.8) ? 'quint8' : 'qint8';
    const { min, max } = DTYPE_RANGE[dtype];
    const broadcast = index % 100 !== 99 && r.bool(0.35);
    const layout: Layout = broadcast
      ? drawBroadcast(r)
      : (() => {
          const l = drawAtenLoopLayout(r, index, capability);
          return { aShape: l.shape, bShape: l.shape, memoryFormat: l.memoryFormat, threads: l.threads };
        })();
    const [sa, sb] = [drawScale(r), drawScale(r)];
    const scale = drawOutputScale(r, sa, sb, broadcast);
    // qint8: qmul_kernel's zero point 127, or now and then one below it (XNNPACK's: refused)
    const zeroPoint = dtype === 'qint8' ? (r.bool(0.15) ? r.int(min, QINT8_QMUL_KERNEL_ZERO_POINT - 1) : QINT8_QMUL_KERNEL_ZERO_POINT) : r.bool(0.2) ? r.pick([0, max]) : r.int(min, max);
    return {
      op: 'quantized_mul@1',
      attrs: {
        a_scale: hex64(sa),
        a_zero_point: r.int(min, max),
        b_scale: hex64(sb),
        b_zero_point: r.int(min, max),
        scale: hex64(scale),
        zero_point: zeroPoint,
        relu: r.bool(0.3),
        cpu_capability: capability,
        memory_format: layout.memoryFormat,
        threads: layout.threads,
      },
      inputs: { a: wireInt(dtype, layout.aShape, drawQuantized(r, numel(layout.aShape), dtype)), b: wireInt(dtype, layout.bShape, drawQuantized(r, numel(layout.bShape), dtype)) },
    };
  };
}

/** What `--fuzz` draws of quantized_mul@1: the same cases, each of a drawn capability. */
export const quantizedMulFuzzCase: CaseFactory = (r, index) => quantizedMulCases(r.pick(ATEN_CPU_CAPABILITIES))(r, index);
