/**
 * The libraries the built-ins wrap apply none of the contract's size limits. The native adapters (XNNPACK, gemmlowp:
 * conformance/backends/native/): see below; torch 1.13 (and 2.6) and ONNX Runtime answered the padding of 100000 with
 * their allocators' failures ("DefaultCPUAllocator: can't allocate memory: you tried to allocate 40000400081 bytes",
 * ORT's BFCArena), and allocate and compute a smaller excess. The native adapters apply none of the contract's size limits
 * (contract/limits.ts). A quantized_conv2d@1 padding of 100000 around a 1x1 input made the XNNPACK adapter allocate
 * the padded input and answer backend_error "std::bad_alloc" (its process could as well have died), and a requantize@1
 * acc stated as 2^22 + 1 elements got gemmlowp's own answer, where reference/ and impl/ answer too_large. The built-ins
 * now refuse such a request before the adapter (conformance/backends/too_large_first.ts) with the contract's refusal;
 * the same requests within the limits still reach the library and agree. Live adapters (npm run build:native).
 */
import { describe, expect, it } from 'vitest';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { f32ToHex, f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS, replayBackend } from '../support/implementations.js';

const xnnpack = builtinBackend('xnnpack')!;
const gemmlowp = builtinBackend('gemmlowp')!;

/** A 1x1 conv of a 1x1 input with `padding` on both axes (by default xnnpack-fp32@1; torch's schemes take a quint8 input and a float32 bias). */
const paddedConv = (padding: number, scheme = 'xnnpack-fp32@1'): WireRequest =>
  ({
    id: `pad-${padding}`,
    op: 'quantized_conv2d@1',
    attrs: { scheme, accumulator: 'int32_wrap', stride: [1, 1], padding: [padding, padding], dilation: [1, 1], groups: 1, relu: false, x_scale: f64ToHex(0.5), x_zero_point: 0, y_scale: f64ToHex(1), y_zero_point: 0, weight_quantization: 'per_tensor' },
    inputs: {
      x: { dtype: scheme.startsWith('torch') ? 'quint8' : 'qint8', shape: [1, 1, 1, 1], values: [3] },
      weight: { dtype: 'qint8', shape: [1, 1, 1, 1], values: [2] },
      weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(0.25)] },
      weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
      bias: scheme.startsWith('torch') ? { dtype: 'float32', shape: [1], hex: [f32ToHex(1)] } : { dtype: 'int32', shape: [1], values: [1] },
    },
  }) as WireRequest;

/** requantize@1 of an acc stated as `n` elements, holding `values`. */
const requantize = (n: number, values: number[]): WireRequest =>
  ({
    id: `requantize-${n}`,
    op: 'requantize@1',
    attrs: { scheme: 'tflite-double-rounding@1', multiplier: 1 << 30, shift: -1, zero_point: 3, output_min: -128, output_max: 127 },
    inputs: { acc: { dtype: 'int32', shape: [n], values } },
  }) as WireRequest;

/** Runs `requests` on the built-in `b` and expects every implementation's answer, `code` for the first. */
async function expectContractAnswers(name: string, requests: readonly WireRequest[], tooLarge: WireRequest): Promise<void> {
  const b = await builtinBackend(name)!.create();
  try {
    for (const r of [tooLarge, ...requests]) {
      const got = await b.run(r, { timeoutMs: 60_000 });
      const line = JSON.stringify(r);
      // (the 2^22 + 1 element request is 8 MB: its replay is this file's request builder)
      const replay = (impl: string) => (line.length > 4096 ? `${r.id} on ${name} (replay: npx vitest run tests/backends/builtin_too_large.test.ts)` : `${r.id} on ${name} (replay: echo '${line}' | ${replayBackend(impl)})`);
      for (const [impl, ops] of IMPLEMENTATIONS) expect(got, `${replay(impl)}: ${JSON.stringify(got).slice(0, 300)}`).toEqual(evaluateRequest(ops, r));
    }
    const refused = evaluateRequest(IMPLEMENTATIONS[0]![1], tooLarge);
    expect('error' in refused && refused.error.code, tooLarge.id).toBe('too_large');
  } finally {
    await b.close?.();
  }
}

describe('the built-ins over a library refuse a request beyond the contract\'s size limits before the library', () => {
  it.skipIf(!xnnpack.availability().available)('xnnpack: padding 100000 around a 1x1 input is too_large (was backend_error std::bad_alloc); padding 2 runs', async () => {
    await expectContractAnswers('xnnpack', [paddedConv(2)], paddedConv(100_000));
  });

  it.skipIf(!gemmlowp.availability().available)('gemmlowp: an acc of MAX_TENSOR_ELEMENTS + 1 elements is too_large; 3 elements run', async () => {
    await expectContractAnswers('gemmlowp', [requantize(3, [5, -1000, 70000])], requantize(MAX_TENSOR_ELEMENTS + 1, new Array<number>(MAX_TENSOR_ELEMENTS + 1).fill(5)));
  });

  for (const [name, scheme] of [['torch-qnnpack', 'torch-qnnpack@1'], ['torch-onednn', 'torch-onednn@1'], ['torch26-qnnpack', 'torch-qnnpack@1'], ['onnxruntime', 'onnxruntime@1']] as const) {
    it.skipIf(!builtinBackend(name)!.availability().available)(`${name}: padding 100000 around a 1x1 input is too_large (was its allocator's failure, backend_error); padding 2 runs`, async () => {
      await expectContractAnswers(name, [paddedConv(2, scheme)], paddedConv(100_000, scheme));
    });
  }
});
