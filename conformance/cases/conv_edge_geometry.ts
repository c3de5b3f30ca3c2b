/**
 * Conv geometries at the edges of the output-size formulas, which the committed sets' geometry (conv_geometry.ts
 * drawGeometry) never draws and --fuzz and the conv agreement property do:
 *   - a numerator in + 2p - d(k-1) - 1 in (-stride, 0) along H, W or both: torch sizes that axis 1 (C division,
 *     contract/conv.ts torchConvOutputSize: onednn computes the row, qnnpack on N >= 1 refuses the kernel longer than
 *     the padded input), ONNX Runtime 0 (double division, onnxConvOutputSize: refused) and floor 0 (refused);
 *   - an empty batch, N = 0 (computed by torch's engines and onnxruntime@1, SCHEME_RULES emptyBatch; refused elsewhere).
 */
import type { DrawnGeometry } from './conv_geometry.js';
import type { CaseRandom } from './random.js';

/** One axis with its numerator in (-stride, 0): stride 2 or 3, numerator -j (1 <= j < stride), the kernel just long enough for an input >= 1. */
function shortAxis(r: CaseRandom): { input: number; kernel: number; stride: number; padding: number; dilation: number } {
  const stride = r.pick([2, 3]);
  const j = r.int(1, stride - 1);
  const padding = r.pick([0, 0, 1]);
  const dilation = r.pick([1, 1, 2]);
  // d(k - 1) + 1 - 2p - j = input >= 1
  const kernel = Math.ceil((2 * padding + j) / dilation) + 1 + r.int(0, 1);
  return { input: dilation * (kernel - 1) + 1 - 2 * padding - j, kernel, stride, padding, dilation };
}

/** `g` at an edge: half the time a numerator in (-stride, 0) along H, W or both (a batch of 0 to 2), else N = 0 on `g`. */
export function drawEdgeGeometry(r: CaseRandom, g: DrawnGeometry): DrawnGeometry {
  if (r.bool(0.5)) return { ...g, n: 0 };
  const axes = r.pick(['h', 'w', 'both'] as const);
  const e: DrawnGeometry = { ...g, stride: [...g.stride], padding: [...g.padding], dilation: [...g.dilation], kind: g.kind === 'pointwise' ? 'dense' : g.kind, n: r.pick([0, 1, 1, 2]) };
  for (const [axis, i] of [['h', 0], ['w', 1]] as const) {
    if (axes !== axis && axes !== 'both') continue;
    const s = shortAxis(r);
    e.stride[i] = s.stride;
    e.padding[i] = s.padding;
    e.dilation[i] = s.dilation;
    if (i === 0) [e.h, e.kh] = [s.input, s.kernel];
    else [e.w, e.kw] = [s.input, s.kernel];
  }
  return e;
}
