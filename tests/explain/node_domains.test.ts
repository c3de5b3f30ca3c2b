/**
 * `qconform explain` reads an ONNX node by its domain and op_type (conformance/explain/onnx_node_domain.ts), checked
 * against onnxruntime-node 1.30 run live on each model:
 *   - a com.microsoft QLinearConv with channels_last 1 runs on NHWC data (ORT's y is the NHWC transpose of its NCHW
 *     QLinearConv's on the transposed x): explain lists it as not modelled, naming the domain and the layout (it analysed
 *     it as an NCHW conv, its NHWC input read as NCHW: a silent wrong answer);
 *   - a com.microsoft QLinearConv with channels_last 0, or without it, is ORT's one QLinearConv kernel: explain
 *     analyses it, and its outputs are ORT's bit for bit;
 *   - a node of another domain is never read as its ai.onnx namesake (a foo.bar QLinearConv was analysed, a foo.bar
 *     DequantizeLinear of the weight made a QDQ conv): listed as not modelled, naming its domain (ORT refuses both);
 *   - com.microsoft QuantizeLinear / DequantizeLinear are ONNX's to ORT (the same kernels; its QDQ transformer fuses
 *     them): explain reads the QDQ conv, and its outputs are ORT's.
 * The console table and the HTML page show the not-modelled layer under its domain.
 * Replay one case: npx vitest run tests/explain/node_domains.test.ts -t '<case name>'
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainFiles } from '../support/explain_files.js';
import { int, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';
import { ortQdqIntegers, qdqModel, qdqParts } from '../support/explain_qdq_model.js';

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

/** ORT 1.30's error loading `bytes`, or null when it loads. */
async function ortLoadError(bytes: Uint8Array): Promise<string | null> {
  const ort = await loadOrt();
  expect(ort, 'onnxruntime-node is installed (npm install)').not.toBeNull();
  return ort!.InferenceSession.create(bytes).then(
    () => null,
    (e: Error) => e.message,
  );
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

describe('a node of another domain is never read as its ai.onnx namesake', () => {
  it('a foo.bar QLinearConv: ORT refuses it; explain lists it as not modelled, naming foo.bar', async () => {
    const bytes = qlinearConvIn('foo.bar', [], [1, 2, 5, 5]);
    expect(await ortLoadError(bytes)).toContain('foo.bar:QLinearConv(-1) is not a registered function/op');
    expect(readOnnxModel('m.onnx', bytes).steps).toEqual([
      { kind: 'not_modelled', name: 'QLinearConv_0', opType: 'foo.bar QLinearConv', reason: 'QLinearConv of domain foo.bar is not modelled: explain reads ai.onnx ops, and of com.microsoft QuantizeLinear, DequantizeLinear and QLinearConv (channels_last 0), never a node of another domain as its ai.onnx namesake' },
    ]);
  });

  it("a foo.bar DequantizeLinear of the weight: ORT refuses it; explain's Conv is no QDQ conv", async () => {
    const parts = qdqParts();
    parts.nodes[2] = { ...parts.nodes[2]!, domain: 'foo.bar' };
    const m = onnx.ModelProto.decode(qdqModel(parts));
    m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain: 'foo.bar', version: 1 })];
    const bytes = onnx.ModelProto.encode(m).finish();
    expect(await ortLoadError(bytes)).toContain('foo.bar:DequantizeLinear(-1) is not a registered function/op');
    const steps = readOnnxModel('m.onnx', bytes).steps;
    expect(steps.map((s) => [s.kind, s.name, s.kind === 'not_modelled' ? s.opType : ''])).toEqual([
      ['not_modelled', 'DequantizeLinear_2', 'foo.bar DequantizeLinear'],
      ['not_modelled', 'qconv', 'Conv'],
    ]);
  });

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
