/**
 * Case generator of matmul_nbits@1 (com.microsoft MatMulNBits, ORT 1.30, float32 A): only the routes qconform models
 * (contract/matmul_nbits_checks.ts: accuracy_level 0-3 (any but 4 computes alike), at least 2 rows of a, finite floats), so every answer ORT
 * gives is an output the reference must reproduce. bits 4 (SQ4BitGemm CompFp32), 8 and 2 (dequantize + MLAS SGEMM),
 * block sizes 16-128 with K not a multiple of them, zero points present or not (1-D or 2-D), scales 1-D or 2-D,
 * optional bias, batched a. Stresses: `slices` (bits 2/8 with N > 64 and K > 128, so MlasSgemmOperation sums K in
 * slices of 128), `long` (bits 4 with K up to 800 in one chain), `zeros` (codes at the zero point, a first row of a of zeros:
 * signed zeros of the FMA chain), `overflow` (products beyond float32: inf and the default NaN), `typical`.
 * A few requests ORT refuses too (bits 3, block_size 8, b of the wrong shape, a whose last dim is not K).
 * Cases from index MATMUL_NBITS_M1_FROM on take a single row of a ([1, K], [K] or [1, 1, K]: MLAS's M1 kernels,
 * contract/matmul_nbits_m1_plan.ts), bits 4 more often and N up to 9 (groups of 4 columns and the rest); the vector
 * CLI names each case's `qnbit_kernel` (the CPU's), on which bits 4 with one row depends.
 */
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { type FloatStyle, drawF32Array } from './floats.js';
import type { CaseRandom } from './random.js';

type Stress = 'typical' | 'slices' | 'long' | 'zeros' | 'overflow';

/** Fields of `bits` packed from the low bits of each byte up, `perRow` bytes per row (ORT's B blob and zero-point layout). */
function pack(rows: readonly number[][], bits: number, perRow: number): number[] {
  const out: number[] = [];
  for (const row of rows) {
    const bytes = new Array<number>(perRow).fill(0);
    row.forEach((v, j) => {
      const bit = j * bits;
      bytes[bit >> 3] = (bytes[bit >> 3] as number) | (v << (bit & 7));
    });
    out.push(...bytes);
  }
  return out;
}

function floats(r: CaseRandom, n: number, stress: Stress): number[] {
  if (stress === 'overflow') return drawF32Array(r, n, 'huge', 1);
  const style = r.pick<FloatStyle>(['normal', 'uniform', 'skewed', 'integers', 'normal']);
  const v = drawF32Array(r, n, style, 2 ** r.int(-6, 6));
  if (stress === 'zeros') return v.map((x) => (r.bool(0.4) ? (r.bool(0.5) ? -0 : 0) : x));
  return v;
}

/** The index of the first single-row case (the catalog's count runs past it). */
export const MATMUL_NBITS_M1_FROM = 300;

export const matmulNBitsCase: CaseFactory = (r, i) => {
  const m1 = i >= MATMUL_NBITS_M1_FROM;
  const stress = r.pick<Stress>(['typical', 'typical', 'typical', 'typical', 'slices', 'long', 'zeros', 'overflow']);
  const bits = stress === 'slices' ? r.pick([8, 2]) : stress === 'long' ? 4 : r.pick(m1 ? [4, 4, 4, 4, 8, 2] : [4, 4, 4, 8, 8, 2]);
  const blockSize = r.pick([16, 16, 32, 32, 64, 128]);
  const n = stress === 'slices' ? r.int(65, 68) : stress === 'long' ? r.int(1, m1 ? 9 : 4) : r.int(1, m1 ? 9 : 8);
  const k = stress === 'slices' ? r.int(129, 200) : stress === 'long' ? r.int(300, 800) : r.bool(0.7) ? r.int(16, 64) : r.int(1, 160);
  const lead = m1 ? r.pick([[1], [1], [], [1, 1]]) : stress === 'slices' || stress === 'long' ? [2] : r.pick([[2], [3], [4], [2], [2, 1], [2, 2], [1, 3]]);
  const rows = lead.reduce((x, y) => x * y, 1);
  const level = r.pick([0, 0, 1, 1, 2, 3]);
  const kBlocks = Math.ceil(k / blockSize);
  const blob = (blockSize * bits) / 8;
  const top = (1 << bits) - 1;
  const zpBytes = Math.ceil((kBlocks * bits) / 8);
  const zps = Array.from({ length: n }, () => Array.from({ length: kBlocks }, () => r.int(0, top)));
  const withZp = r.bool(0.5);
  const zpOf = (j: number, blk: number) => (withZp ? (zps[j] as number[])[blk] as number : 1 << (bits - 1));
  // codes: the padding of the last block is random too (ORT ignores it)
  const codes = Array.from({ length: n }, (_, j) => Array.from({ length: kBlocks * blockSize }, (_, x) => (stress === 'zeros' && r.bool(0.5) ? zpOf(j, Math.floor(x / blockSize)) : r.int(0, top))));
  const scales = Array.from({ length: n * kBlocks }, () => {
    if (stress === 'overflow') return Math.fround((r.bool(0.5) ? -1 : 1) * 2 ** r.int(60, 100) * (1 + r.next()));
    const s = r.bool(0.2) ? 2 ** r.int(-10, 2) : Math.fround((r.bool(0.3) ? -1 : 1) * Math.exp(r.normal() * 2 - 4));
    return stress === 'zeros' && r.bool(0.1) ? (r.bool(0.5) ? -0 : 0) : s;
  });
  const aValues = floats(r, rows * k, stress);
  // zeros: the first row of a all zeros of both signs, so every product is +-0 and the chain's +0 start shows
  if (stress === 'zeros' && (!m1 || r.bool(0.5))) for (let x = 0; x < k; x++) aValues[x] = r.bool(0.5) ? -0 : 0;
  const inputs: Record<string, unknown> = {
    a: wireF32([...lead, k], aValues),
    b: wireInt('uint8', [n, kBlocks, blob], pack(codes, bits, kBlocks * blob)),
    scales: wireF32(r.bool(0.3) ? [n, kBlocks] : [n * kBlocks], scales),
  };
  if (withZp) inputs.zero_points = wireInt('uint8', r.bool(0.3) ? [n, zpBytes] : [n * zpBytes], pack(zps, bits, zpBytes));
  if (r.bool(stress === 'zeros' ? 0.3 : 0.5)) inputs.bias = wireF32([n], floats(r, n, stress === 'overflow' ? 'typical' : stress));
  const attrs: Record<string, unknown> = { K: k, N: n, bits, block_size: blockSize, accuracy_level: level };
  if (r.bool(0.04)) {
    const defect = r.int(0, 3);
    if (defect === 0) attrs.bits = 3;
    if (defect === 1) attrs.block_size = 8;
    if (defect === 2) inputs.b = wireInt('uint8', [n, kBlocks + 1, blob], new Array(n * (kBlocks + 1) * blob).fill(0));
    if (defect === 3) attrs.K = k + 1;
  }
  return { op: 'matmul_nbits@1', attrs, inputs };
};
