/**
 * The size of explain's float conv (the fake-quant view of a layer, conformance/explain/fake_quant.ts floatConv) is its
 * framework's, by contract/conv.ts's functions: a torch layer's that of torch 1.13's F.conv2d (torchConvOutputSize,
 * refusing a kernel longer than the padded input), an ONNX layer's that of onnxruntime-node 1.30's float Conv
 * (onnxConvOutputSize, refusing a size <= 0: "Invalid input shape" when it runs, "Invalid dimension" when it builds the
 * session for a negative one). Both are run live here on a grid of heights,
 * widths, strides, pads and dilations (3x3 kernel), and floatConv must give each one's output shape or refuse where
 * it refuses (a ModelReadError naming the layer). Before, floatConv sized every layer with floor: where the padded
 * input is shorter than the kernel it returned an empty output (or threw a RangeError for a negative size) instead.
 * Replay: npx vitest run tests/explain/float_conv_size.test.ts -t '<case name>'
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { f32Tensor } from '../../contract/tensor.js';
import { floatConv } from '../../conformance/explain/fake_quant.js';
import { type ConvLayer, ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { TORCH_PYTHON } from '../../conformance/explain/torch_model.js';
import { QDQ_CHANNELS, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;

/** [h, w, stride, pad, dilation] with the base model's 3x3 kernel: padded inputs shorter, equal and longer than the dilated kernel. */
const GRID: ReadonlyArray<readonly [number, number, number, number, number]> = [1, 2, 3, 4, 5].flatMap((h) =>
  [1, 2, 3].flatMap((s) => [0, 1].flatMap((p) => [1, 2].map((d) => [h, 6 - h, s, p, d] as const))),
);
const name = ([h, w, s, p, d]: readonly number[]) => `${h}x${w} stride ${s} pad ${p} dilation ${d}`;

/** The base QDQ model's conv with the grid row's geometry, and that model (its float Conv node carries the same). */
function layerAndModel([h, w, s, p, d]: readonly number[]): { layer: ConvLayer; bytes: Uint8Array } {
  const parts = qdqParts();
  parts.inputDims = [1, QDQ_CHANNELS, h!, w!];
  parts.nodes[3]!.attribute = [
    { name: 'pads', type: AT.INTS, ints: [p!, p!, p!, p!] },
    { name: 'strides', type: AT.INTS, ints: [s!, s!] },
    { name: 'dilations', type: AT.INTS, ints: [d!, d!] },
  ];
  const bytes = qdqModel(parts);
  return { layer: readOnnxModel('m.onnx', bytes).steps[0] as ConvLayer, bytes };
}

/** explain's float conv output shape, or 'refused' (a ModelReadError naming the layer). */
function explainShape(layer: ConvLayer, h: number, w: number): readonly number[] | 'refused' {
  try {
    return floatConv(layer, f32Tensor([1, QDQ_CHANNELS, h, w], new Float32Array(QDQ_CHANNELS * h * w))).shape;
  } catch (e) {
    if (e instanceof ModelReadError && e.path === layer.name) return 'refused';
    throw e;
  }
}

/** torch 1.13's F.conv2d output shape on each grid row (live, one process), or 'refused' with its message. */
function torchShapes(): Array<{ shape?: number[]; error?: string }> {
  const script = `
import json, sys, torch, torch.nn.functional as F
out = []
for h, w, s, p, d in json.load(sys.stdin):
    try:
        out.append({"shape": list(F.conv2d(torch.zeros(1, ${QDQ_CHANNELS}, h, w), torch.zeros(4, ${QDQ_CHANNELS}, 3, 3), stride=s, padding=p, dilation=d).shape)})
    except RuntimeError as e:
        out.append({"error": str(e)})
print(json.dumps(out))
`;
  const r = spawnSync(TORCH_PYTHON, ['-c', script], { input: JSON.stringify(GRID), encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `torch 1.13 at ${TORCH_PYTHON}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe("explain's float conv is sized as its framework's float conv", () => {
  it.each(GRID)('ONNX: %i x %i, stride %i, pad %i, dilation %i: ORT 1.30 Conv', async (h, w, s, p, d) => {
    const ort = await installedOrt();
    const { layer, bytes } = layerAndModel([h, w, s, p, d]);
    expect(layer.framework).toBe('onnx');
    let ortShape: readonly number[] | 'refused';
    try {
      // optimizations off: ORT runs the float Conv itself (at level all it fuses the group into QLinearConv)
      const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
      const r = await session.run({ x: new ort.Tensor('float32', new Float32Array(QDQ_CHANNELS * h * w), [1, QDQ_CHANNELS, h, w]) });
      ortShape = r.y!.dims;
    } catch (e) {
      // a negative size is refused when the session is built (the inferred y dim), 0 when the Conv runs
      expect((e as Error).message).toMatch(/Invalid input shape|Invalid dimension: -\d+$/);
      ortShape = 'refused';
    }
    expect(explainShape(layer, h, w), name([h, w, s, p, d])).toEqual(ortShape);
  });

  it('torch: every grid row as torch 1.13 F.conv2d', () => {
    const torch = torchShapes();
    const got = GRID.map((g) => {
      const { layer } = layerAndModel(g);
      return explainShape({ ...layer, framework: 'torch' }, g[0], g[1]);
    });
    const want = torch.map((t) => {
      if (t.shape) return t.shape;
      expect(t.error).toContain("Kernel size can't be greater than actual input size");
      return 'refused';
    });
    GRID.forEach((g, i) => expect(got[i], name(g)).toEqual(want[i]));
    // the grid holds both outcomes and a refusal that floor would have sized 0 or less
    expect(want).toContain('refused');
    expect(want.some((w) => w !== 'refused')).toBe(true);
  });

  it('the refusal names the layer and what its framework says', () => {
    const { layer } = layerAndModel([2, 4, 2, 0, 1]);
    expect(() => floatConv({ ...layer, framework: 'torch' }, f32Tensor([1, QDQ_CHANNELS, 2, 4], new Float32Array(QDQ_CHANNELS * 8)))).toThrow(
      "qconv: the float conv: height 2 padded by 0 on each side is shorter than the dilated kernel (3); torch's conv2d refuses it (\"Kernel size can't be greater than actual input size\")",
    );
    expect(() => floatConv(layer, f32Tensor([1, QDQ_CHANNELS, 2, 4], new Float32Array(QDQ_CHANNELS * 8)))).toThrow(
      'qconv: the float conv: output height 0 (input 2, kernel 3, stride 2, pads 0, dilation 1); ONNX Runtime 1.30\'s Conv refuses it ("Invalid input shape")',
    );
  });
});
