/**
 * Inputs XNNPACK 2022-02-16 (Debian's libxnnpack 0.0~git20220216, built with assertions) does not compute, and the
 * xnnpack schemes refuse with unsupported_by_scheme, as the native adapter answers them:
 *   - relu with y_zero_point at the dtype's maximum: the output clamp is one value, and xnn_create_convolution2d_nhwc_*
 *     returns xnn_status_invalid_parameter (contract/conv_schemes.ts outputRange; measured with a C probe of
 *     xnn_create_convolution2d_nhwc_qs8, _qc8 and _qu8 on Debian's libxnnpack: status 2 at [qmax, qmax], 0 at [qmax - 1, qmax]);
 *   - a per-tensor requantization scale below 2^-32 (0 included): params-init.c's initializers assert scale >= 2^-32
 *     and the process aborts (x86 fp32: avx512 here, avx2 on Haswell, sse4/sse2 on Nehalem; arm64 rndnu); the
 *     per-channel qc8 operator does not assert and computes (contract/xnnpack_scale.ts);
 *   - an x, weight or y scale whose float32 is not normal (subnormal, 0, +inf): xnn_create_convolution2d_nhwc_qs8/qc8/qu8
 *     return xnn_status_invalid_parameter (convolution-nhwc.c `scale <= 0.0f || !isnormal(scale)`; the adapter answered
 *     backend_error before, and qconform computed x_scale 2^-133 per channel and with w_scale 2^120 per tensor).
 * The contract rows run everywhere; the live rows run the adapter on every CPU model it has here.
 */
import { describe, expect, it } from 'vitest';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { cpuModel, wrapCommand } from '../../conformance/backends/cpu/cpu_models.js';
import { ARM64_QEMU_ARGS, XNNPACK_ADAPTER, XNNPACK_ARM64_ADAPTER } from '../../conformance/backends/native/native_adapters.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { convArgs, convWireRequest } from '../support/conv_args.js';
import { IMPLEMENTATIONS, replayBackend } from '../support/implementations.js';

const wire = convWireRequest;

/**
 * relu with y_zero_point `yZeroPoint`: x = 5, weight 1, scales 1 (the one-value clamp of the header's C probe; the live
 * rows below run it through the adapter on each CPU model).
 */
const reluConv = (scheme: RequantScheme, dtype: QuantDtype, yZeroPoint: number): Conv2dArgs =>
  convArgs({ x: intTensor(dtype, [1, 1, 1, 1], [5]), weight: intTensor('qint8', [1, 1, 1, 1], [1]), relu: true, yZeroPoint, bias: intTensor('int32', [1], [0]), scheme, accumulator: 'int32_wrap' });

/**
 * x = 100, weight 100, bias 2^31 - 1, y_zero_point 3, with the requantization scale f32(f32(x_scale w_scale) / y_scale)
 * = `scale` (a power of two, or 0 through an underflowed product); per-channel convs have two output channels
 * (params-init.c's scale >= 2^-32 assertion, in the header; the live rows below run them through the adapter on each
 * CPU model).
 */
function scaleConv(scheme: RequantScheme, dtype: QuantDtype, scale: number, perChannel: boolean): Conv2dArgs {
  const [xScale, wScale, yScale] = scale === 0 ? [2 ** -80, 2 ** -80, 1] : [1, 1, 1 / scale];
  return scalesConv(scheme, dtype, xScale, Array(perChannel ? 2 : 1).fill(wScale), yScale, perChannel);
}

/**
 * x = 100, weight 100, bias 2^31 - 1, y_zero_point 3 with the scales given (the wire's float64s; per-channel convs have
 * one output channel per weight scale): XNNPACK refuses a scale whose float32 is not normal (convolution-nhwc.c).
 */
function scalesConv(scheme: RequantScheme, dtype: QuantDtype, xScale: number, wScales: number[], yScale: number, perChannel: boolean): Conv2dArgs {
  const k = wScales.length;
  return convArgs({
    x: intTensor(dtype, [1, 1, 1, 1], [100]),
    weight: intTensor('qint8', [k, 1, 1, 1], Array(k).fill(100)),
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([k], wScales),
    weightZeroPoints: intTensor('int64', [k], Array(k).fill(0)),
    xScale,
    yScale,
    yZeroPoint: 3,
    bias: intTensor('int32', [k], Array(k).fill(2 ** 31 - 1)),
    scheme,
    accumulator: 'int32_wrap',
  });
}

type Row = { id: string; request: WireRequest; expected: { code: 'unsupported_by_scheme' } | { y: number[] } };
const refused = { code: 'unsupported_by_scheme' } as const;

/** Each row's request and what every implementation answers. */
function rows(scheme: 'xnnpack-fp32@1' | 'xnnpack-rndnu@1'): Row[] {
  const out: Row[] = [];
  const row = (id: string, a: Conv2dArgs, expected: Row['expected']) => out.push({ id, request: wire(a, id), expected });
  for (const [dtype, max] of [['qint8', 127], ['quint8', 255]] as const) {
    row(`${scheme}-relu-zp-max-${dtype}`, reluConv(scheme, dtype, max), refused);
    row(`${scheme}-relu-zp-below-max-${dtype}`, reluConv(scheme, dtype, max - 1), { y: [max] });
  }
  // 100 * 100 + (2^31 - 1) wraps to -2^31 + 9999; any scale below 2^-31 puts the output at the zero point, 3
  for (const [name, scale] of [['2^-33', 2 ** -33], ['0', 0]] as const) {
    for (const dtype of ['qint8', 'quint8'] as const) row(`${scheme}-per-tensor-${dtype}-${name}`, scaleConv(scheme, dtype, scale, false), refused);
    row(`${scheme}-per-channel-qint8-${name}`, scaleConv(scheme, 'qint8', scale, true), scheme === 'xnnpack-fp32@1' ? { y: [3, 3] } : refused);
  }
  row(`${scheme}-per-tensor-qint8-2^-32`, scaleConv(scheme, 'qint8', 2 ** -32, false), { y: [3] });
  // a scale whose float32 is subnormal, 0 or +inf: refused whatever the requantization scale (2^-13 with w_scale 2^120)
  for (const dtype of ['qint8', 'quint8'] as const) row(`${scheme}-per-tensor-${dtype}-x_scale-2^-133`, scalesConv(scheme, dtype, 2 ** -133, [2 ** 120], 1, false), refused);
  row(`${scheme}-per-channel-qint8-x_scale-2^-133`, scalesConv(scheme, 'qint8', 2 ** -133, [1, 1], 1, true), refused);
  row(`${scheme}-per-channel-qint8-x_scale-0.4*2^-149`, scalesConv(scheme, 'qint8', 0.4 * 2 ** -149, [1, 1], 1, true), refused);
  row(`${scheme}-per-channel-qint8-w_scale-1e-46`, scalesConv(scheme, 'qint8', 1, [1, 1e-46], 1, true), refused);
  row(`${scheme}-per-channel-qint8-w_scale-2^-140`, scalesConv(scheme, 'qint8', 2 ** 100, [2 ** -140, 1], 2 ** 100, true), refused);
  row(`${scheme}-per-channel-qint8-y_scale-1e39`, scalesConv(scheme, 'qint8', 1, [1, 1], 1e39, true), refused);
  row(`${scheme}-per-tensor-qint8-x_scale-1e39`, scalesConv(scheme, 'qint8', 1e39, [1], 1, false), refused);
  // the float32 is what counts: (1 - 2^-30) 2^-126 is below FLT_MIN as a float64 and rounds to it (normal): computed
  // (the wrapped accumulator -2^31 + 9999 times 2^-26 rounds to -32, plus the zero point 3)
  for (const perChannel of [false, true]) row(`${scheme}-${perChannel ? 'per-channel' : 'per-tensor'}-qint8-x_scale-rounds-to-FLT_MIN`, scalesConv(scheme, 'qint8', (1 - 2 ** -30) * 2 ** -126, [2 ** 100], 1, perChannel), { y: [-29] });
  return out;
}

const ALL_ROWS = [...rows('xnnpack-fp32@1'), ...rows('xnnpack-rndnu@1')];

/** The answer's y values, or its error code. */
const answerOf = (r: { outputs?: { y?: unknown }; error?: { code: string } }) => (r.error ? { code: r.error.code } : { y: (r.outputs?.y as { values: number[] }).values });

describe('the xnnpack schemes refuse a one-value output range, a per-tensor scale below 2^-32 and a scale whose float32 is not normal', () => {
  it.each(ALL_ROWS)('$id', ({ request, expected }) => {
    for (const [name, ops] of IMPLEMENTATIONS) expect(answerOf(evaluateRequest(ops, request)), `${request.id} (replay: echo '${JSON.stringify(request)}' | ${replayBackend(name)})`).toEqual(expected);
  });

  it('other schemes compute relu with y_zero_point at the maximum (the one value)', () => {
    for (const scheme of ['onnxruntime@1', 'tflite-single-rounding@1', 'tflite-double-rounding@1', 'tosa-single-round@1'] as const) {
      const r = wire(reluConv(scheme, 'qint8', 127), `relu-zp-max-${scheme}`);
      for (const [name, ops] of IMPLEMENTATIONS) expect(answerOf(evaluateRequest(ops, r)), `${r.id} (replay: echo '${JSON.stringify(r)}' | ${replayBackend(name)})`).toEqual({ y: [127] });
    }
  });
});

/**
 * The adapter on each CPU model: what it answers must be what the contract says (it must neither crash nor call XNNPACK
 * where XNNPACK aborts). On x86 it computes xnnpack-fp32@1 (the fp32 rows); on arm64 qs8 and qu8 are xnnpack-rndnu@1
 * and qc8 xnnpack-fp32@1 (conformance/backends/native/xnnpack_schemes.ts), so each row is judged under that scheme.
 */
const xnnpack = builtinBackend('xnnpack')!;
for (const cpu of ['host', 'haswell', 'nehalem', 'arm64'] as const) {
  describe.skipIf(!xnnpack.availability(cpuModel(cpu)).available)(`the XNNPACK adapter on ${cpu}`, () => {
    it('answers each row as the contract does', async () => {
      const b = await xnnpack.create(cpuModel(cpu));
      try {
        const onArm = cpu === 'arm64';
        const run = wrapCommand(cpuModel(cpu), (onArm ? XNNPACK_ARM64_ADAPTER : XNNPACK_ADAPTER).binary, [], onArm ? ARM64_QEMU_ARGS : []);
        const adapterCommand = [run.command, ...run.args].join(' ');
        const schemeOf = (r: WireRequest) => (onArm && (r.attrs as { weight_quantization: string }).weight_quantization === 'per_tensor' ? 'xnnpack-rndnu@1' : 'xnnpack-fp32@1');
        let judged = 0;
        for (const { request, expected } of ALL_ROWS) {
          if ((request.attrs as { scheme: string }).scheme !== schemeOf(request)) continue;
          const lib = await b.run(request, { timeoutMs: 120_000 });
          expect(answerOf(lib as never), `${request.id} on xnnpack --cpu ${cpu} (replay: echo '${JSON.stringify(request)}' | ${adapterCommand})`).toEqual(expected);
          judged++;
        }
        expect(judged).toBe(21);
      } finally {
        await b.close?.();
      }
    }, 300_000);
  });
}
