/**
 * How far a lane model of ORT 1.30's MatMulNBits accuracy_level 4 (SQNBIT_CompInt8, bits 4, x86 AVX-512 VNNI host)
 * explains its outputs; NOT a model qconform answers with (contract/matmul_nbits_checks.ts refuses accuracy_level 4).
 * The candidate, read from MLAS (sqnbitgemm_kernel_avx512vnni.cpp SQ4BitGemmKernel_BlkSum_CompInt8_avx512vnni,
 * sqnbitgemm_kernel_avx512_int8_blklen{32,64,128}.h, QuantizeARow_CompInt8_avx512), per row of a and block:
 *   sa = f32(amax / 127), q = half-even(f32(a * f32(127 / amax))) (0 when amax = 0), ABlkSum = f32(sa * sum q);
 *   per column and block: BBlkSum = f32(-sb * zp); 16 int32 lanes, lane l = the exact dot of the 4 consecutive k
 *   4l..4l+3 (mod 64) of the block with the unsigned codes (vpdpbusd); acc_l = fma(float(lane), f32(sa * sb), acc_l);
 *   y = the lanes added (FoldAccumulators for columns in groups of 4 at block_size 32, else the halving tree of
 *   _mm512_reduce_add_ps), + bias, then + the BlkSum SGEMM: f32(fma-chain over blocks of ABlkSum * BBlkSum + y).
 * It prints, per block size, how many elements equal ORT: for one block and rows processed in pairs (not M = 1, not
 * the last row of an odd M) the candidate explains every element; with several blocks (the 4-block interleave of
 * block_size 32, the 2-block lanes of 64), single rows and odd last rows the kernels differ and it does not.
 *   npx tsx scripts/oracle/matmul_nbits_compint8_probe.ts [--count 600]
 */
import { Command } from 'commander';
import { generateRequests } from '../../conformance/cases/catalog.js';
import { matmulNBitsCase } from '../../conformance/cases/onnx_nbits_cases.js';
import { loadOrt, runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { Attrs, Inputs, type WireRequest } from '../../conformance/protocol/messages.js';
import { decodeMatMulNBits } from '../../conformance/protocol/onnx_qops_dispatch.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { checkMatMulNBits } from '../../contract/matmul_nbits_checks.js';
import { type SumTree, matmulNBitsM1Plan, sumTree } from '../../contract/matmul_nbits_m1_plan.js';
import { f32ToHex } from '../../contract/wire.js';
import { f32Add, f32Div, f32Fma, f32Mul, nearbyint } from '../../impl/float32.js';
import { impl } from '../../impl/index.js';

const o = new Command().option('--count <n>', 'generated requests to draw from', '600').parse().opts();
const requests: WireRequest[] = generateRequests('matmul_nbits@1', Number(o.count), matmulNBitsCase, 'compint8-probe')
  .filter((r) => r.attrs?.bits === 4 && (r.attrs.K as number) <= 200 && 'outputs' in evaluateRequest(impl, r))
  .map((r) => ({ ...r, id: `${r.id}-l4`, attrs: { ...r.attrs, accuracy_level: 4 } }));
const ort = await loadOrt();
if (!ort) throw new Error('onnxruntime-node is not installed (npm install)');
const answers = await runThroughOrt(ort, requests);
// the AVX-512 plan's trees: FoldAccumulators (groups of 4) and the halving reduce (the rest)
const plan = matmulNBitsM1Plan(4, 16, 5, 'avx512');
const [fold16, halving] = [plan.columns[0]!.tree, plan.columns[4]!.tree] as [SumTree, SumTree];

const stats = new Map<string, { equal: number; total: number }>();
requests.forEach((r, i) => {
  const answer = answers[i]!;
  if (!('outputs' in answer)) return;
  const got = (answer.outputs.y as { hex: string[] }).hex;
  const args = decodeMatMulNBits(new Attrs(r.attrs!, r.op), new Inputs(r.inputs!, r.op));
  const g = checkMatMulNBits('probe', { ...args, accuracyLevel: 0 });
  const { rows, k, n, kBlocks, blockSize: bs } = g;
  for (let m = 0; m < rows; m++) {
    const q = new Array<number>(kBlocks * bs).fill(0);
    const sa: number[] = [];
    const aBlkSum: number[] = [];
    for (let b = 0; b < kBlocks; b++) {
      let amax = 0;
      for (let x = b * bs; x < Math.min(k, (b + 1) * bs); x++) amax = Math.max(amax, Math.abs(args.a.data[m * k + x]!));
      const inverse = amax !== 0 ? f32Div(127, amax) : 0;
      let sum = 0;
      for (let x = b * bs; x < Math.min(k, (b + 1) * bs); x++) sum += q[x] = nearbyint(f32Mul(args.a.data[m * k + x]!, inverse));
      sa.push(f32Div(amax, 127));
      aBlkSum.push(f32Mul(sa[b]!, sum));
    }
    for (let j = 0; j < n; j++) {
      const lanes = new Array<number>(16).fill(0);
      let t = 0;
      for (let b = 0; b < kBlocks; b++) {
        const sb = args.scales.data[j * kBlocks + b]!;
        const dots = new Array<number>(16).fill(0);
        for (let x = b * bs; x < Math.min(k, (b + 1) * bs); x++) dots[Math.floor((x - b * bs) / 4) % 16]! += q[x]! * g.codes[j * k + x]!;
        const scale = f32Mul(sa[b]!, sb);
        dots.forEach((d, l) => (lanes[l] = f32Fma(d, scale, lanes[l]!)));
        t = f32Fma(aBlkSum[b]!, Math.fround(-sb * g.zeroPoints[j * kBlocks + b]!), t);
      }
      const tree = bs === 32 && j < Math.floor(n / 4) * 4 ? fold16 : halving;
      let y = sumTree(tree, lanes, f32Add);
      if (args.bias) y = f32Add(y, args.bias.data[j]!);
      y = f32Add(t, y);
      const paired = rows > 1 && !(rows % 2 === 1 && m === rows - 1);
      const key = `block_size ${bs}, ${kBlocks === 1 ? 'one block' : 'several blocks'}, ${paired ? 'rows in pairs' : 'single row / odd last row'}`;
      const s = stats.get(key) ?? { equal: 0, total: 0 };
      s.total++;
      if (f32ToHex(y) === got[m * n + j]) s.equal++;
      stats.set(key, s);
    }
  }
});
for (const [key, s] of [...stats].sort()) console.log(`${key}: ${s.equal} / ${s.total} elements equal ORT`);
