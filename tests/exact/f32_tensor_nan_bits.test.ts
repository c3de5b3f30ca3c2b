import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../../contract/float_bits.js';
import { f32Tensor } from '../../contract/tensor.js';
import { decodeBits, fromFloat32 } from '../../reference/exact/ieee_bits.js';
import { ALL_ONES_NAN_F32, BINARY32, CANONICAL_QUIET_NAN, DEFAULT_NAN } from '../../reference/exact/ieee_value.js';
import { exactElementsF32, toF32Tensor, toF64Tensor } from '../../reference/values.js';
import { runEvalProcess } from '../support/eval_process.js';

/**
 * NaN bits leave (and enter) the exact world as bits, whatever the process ran before. V8's optimised code
 * canonicalises a NaN stored into a JS double array: toF32Tensor built its Float32Array through values.map, and after
 * some thousand finite-only calls a leading 0xffc00000 came back 0x7fc00000 (the reference's answer then depended on
 * the requests served before it). WARM finite calls make the optimisation happen, deterministically, before the NaN.
 */
const WARM = 20_000;
const bitsOf = (data: Float32Array) => Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length), (b) => b.toString(16).padStart(8, '0'));
const f32Bits = (b: number) => decodeBits(BigInt(b), BINARY32);

describe('reference/values.ts: float32 tensors are built from bits, never from a JS number array', () => {
  it(`toF32Tensor keeps a NaN's sign and payload after ${WARM} finite-only calls`, () => {
    for (let i = 0; i < WARM; i++) toF32Tensor([3], [fromFloat32(i), fromFloat32(i + 1), fromFloat32(i + 2)]);
    const values = [DEFAULT_NAN, fromFloat32(1.5), DEFAULT_NAN, ALL_ONES_NAN_F32, CANONICAL_QUIET_NAN, f32Bits(0xff812345), f32Bits(0x80000000)];
    const replay = 'replay: npx vitest run tests/exact/f32_tensor_nan_bits.test.ts';
    expect(bitsOf(toF32Tensor([values.length], values).data), replay).toEqual(['ffc00000', '3fc00000', 'ffc00000', 'ffffffff', '7fc00000', 'ff812345', '80000000']);
  });

  it('exactElementsF32 reads the bits of every element (a NaN quieted, as cvtss2sd loads it) and toF32Tensor writes them back', () => {
    for (let i = 0; i < WARM / 10; i++) exactElementsF32(f32Tensor([3], [i, -i, 0.5]));
    const patterns = [0xffc00000, 0x7fc00000, 0xffffffff, 0xff812345, 0x7f800001, 0x80000000, 0x00000001, 0x7f7fffff, 0xff800000];
    const t = f32Tensor([patterns.length], new Float32Array(Uint32Array.from(patterns).buffer));
    const quietedBits = ['ffc00000', '7fc00000', 'ffffffff', 'ffc12345', '7fc00001', '80000000', '00000001', '7f7fffff', 'ff800000'];
    expect(bitsOf(toF32Tensor(t.shape, exactElementsF32(t)).data)).toEqual(quietedBits);
    // the same values as the entry through a JS number (fromFloat32 of each element)
    expect(exactElementsF32(t)).toEqual(Array.from(t.data, fromFloat32));
  });

  it('toF64Tensor writes binary64 bits (a float32 NaN widened as cvtss2sd does: 0xffc00000 -> 0xfff8000000000000)', () => {
    for (let i = 0; i < WARM; i++) toF64Tensor([2], [fromFloat32(i), fromFloat32(0.25)]);
    const out = toF64Tensor([3], [DEFAULT_NAN, fromFloat32(-2), ALL_ONES_NAN_F32]).data;
    expect(Array.from(new BigUint64Array(out.buffer), (b) => b.toString(16))).toEqual(['fff8000000000000', 'c000000000000000', 'ffffffffe0000000']);
    expect(() => toF64Tensor([1], [fromFloat32(1)])).not.toThrow();
    expect(float32BitsOf(toF32Tensor([1], [fromFloat32(-0)]).data[0]!)).toBe(0x80000000);
  });
});

/**
 * Whole requests in one `qconform eval` process, as a user's session serves them: matmul_nbits@1 (one row, bits 4: the
 * M1 kernel's lanes) whose y[0] is NaN: 0 * inf in lane 0 (a[0] = 0, b = 7 * FLT_MAX: the lane's first value) or
 * inf - inf between lanes 0 and 1 (a = [1, -1]); with N = 2, y[1] = 2s - s = s = 2^-5. onnxruntime-node 1.30 answers
 * y[0] = 0xffc00000 (x86's default NaN) to all four (recorded from live runs of these requests through
 * conformance/backends/onnxruntime; y[1] = 0x3d000000). The answer must not depend on the requests served before:
 * finite matmul_nbits ones. Before, impl's M1 lanes were a JS array (a NaN as the first double stored into it came
 * back 0x7fc00000 after one finite request) and the reference's toF32Tensor went through values.map (0x7fc00000 after
 * some thousand).
 */
describe('matmul_nbits@1 NaN outputs in a qconform eval session: 0xffc00000 (onnxruntime 1.30) whatever ran before', () => {
  const nbits = (columns: 1 | 2, a0: string, a1: string, scale0: string) => ({
    id: `nbits-${columns}-${a0}-${a1}-${scale0}`,
    op: 'matmul_nbits@1',
    attrs: { K: 32, N: columns, bits: 4, block_size: 32 },
    inputs: {
      a: { dtype: 'float32', shape: [1, 32], hex: [a0, a1, ...Array<string>(30).fill('00000000')] },
      b: { dtype: 'uint8', shape: [columns, 1, 16], values: [0xff, ...Array<number>(15).fill(0x88), 0x9a, ...Array<number>(15).fill(0x88)].slice(0, 16 * columns) },
      scales: { dtype: 'float32', shape: [columns], hex: [scale0, '3d000000'].slice(0, columns) },
    },
  });
  const nanRequests = ([1, 2] as const).flatMap((columns) => [nbits(columns, '00000000', '3f800000', '7f7fffff'), nbits(columns, '3f800000', 'bf800000', '7f7fffff')]);
  const finiteNbits = ([1, 2] as const).flatMap((columns) => [nbits(columns, '00000000', '3f800000', '3d000000'), nbits(columns, '3f800000', 'bf800000', '3d000000')]);
  // each NaN request cold, after a finite matmul_nbits request, and after 3,000 more
  const session = [...nanRequests.flatMap((n, i) => [n, finiteNbits[i]!, n]), ...Array<object>(3000).fill(finiteNbits[2]!), ...nanRequests];

  it.each(['reference', 'impl'] as const)('%s', async (backend) => {
    const run = await runEvalProcess(backend, session.map((r) => JSON.stringify(r)));
    const answers = run.lines.slice(1); // after the handshake line
    expect(answers, run.stderr).toHaveLength(session.length);
    const nanAnswers = answers.map((l) => JSON.parse(l) as { id: string; outputs?: { y: { hex: string[] } } }).filter((a) => a.id.endsWith('7f7fffff'));
    const replay = `replay: npx vitest run tests/exact/f32_tensor_nan_bits.test.ts -t '${backend}' (the session: ${session.length} requests to qconform eval --backend ${backend})`;
    expect(nanAnswers.map((a) => `${a.id}: ${a.outputs?.y.hex[0]}`), replay).toEqual(nanAnswers.map((a) => `${a.id}: ffc00000`));
    expect(nanAnswers).toHaveLength(12);
  }, 120_000);
});
