/**
 * Why the native XNNPACK adapter's XNNPACK refuses a conv, answered as the contract answers it (the real adapter on
 * Debian's libxnnpack 0.0~git20220216.ae108ef, on every CPU model it has here). xnn_create_convolution2d_nhwc_qs8/qc8/qu8
 * (src/operators/convolution-nhwc.c) check, in this order: each scale's float32 (`scale <= 0.0f || !isnormal(scale)`),
 * output_min >= output_max (both xnn_status_invalid_parameter), the requantization scale >= 256
 * (xnn_status_unsupported_parameter), then the per-tensor params initializer asserts scale >= 2^-32, then
 * create_convolution2d_nhwc checks the geometry (C = 0: group_input_channels == 0); setup_convolution2d_nhwc checks the
 * input size (height or width 0). The xnnpack schemes refuse all six in that order (contract/conv_checks.ts,
 * contract/xnnpack_scale.ts, contract/conv_input_extents.ts), so the adapter's unsupported_by_scheme names the field the
 * contract's names:
 *   - a non-normal scale beside relu with y_zero_point at the maximum: the scale (the adapter named the range, which it
 *     checked before calling XNNPACK);
 *   - a requantization scale >= 256 beside such a range: the range (XNNPACK's order; alone, its message stays XNNPACK's
 *     status, "xnn_create_convolution2d_nhwc_qs8: xnn_status_unsupported_parameter", which vectors/xnnpack-2022 records).
 *   - C = 0, and an input of height or width 0 whose padding gives an output: x (the xnnpack schemes computed them, the
 *     requantized bias, and the adapter answered backend_error); beside a scale XNNPACK refuses: the scale.
 * A stride / dilation wider than XNNPACK's uint32_t parameters is not given to XNNPACK: the
 * adapter passed it wrapped (2^32 as 0, refused; 2^32 + 1 as 1, another conv whose 4000 output rows overran the
 * adapter's one-row buffer: SIGSEGV).
 */
import { describe, expect, it } from 'vitest';
import { cpuModel, wrapCommand } from '../../conformance/backends/cpu/cpu_models.js';
import { ARM64_QEMU_ARGS, XNNPACK_ADAPTER, XNNPACK_ARM64_ADAPTER } from '../../conformance/backends/native/native_adapters.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

type Q = 'qint8' | 'quint8';
interface ConvOptions {
  dtype?: Q;
  perChannel?: boolean;
  relu?: boolean;
  yZeroPoint?: number;
  xScale?: number;
  wScales?: number[];
  yScale?: number;
  xShape?: number[];
  padding?: [number, number];
  stride?: [number, number];
  dilation?: [number, number];
}

/** A 1x1 conv (OC = the weight scales' count), bias 7, under `scheme`, with the options given. */
function conv(id: string, scheme: string, o: ConvOptions): WireRequest {
  const wScales = o.wScales ?? [1];
  const k = wScales.length;
  const xShape = o.xShape ?? [1, 1, 1, 1];
  const c = xShape[1]!;
  const count = xShape.reduce((p, d) => p * d, 1);
  return {
    id,
    op: 'quantized_conv2d@1',
    attrs: { scheme, accumulator: 'int32_wrap', stride: o.stride ?? [1, 1], padding: o.padding ?? [0, 0], dilation: o.dilation ?? [1, 1], groups: 1, relu: o.relu ?? false, x_scale: f64ToHex(o.xScale ?? 1), x_zero_point: 0, y_scale: f64ToHex(o.yScale ?? 1), y_zero_point: o.yZeroPoint ?? 3, weight_quantization: o.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: { dtype: o.dtype ?? 'qint8', shape: xShape, values: Array.from({ length: count }, (_, i) => (i % 100) + 1) },
      weight: { dtype: 'qint8', shape: [k, c, 1, 1], values: Array(k * c).fill(2) },
      weight_scales: { dtype: 'float64', shape: [k], hex: wScales.map(f64ToHex) },
      weight_zero_points: { dtype: 'int64', shape: [k], values: Array(k).fill(0) },
      bias: { dtype: 'int32', shape: [k], values: Array(k).fill(7) },
    },
  } as WireRequest;
}

/** The adapter's answer: the contract's code and field (or, for a requantization scale >= 256, XNNPACK's status as the message), or backend_error naming the cause. */
type Row = { id: string; request: WireRequest; expect: { code: 'unsupported_by_scheme'; message?: RegExp } | { code: 'backend_error'; message: RegExp } };

/** `quantized_conv2d: <field>:`, the start of a refusal's message that names its field. */
const fieldOf = (message: string) => /^quantized_conv2d: [^:]+:/.exec(message)?.[0] ?? `(no field: ${message})`;

/** The rows under the schemes the adapter computes on a CPU (`perTensor`: qs8 / qu8's; qc8's is xnnpack-fp32@1). */
function rows(perTensor: string): Row[] {
  const out: Row[] = [];
  const refused = (id: string, perChannel: boolean, o: ConvOptions, message?: RegExp) =>
    out.push({ id, request: conv(id, perChannel ? 'xnnpack-fp32@1' : perTensor, { ...o, perChannel }), expect: { code: 'unsupported_by_scheme', ...(message ? { message } : {}) } });
  const status256 = /^xnn_create_convolution2d_nhwc_q[scu]8: xnn_status_unsupported_parameter$/;
  for (const [dtype, max] of [['qint8', 127], ['quint8', 255]] as const) {
    const atMax = { dtype, relu: true, yZeroPoint: max };
    refused(`x_scale-2^-133-and-one-value-range-${dtype}`, false, { ...atMax, xScale: 2 ** -133, wScales: [2 ** 120] });
    refused(`y_scale-1e39-and-one-value-range-${dtype}`, false, { ...atMax, yScale: 1e39 });
    refused(`one-value-range-${dtype}`, false, atMax);
    refused(`one-value-range-and-scale-2^-33-${dtype}`, false, { ...atMax, xScale: 2 ** -33 });
    refused(`one-value-range-and-scale-512-${dtype}`, false, { ...atMax, xScale: 512 });
    refused(`scale-512-${dtype}`, false, { dtype, xScale: 512 }, status256);
    refused(`scale-2^-33-${dtype}`, false, { dtype, xScale: 2 ** -33 });
  }
  refused('per-channel-w_scale-1e-46-and-one-value-range', true, { relu: true, yZeroPoint: 127, wScales: [1, 1e-46] });
  refused('per-channel-scale-512', true, { wScales: [1, 512] }, status256);
  // the input extents (contract/conv_input_extents.ts): after every scale and range refusal, C = 0 before H or W = 0
  for (const dtype of ['qint8', 'quint8'] as const) {
    refused(`C-0-${dtype}`, false, { dtype, xShape: [1, 0, 2, 2] });
    refused(`C-0-H-0-padded-${dtype}`, false, { dtype, xShape: [1, 0, 0, 2], padding: [1, 0] });
    refused(`H-0-padded-${dtype}`, false, { dtype, xShape: [1, 1, 0, 2], padding: [1, 0] });
    refused(`W-0-padded-${dtype}`, false, { dtype, xShape: [2, 3, 2, 0], padding: [0, 1] });
    refused(`C-0-and-scale-2^-33-${dtype}`, false, { dtype, xShape: [1, 0, 2, 2], xScale: 2 ** -33 });
    refused(`C-0-and-scale-512-${dtype}`, false, { dtype, xShape: [1, 0, 2, 2], xScale: 512 }, status256);
    refused(`H-0-padded-and-one-value-range-${dtype}`, false, { dtype, relu: true, yZeroPoint: dtype === 'qint8' ? 127 : 255, xShape: [1, 1, 0, 2], padding: [1, 0] });
  }
  refused('per-channel-C-0', true, { xShape: [1, 0, 2, 2], wScales: [1, 0.5] });
  refused('per-channel-W-0-padded', true, { xShape: [1, 2, 3, 0], padding: [0, 2], wScales: [1, 0.5] });
  refused('per-channel-C-0-and-scale-512', true, { xShape: [1, 0, 2, 2], wScales: [1, 512] }, status256);
  const failed = (id: string, o: ConvOptions, message: RegExp) => out.push({ id, request: conv(id, perTensor, o), expect: { code: 'backend_error', message } });
  failed('stride-2^32+1', { xShape: [1, 1, 4000, 1], stride: [2 ** 32 + 1, 1] }, /^not given to XNNPACK: .* stride\[0\] = 4294967297 does not fit/);
  failed('stride-2^32', { stride: [1, 2 ** 32] }, /^not given to XNNPACK: .* stride\[1\] = 4294967296 does not fit/);
  failed('dilation-2^32', { dilation: [2 ** 32, 1] }, /^not given to XNNPACK: .* dilation\[0\] = 4294967296 does not fit/);
  return out;
}

describe('the XNNPACK adapter explains XNNPACK\'s refusals as the contract orders them', () => {
  it('the contract: each unsupported_by_scheme row is refused, each backend_error row computed (no contract code to map it to)', () => {
    let refusedRows = 0;
    for (const perTensor of ['xnnpack-fp32@1', 'xnnpack-rndnu@1']) {
      for (const { id, request, expect: want } of rows(perTensor)) {
        for (const [name, ops] of IMPLEMENTATIONS) {
          const got = evaluateRequest(ops, request);
          const replay = `${id} ${perTensor} on ${name} (replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend ${name})`;
          expect('error' in got ? got.error.code : 'outputs', replay).toBe(want.code === 'backend_error' ? 'outputs' : want.code);
          if (want.code === 'unsupported_by_scheme') refusedRows++;
        }
      }
    }
    expect(refusedRows).toBe(2 * IMPLEMENTATIONS.length * 33);
  });
  it('the contract names x for the input extents, after the scales (XNNPACK\'s order)', () => {
    const named = (id: string, o: ConvOptions) => {
      const got = evaluateRequest(IMPLEMENTATIONS[0]![1], conv(id, 'xnnpack-fp32@1', o));
      return 'error' in got ? fieldOf(got.error.message) : 'outputs';
    };
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, conv('C-0', 'xnnpack-rndnu@1', { xShape: [1, 0, 2, 2] }));
      expect('error' in got && got.error.message, name).toMatch(/^quantized_conv2d: x: .*xnnpack-rndnu@1: XNNPACK refuses 0 input channels per group \(C = 0; convolution-nhwc\.c create_convolution2d_nhwc: group_input_channels == 0 is xnn_status_invalid_parameter\)/);
      const h0 = evaluateRequest(ops, conv('H-0', 'xnnpack-fp32@1', { xShape: [1, 1, 0, 2], padding: [1, 0] }));
      expect('error' in h0 && h0.error.message, name).toMatch(/XNNPACK refuses an input of height or width 0 \(H = 0, W = 2; convolution-nhwc\.c setup_convolution2d_nhwc: input_width == 0 \|\| input_height == 0 is xnn_status_invalid_parameter\)/);
    }
    expect(named('C-0-and-scale-512', { xShape: [1, 0, 2, 2], xScale: 512 })).toBe('quantized_conv2d: XNNPACK requantization scale:');
    expect(named('C-0-and-scale-2^-33', { xShape: [1, 0, 2, 2], xScale: 2 ** -33 })).toBe('quantized_conv2d: XNNPACK requantization scale:');
    expect(named('C-0-and-one-value-range', { xShape: [1, 0, 2, 2], relu: true, yZeroPoint: 127 })).toBe('quantized_conv2d: y_zero_point:');
    // the other schemes compute them: the requantized bias, or the conv over the padding alone
    const tflite = evaluateRequest(IMPLEMENTATIONS[0]![1], conv('C-0-tflite', 'tflite-single-rounding@1', { xShape: [1, 0, 2, 2] }));
    expect('outputs' in tflite).toBe(true);
  });
});

const xnnpack = builtinBackend('xnnpack')!;
for (const cpu of ['host', 'haswell', 'nehalem', 'arm64'] as const) {
  describe.skipIf(!xnnpack.availability(cpuModel(cpu)).available)(`the XNNPACK adapter on ${cpu}`, () => {
    it('answers each row: the contract\'s code and field, or backend_error naming the cause', async () => {
      const onArm = cpu === 'arm64';
      const run = wrapCommand(cpuModel(cpu), (onArm ? XNNPACK_ARM64_ADAPTER : XNNPACK_ADAPTER).binary, [], onArm ? ARM64_QEMU_ARGS : []);
      const adapterCommand = [run.command, ...run.args].join(' ');
      const b = await xnnpack.create(cpuModel(cpu));
      try {
        const all = rows(onArm ? 'xnnpack-rndnu@1' : 'xnnpack-fp32@1');
        for (const { id, request, expect: want } of all) {
          const got = (await b.run(request, { timeoutMs: 120_000 })) as { error?: { code: string; message: string } };
          const replay = `${id} on xnnpack --cpu ${cpu} (replay: echo '${JSON.stringify(request)}' | ${adapterCommand}): ${JSON.stringify(got).slice(0, 400)}`;
          expect(got.error?.code, replay).toBe(want.code);
          if (want.message) {
            expect(got.error!.message, replay).toMatch(want.message);
            continue;
          }
          const contract = evaluateRequest(IMPLEMENTATIONS[0]![1], request);
          expect('error' in contract && fieldOf(got.error!.message), replay).toBe('error' in contract && fieldOf(contract.error.message));
        }
        expect(all.length).toBe(36);
      } finally {
        await b.close?.();
      }
    }, 300_000);
  });
}
