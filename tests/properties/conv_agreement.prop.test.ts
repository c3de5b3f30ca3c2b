/**
 * quantized_conv2d@1 end to end: for every scheme and accumulator model, the exact reference and the fast
 * impl give the same bytes (or the same typed error) on generated convs (dense, pointwise, depthwise,
 * grouped; stride, padding, dilation, batch; full-range and adversarial values), and every output lies in
 * the clamp range. Not vacuous: most cases return outputs, most outputs are unsaturated, the sat16 models
 * change some accumulators, and every (scheme, accumulator) pair is seen. impl runs on both conv paths
 * (WebAssembly and JavaScript, impl/conv/conv2d.ts), each compared with the reference and with the other;
 * the WebAssembly kernels (general, its sat16 variant and flat 1x1 rows, depthwise, depthwise 3x3; requantization
 * in the kernel or after) must have computed a good share of the cases, each kernel some.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { implOnConvPath } from '../../impl/index.js';
import { WASM_KERNELS, type WasmKernel } from '../../impl/conv/wasm/kernel_kind.js';
import { wasmRequantMode } from '../../impl/conv/wasm/requant_mode.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';
import type { RequantScheme } from '../../contract/conv.js';
import { reference } from '../../reference/index.js';
import { ACCUMULATORS, REQUANT_SCHEMES } from '../../contract/conv.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { convCase } from '../arbitraries/conv_request.js';
import { checkProperty } from '../support/property.js';

const wasmConvs = { wasm: 0, kernels: {} as WasmKernelCounts };
const impl = implOnConvPath('wasm', wasmConvs);
const implJs = implOnConvPath('js');

/** Which WebAssembly kernel ran a conv request (the counter's kernel that moved; the general kernel's 1x1 rows named apart). */
function wasmKind(request: { inputs?: Record<string, unknown>; attrs?: Record<string, unknown> }, before: WasmKernelCounts): string {
  const kernels = Object.keys(wasmConvs.kernels).filter((k): k is WasmKernel => (WASM_KERNELS as readonly string[]).includes(k));
  const kernel = kernels.find((k) => (wasmConvs.kernels[k] ?? 0) > (before[k] ?? 0));
  const w = request.inputs?.weight as { shape: number[] };
  const stride = request.attrs?.stride as number[];
  const padding = request.attrs?.padding as number[];
  const flat = w.shape[2] === 1 && w.shape[3] === 1 && stride.every((s) => s === 1) && padding.every((p) => p === 0);
  return kernel === 'general' && flat ? 'flat 1x1' : String(kernel);
}

describe('quantized_conv2d: reference and impl agree bit for bit', () => {
  it('agree on every scheme and accumulator, within the clamp range, not vacuously', () => {
    const pairs = new Set<string>();
    const wasmKinds = new Map<string, number>();
    const wasmModes = new Set<number>();
    let cases = 0;
    let withOutputs = 0;
    let elements = 0;
    let inside = 0;
    let sat16Changed = 0;
    checkProperty(
      'quantized_conv2d agrees',
      convCase,
      ({ scheme, request }) => {
        const before = wasmConvs.wasm;
        const kernelsBefore = { ...wasmConvs.kernels };
        const [ref, imp, js] = [evaluateRequest(reference, request), evaluateRequest(impl, request), evaluateRequest(implJs, request)];
        const identity = (r: typeof ref) => JSON.stringify('error' in r ? r.error.code : r.outputs);
        if (identity(ref) !== identity(imp)) throw new Error(`reference ${JSON.stringify(ref).slice(0, 400)}\nimpl (wasm) ${JSON.stringify(imp).slice(0, 400)}`);
        if (identity(js) !== identity(imp)) throw new Error(`impl (js) ${JSON.stringify(js).slice(0, 400)}\nimpl (wasm) ${JSON.stringify(imp).slice(0, 400)}`);
        if (wasmConvs.wasm > before) {
          const kind = wasmKind(request, kernelsBefore);
          wasmKinds.set(kind, (wasmKinds.get(kind) ?? 0) + 1);
          wasmModes.add(wasmRequantMode(scheme as RequantScheme, request.attrs?.accumulator === 'int32_wrap', [])); // 8-bit outputs: float clamp bounds always within 2^22
        }
        cases++;
        pairs.add(`${scheme}/${String(request.attrs?.accumulator)}`);
        if ('error' in ref) return;
        withOutputs++;
        if (request.attrs?.accumulator === 'sat16_pairs' || request.attrs?.accumulator === 'sat16_pairs_im2col') {
          const wrapped = evaluateRequest(impl, { ...request, attrs: { ...request.attrs, accumulator: 'int32_wrap' } });
          if (identity(wrapped) !== identity(ref)) sat16Changed++;
        }
        const y = ref.outputs.y as { dtype: QuantDtype; values: number[] };
        const { min, max } = DTYPE_RANGE[y.dtype];
        const lo = request.attrs?.relu ? Math.max(min, request.attrs.y_zero_point as number) : min;
        for (const v of y.values) {
          if (v < lo || v > max) throw new Error(`output ${v} outside [${lo}, ${max}]`);
          elements++;
          if (v > lo && v < max) inside++;
        }
      },
      1000,
    );
    expect(pairs.size).toBe(REQUANT_SCHEMES.length * ACCUMULATORS.length);
    expect(wasmConvs.wasm / cases).toBeGreaterThan(0.2);
    expect([...wasmKinds.keys()].sort()).toEqual(['depthwise', 'depthwise_3x3', 'flat 1x1', 'general', 'general_sat16']);
    for (const [kind, n] of wasmKinds) expect(n, `convs on the ${kind} kernel`).toBeGreaterThanOrEqual(10);
    // requantized after the kernel; float scale, tflite double and single rounding inside it. Asked with no channel
    // parameters, torch-qnnpack@1 reports the float-scale epilogue it takes when every channel's M < 1
    // (impl/conv/wasm/requant_mode.ts qnnpackIsFloatScale); its M >= 1 epilogue (2) runs in tests/impl/wasm_conv.test.ts and
    // tests/impl/wasm_requant.test.ts
    expect([...wasmModes].sort()).toEqual([0, 1, 3, 4]);
    expect(withOutputs / cases).toBeGreaterThan(0.7);
    expect(inside / elements).toBeGreaterThan(0.3);
    expect(sat16Changed).toBeGreaterThan(10);
  });
});
