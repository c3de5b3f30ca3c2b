/**
 * Convs with a zero extent on LiteRT.js 2.5.3, every scheme the litert backend claims (xnnpack-fp32@1 through the XNNPACK
 * delegate, tflite-single-rounding@1 through CONV_2D, tflite-double-rounding@1 through DEPTHWISE_CONV_2D). N = 0, an
 * output channel count of 0 and H or W of 0 without padding the contract refuses for these schemes before LiteRT is
 * reached. C = 0 and H or W of 0 with padding reach it, and LiteRT.js cannot take them: it cannot make a Tensor of 0
 * elements for x (measured below with the backend's rule bypassed), so the backend answered backend_error where the tflite
 * schemes compute (the requantized bias, the conv over the padding) and xnnpack-fp32@1 refuses (contract/
 * conv_input_extents.ts). It now does not give LiteRT such an x and answers the contract's answer marked not_run
 * (conformance/backends/litert/litert_not_given.ts emptyInputNotGivenToLitert). Deterministic (fixed values, no draw).
 */
import { describe, expect, it } from 'vitest';
import { KERNEL_PATHS, litertConvModel } from '../../conformance/backends/litert/conv_graph.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { convArgs, convWireRequest } from '../support/conv_args.js';
import { evalReplay } from '../support/eval_replay.js';

type Scheme = 'tflite-single-rounding@1' | 'tflite-double-rounding@1' | 'xnnpack-fp32@1';
type Dtype = 'qint8' | 'quint8';
const SCHEMES: readonly Scheme[] = ['tflite-single-rounding@1', 'tflite-double-rounding@1', 'xnnpack-fp32@1'];
const NO_ELEMENT = /^not run on LiteRT \(x \[\d+, \d+, \d+, \d+\] has no element: LiteRT\.js cannot make a Tensor of 0 elements/;

/** A shape row: x [N, C, H, W], weight [OC, C / groups, k, k], groups. */
interface Shape {
  readonly name: string;
  readonly x: readonly number[];
  readonly oc: number;
  readonly groups: 1 | 'C';
}
const SHAPES: readonly Shape[] = [
  { name: 'N = 0', x: [0, 2, 3, 3], oc: 2, groups: 1 },
  { name: 'C = 0', x: [1, 0, 3, 3], oc: 2, groups: 1 },
  { name: 'H = 0', x: [1, 2, 0, 3], oc: 2, groups: 1 },
  { name: 'W = 0', x: [1, 2, 3, 0], oc: 2, groups: 1 },
  { name: 'H = W = 0', x: [2, 2, 0, 0], oc: 2, groups: 1 },
  { name: 'OC = 0', x: [1, 2, 3, 3], oc: 0, groups: 1 },
  { name: 'depthwise N = 0', x: [0, 2, 3, 3], oc: 2, groups: 'C' },
  { name: 'depthwise H = 0', x: [1, 2, 0, 3], oc: 4, groups: 'C' },
  { name: 'depthwise W = 0', x: [1, 1, 3, 0], oc: 1, groups: 'C' },
];

const count = (shape: readonly number[]) => shape.reduce((p, v) => p * v, 1);

function zeroExtentConv(scheme: Scheme, dtype: Dtype, s: Shape, k: number, pad: number): Conv2dArgs {
  const c = s.x[1] as number;
  const groups = s.groups === 'C' ? c : 1;
  const ws = [s.oc, c / groups, k, k];
  const low = dtype === 'qint8' ? -100 : 0;
  return convArgs({
    x: intTensor(dtype, [...s.x], Array.from({ length: count(s.x) }, (_, i) => low + ((i * 37) % 200))),
    weight: intTensor('qint8', ws, Array.from({ length: count(ws) }, (_, i) => ((i * 53) % 200) - 100)),
    weightScales: f64Tensor([1], [0.05]),
    bias: intTensor('int32', [s.oc], Array.from({ length: s.oc }, (_, i) => 100 * i - 150)),
    xScale: 0.5,
    xZeroPoint: low + 103,
    yScale: 0.7,
    yZeroPoint: low + 95,
    padding: [pad, pad],
    groups,
    scheme,
    accumulator: 'int32_wrap',
  });
}

const wire = convWireRequest;

/** Every row: scheme x dtype x shape x kernel 1, 3 x padding 0, 1, 2, skipping the groups a scheme's op does not take. */
function* rows(): Generator<{ a: Conv2dArgs; r: WireRequest }> {
  for (const scheme of SCHEMES)
    for (const dtype of ['qint8', 'quint8'] as const)
      for (const s of SHAPES) {
        const depthwise = s.groups === 'C';
        if ((scheme === 'tflite-single-rounding@1' && depthwise) || (scheme === 'tflite-double-rounding@1' && !depthwise)) continue;
        for (const k of [1, 3])
          for (const pad of [0, 1, 2]) {
            const a = zeroExtentConv(scheme, dtype, s, k, pad);
            yield { a, r: wire(a, `zero-extent ${scheme} ${dtype} ${s.name} k${k} p${pad}`) };
          }
      }
}

/**
 * Whether the backend reaches LiteRT with `r` but for the rule: an x of no element the contract takes (its answer outputs)
 * or refuses after its geometry checks (xnnpack-fp32@1's input extents, unsupported_by_scheme).
 */
function reachesLitert(a: Conv2dArgs, r: WireRequest): boolean {
  const ref = evaluateRequest(reference, r);
  return count(a.x.shape) === 0 && !('error' in ref && ref.error.code !== 'unsupported_by_scheme');
}

describe.skipIf(!litertPackageJson())('convs with a zero extent on LiteRT.js', () => {
  it("the litert backend answers the contract's answer for each, marked not_run where x has no element", async () => {
    const backend = await builtinBackend('litert')!.create();
    const counts = { notRunComputed: 0, notRunRefused: 0, refused: 0 };
    for (const { a, r } of rows()) {
      const lib: WireResponse = await backend.run(r, { timeoutMs: 30_000 });
      const ref = evaluateRequest(reference, r);
      const replay = evalReplay(r, 'litert');
      const reached = reachesLitert(a, r);
      if (reached) expect(lib.not_run, replay).toMatch(NO_ELEMENT);
      else expect(lib.not_run, replay).toBeUndefined();
      if ('outputs' in ref) {
        expect('outputs' in lib && lib.outputs.y, replay).toEqual(ref.outputs.y);
        expect(evaluateRequest(impl, r), evalReplay(r, 'impl')).toEqual(ref);
        counts.notRunComputed++;
      } else {
        expect('error' in lib && lib.error.code, replay).toBe(ref.error.code);
        expect('error' in lib && lib.error.message, replay).toBe(reached ? `${lib.not_run}: ${ref.error.message}` : ref.error.message);
        counts[reached ? 'notRunRefused' : 'refused']++;
      }
    }
    // per dtype: C = 0 at k 1, 3 x padding 0, 1, 2 (6), and 3 of each other x of no element (k 1 with padding 1, 2; k 3
    // with padding 2): H = 0, W = 0, H = W = 0 on CONV_2D, H = 0, W = 0 on DEPTHWISE_CONV_2D. The tflite schemes compute
    // them, xnnpack-fp32@1 refuses them; the other rows of the 2 x (36 + 18 + 54) the contract refuses before LiteRT.
    const perDtype = 6 + 3 * 3 + 3 * 2;
    expect(counts).toEqual({ notRunComputed: 2 * perDtype, notRunRefused: 2 * perDtype, refused: 2 * (36 + 18 + 54) - 4 * perDtype });
  }, 120_000);

  it('with the rule bypassed, LiteRT.js cannot take such an x: making its Tensor of 0 elements throws, on both kernel paths', async () => {
    const rt = await loadLiteRt();
    const paths = { builtin: 0, xnnpack: 0 };
    for (const { a, r } of rows()) {
      if (!reachesLitert(a, r)) continue;
      const m = litertConvModel(a, checkConv2d(a), a.scheme as Scheme);
      await expect(rt.run(m.model, m.inputs), evalReplay(r, 'litert')).rejects.toThrow(/^ERROR: \[\.\/third_party\/odml\/litert\/litert\/cc\/litert_tensor_buffer\.h:101\]/);
      paths[KERNEL_PATHS[a.scheme as Scheme]]++;
    }
    expect(paths).toEqual({ builtin: 2 * (6 + 3 * 3 + 3 * 2), xnnpack: 2 * (6 + 3 * 3 + 3 * 2) });
    // and the runtime still computes afterwards
    const ok = zeroExtentConv('tflite-single-rounding@1', 'qint8', { name: 'ok', x: [1, 2, 3, 3], oc: 2, groups: 1 }, 1, 0);
    const m = litertConvModel(ok, checkConv2d(ok), 'tflite-single-rounding@1');
    expect(m.decode((await rt.run(m.model, m.inputs)).outputs[0]!)).toEqual(Array.from(reference.quantizedConv2d(ok).data));
  });
});
