/**
 * ONNX models ONNX Runtime 1.30 refuses, when it loads them or when it runs the layer, are refused by `qconform explain`
 * too (OrtRefusedModelError, a ModelReadError quoting ORT: conformance/explain/ort_refused_model.ts), instead of being
 * analysed: a kernel_shape that is not W's spatial dims (onnx_model.ts checkKernelShape), int8 weights kept in another
 * field than int32_data, or too few of them (onnx_graph.ts tensorValues), a value two nodes (or a node and an
 * initializer or graph input) define (onnx_graph_structure.ts), a data type that is no ONNX type (999: was "uint8 weights are not
 * modelled"), a node with an input count its op does not take (onnx_node_inputs.ts: a Conv without inputs was "Conv is
 * not modelled"), a declared input dim of 0, a graph input without a type or of element type 0 or 999
 * (conformance/explain/onnx_graph_input.ts: explain took an input without a type as one of unknown shape and analysed
 * it; a graph input of rank 0: tests/explain/scalar_input.test.ts). Each model is run in onnxruntime-node 1.30 here
 * and ORT's message must hold the text explain quotes. The models ORT takes are still read: the field of the type (float_data; int32_data beside it
 * ignored, as ORT does), a repeated initializer (the last, as ORT takes it), a negative declared dim (unknown to ORT:
 * explain notes it; before, it put its own shape there silently), a graph input without a shape (ORT runs any: explain's
 * outputs are ORT's on the same input), and a w_scale of 3e38, whose fake-quant float conv
 * overflows float32: refused naming the layer and the scale (before: an observer's nan_observed naming neither).
 * Replay one case: npx vitest run tests/explain/ort_refused_models.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { type QdqParts, ortQdqIntegers, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { X_SHAPE, chainInput, chainModel, f32, ortValues } from '../support/explain_chain_models.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

function edit(f: (p: QdqParts) => void): Uint8Array {
  const p = qdqParts();
  f(p);
  return qdqModel(p);
}
const init = (p: QdqParts, name: string) => p.inits.find((i) => i.name === name)!;
/** `bytes` (the base QDQ model by default) with `f` applied to its graph input x. */
function editInput(f: (x: onnxProto.onnx.IValueInfoProto) => void, bytes = qdqModel()): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  f(m.graph!.input![0]!);
  return onnx.ModelProto.encode(m).finish();
}
const conv = (p: QdqParts) => p.nodes.find((n) => n.opType === 'Conv')!;
const kernelShape = (ints: number[]) => (p: QdqParts) => {
  conv(p).attribute![1] = { name: 'kernel_shape', type: AT.INTS, ints };
};

/** ORT 1.30 on `bytes` (graph optimizations `level`): its load error, else its run error on x [1, 3, 8, 8], else null. */
async function ortError(bytes: Uint8Array, level: 'all' | 'disabled'): Promise<{ when: 'load' | 'run'; message: string } | null> {
  const ort = await installedOrt();
  let session;
  try {
    session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: level });
  } catch (e) {
    return { when: 'load', message: (e as Error).message };
  }
  try {
    await session.run({ x: new ort.Tensor('float32', new Float32Array(192).fill(0.3), [1, 3, 8, 8]) });
    return null;
  } catch (e) {
    return { when: 'run', message: (e as Error).message };
  }
}

/** explain reading `bytes` and explaining it on generated data: the error it throws, else null. */
function explainError(bytes: Uint8Array): Error | null {
  try {
    const model = readOnnxModel('m.onnx', bytes);
    explainModel(model, generatedInput(model.inputShape ?? [1, 3, 8, 8], '1'), { seed: '1' });
    return null;
  } catch (e) {
    return e as Error;
  }
}

/** [case, model, when ORT refuses it, ORT's text (explain quotes it), graph optimizations of the measurement] */
type Refused = readonly [name: string, bytes: Uint8Array, when: 'load' | 'run', ort: string, level?: 'all' | 'disabled'];
const REFUSED: readonly Refused[] = [
  ['kernel_shape [5, 5] on a 3x3 weight', edit(kernelShape([5, 5])), 'run', 'kernel_shape is not compatible with W shape. kernel_shape: {5,5} W: {4,3,3,3}'],
  ['kernel_shape [3, 5] on a 3x3 weight', edit(kernelShape([3, 5])), 'run', 'kernel_shape is not compatible with W shape. kernel_shape: {3,5} W: {4,3,3,3}'],
  ['kernel_shape [3] on a 2-d weight', edit(kernelShape([3])), 'load', '[ShapeInferenceError] Attribute kernel_shape has incorrect size'],
  ['int8 weights in float_data', edit((p) => { const w = init(p, 'wq'); w.floatData = w.int32Data!.map(Number); delete w.int32Data; }), 'load', 'tensor shape size(108) does not match the data size(0) in proto'],
  ['int8 weights in int64_data', edit((p) => { const w = init(p, 'wq'); w.int64Data = w.int32Data!.map(Number); delete w.int32Data; }), 'load', 'tensor shape size(108) does not match the data size(0) in proto'],
  ['3 int8 weights for 108', edit((p) => { init(p, 'wq').int32Data = [1, 2, 3]; }), 'load', 'tensor shape size(108) does not match the data size(3) in proto'],
  // with graph optimizations ORT reads a folded constant first: "data field count (0) does not match expected count from shape (1)"
  ['a float x_scale in int32_data', edit((p) => { const s = init(p, 'x_scale'); s.int32Data = [1]; delete s.floatData; }), 'load', 'tensor shape size(1) does not match the data size(0) in proto', 'disabled'],
  ['two nodes writing xq', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['x'], output: ['xq'] }); }), 'load', 'Duplicate definition of name (xq).'],
  ['a node writing the initializer x_scale', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['xq'], output: ['x_scale'] }); }), 'load', 'Duplicate definition of name (x_scale).'],
  ['a node writing the graph input x', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['xq'], output: ['x'] }); }), 'load', 'Duplicate definition of name (x).'],
  ['one node writing s twice', edit((p) => { p.nodes.push({ opType: 'Split', input: ['yf'], output: ['s', 's'] }); }), 'load', 'Duplicate definition of name (s).'],
  ['weight data type 999', edit((p) => { init(p, 'wq').dataType = 999; }), 'load', "Tensor 'wq' does not have valid data type."],
  ['a Conv without inputs', edit((p) => { conv(p).input = []; }), 'load', 'has input size 0 not in range [min=2, max=3].'],
  ['a Conv with x only', edit((p) => { conv(p).input = ['xf']; }), 'load', 'has input size 1 not in range [min=2, max=3].'],
  ['a QuantizeLinear without inputs', edit((p) => { p.nodes[0]!.input = []; }), 'load', 'has input size 0 not in range [min=2, max=3].'],
  ['a DequantizeLinear of the weight without its scale', edit((p) => { p.nodes[2]!.input = ['wq']; }), 'load', 'has input size 1 not in range [min=2, max=3].'],
  ['a graph input without a type', editInput((x) => { x.type = null; }), 'load', 'Model input (x) does not have type information.'],
  ['a graph input of an empty TypeProto', editInput((x) => { x.type = onnx.TypeProto.create(); }), 'load', 'Model input (x) does not have type information.'],
  ['a graph input of element type 0', editInput((x) => { x.type!.tensorType!.elemType = 0; }), 'load', 'Invalid tensor data type 0.'],
  ['a graph input of element type 999', editInput((x) => { x.type!.tensorType!.elemType = 999; }), 'load', 'Invalid tensor data type 999.'],
];

describe('explain refuses the models ORT 1.30 refuses, quoting ORT', () => {
  for (const [name, bytes, when, ort, level = 'all'] of REFUSED) {
    it(name, async () => {
      const live = await ortError(bytes, level);
      expect(live, 'ORT 1.30 live refuses it').not.toBeNull();
      expect(live!.when).toBe(when);
      expect(live!.message).toContain(ort);
      const e = explainError(bytes);
      expect(e, 'explain refuses it').toBeInstanceOf(OrtRefusedModelError);
      expect((e as OrtRefusedModelError).ort).toBe(ort);
      expect(e!.message).toContain(`ONNX Runtime 1.30 refuses it ${when === 'load' ? 'when it loads the model' : 'when it runs the layer'}: "${ort}"`);
    });
  }

  it('a declared input dim of 0: ORT runs only an empty input; explain refuses the model', async () => {
    const bytes = edit((p) => { p.inputDims = [1, 3, 0, 0]; });
    const live = await ortError(bytes, 'all');
    expect(live?.message).toContain('Got invalid dimensions for input: x for the following indices');
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(new ModelReadError('m.onnx', 'the graph input x declares shape [1, 3, 0, 0], dim 2 of 0: ONNX Runtime 1.30 runs the model only on an empty input (any other it refuses: "Got invalid dimensions for input: x for the following indices"), which leaves nothing to analyse'));
  });
});

describe('models ORT 1.30 runs are read as ORT reads them', () => {
  it('float_data is the FLOAT field: an int32_data beside it is ignored, by ORT and explain', async () => {
    const bytes = edit((p) => { init(p, 'x_scale').int32Data = [7]; });
    expect(await ortError(bytes, 'all')).toBeNull();
    expect(readOnnxModel('m.onnx', bytes).input?.scale).toBe(Math.fround(0.05));
  });

  it('a repeated initializer is its last one, as ORT takes it', async () => {
    const bytes = edit((p) => { p.inits.push({ ...init(p, 'x_scale'), floatData: [7] }); });
    expect(await ortError(bytes, 'all')).toBeNull();
    expect(readOnnxModel('m.onnx', bytes).input?.scale).toBe(7);
  });

  it('int32 weights (DequantizeLinear takes them) are not modelled, under their own type', async () => {
    const bytes = edit((p) => { init(p, 'wq').dataType = DT.INT32; init(p, 'w_zp').dataType = DT.INT32; });
    // ORT runs the unfused graph; its QDQ fusion then types QLinearConv's w int32, which it refuses when it loads the model
    expect(await ortError(bytes, 'disabled')).toBeNull();
    expect((await ortError(bytes, 'all'))?.message).toContain("Type 'tensor(int32)' of input parameter (wq) of operator (QLinearConv) in node (qconv) is invalid.");
    expect(readOnnxModel('m.onnx', bytes).steps[0]).toMatchObject({ kind: 'not_modelled', opType: 'Conv', reason: 'int32 weights are not modelled (int8 weights only)' });
  });

  it('a negative declared dim is unknown to ORT (it runs [1, 3, 8, 8]); explain says it generates its own shape there', async () => {
    const bytes = edit((p) => { p.inputDims = [1, 3, -8, -8]; });
    expect(await ortError(bytes, 'all')).toBeNull();
    const model = readOnnxModel('m.onnx', bytes);
    expect(model.inputShape).toBeNull();
    expect(model.notes).toContain("the graph input x declares shape [1, 3, -8, -8]: a negative dim is no size (ONNX Runtime 1.30 takes it as unknown), so generated data takes explain's own shape there (--shape or --input to choose)");
  });

  it('a graph input without a shape: ORT runs any; explain takes its own shape, and its outputs are ORT\'s on the same input', async () => {
    const bytes = editInput((x) => {
      x.type!.tensorType!.shape = null;
    });
    const model = readOnnxModel('m.onnx', bytes);
    expect(model.inputShape).toBeNull();
    expect(model.notes).toHaveLength(1);
    const input = generatedInput([1, 3, 8, 8], 'explain-no-shape');
    const outputs = new Map<string, IntTensor>();
    explainModel(model, input, { seed: '1', outputs });
    expect(Array.from(outputs.get('qconv')!.data), "seed explain-no-shape: explain's layer output vs onnxruntime-node").toEqual(await ortQdqIntegers(bytes, input.tensor));
  });

  it('w_scale 3e38: ORT runs it; the fake-quant float conv overflows float32, refused naming the layer and the scale', async () => {
    const bytes = edit((p) => { init(p, 'w_scale').floatData = [3e38]; });
    expect(await ortError(bytes, 'all')).toBeNull();
    const e = explainError(bytes);
    expect(e).toBeInstanceOf(ModelReadError);
    expect(e!.message).toBe("qconv: the fake-quant model's float conv gives NaN at output (0, 0, 0, 0) (x_scale 0.05000000074505806, w_scale 3.0000000054977558e+38): its dequantized weight -127 x w_scale 3.0000000054977558e+38 overflows float32 to -Infinity; explain compares the converted layer with the fake-quant model's observers and fake quantization, which take no such value");
  });

  it('a second layer with x_scale 3e38: ORT runs it; the fake-quant dequantization overflows float32, refused naming the layer and the scale', async () => {
    // qconv2 reads qconv1's uint8 integers in scale 3e38: (q - 100) * 3e38 is +-inf in float32 for q != 100
    const bytes = chainModel({ dtype: 'uint8', between: [], x2: ['big', 'yz'], inits: [f32('big', 3e38)] });
    const x = chainInput('explain-x-scale-3e38');
    const ort = await ortValues(bytes, x, X_SHAPE, ['y']);
    expect(ort['y'], 'ORT 1.30 runs it (its integers saturate)').toHaveLength(256);
    const model = readOnnxModel('m.onnx', bytes);
    let e: unknown = null;
    try {
      explainModel(model, generatedInput(model.inputShape!, '1'), { seed: '1' });
    } catch (err) {
      e = err;
    }
    expect(e, 'replay: -t "x_scale 3e38"').toBeInstanceOf(ModelReadError);
    expect((e as Error).message).toMatch(/^qconv2: the fake-quant model dequantizes its x integer \d+ \(x_scale 3\.0000000054977558e\+38, zero point 100\) to -?Infinity: float32 overflows; /);
  }, 60_000);

  it('kernel_shape equal to the weight dims is taken', async () => {
    const bytes = edit(kernelShape([3, 3]));
    expect(await ortError(bytes, 'all')).toBeNull();
    const model = readOnnxModel('m.onnx', bytes);
    const result = explainModel(model, generatedInput(model.inputShape!, '1'), { seed: '1' });
    expect((result.steps[0] as ConvLayerReport).geometry.weightShape).toEqual([4, 3, 3, 3]);
  });
});
