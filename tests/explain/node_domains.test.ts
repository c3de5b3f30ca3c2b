/**
 * `qconform explain` reads an ONNX node by its domain and op_type (conformance/explain/onnx_node_domain.ts), checked
 * against onnxruntime-node 1.30 run live on each model:
 *   - a com.microsoft QLinearConv with channels_last 1 runs on NHWC data (ORT's y is the NHWC transpose of its NCHW
 *     QLinearConv's on the transposed x): explain lists it as not modelled, naming the domain and the layout (it analysed
 *     it as an NCHW conv, its NHWC input read as NCHW: a silent wrong answer);
 *   - a com.microsoft QLinearConv with channels_last 0, or without it, is ORT's one QLinearConv kernel: explain
 *     analyses it, and its outputs are ORT's bit for bit;
 *   - a node of a domain ORT 1.30 has no kernels for (conformance/explain/ort_kernel_domains.ts: foo.bar, Com.Microsoft,
 *     org.pytorch.aten, ai.onnx.preview.training, com.microsoft.experimental, ai.onnx.training, com.ms.internal.nhwc)
 *     makes ORT refuse the model when it loads it: explain refuses it, quoting ORT (a foo.bar QLinearConv, a foo.bar
 *     DequantizeLinear of the weight were listed as not modelled, exit 0);
 *   - a node of a domain ORT runs (ai.onnx.ml, com.microsoft.nchwc) or a call of a model function (ORT inlines it) is
 *     listed as not modelled under its domain, and is no quantized layer (a foo.bar MatMul function call was counted
 *     as one);
 *   - com.microsoft QuantizeLinear / DequantizeLinear are ONNX's to ORT (the same kernels; its QDQ transformer fuses
 *     them): explain reads the QDQ conv, and its outputs are ORT's.
 * The console table and the HTML page show the not-modelled layer under its domain.
 * Replay one case: npx vitest run tests/explain/node_domains.test.ts -t '<case name>'
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainError, explainFiles } from '../support/explain_files.js';
import { int, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';
import { ortQdqIntegers, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { explainReadError, ortLoadError, ortRunError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
const printed = captureConsole();
const { file, jsonInput } = explainFiles('qconform-node-domains-');
const SEED = 'explain-node-domains';

/** qlinearConvCase's model (x [1, 2, 5, 5], w [3, 2, 3, 3], pads 1) with its QLinearConv in `domain`, `attrs` added, x declared `dims`. */
function qlinearConvIn(domain: string, attrs: onnxProto.onnx.IAttributeProto[], dims: number[]): Uint8Array {
  const m = onnx.ModelProto.decode(qlinearConvCase('quint8', SEED).bytes);
  const n = m.graph!.node![0]!;
  n.domain = domain;
  n.attribute = [...n.attribute!, ...attrs.map((a) => onnx.AttributeProto.create(a))];
  if (domain) m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain, version: 1 })];
  m.graph!.input![0]!.type!.tensorType!.shape = onnx.TensorShapeProto.create({ dim: dims.map((d) => ({ dimValue: d })) });
  return onnx.ModelProto.encode(m).finish();
}

/** [N, C, H, W] data as [N, H, W, C], or back (toNhwc false, `dims` then the NCHW dims). */
function transposed(data: ArrayLike<number>, [n, c, h, w]: readonly number[], toNhwc: boolean): number[] {
  const out = new Array<number>(data.length);
  for (let b = 0; b < n!; b++) {
    for (let ch = 0; ch < c!; ch++) {
      for (let p = 0; p < h! * w!; p++) {
        const nchw = (b * c! + ch) * h! * w! + p;
        const nhwc = (b * h! * w! + p) * c! + ch;
        if (toNhwc) out[nhwc] = data[nchw]!;
        else out[nchw] = data[nhwc]!;
      }
    }
  }
  return out;
}

/** Seeded uint8 integers for x. */
function xIntegers(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 97 + 31) % 256);
}

const NHWC_REASON = "com.microsoft QLinearConv with channels_last 1 reads x as [N, H, W, C] and writes y in NHWC: explain's chain carries NCHW data, so it reads a com.microsoft QLinearConv only with channels_last 0 (ONNX's QLinearConv, one kernel in ORT: qlinearconv.cc)";

describe('a com.microsoft QLinearConv is read as ORT 1.30 runs it', () => {
  // x NHWC [1, H 2, W 5, C 2]: read as NCHW, [1, 2, 5, 2] fits the weight's 2 input channels
  const nhwcDims = [1, 2, 5, 2];
  const nchwDims = [1, 2, 2, 5];

  it('channels_last 1: ORT runs it on NHWC data; explain lists it as not modelled, naming the domain and the layout', async () => {
    const bytes = qlinearConvIn('com.microsoft', [int('channels_last', 1)], nhwcDims);
    const xNchw = xIntegers(20);
    const yNhwc = await ortRun(bytes, 'quint8', transposed(xNchw, nchwDims, true), nhwcDims);
    const yNchw = await ortRun(qlinearConvIn('', [], nchwDims), 'quint8', xNchw, nchwDims);
    expect(Array.from(yNhwc), `seed ${SEED}: ORT's channels_last y is its NCHW y transposed to NHWC`).toEqual(transposed(yNchw, [1, 3, 2, 5], true));
    const model = readOnnxModel('m.onnx', bytes);
    expect(model.steps).toEqual([{ kind: 'not_modelled', name: 'QLinearConv_0', opType: 'com.microsoft QLinearConv', reason: NHWC_REASON }]);
    expect(model.rawInput).toMatchObject({ kind: 'unused' });
  });

  it('channels_last 1 through the CLI: exit 0, the console table and the HTML page name the domain', () => {
    const bytes = qlinearConvIn('com.microsoft', [int('channels_last', 1)], nhwcDims);
    const html = file('nhwc.html', '');
    expect(explainCommand(file('nhwc.onnx', bytes), { seed: '1', html })).toBe(0);
    expect(printed.err).toEqual([]);
    expect(printed.out.join('\n')).toContain(`QLinearConv_0  com.microsoft QLinearConv: NOT MODELLED (${NHWC_REASON})`);
    expect(readFileSync(html, 'utf8')).toContain('com.microsoft QLinearConv: not modelled (com.microsoft QLinearConv with channels_last 1 reads x as [N, H, W, C] and writes y in NHWC');
  });

  it.each<[string, onnxProto.onnx.IAttributeProto[]]>([
    ['channels_last 0', [int('channels_last', 0)]],
    ['no channels_last', []],
  ])('%s: ORT runs it as ONNX QLinearConv on NCHW data; explain analyses it, its outputs are ORT\'s bit for bit', async (_, attrs) => {
    const dims = [1, 2, 5, 5];
    const bytes = qlinearConvIn('com.microsoft', attrs, dims);
    const x = xIntegers(50);
    const y = await ortRun(bytes, 'quint8', x, dims);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel('m.onnx', bytes), readInputTensor(jsonInput('x.json', dims, x)), { seed: '1', outputs });
    expect((r.steps[0] as ConvLayerReport).source).toBe('com.microsoft QLinearConv');
    expect(Array.from(outputs.get('QLinearConv_0')!.data), `seed ${SEED}: explain's layer output vs onnxruntime-node`).toEqual(Array.from(y));
    expect(new Set(Array.from(y)).size).toBeGreaterThan(10);
  });
});

/** `bytes` with node `k` in `domain`, the model importing it at opset `imported` (null: no import of it). */
function inDomain(bytes: Uint8Array, k: number, domain: string, imported: number | null = 1): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  m.graph!.node![k]!.domain = domain;
  if (imported !== null) m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain, version: imported })];
  return onnx.ModelProto.encode(m).finish();
}

/** qdqParts' model with `nodes` after its output (its last node now writes y0; the last of `nodes` writes y), and `functions`. */
function qdqThen(nodes: onnxProto.onnx.INodeProto[], imports: Array<[string, number]>, functions: onnxProto.onnx.IFunctionProto[] = []): Uint8Array {
  const parts = qdqParts();
  parts.nodes[parts.nodes.length - 1]!.output = ['y0'];
  parts.nodes.push(...nodes);
  const m = onnx.ModelProto.decode(qdqModel(parts));
  m.opsetImport = [...m.opsetImport!, ...imports.map(([domain, version]) => onnx.OperatorSetIdProto.create({ domain, version }))];
  m.functions = functions.map((f) => onnx.FunctionProto.create(f));
  return onnx.ModelProto.encode(m).finish();
}

/** A model function `domain` `name`(a) = Relu(a) (or `body`(a, b)), of ai.onnx opset 13. */
const fn = (domain: string, name: string, body = 'Relu'): onnxProto.onnx.IFunctionProto => ({
  domain, name, input: body === 'Relu' ? ['a'] : ['a', 'b'], output: ['c'], node: [{ opType: body, input: body === 'Relu' ? ['a'] : ['a', 'b'], output: ['c'] }], opsetImport: [{ domain: '', version: 13 }],
});

const qlinearConvOf = (domain: string, imported: number | null = 1) => inDomain(qlinearConvIn('', [], [1, 2, 5, 5]), 0, domain, imported);
const qdqWeightOf = (domain: string) => inDomain(qdqModel(), 2, domain);

/** [case, model, ORT 1.30's message refusing it (explain quotes it)] */
const REFUSED_DOMAINS: ReadonlyArray<readonly [string, () => Uint8Array, string]> = [
  ['a foo.bar QLinearConv', () => qlinearConvOf('foo.bar'), 'foo.bar:QLinearConv(-1) is not a registered function/op'],
  ['a foo.bar DequantizeLinear of the weight', () => qdqWeightOf('foo.bar'), 'foo.bar:DequantizeLinear(-1) is not a registered function/op'],
  ['a foo.bar QLinearConv the model does not import', () => qlinearConvOf('foo.bar', null), "No opset import for domain 'foo.bar'"],
  ['a Com.Microsoft QLinearConv (a domain is case-sensitive)', () => qlinearConvOf('Com.Microsoft'), 'Com.Microsoft:QLinearConv(-1) is not a registered function/op'],
  ['an org.pytorch.aten QLinearConv, not imported (ORT knows the domain)', () => qlinearConvOf('org.pytorch.aten', null), 'org.pytorch.aten:QLinearConv(-1) is not a registered function/op'],
  ['an ai.onnx.preview.training DequantizeLinear of the weight', () => qdqWeightOf('ai.onnx.preview.training'), 'ai.onnx.preview.training:DequantizeLinear(-1) is not a registered function/op'],
  ['a com.microsoft.experimental QLinearConv', () => qlinearConvOf('com.microsoft.experimental'), 'com.microsoft.experimental:QLinearConv(-1) is not a registered function/op'],
  ['an ai.onnx.training QLinearConv (an ONNX domain of no op)', () => qlinearConvOf('ai.onnx.training'), 'No Op registered for QLinearConv with domain_version of 1'],
  ['an ai.onnx.training QLinearConv, not imported', () => qlinearConvOf('ai.onnx.training', null), 'No Op registered for QLinearConv with domain_version of 1'],
];

describe('a node of a domain ORT 1.30 has no kernels for: ORT refuses the model, and so does explain, quoting ORT', () => {
  for (const [name, model, ort] of REFUSED_DOMAINS) {
    it(name, async () => {
      const bytes = model();
      expect(await ortLoadError(bytes), 'ORT 1.30 live refuses it when it loads it').toContain(ort);
      const e = explainReadError(bytes);
      expect(e, `seed ${SEED}: explain refuses it`).toBeInstanceOf(OrtRefusedModelError);
      expect((e as OrtRefusedModelError).ort).toBe(ort);
      expect((e as Error).message).toMatch(/ is of domain \S+, which ONNX Runtime 1\.30 runs no node of \(its CPU provider has kernels for ai\.onnx, ai\.onnx\.ml, com\.microsoft and com\.microsoft\.nchwc only\); ONNX Runtime 1\.30 refuses it when it loads the model: "/);
    });
  }

  it('com.ms.internal.nhwc (ORT\'s internal NHWC domain, no CPU kernel): ORT refuses the model; explain refuses it, naming the domain', async () => {
    const bytes = qlinearConvOf('com.ms.internal.nhwc', 10);
    expect(await ortLoadError(bytes), 'ORT 1.30 live refuses it when it loads it').not.toBeNull();
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow("m.onnx: QLinearConv node QLinearConv_0 is of domain com.ms.internal.nhwc, which ONNX Runtime 1.30 runs no node of (its CPU provider has kernels for ai.onnx, ai.onnx.ml, com.microsoft and com.microsoft.nchwc only): ORT's internal NHWC domain, whose nodes ORT 1.30 refuses when it loads the model (its message depends on the node: its NHWC schema's checks, then no kernel)");
  });

  it('through the CLI: exit 2, one line quoting ORT', () => {
    const message = explainError(printed.err, file('foo.onnx', qlinearConvOf('foo.bar')), {});
    expect(message).toBe(`error: ${file('foo.onnx', qlinearConvOf('foo.bar'))}: QLinearConv node QLinearConv_0 is of domain foo.bar, which ONNX Runtime 1.30 runs no node of (its CPU provider has kernels for ai.onnx, ai.onnx.ml, com.microsoft and com.microsoft.nchwc only); ONNX Runtime 1.30 refuses it when it loads the model: "foo.bar:QLinearConv(-1) is not a registered function/op"`);
  });
});

/** [case, model, the node explain lists as not modelled: name, op type] */
const RUN_DOMAINS: ReadonlyArray<readonly [string, () => Uint8Array, string, string]> = [
  ['an ai.onnx.ml Binarizer', () => qdqThen([{ opType: 'Binarizer', domain: 'ai.onnx.ml', input: ['y0'], output: ['y'], name: 'bin' }], [['ai.onnx.ml', 1]]), 'bin', 'ai.onnx.ml Binarizer'],
  ['com.microsoft.nchwc ReorderInput and ReorderOutput', () => qdqThen([{ opType: 'ReorderInput', domain: 'com.microsoft.nchwc', input: ['y0'], output: ['r'], name: 'ri' }, { opType: 'ReorderOutput', domain: 'com.microsoft.nchwc', input: ['r'], output: ['y'], name: 'ro', attribute: [int('channels', 4)] }], [['com.microsoft.nchwc', 1]]), 'ri', 'com.microsoft.nchwc ReorderInput'],
  ['a call of the model\'s foo.bar function MyRelu', () => qdqThen([{ opType: 'MyRelu', domain: 'foo.bar', input: ['y0'], output: ['y'], name: 'f' }], [['foo.bar', 1]], [fn('foo.bar', 'MyRelu')]), 'f', 'foo.bar MyRelu'],
  ['a call of the model\'s org.pytorch.aten function MyRelu, not imported', () => qdqThen([{ opType: 'MyRelu', domain: 'org.pytorch.aten', input: ['y0'], output: ['y'], name: 'f' }], [], [fn('org.pytorch.aten', 'MyRelu')]), 'f', 'org.pytorch.aten MyRelu'],
];

describe('a node of a domain ORT 1.30 runs (or a call of a model function): ORT runs the model; explain lists the node as not modelled', () => {
  for (const [name, model, node, opType] of RUN_DOMAINS) {
    it(name, async () => {
      const bytes = model();
      expect(await ortRunError(bytes), 'ORT 1.30 live loads and runs it').toBeNull();
      const steps = readOnnxModel('m.onnx', bytes).steps;
      expect(steps.map((s) => s.kind)).toEqual(['conv2d', 'not_modelled', ...(node === 'ri' ? ['not_modelled'] : [])]);
      expect(steps[1]).toMatchObject({ name: node, opType });
    });
  }

  it('a call of a model function foo.bar MatMul is no quantized layer: ORT runs it; explain finds no quantized layer (it counted it as one)', async () => {
    const m = onnx.ModelProto.decode(qdqModel());
    const g = m.graph!;
    g.node = [onnx.NodeProto.create({ opType: 'MatMul', domain: 'foo.bar', input: ['x', 'w'], output: ['y'], name: 'mm' })];
    g.initializer = [onnx.TensorProto.create({ name: 'w', dims: [8, 2], dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from({ length: 16 }, (_, i) => i / 8) })];
    m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain: 'foo.bar', version: 1 })];
    m.functions = [onnx.FunctionProto.create(fn('foo.bar', 'MatMul', 'MatMul'))];
    const bytes = onnx.ModelProto.encode(m).finish();
    expect(await ortRunError(bytes), 'ORT 1.30 live loads and runs it').toBeNull();
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(new ModelReadError('m.onnx', 'no quantized layer found (neither QLinearConv, QLinearMatMul, nor QDQ around Conv, MatMul or Gemm)'));
  });
});

describe('com.microsoft QuantizeLinear and DequantizeLinear', () => {
  it('com.microsoft QuantizeLinear / DequantizeLinear are ONNX\'s to ORT: explain reads the QDQ conv, its outputs are ORT\'s', async () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.map((n) => (n.opType === 'Conv' ? n : { ...n, domain: 'com.microsoft' }));
    const m = onnx.ModelProto.decode(qdqModel(parts));
    m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain: 'com.microsoft', version: 1 })];
    const bytes = onnx.ModelProto.encode(m).finish();
    const input = generatedInput(parts.inputDims, SEED);
    const ortY = await ortQdqIntegers(bytes, input.tensor);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel('m.onnx', bytes), input, { seed: SEED, outputs });
    expect(r.steps.map((s) => s.kind)).toEqual(['conv2d']);
    expect(Array.from(outputs.get('qconv')!.data), `seed ${SEED}: explain's layer output vs onnxruntime-node`).toEqual(ortY);
    expect(new Set(ortY).size).toBeGreaterThan(10);
  });
});
