/**
 * An initializer no node uses, of a type explain has no reader for or with malformed data, does not stop
 * `qconform explain` (conformance/explain/onnx_constants.ts): ONNX Runtime 1.30 removes such an initializer unread
 * ("Removing initializer 'u'. It is not used by any node") and runs the model, so explain analyses it, and its conv's
 * outputs are ORT's bit for bit. Before, explain read every initializer first and refused the whole model ("tensor u:
 * data type STRING is not supported"; an unused int8 one with too few values was refused quoting an ORT refusal that
 * ORT does not make). What ORT refuses unused or not (a data type 0 or 999) and a tensor of a type explain cannot read
 * that an analysed node needs (ORT refuses both such weights too) are still refused; one that only a node explain does not
 * analyse uses is not read. Each model is run in onnxruntime-node 1.30 here.
 * Replay one case: npx vitest run tests/explain/unused_initializers.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { type QdqParts, ortQdqIntegers, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { ortLoadError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
type Tensor = onnxProto.onnx.ITensorProto;
const SEED = 'explain-unused-initializers';
const text = (s: string) => new TextEncoder().encode(s);

/** The base QDQ model with `extra` initializers, and `f` applied to its parts. */
function withInits(extra: Tensor[], f: (p: QdqParts) => void = () => {}): Uint8Array {
  const p = qdqParts();
  p.inits.push(...extra);
  f(p);
  return qdqModel(p);
}

/** [case, the unused initializer u] */
const UNUSED: ReadonlyArray<readonly [string, Tensor]> = [
  ['string', { name: 'u', dims: [2], dataType: DT.STRING, stringData: [text('a'), text('b')] }],
  ['bfloat16 in raw_data', { name: 'u', dims: [2], dataType: DT.BFLOAT16, rawData: new Uint8Array([0x80, 0x3f, 0, 0x40]) }],
  ['bfloat16 in int32_data', { name: 'u', dims: [2], dataType: DT.BFLOAT16, int32Data: [0x3f80, 0x4000] }],
  ['float16 in raw_data', { name: 'u', dims: [2], dataType: DT.FLOAT16, rawData: new Uint8Array([0, 0x3c, 0, 0x40]) }],
  ['int16 in raw_data', { name: 'u', dims: [2], dataType: DT.INT16, rawData: new Uint8Array(4) }],
  ['int4 (data type 22) in raw_data', { name: 'u', dims: [2], dataType: 22, rawData: new Uint8Array([0x21]) }],
  ['float8e4m3fn (data type 17) in raw_data', { name: 'u', dims: [2], dataType: 17, rawData: new Uint8Array(2) }],
  ['complex64', { name: 'u', dims: [1], dataType: DT.COMPLEX64, floatData: [1, 2] }],
  ['int8 with 1 value in int32_data for 4', { name: 'u', dims: [4], dataType: DT.INT8, int32Data: [1] }],
  ['int8 with 3 bytes of raw_data for 4', { name: 'u', dims: [4], dataType: DT.INT8, rawData: new Uint8Array(3) }],
];

describe('an initializer no node uses is not read, as ORT 1.30 does not read it', () => {
  it.each(UNUSED)('an unused %s initializer: ORT runs the model; explain analyses it, its outputs are ORT\'s', async (_, u) => {
    const bytes = withInits([u]);
    const input = generatedInput(qdqParts().inputDims, SEED);
    const ortY = await ortQdqIntegers(bytes, input.tensor);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel('m.onnx', bytes), input, { seed: SEED, outputs });
    expect(r.steps.map((s) => s.kind)).toEqual(['conv2d']);
    expect(Array.from(outputs.get('qconv')!.data), `seed ${SEED}: explain's layer output vs onnxruntime-node`).toEqual(ortY);
  });

  it('a string initializer only a node explain does not analyse uses (an Identity): ORT runs it, explain does not read it', async () => {
    const bytes = withInits([{ name: 'u', dims: [2], dataType: DT.STRING, stringData: [text('a'), text('b')] }], (p) => p.nodes.push({ opType: 'Identity', input: ['u'], output: ['u2'] }));
    expect(await ortLoadError(bytes, 'all')).toBeNull();
    expect(readOnnxModel('m.onnx', bytes).steps.map((s) => s.kind)).toEqual(['conv2d']);
  });
});

describe('what ORT 1.30 refuses, and what an analysed node needs, is still refused', () => {
  it.each<[string, Tensor, string]>([
    ['data type 999', { name: 'u', dims: [1], dataType: 999, int32Data: [1] }, "Tensor 'u' does not have valid data type."],
    ['no data type', { name: 'u', dims: [1], int32Data: [1] }, 'Tensor does not have type information.'],
  ])('an unused initializer of %s: ORT refuses the model, explain too, quoting it', async (_, u, ort) => {
    const bytes = withInits([u]);
    expect(await ortLoadError(bytes, 'all')).toContain(ort);
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(OrtRefusedModelError);
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(`"${ort}"`);
  });

  it.each<[string, Tensor, string]>([
    ['bfloat16', { name: 'wq', dims: [4, 3, 3, 3], dataType: DT.BFLOAT16, rawData: new Uint8Array(216) }, "Type 'tensor(bfloat16)' of input parameter (wq) of operator (DequantizeLinear)"],
    ['string', { name: 'wq', dims: [4, 3, 3, 3], dataType: DT.STRING, stringData: Array.from({ length: 108 }, () => text('a')) }, "Type 'tensor(string)' of input parameter (wq) of operator (DequantizeLinear)"],
  ])('a %s weight, which the analysed conv needs: ORT refuses the model; explain refuses it naming the tensor', async (type, w, ort) => {
    const bytes = withInits([], (p) => {
      p.inits[0] = w;
    });
    expect(await ortLoadError(bytes, 'all')).toContain(ort);
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(new ModelReadError('m.onnx', `tensor wq: data type ${type.toUpperCase()} is not supported`));
  });

  it('an int8 initializer with too few values that an Identity uses: ORT reads it when it loads the model (optimizations disabled), so explain refuses it', async () => {
    const bytes = withInits([{ name: 'u', dims: [2], dataType: DT.INT8, int32Data: [1] }], (p) => p.nodes.push({ opType: 'Identity', input: ['u'], output: ['u2'] }));
    // at level all, ORT removes the Identity, whose output nothing uses, before it reads the initializer
    expect(await ortLoadError(bytes, 'disabled')).toContain('tensor shape size(2) does not match the data size(1) in proto');
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow('ONNX Runtime 1.30 refuses it when it loads the model: "tensor shape size(2) does not match the data size(1) in proto"');
  });
});
