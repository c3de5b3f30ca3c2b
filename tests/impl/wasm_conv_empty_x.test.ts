/**
 * impl's WebAssembly conv on an empty x (a dimension of 0: N, C, H or W) equals the reference, whatever the module's
 * memory holds from earlier calls. Its range check of x (conv_kernels.c input_range) starts from the first value; with
 * no value it read the word at x's place in the module's memory, left there by an earlier conv (packed weights,
 * accumulators), and a word outside the dtype made impl answer internal_error ("found a value of x or weight outside
 * its dtype that checkConv2d accepts") where the reference computes the conv over the padding, or the bias with C = 0.
 * Here the memory past the module's data is filled with such words before each call (and with 0, which lies in both
 * dtypes). Deterministic: a fixed grid, no randomness.
 */
import { describe, expect, it } from 'vitest';
import { type Conv2dArgs, REQUANT_SCHEMES } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { implOnConvPath } from '../../impl/index.js';
import { convKernelModule } from '../../impl/conv/wasm/kernel_module.js';
import { reference } from '../../reference/index.js';
import { convInBytes } from '../support/conv_draw.js';

const counter = { wasm: 0 };
const wasm = implOnConvPath('wasm', counter);

/** Fills the kernel module's memory past its data with `word` (what earlier convs may have left there). */
function leaveInMemory(word: number): void {
  const mod = convKernelModule()!;
  const mem = mod.memoryOfAtLeast(mod.heapBase + (1 << 20));
  mem.i32.fill(word, Math.ceil(mod.heapBase / 4));
}

function outcome(run: () => { shape: readonly number[]; data: ArrayLike<number> }): string {
  try {
    const y = run();
    return `[${y.shape}] ${Array.from(y.data).join(',')}`;
  } catch (e) {
    return `error ${(e as { code?: string }).code ?? String(e)}`;
  }
}

/** x [n, c, h, w] (values spread over the dtype), a kh x kw weight of 2 groups' worth of channels per group, under `scheme`. */
function emptyConv(scheme: (typeof REQUANT_SCHEMES)[number], dtype: 'qint8' | 'quint8', [n, c, h, w]: readonly [number, number, number, number], k: number, pad: number, groups: number): Conv2dArgs {
  const lo = dtype === 'quint8' ? 0 : -128;
  const oc = 2 * groups;
  const icg = c / groups;
  return {
    x: intTensor(dtype, [n, c, h, w], Array.from({ length: n * c * h * w }, (_, i) => lo + ((i * 37) % 256))),
    xScale: 0.5,
    xZeroPoint: lo + 3,
    weight: intTensor('qint8', [oc, icg, k, k], Array.from({ length: oc * icg * k * k }, (_, i) => ((i * 53) % 256) - 128)),
    weightQuantization: 'per_tensor',
    weightScales: f64Tensor([1], [0.25]),
    weightZeroPoints: intTensor('int64', [1], [0]),
    bias: SCHEME_RULES[scheme].bias.includes('int32') ? intTensor('int32', [oc], Array.from({ length: oc }, (_, i) => 100 * i - 77)) : null,
    stride: [1, 1],
    padding: [pad, pad],
    dilation: [1, 1],
    groups,
    relu: false,
    yScale: 0.75,
    yZeroPoint: lo + 5,
    scheme,
    accumulator: 'int32_wrap',
  };
}

const SHAPES: readonly (readonly [number, number, number, number])[] = [[0, 2, 3, 3], [1, 0, 3, 3], [2, 0, 2, 2], [1, 2, 0, 3], [1, 2, 3, 0], [1, 2, 0, 0], [2, 4, 0, 2], [1, 0, 0, 3]];

describe('impl WebAssembly conv on an empty x', () => {
  it('equals the reference for every empty shape, whatever the module memory holds', () => {
    let cases = 0;
    let compared = 0;
    let computed = 0;
    const before = counter.wasm;
    for (const scheme of REQUANT_SCHEMES) {
      for (const dtype of SCHEME_RULES[scheme].activations as readonly ('qint8' | 'quint8')[]) {
        for (const shape of SHAPES) {
          for (const k of [1, 3]) {
            for (const pad of [0, 1]) {
              for (const groups of [1, 2]) {
                if (shape[1] % groups !== 0) continue;
                const a = emptyConv(scheme, dtype, shape, k, pad, groups);
                const want = outcome(() => reference.quantizedConv2d(a));
                cases++;
                if (!want.startsWith('error')) computed++;
                for (const stored of [a, convInBytes(a)]) {
                  for (const word of [0x40000000, -0x40000000, 0]) {
                    leaveInMemory(word);
                    const replay = `${scheme} ${dtype} x [${shape}] ${k}x${k} padding ${pad} groups ${groups}, x in ${stored.x.data.constructor.name}, memory word ${word} (replay: npx vitest run tests/impl/wasm_conv_empty_x.test.ts)`;
                    expect(outcome(() => wasm.quantizedConv2d(stored)), replay).toBe(want);
                    compared++;
                  }
                }
              }
            }
          }
        }
      }
    }
    // not vacuous: the reference computes outputs (padding, C = 0's bias) and WebAssembly computed them
    expect(compared).toBe(6 * cases);
    expect(computed).toBeGreaterThan(150);
    expect(counter.wasm - before).toBeGreaterThan(6 * 150);
  });
});
