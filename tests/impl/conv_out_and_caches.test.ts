/**
 * impl's conv call options and per-tensor caches (impl/conv/conv_out.ts, impl/conv/channel_params.ts,
 * impl/conv/wasm/packed_weights.ts): a caller-provided output buffer gives the same bits as a fresh output on both
 * paths and is the returned data; a wrong one is a typed error; a cached preparation or packing is never reused after
 * the caller writes to its tensors (scales, bias, weights, zero points, qparams), each checked against a call on fresh
 * copies, and each mutation must change the outputs (else the check would be vacuous).
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import { QconformError } from '../../contract/errors.js';
import { type IntData, f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { preparedChannelParams } from '../../impl/conv/channel_params.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';

function layer(seed: string, scheme: RequantScheme, groups: number): Conv2dArgs {
  const r = new CaseRandom(seed);
  const [n, c, h, w, oc, k] = [2, groups === 1 ? 6 : groups, 7, 9, groups === 1 ? 5 : groups, 3];
  const icg = c / groups;
  return {
    x: intTensor('quint8', [n, c, h, w], Array.from({ length: n * c * h * w }, () => r.int(0, 255))),
    xScale: 0.02,
    xZeroPoint: 100,
    weight: intTensor('qint8', [oc, icg, k, k], Array.from({ length: oc * icg * k * k }, () => r.int(-128, 127))),
    weightQuantization: 'per_channel',
    weightScales: f64Tensor([oc], Array.from({ length: oc }, () => 0.001 + r.next() * 0.004)),
    weightZeroPoints: intTensor('int64', [oc], new Array(oc).fill(0)),
    bias: scheme.startsWith('torch') ? null : intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-3000, 3000))),
    stride: [1, 1],
    padding: [1, 1],
    dilation: [1, 1],
    groups,
    relu: false,
    yScale: 0.25,
    yZeroPoint: 120,
    scheme,
    accumulator: 'int32_wrap',
  };
}

/** The same conv on copies of every tensor (nothing cached for them). */
function fresh(a: Conv2dArgs): Conv2dArgs {
  const copy = <T extends { data: IntData | Float64Array | Float32Array }>(t: T): T => ({ ...t, data: t.data.slice() });
  return { ...a, x: copy(a.x), weight: copy(a.weight), weightScales: copy(a.weightScales), weightZeroPoints: copy(a.weightZeroPoints), bias: a.bias === null ? null : copy(a.bias) };
}

const SCHEMES: readonly RequantScheme[] = ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'];
const PATHS = ['wasm', 'js'] as const;

describe('impl conv: caller-provided output buffer', () => {
  for (const path of PATHS) {
    for (const scheme of SCHEMES) {
      for (const groups of [1, 4]) {
        it(`${path} ${scheme} groups ${groups}: same bits as a fresh output, written into the buffer`, () => {
          const a = layer(`conv-out ${scheme} ${groups}`, scheme, groups);
          const expected = quantizedConv2dOn(path, fresh(a));
          const out = new Int32Array(expected.data.length).fill(-999);
          for (let i = 0; i < 2; i++) {
            const y = quantizedConv2dOn(path, a, undefined, { out });
            expect(y.data).toBe(out);
            expect(y.shape).toEqual(expected.shape);
            expect(Array.from(out)).toEqual(Array.from(expected.data));
          }
        });
      }
    }
  }

  it('refuses a buffer of the wrong length, type or overlapping an input (typed shape_mismatch); another part of an input\'s ArrayBuffer is fine', () => {
    const a = layer('conv-out bad', 'onnxruntime@1', 1);
    const n = 2 * 5 * 7 * 9;
    const bad: unknown[] = [new Int32Array(n - 1), new Int32Array(n + 1), new Float32Array(n), Array.from({ length: n }, () => 0)];
    const shared = new Int32Array(a.x.data.length + n);
    shared.set(a.x.data);
    const aliased = { ...a, x: { ...a.x, data: shared.subarray(0, a.x.data.length) } };
    for (const path of PATHS) {
      for (const out of bad) {
        expect(() => quantizedConv2dOn(path, a, undefined, { out: out as Int32Array }), String(out)).toThrowError(/quantized_conv2d: out: .*\[shape_mismatch\]/);
      }
      expect(() => quantizedConv2dOn(path, aliased, undefined, { out: shared.subarray(a.x.data.length - 1, a.x.data.length - 1 + n) })).toThrowError(/shares memory with x/);
      // the elements after x in the same ArrayBuffer (as an arena, or Node's pool of small Buffers, lays them out)
      const beside = shared.subarray(a.x.data.length);
      expect(quantizedConv2dOn(path, aliased, undefined, { out: beside }).data).toBe(beside);
      expect(Array.from(beside)).toEqual(Array.from(quantizedConv2dOn('js', a).data));
      expect(() => quantizedConv2dOn(path, a, undefined, { out: new Int32Array(1) })).toThrowError(QconformError);
    }
  });

  it('a contract error comes before an output-buffer error (the canonical first rule)', () => {
    const a = layer('conv-out order', 'onnxruntime@1', 1);
    const x = a.x.data.slice();
    x[3] = 256;
    for (const path of PATHS) {
      expect(() => quantizedConv2dOn(path, { ...a, x: { ...a.x, data: x } }, undefined, { out: new Int32Array(1) })).toThrowError(/quantized_conv2d: x\[3\]: .*\[invalid_integer\]/);
    }
  });
});

describe('impl conv caches: a mutated tensor is never served from the cache', () => {
  type Mutation = readonly [string, (a: Conv2dArgs) => Conv2dArgs];
  const MUTATIONS: readonly Mutation[] = [
    ['weight scale', (a) => { a.weightScales.data[1] = (a.weightScales.data[1] as number) * 1.5; return a; }],
    ['bias value', (a) => { if (a.bias) a.bias.data[2] = (a.bias.data[2] as number) + 777; else a.weightScales.data[2] = (a.weightScales.data[2] as number) * 0.5; return a; }],
    ['weight value', (a) => { a.weight.data[4] = a.weight.data[4] === 127 ? -128 : 127; return a; }],
    ['y scale (same tensors)', (a) => ({ ...a, yScale: a.yScale * 0.75 })],
    ['y zero point (same tensors)', (a) => ({ ...a, yZeroPoint: a.yZeroPoint - 30 })],
    ['relu (same tensors)', (a) => ({ ...a, relu: true })],
    ['x scale (same tensors)', (a) => ({ ...a, xScale: a.xScale * 1.25 })],
  ];
  for (const path of PATHS) {
    for (const scheme of SCHEMES) {
      for (const [name, mutate] of MUTATIONS) {
        it(`${path} ${scheme}: ${name}`, () => {
          const a = layer(`conv-cache ${scheme}`, scheme, 1);
          const before = Array.from(quantizedConv2dOn(path, a).data);
          const b = mutate(a);
          const after = Array.from(quantizedConv2dOn(path, b).data);
          expect(after).toEqual(Array.from(quantizedConv2dOn(path, fresh(b)).data));
          expect(after, 'the mutation changed no output: the check is vacuous').not.toEqual(before);
        });
      }
    }
  }
});

describe('impl conv prepared-parameter cache: one entry per layer (impl/conv/channel_params.ts keys on the weight)', () => {
  it('keeps two layers that share their scale and bias tensors apart: each hit returns that layer\'s own preparation', () => {
    const a = layer('conv-cache layer a', 'onnxruntime@1', 1);
    const other = layer('conv-cache layer b', 'onnxruntime@1', 1);
    const b: Conv2dArgs = { ...other, weightScales: a.weightScales, bias: a.bias, yScale: a.yScale * 2 };
    const ga = checkConv2d(a);
    const gb = checkConv2d(b);
    const pa = preparedChannelParams(a, ga);
    const pb = preparedChannelParams(b, gb);
    expect(pb, 'the two layers prepare differently (else the check is vacuous)').not.toEqual(pa);
    // keyed on the shared scale tensor, b's entry replaced a's and these would be new arrays
    expect(preparedChannelParams(a, ga)).toBe(pa);
    expect(preparedChannelParams(b, gb)).toBe(pb);
    expect(Array.from(quantizedConv2dOn('wasm', a).data)).toEqual(Array.from(quantizedConv2dOn('js', fresh(a)).data));
    expect(Array.from(quantizedConv2dOn('wasm', b).data)).toEqual(Array.from(quantizedConv2dOn('js', fresh(b)).data));
  });
});

describe('impl conv prepack guard on a large weight tensor (compared in WebAssembly, words_equal)', () => {
  // 83 x 63 = 5229 words: above packed_weights.ts's WASM_COMPARE_WORDS and not a multiple of 4 (the scalar tail runs)
  function pointwise(): Conv2dArgs {
    const r = new CaseRandom('conv-cache large');
    const [c, oc, h, w] = [63, 83, 3, 5];
    return {
      ...layer('conv-cache large base', 'onnxruntime@1', 1),
      x: intTensor('quint8', [1, c, h, w], Array.from({ length: c * h * w }, () => r.int(0, 255))),
      weight: intTensor('qint8', [oc, c, 1, 1], Array.from({ length: oc * c }, () => r.int(-128, 127))),
      weightScales: f64Tensor([oc], Array.from({ length: oc }, () => 0.001 + r.next() * 0.004)),
      weightZeroPoints: intTensor('int64', [oc], new Array(oc).fill(0)),
      bias: intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-3000, 3000))),
      padding: [0, 0],
    };
  }
  for (const at of ['first', 'middle', 'last'] as const) {
    it(`a write to the ${at} weight is seen`, () => {
      const a = pointwise();
      const i = at === 'first' ? 0 : at === 'middle' ? 2601 : a.weight.data.length - 1;
      const before = Array.from(quantizedConv2dOn('wasm', a).data);
      expect(Array.from(quantizedConv2dOn('wasm', a).data)).toEqual(before); // a hit
      a.weight.data[i] = a.weight.data[i] === 127 ? -128 : 127;
      const after = Array.from(quantizedConv2dOn('wasm', a).data);
      expect(after).toEqual(Array.from(quantizedConv2dOn('js', fresh(a)).data));
      expect(after, 'the mutation changed no output: the check is vacuous').not.toEqual(before);
    });
  }
});

describe('impl conv: the depthwise WebAssembly kernels in runs of channels (impl/conv/wasm_conv.ts DEPTHWISE_CHUNK_BYTES)', () => {
  // 2 x 96 channels of 30 x 30 (900 int32 words): 36 channels per kernel call, so 3 calls per batch element, the last one
  // partial (one-byte storage: tests/impl/conv_byte_storage.test.ts)
  const chunked = (kernel: '3x3' | '5x5', multiplier: number): Conv2dArgs => {
    const r = new CaseRandom(`conv-out chunked ${kernel} ${multiplier}`);
    const [n, c, h, w, k] = [2, 96, 30, 30, kernel === '3x3' ? 3 : 5];
    const oc = c * multiplier;
    return {
      ...layer(`conv-out chunked ${kernel}`, 'onnxruntime@1', 1),
      x: intTensor('quint8', [n, c, h, w], Array.from({ length: n * c * h * w }, () => r.int(0, 255))),
      weight: intTensor('qint8', [oc, 1, k, k], Array.from({ length: oc * k * k }, () => r.int(-128, 127))),
      weightScales: f64Tensor([oc], Array.from({ length: oc }, () => 0.001 + r.next() * 0.004)),
      weightZeroPoints: intTensor('int64', [oc], new Array(oc).fill(0)),
      bias: intTensor('int32', [oc], Array.from({ length: oc }, () => r.int(-3000, 3000))),
      padding: [k >> 1, k >> 1],
      groups: c,
    };
  };
  for (const [kernel, name] of [['3x3', 'depthwise_3x3'], ['5x5', 'depthwise']] as const) {
    for (const multiplier of [1, 2]) {
      it(`${kernel} (${name} kernel), channel multiplier ${multiplier}: every output written, into a sentinel-filled buffer and a fresh (not zeroed) array, as the JavaScript path`, () => {
        const a = chunked(kernel, multiplier);
        const expected = quantizedConv2dOn('js', a).data;
        // the first difference only (a diff of 10^5 elements would take the reporter minutes)
        const firstDifference = (got: IntData) => {
          const i = got.findIndex((v, j) => v !== expected[j]);
          return i < 0 ? null : `output ${i}: ${got[i]}, the JavaScript path ${expected[i]}`;
        };
        const counter = { wasm: 0, kernels: {} as WasmKernelCounts };
        const out = new Int32Array(expected.length).fill(-999);
        quantizedConv2dOn('wasm', a, counter, { out });
        expect(firstDifference(out)).toBeNull();
        expect(firstDifference(quantizedConv2dOn('wasm', a, counter).data)).toBeNull();
        expect(counter.kernels[name], `the ${name} kernel ran`).toBe(2);
        expect(new Set(expected).size, 'the outputs vary (not vacuous)').toBeGreaterThan(50);
      });
    }
  }
});
