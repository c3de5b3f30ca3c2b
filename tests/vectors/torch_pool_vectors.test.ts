import { describe, expect, it } from 'vitest';
import { TORCH_POOL_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { IntTensor } from '../../contract/tensor.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * adaptive_avg_pool2d on quantized tensors from real PyTorch 1.13 (vectors/torch-1.13-pool; torch answered them alike
 * under ATEN_CPU_CAPABILITY default, avx2 and avx512): every case bit for bit through the reference and the impl. No
 * torch is needed to run this. The non-vacuity checks count the cases where what the model distinguishes decides the
 * output: the kernel the layout selects, the NHWC kernel's outputs in an NCHW tensor, and the NaN multiplier.
 */
const { manifest, files } = readVectorSet(TORCH_POOL_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);

const shapeOf = (c: VectorCase) => (c.inputs!.x as { shape: number[] }).shape;
const outputs = (c: VectorCase) => [...(decodeTensor((c.expect as { outputs: Record<string, unknown> }).outputs.y, 'y') as IntTensor).data];

/** impl's output for the case with its memory_format replaced. */
function implWith(c: VectorCase, memoryFormat: string): number[] {
  const r = evaluateRequest(impl, { id: c.id, op: c.op, attrs: { ...c.attrs, memory_format: memoryFormat }, inputs: c.inputs });
  if (!('outputs' in r)) throw new Error(`${c.id}: ${JSON.stringify(r)}`);
  return [...(decodeTensor(r.outputs.y, 'y') as IntTensor).data];
}

const differs = (x: readonly number[], y: readonly number[]) => x.some((v, i) => v !== y[i]);
/** A 4-D input whose layout torch reads as one only: C > 1 and H * W > 1. */
const layoutMatters = (c: VectorCase) => shapeOf(c).length === 4 && shapeOf(c)[1]! > 1 && shapeOf(c)[2]! * shapeOf(c)[3]! > 1;

describe(`quantized adaptive_avg_pool2d vectors from ${manifest.oracle}`, () => {
  it('hold both dtypes, both layouts, 3-D inputs, (1, 1) and larger-than-input output sizes (non-vacuity)', () => {
    expect(cases.length).toBe(400);
    expect(cases.filter((c) => (c.inputs!.x as { dtype: string }).dtype === 'qint8').length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last').length).toBeGreaterThan(100);
    expect(cases.filter((c) => shapeOf(c).length === 3).length).toBeGreaterThan(20);
    const size = (c: VectorCase) => c.attrs!.output_size as number[];
    expect(cases.filter((c) => size(c)[0] === 1 && size(c)[1] === 1).length).toBeGreaterThan(50);
    expect(cases.filter((c) => size(c)[0]! > shapeOf(c).at(-2)! || size(c)[1]! > shapeOf(c).at(-1)!).length).toBeGreaterThan(30);
  });

  it('hold cases where the layout, and so the kernel, decides an output (non-vacuity)', () => {
    const parted = cases.filter((c) => layoutMatters(c) && differs(implWith(c, c.attrs!.memory_format === 'channels_last' ? 'contiguous' : 'channels_last'), outputs(c)));
    expect(parted.length).toBeGreaterThan(20);
  });

  it("hold contiguous [N, C, 1, 1] inputs pooled to more than one position, whose NHWC-ordered outputs fill an NCHW tensor (non-vacuity)", () => {
    const scrambled = cases.filter((c) => {
      const [, ch, h, w] = shapeOf(c);
      const [oh, ow] = c.attrs!.output_size as number[];
      return shapeOf(c).length === 4 && c.attrs!.memory_format === 'contiguous' && ch! > 1 && h! * w! === 1 && oh! * ow! > 1;
    });
    expect(scrambled.length).toBeGreaterThan(2);
    // and the same input in channels_last strides pools in order
    expect(scrambled.filter((c) => differs(implWith(c, 'channels_last'), outputs(c))).length).toBe(scrambled.length);
  });

  it("hold NHWC-kernel cases whose scale's float32 is 0 or inf: a NaN multiplier, every output the dtype's minimum (non-vacuity)", () => {
    const nan = cases.filter((c) => {
      const s = Math.fround(hexToF64(c.attrs!.scale));
      return (s === 0 || s === Infinity) && c.attrs!.memory_format === 'channels_last';
    });
    expect(nan.length).toBeGreaterThan(0);
    for (const c of nan) expect(new Set(outputs(c)), c.id).toEqual(new Set([(c.inputs!.x as { dtype: string }).dtype === 'quint8' ? 0 : -128]));
  });

  itMatchesEveryCase('torch-1.13-pool', files);
});
