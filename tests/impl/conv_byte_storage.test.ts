/**
 * impl's quantized_conv2d@1 on one-byte tensors (contract/tensor.ts IntData: x in a Uint8Array or an Int8Array, the
 * weight in an Int8Array, as ONNX Runtime holds them): the same outputs, bit for bit, as the conv on Int32Array
 * storage, stored in the output dtype's one-byte array (impl/conv/conv_out.ts), on the WebAssembly path (whose
 * depthwise 3x3 kernel reads and writes bytes, impl/conv/wasm/depthwise_3x3_kernels.c) and the JavaScript one; a
 * caller's out of either storage; values a byte holds but the dtype does not refused as on Int32Array storage.
 * Seeded; each failure names its seed and geometry.
 */
import { describe, expect, it } from 'vitest';
import { ACCUMULATORS, REQUANT_SCHEMES } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import { byteTensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2dOn } from '../../impl/conv/conv2d.js';
import { dtypeByteArray } from '../../impl/conv/conv_out.js';
import { channelQuant } from '../../impl/conv/channel_quant.js';
import { wasmRequantMode } from '../../impl/conv/wasm/requant_mode.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';
import { REQUANT_IMPL } from '../../impl/requant/index.js';
import { KINDS, convFor, convInBytes, drawGeometry, outcome } from '../support/conv_draw.js';

const counter = { wasm: 0, kernels: {} as WasmKernelCounts };
const wasm = implOnConvPath('wasm', counter);
const js = implOnConvPath('js');

describe('impl conv on one-byte tensors == the same conv on Int32Array tensors', () => {
  it('gives the same outputs, stored in the output dtype\'s byte array when x is, on both paths, every scheme, accumulator and kernel kind, not vacuously', () => {
    let compared = 0;
    let withOutputs = 0;
    let onWasm = 0;
    const kinds = new Set<string>();
    for (const scheme of REQUANT_SCHEMES) {
      for (const accumulator of ACCUMULATORS) {
        for (const kind of KINDS) {
          const seed = `conv byte storage ${scheme} ${accumulator} ${kind}`;
          const r = new CaseRandom(seed);
          const a = convFor(r, drawGeometry(r, kind), scheme, accumulator);
          const want = outcome(() => js.quantizedConv2d(a));
          // x and weight in bytes, then each alone
          const parts = [{ x: true, weight: true }, { x: true, weight: false }, { x: false, weight: true }][compared % 3]!;
          const b = convInBytes(a, parts);
          const before = counter.wasm;
          const kernelsBefore = { ...counter.kernels };
          expect(outcome(() => wasm.quantizedConv2d(b)), `seed "${seed}" ${JSON.stringify(parts)} (wasm)`).toBe(want);
          expect(outcome(() => js.quantizedConv2d(b)), `seed "${seed}" ${JSON.stringify(parts)} (js)`).toBe(want);
          compared++;
          if (want.startsWith('error')) continue;
          withOutputs++;
          if (counter.wasm > before) onWasm++;
          for (const [k, n] of Object.entries(counter.kernels)) if (n !== kernelsBefore[k as keyof WasmKernelCounts]) kinds.add(k);
          for (const path of [wasm, js]) {
            const data = path.quantizedConv2d(b).data;
            expect(data instanceof (parts.x ? dtypeByteArray(a.x.dtype as QuantDtype) : Int32Array), `seed "${seed}": output storage`).toBe(true);
          }
        }
      }
    }
    expect(compared).toBe(REQUANT_SCHEMES.length * ACCUMULATORS.length * KINDS.length);
    expect(withOutputs / compared).toBeGreaterThan(0.7);
    expect(onWasm).toBeGreaterThan(0.5 * withOutputs);
    // narrow_clamps: depthwise 3x3 convs whose float-scale or tflite clamp the byte narrows applied (impl/conv/wasm/channel_block.ts
    // narrowsClamp); tflite_double_bounded: convs whose tflite-double epilogue took its bounded form
    expect([...kinds].sort()).toEqual(['depthwise', 'depthwise_3x3', 'general', 'general_sat16', 'narrow_clamps', 'tflite_double_bounded']);
  });

  it('leaves the clamp to the byte narrows exactly where that gives the same outputs: full-range clamps with the float-scale epilogue at |f| < 2^22 and with tflite-double-rounding@1 in its bounded form; not with ReLU, beyond those bounds or with Int32Array outputs', () => {
    const narrowed = () => counter.kernels.narrow_clamps ?? 0;
    const bounded = () => counter.kernels.tflite_double_bounded ?? 0;
    const seen = new Map<string, { narrowed: number; saturated: number; bounded: number }>();
    for (const scheme of ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'] as const) {
      const family = scheme === 'tflite-double-rounding@1' ? 'tflite' : 'float scale';
      const seed = `conv byte storage narrow clamps ${scheme}`;
      const r = new CaseRandom(seed);
      // 72 draws: onnxruntime@1's weight zero points now differ per channel (up to 255 from a weight), which takes more of
      // its convs past the float-scale bound than uniform ones did
      for (let i = 0; i < 72; i++) {
        const g = drawGeometry(r, 'depthwise 3x3 fast');
        const drawn = convFor(r, g, scheme, 'int32_wrap');
        // which clamp: the dtype's (narrowed), ReLU's (raised to the zero point), or beyond the bound (float scale: yScale
        // tiny, |f| beyond 2^22; tflite: an int32 bias of 2^30, so acc + bias may reach 2^30 and the bounded form is
        // refused); yScale small enough that many outputs saturate at both ends of the dtype
        const variant = (['full range', 'relu', 'beyond the bound'] as const)[i % 3]!;
        const beyond = variant === 'beyond the bound';
        const yScale = beyond && family === 'float scale' ? drawn.xScale * 1e-9 : drawn.yScale * 0.02;
        const bias = beyond && family === 'tflite' ? intTensor('int32', [g.oc], new Array<number>(g.oc).fill(2 ** 30)) : drawn.bias;
        const dtypeMin = drawn.x.dtype === 'quint8' ? 0 : -128;
        // ReLU raises the clamp to the zero point: one above the dtype's minimum at least, so the clamp is not the dtype's
        const yZeroPoint = variant === 'relu' ? Math.max(drawn.yZeroPoint, dtypeMin + 3) : drawn.yZeroPoint;
        const a = { ...drawn, relu: variant === 'relu', yScale, yZeroPoint, bias };
        const want = outcome(() => js.quantizedConv2d(a));
        if (want.startsWith('error')) continue;
        const { min, max } = a.x.dtype === 'quint8' ? { min: 0, max: 255 } : { min: -128, max: 127 };
        for (const bytes of [true, false]) {
          const [before, boundedBefore] = [narrowed(), bounded()];
          const b = bytes ? convInBytes(a, { x: true, weight: true }) : a;
          expect(outcome(() => wasm.quantizedConv2d(b)), `seed "${seed}" case ${i} (${variant}, ${bytes ? 'bytes' : 'Int32Array'}): ${JSON.stringify(g)}`).toBe(want);
          const key = `${family} ${variant} ${bytes ? 'bytes' : 'Int32Array'} ${a.x.dtype}`;
          const s = seen.get(key) ?? { narrowed: 0, saturated: 0, bounded: 0 };
          s.narrowed += narrowed() - before;
          s.bounded += bounded() - boundedBefore;
          if (want.split(',').some((v) => Number(v) === min) && want.split(',').some((v) => Number(v) === max)) s.saturated++;
          seen.set(key, s);
        }
      }
    }
    for (const family of ['float scale', 'tflite']) {
      for (const dtype of ['quint8', 'qint8']) {
        const full = seen.get(`${family} full range bytes ${dtype}`);
        // the narrowed epilogue ran, on outputs that reach both ends of the dtype (the narrows did clamp)
        expect(full?.narrowed ?? 0, `${family} full range bytes ${dtype}`).toBeGreaterThan(family === 'tflite' ? 2 : 5);
        expect(full?.saturated ?? 0, `${family} full range bytes ${dtype}: saturated at both ends`).toBeGreaterThan(family === 'tflite' ? 2 : 5);
        for (const other of ['relu bytes', 'beyond the bound bytes', 'full range Int32Array', 'relu Int32Array']) {
          const s = seen.get(`${family} ${other} ${dtype}`);
          expect(s, `${family} ${other} ${dtype} drawn`).toBeDefined();
          expect(s!.narrowed, `${family} ${other} ${dtype}: the clamped epilogue`).toBe(0);
        }
        if (family !== 'tflite') continue;
        // tflite's bounded form ran in every storage where the bound holds (so the clamped cases above took it with
        // its clamp), and not with the bias of 2^30
        for (const k of ['full range bytes', 'full range Int32Array', 'relu bytes', 'relu Int32Array']) expect(seen.get(`tflite ${k} ${dtype}`)!.bounded, `tflite ${k} ${dtype}: bounded form`).toBeGreaterThan(2);
        for (const k of ['beyond the bound bytes', 'beyond the bound Int32Array']) expect(seen.get(`tflite ${k} ${dtype}`)!.bounded, `tflite ${k} ${dtype}: bounded form`).toBe(0);
      }
    }
  });

  it('the depthwise 3x3 kernel reads and writes bytes: both strides, every padding, odd and even rows, every width remainder, every requantization mode, both dtypes, not vacuously', () => {
    const fast = () => counter.kernels.depthwise_3x3 ?? 0;
    const seen = new Set<string>();
    let onFastPath = 0;
    let inside = 0;
    for (const scheme of REQUANT_SCHEMES) {
      for (const accumulator of ['int32_wrap', 'exact', 'sat16_pairs'] as const) {
        const seed = `conv byte storage depthwise 3x3 ${scheme} ${accumulator}`;
        const r = new CaseRandom(seed);
        for (let i = 0; i < 8; i++) {
          const g = drawGeometry(r, 'depthwise 3x3 fast');
          const drawn = convFor(r, g, scheme, accumulator);
          // torch-qnnpack@1 with M >= 1 takes the kernel's cvtps2dq emulation, with M < 1 the float-scale epilogue
          const a = scheme === 'torch-qnnpack@1' && i % 2 === 1 ? { ...drawn, yScale: drawn.xScale * 0.0005 } : drawn;
          const b = convInBytes(a, { x: true, weight: true });
          const want = outcome(() => js.quantizedConv2d(a));
          const before = fast();
          expect(outcome(() => wasm.quantizedConv2d(b)), `seed "${seed}" case ${i}: ${JSON.stringify(g)}`).toBe(want);
          if (fast() === before) continue;
          onFastPath++;
          const geometry = checkConv2d(a);
          const params = Array.from({ length: geometry.oc }, (_, oc) => REQUANT_IMPL[scheme].prepare(channelQuant(a, geometry, oc)));
          seen.add(`mode ${wasmRequantMode(scheme, accumulator !== 'exact', params)}`);
          seen.add(`stride ${g.stride[0]} pad ${g.padding[0]}`);
          seen.add(`${geometry.oh % 2 === 0 ? 'even' : 'odd'} rows`);
          seen.add(`ow%4=${geometry.ow % 4}`);
          seen.add(`w%8=${g.w % 8}`); // the byte packing's tails: 8, then 4, then single columns
          if (g.w < 4) seen.add('w<4');
          seen.add(a.x.dtype);
          const [lo, hi] = a.x.dtype === 'quint8' ? [0, 255] : [-128, 127];
          inside += want.split(',').filter((v) => Number(v) > lo && Number(v) < hi).length;
        }
      }
    }
    expect(onFastPath).toBeGreaterThan(100);
    // 0: int32 accumulators requantized in JavaScript into the byte output; 1-4: the kernel's epilogues storing bytes
    for (const mode of [0, 1, 2, 3, 4]) expect(seen.has(`mode ${mode}`), `mode ${mode}`).toBe(true);
    for (const stride of [1, 2]) for (const pad of [0, 1, 2]) expect(seen.has(`stride ${stride} pad ${pad}`), `stride ${stride} pad ${pad}`).toBe(true);
    for (const k of ['even rows', 'odd rows', 'ow%4=0', 'ow%4=1', 'ow%4=2', 'ow%4=3', 'quint8', 'qint8', 'w<4']) expect(seen.has(k), k).toBe(true);
    for (let rem = 0; rem < 8; rem++) expect(seen.has(`w%8=${rem}`), `w % 8 = ${rem}`).toBe(true);
    expect(inside).toBeGreaterThan(5000);
  });

  it('writes into a caller\'s out of either storage, and refuses an out of the wrong type or length with shape_mismatch', () => {
    const r = new CaseRandom('conv byte storage out');
    let checked = 0;
    for (const kind of ['depthwise 3x3 fast', 'dense'] as const) {
      for (let i = 0; i < 4; i++) {
        // exact: int32 accumulators requantized in JavaScript into the out; int32_wrap: the kernel's epilogue stores them
        const a = convFor(r, drawGeometry(r, kind), 'onnxruntime@1', i % 2 === 0 ? 'int32_wrap' : 'exact');
        const want = outcome(() => js.quantizedConv2d(a));
        if (want.startsWith('error')) continue;
        const n = want.split(',').length;
        const b = convInBytes(a, { x: true, weight: true });
        for (const path of ['wasm', 'js'] as const) {
          // filled with a value no output has at every position (so an element left unwritten shows)
          const sentinel = <T extends { fill(v: number): T }>(t: T) => t.fill(a.x.dtype === 'quint8' ? 0x5a : -0x5a);
          const sentinels = want.split(',').every((v) => Number(v) !== (a.x.dtype === 'quint8' ? 0x5a : -0x5a));
          for (const [x, out] of [[b, sentinel(new Int32Array(n))], [a, sentinel(new (dtypeByteArray(a.x.dtype as QuantDtype))(n))], [b, sentinel(new (dtypeByteArray(a.x.dtype as QuantDtype))(n))]] as const) {
            if (!sentinels) continue;
            const y = quantizedConv2dOn(path, x, undefined, { out });
            expect(y.data, `${kind} ${i} ${path}: the out given`).toBe(out);
            expect(Array.from(y.data).join(','), `${kind} ${i} ${path}`).toBe(want);
            checked++;
          }
          const wrongType = a.x.dtype === 'quint8' ? new Int8Array(n) : new Uint8Array(n);
          for (const out of [wrongType, new (dtypeByteArray(a.x.dtype as QuantDtype))(n + 1)]) {
            expect(outcome(() => quantizedConv2dOn(path, b, undefined, { out })), `${kind} ${i} ${path}: ${out.constructor.name}(${out.length})`).toBe('error shape_mismatch');
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('runs layers larger than one kernel call in runs of channels (DEPTHWISE_CHUNK_BYTES), across batch elements, with a channel multiplier; a bad value in the last run is still refused', () => {
    let compared = 0;
    for (const multiplier of [1, 2]) {
      // 2 x 64 channels of 48 x 48 bytes: 56 channels per kernel call (128 KB), so 2 calls per batch element, the last partial
      const r = new CaseRandom(`conv byte storage chunked ${multiplier}`);
      const g = { n: 2, c: 64, h: 48, w: 48, oc: 64 * multiplier, groups: 64, kh: 3, kw: 3, stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number] };
      expect(g.groups * g.h * g.w).toBeGreaterThan(1 << 17); // more than one run per batch element
      for (const scheme of ['onnxruntime@1', 'torch-qnnpack@1', 'tflite-double-rounding@1'] as const) {
        const a = convFor(r, g, scheme, 'int32_wrap');
        const want = outcome(() => js.quantizedConv2d(a));
        expect(want.startsWith('error'), `${scheme} ${multiplier}: ${want.slice(0, 60)}`).toBe(false);
        const before = counter.kernels.depthwise_3x3 ?? 0;
        expect(outcome(() => wasm.quantizedConv2d(convInBytes(a))), `${scheme} multiplier ${multiplier}`).toBe(want);
        expect(counter.kernels.depthwise_3x3).toBe(before + 1);
        compared++;
        // a value its dtype forbids, in the last run of the last batch element, in the other one-byte array (its range is taken)
        const valid = (v: number) => v & 0x7f;
        const data = a.x.dtype === 'quint8' ? Int8Array.from(a.x.data, valid) : Uint8Array.from(a.x.data, valid);
        data[data.length - 5] = a.x.dtype === 'quint8' ? -1 : 200;
        expect(outcome(() => wasm.quantizedConv2d({ ...a, x: byteTensor(a.x.dtype, a.x.shape, data) }))).toBe('error invalid_integer');
      }
    }
    expect(compared).toBe(6);
  });

  it('takes Node Buffers as they are: weights written in place repack (a Buffer\'s slice is a view, not a copy), and an out from the pool beside x is accepted', () => {
    const r = new CaseRandom('conv byte storage buffers');
    const drawn = convFor(r, { ...drawGeometry(r, 'depthwise 3x3 fast'), n: 1, c: 16, oc: 16, groups: 16, h: 6, w: 9 }, 'onnxruntime@1', 'int32_wrap');
    // values 0..127, valid in both dtypes: a Buffer of quint8 (its own array) and of qint8 (its range is taken)
    for (const dtype of ['quint8', 'qint8'] as const) {
      const a = { ...drawn, x: { ...drawn.x, dtype }, xZeroPoint: 60, yZeroPoint: 60, yScale: drawn.xScale * 0.01 };
      const weight = Buffer.from(Int8Array.from(a.weight.data, (v) => v & 0x7f));
      const xBytes = Buffer.from(Uint8Array.from(a.x.data, (v) => v & 0x7f)); // small: from Node's shared pool
      const b = { ...a, weight: byteTensor('qint8', a.weight.shape, weight), x: byteTensor(dtype, a.x.shape, xBytes) };
      const asInt32 = () => ({ ...b, weight: { ...b.weight, data: Int32Array.from(weight) }, x: { ...b.x, data: Int32Array.from(xBytes) } });
      const first = outcome(() => wasm.quantizedConv2d(b));
      expect(first).toBe(outcome(() => js.quantizedConv2d(asInt32())));
      expect(first.startsWith('error'), first).toBe(false);
      for (let i = 0; i < weight.length; i += 2) weight[i] = 127 - weight[i]!; // every other weight, in place
      const second = outcome(() => wasm.quantizedConv2d(b));
      expect(second, `${dtype}: after a weight written in place`).toBe(outcome(() => js.quantizedConv2d(asInt32())));
      expect(second, 'the weight written in place changed no output').not.toBe(first);
      if (dtype === 'qint8') continue;
      // Node lays small Buffers side by side in one ArrayBuffer: an out beside x shares its ArrayBuffer, not its bytes
      const out = Buffer.allocUnsafe(second.split(',').length);
      expect(out.buffer).toBe(xBytes.buffer);
      expect(Array.from(quantizedConv2dOn('wasm', b, undefined, { out }).data).join(',')).toBe(second);
    }
  });

  it('refuses a value its byte storage holds but its dtype does not (a qint8 200 in a Uint8Array, a quint8 -1 in an Int8Array) as on Int32Array storage, on every kernel', () => {
    let refused = 0;
    for (const kind of ['depthwise 3x3 fast', 'depthwise', 'dense'] as const) {
      const r = new CaseRandom(`conv byte storage out of dtype ${kind}`);
      for (const dtypeScheme of ['onnxruntime@1', 'tflite-double-rounding@1'] as const) {
        for (let i = 0; i < 3; i++) {
          const a = convFor(r, drawGeometry(r, kind), dtypeScheme, 'int32_wrap');
          // the other one-byte array: a qint8 tensor in a Uint8Array, a quint8 one in an Int8Array
          const n = a.x.data.length;
          for (const at of [0, n >> 1, n - 1]) {
            const valid = (v: number) => v & 0x7f; // every value in both dtypes
            const data = a.x.dtype === 'quint8' ? Int8Array.from(a.x.data, valid) : Uint8Array.from(a.x.data, valid);
            data[at] = a.x.dtype === 'quint8' ? -1 : 200;
            const bad = { ...a, x: byteTensor(a.x.dtype, a.x.shape, data) };
            expect(outcome(() => wasm.quantizedConv2d(bad)), `${kind} ${dtypeScheme} ${i}: x[${at}]`).toBe('error invalid_integer');
            expect(outcome(() => js.quantizedConv2d(bad))).toBe('error invalid_integer');
            // and the same storage with every value valid is the conv of those values
            data[at] = 0;
            const good = { ...a, x: { ...a.x, data: Int32Array.from(data) } };
            expect(outcome(() => wasm.quantizedConv2d({ ...a, x: byteTensor(a.x.dtype, a.x.shape, data) }))).toBe(outcome(() => js.quantizedConv2d(good)));
            refused++;
          }
        }
      }
    }
    expect(refused).toBe(3 * 2 * 3 * 3);
  });
});
