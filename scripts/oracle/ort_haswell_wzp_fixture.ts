/**
 * Writes tests/fixtures/ort_haswell/varying_weight_zero_points_haswell.jsonl: 8 seeded u8 x s8 depthwise convs whose
 * per-channel weight zero points differ, with the outputs of real onnxruntime-node 1.30 under qemu-x86_64-static
 * -cpu Haswell (AVX2, no VNNI). There ORT runs them on the u8s8 GEMM, not the depthwise kernel, so its outputs are
 * sat16_pairs_im2col's (conformance/backends/onnxruntime/ort_cpu_paths.ts); the script prints, per case, whether the
 * reference under int32_wrap and under sat16_pairs_im2col matches ORT. Run: npx tsx scripts/oracle/ort_haswell_wzp_fixture.ts
 * (needs qemu-user-static).
 */
import { writeFileSync } from 'node:fs';
import { cpuModel } from '../../conformance/backends/cpu/cpu_models.js';
import { ortProcessCommand } from '../../conformance/backends/onnxruntime/ort_process.js';
import { runThroughProcess } from '../../conformance/backends/process_oracle.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { f64ToHex } from '../../contract/wire.js';
import { reference } from '../../reference/index.js';
const r = new CaseRandom('ort-haswell-varying-weight-zero-points');
const requests: any[] = [];
for (let i = 0; i < 8; i++) {
  const groups = r.int(2, 12), mg = r.pick([1, 1, 2]), k = r.pick([3, 5]);
  const m = groups * mg, c = groups;
  const h = r.int(k, k + 6), w = r.int(k, k + 6), pad = r.int(0, k - 1), stride = r.pick([1, 2]);
  const zps = Array.from({ length: m }, () => r.int(-128, 127));
  zps[1] = zps[0] === 127 ? -128 : zps[0]! + 1;
  // large |x - z_x| and |w - z_w|: pairs that saturate int16 on the u8s8 GEMM
  const xz = r.pick([0, 255, r.int(0, 255)]);
  requests.push({
    id: `ort-haswell-varying-wzp-${i}`,
    op: 'quantized_conv2d@1',
    attrs: { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', weight_quantization: 'per_channel', stride: [stride, stride], padding: [pad, pad], dilation: [1, 1], groups, relu: false, x_scale: f64ToHex(Math.fround(0.02)), x_zero_point: xz, y_scale: f64ToHex(Math.fround(r.pick([0.5, 4, 40]))), y_zero_point: r.int(0, 255) },
    inputs: {
      x: { dtype: 'quint8', shape: [1, c, h, w], values: Array.from({ length: c * h * w }, () => r.pick([0, 255, r.int(0, 255)])) },
      weight: { dtype: 'qint8', shape: [m, 1, k, k], values: Array.from({ length: m * k * k }, () => r.pick([-128, 127, r.int(-128, 127)])) },
      weight_scales: { dtype: 'float64', shape: [m], hex: Array.from({ length: m }, () => f64ToHex(Math.fround(0.001 + r.int(1, 100) / 10000))) },
      weight_zero_points: { dtype: 'int64', shape: [m], values: zps },
    },
  });
}
const cpu = cpuModel('haswell');
const { command, args } = await ortProcessCommand(cpu);
const { responses, handshake } = await runThroughProcess({ label: 'ort haswell', command, args, startTimeoutMs: 120_000 }, requests);
const lines = requests.map((q, i) => {
  const resp: any = responses[i];
  if (!resp.outputs) throw new Error(JSON.stringify(resp));
  const wrap = JSON.stringify((evaluateRequest(reference as any, q) as any).outputs.y.values);
  const pairs = JSON.stringify((evaluateRequest(reference as any, { ...q, attrs: { ...q.attrs, accumulator: 'sat16_pairs_im2col' } }) as any).outputs.y.values);
  const real = JSON.stringify(resp.outputs.y.values);
  console.log(q.id, 'int32_wrap', wrap === real, 'sat16_pairs_im2col', pairs === real);
  return JSON.stringify({ ...q, expect: { outputs: resp.outputs }, cpu_path: { mlas_route: 'gemm_u8s8_avx2 (depthwise, weight zero points that differ)' } });
});
writeFileSync('tests/fixtures/ort_haswell/varying_weight_zero_points_haswell.jsonl', `${lines.join('\n')}\n`);
console.log('ort version', handshake?.version);
