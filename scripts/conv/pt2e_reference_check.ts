/**
 * npx tsx scripts/conv/pt2e_reference_check.ts [N [SEED]] (as root, after npm run setup:torch26): checks the scheme pt2e-reference-representation@1
 * (reference/requant/pt2e_reference_representation.ts) against the real arithmetic: N random int8 convs (stride 1, no
 * padding, groups 1: the geometry of rewrite.py's pattern) run through torch 2.6's _reference_quantized_conv2d, and every
 * third case also as a linear (x [M, K], w [N, K]; quantized_linear@1) through _reference_quantized_linear, in the
 * chroot of `npm run setup:torch26` (scripts/conv/pt2e_reference_probe.py) and through the reference and the impl.
 * Prints the mismatches and exits 1 on any (2 when the chroot is missing).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { hex64, wireF32, wireF64, wireInt } from '../../conformance/cases/builders.js';
import { TORCH26_ROOT, torch26Availability } from '../../conformance/backends/torch/torch26_chroot.js';
import { reference } from '../../reference/index.js';
import { impl } from '../../impl/index.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';

const [count = '300', seed = 'pt2e-reference-v1'] = process.argv.slice(2);
const available = torch26Availability();
if (!available.available) {
  console.error(`torch 2.6: ${available.reason}; set it up with: ${available.install}`);
  process.exit(2);
}
const r = new CaseRandom(seed);
const scale = () => Math.fround(Math.exp(r.normal() * 1.5 - 3));
const cases = Array.from({ length: Number(count) }, (_, i) => {
  const [c, oc, kh, kw] = [r.int(1, 8), r.int(1, 6), r.int(1, 3), r.int(1, 3)];
  const [h, w] = [kh + r.int(0, 4), kw + r.int(0, 4)];
  const x = Array.from({ length: c * h * w }, () => r.int(-128, 127));
  const wt = Array.from({ length: oc * c * kh * kw }, () => r.int(-127, 127));
  const [sx, sw, sy] = [scale(), Math.fround(scale() / 16), scale()];
  const bias = r.bool(0.8) ? Array.from({ length: oc }, () => Math.fround(r.normal() * sx * sw * r.pick([1, 30, 1000]))) : null;
  const common = { sx, sw, sy, zx: r.int(-20, 20), zw: r.pick([0, 0, 3, -2]), zy: r.int(-30, 30), bias };
  if (i % 3 === 2) {
    // a linear: rows of x are M = h * w samples of K = c * kh * kw features, the weight [oc, K]
    const rows = Array.from({ length: h * w * c * kh * kw }, () => r.int(-128, 127));
    return { id: `pt2e-${i}`, kind: 'linear' as const, x: rows, x_shape: [h * w, c * kh * kw], w: wt, w_shape: [oc, c * kh * kw], ...common };
  }
  return { id: `pt2e-${i}`, kind: 'conv' as const, x, x_shape: [1, c, h, w], w: wt, w_shape: [oc, c, kh, kw], ...common };
});
const CONV_GEOMETRY = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
const request = (k: (typeof cases)[number]): WireRequest => ({
  id: k.id,
  op: k.kind === 'linear' ? 'quantized_linear@1' : 'quantized_conv2d@1',
  attrs: {
    scheme: 'pt2e-reference-representation@1',
    accumulator: 'int32_wrap',
    ...(k.kind === 'conv' ? CONV_GEOMETRY : {}),
    relu: false,
    x_scale: hex64(k.sx),
    x_zero_point: k.zx,
    y_scale: hex64(k.sy),
    y_zero_point: k.zy,
    weight_quantization: 'per_tensor',
  },
  inputs: {
    x: wireInt('qint8', k.x_shape, k.x),
    weight: wireInt('qint8', k.w_shape, k.w),
    weight_scales: wireF64([1], [k.sw]),
    weight_zero_points: wireInt('int64', [1], [k.zw]),
    ...(k.bias ? { bias: wireF32([k.bias.length], k.bias) } : {}),
  },
});
const probe = join(dirname(fileURLToPath(import.meta.url)), 'pt2e_reference_probe.py');
copyFileSync(probe, join(TORCH26_ROOT, 'tmp', 'pt2e_reference_probe.py'));
const runner = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'backends', 'torch', 'run_in_torch26_chroot.sh');
const run = spawnSync(runner, [TORCH26_ROOT, '--', '/usr/bin/python3', '/tmp/pt2e_reference_probe.py'], { input: cases.map((k) => JSON.stringify(k)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
if (run.status !== 0) {
  console.error(`torch 2.6 probe failed (${run.status}): ${run.stderr}`);
  process.exit(1);
}
const real = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; y: number[] });
let mismatches = 0;
let elements = 0;
let truncatedBias = 0;
let roundingDiffers = 0; // outputs where rounding (exact@1) instead of truncating gives another value: the check is not vacuous
let inside = 0; // outputs strictly inside [-128, 127]
let linears = 0;
let linearRoundingDiffers = 0; // the same, in the linears alone
cases.forEach((k, i) => {
  elements += real[i]!.y.length;
  if (k.kind === 'linear') linears++;
  inside += real[i]!.y.filter((v) => v > -128 && v < 127).length;
  const rounded = evaluateRequest(reference, { ...request(k), attrs: { ...request(k).attrs, scheme: 'exact@1' } });
  const differ = 'outputs' in rounded ? (rounded.outputs.y as { values: number[] }).values.filter((v, j) => v !== real[i]!.y[j]).length : 0;
  roundingDiffers += differ;
  if (k.kind === 'linear') linearRoundingDiffers += differ;
  if (k.bias?.some((b) => Math.abs(b / Math.fround(k.sx * k.sw)) % 1 !== 0)) truncatedBias++;
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const got = evaluateRequest(ops, request(k));
    const y = 'outputs' in got ? (got.outputs.y as { values: number[] }).values : null;
    if (JSON.stringify(y) !== JSON.stringify(real[i]!.y)) {
      if (mismatches++ < 5) console.log(`MISMATCH ${name} ${k.id}: torch ${JSON.stringify(real[i]!.y).slice(0, 200)} ${name} ${JSON.stringify(y ?? got).slice(0, 200)}`);
    }
  }
});
console.log(`${mismatches === 0 ? 'OK' : 'FAILED'}: ${cases.length - linears} convs and ${linears} linears (${elements} outputs, ${inside} unsaturated, ${roundingDiffers} where rounding would differ, ${linearRoundingDiffers} of them in linears; ${truncatedBias} with a fractional bias), ${mismatches} mismatches against torch 2.6 rewrite.py _reference_quantized_conv2d / _reference_quantized_linear`);
process.exitCode = mismatches === 0 && roundingDiffers > 0 && linearRoundingDiffers > 0 ? 0 : 1;
