/**
 * Imports the ONNX project's own backend node tests (Debian libonnx-testdata, ONNX 1.12.0: data/node/<test>/model.onnx
 * and test_data_set_0/{input,output}_<i>.pb, TensorProtos decoded with onnx-proto) as the third-party vector set
 * vectors/onnx-testdata-1.12. `generate [--write]`: rebuild the set from the installed package and compare with (or
 * rewrite) the committed files.
 *   apt-get install -y libonnx-testdata      npm run vectors:write:onnx-testdata      npm run vectors:check:onnx-testdata
 * Table-driven: NODE_TESTS holds one row per node test (its directory, the qconform op, and the mapping of the ONNX
 * node's inputs, attributes and outputs to a request and its expected outputs). A node test of another op is one
 * more row. Case ids are `onnx_<op>-NNNNN`, apart from those of the ORT-written sets that `qconform run --backend
 * onnxruntime` runs beside this one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import onnxProto from 'onnx-proto';
import type { Manifest, VectorCase } from '../../conformance/vectors/vector_set.js';
import { ONNX_TESTDATA_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import { assembleVectorFiles, writeOrCompareVectorSet } from '../../conformance/vectors/vector_set_files.js';
import { f64ToHex } from '../../contract/wire.js';
import type { WireTensor } from '../../contract/wire.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import type { IntDtype } from '../../contract/tensor.js';

const { onnx } = onnxProto;
const PACKAGE = 'libonnx-testdata';
const NODE_DIR = '/usr/share/libonnx-testdata/data/node';
const GENERATOR_VERSION = 2;

/** A decoded TensorProto: its ONNX element type name, dims and values (numbers; floats as float32 values). */
interface OnnxTensor {
  readonly name: string;
  readonly type: 'float' | 'uint8' | 'int8' | 'int32';
  readonly dims: number[];
  readonly values: number[];
}

const TYPE_NAMES: Record<number, OnnxTensor['type']> = { 1: 'float', 2: 'uint8', 3: 'int8', 6: 'int32' };

/** TensorProto -> values: raw_data (little-endian) or the typed field (float_data; int32_data holds the 8-bit types). */
function decodeTensor(bytes: Uint8Array): OnnxTensor {
  const t = onnx.TensorProto.decode(bytes);
  const type = TYPE_NAMES[t.dataType];
  if (!type) throw new Error(`TensorProto ${t.name}: element type ${t.dataType} is not imported`);
  const dims = t.dims.map(Number);
  const raw = t.rawData && t.rawData.length ? new Uint8Array(t.rawData) : null;
  let values: number[];
  if (raw) {
    const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    const view = { float: Float32Array, uint8: Uint8Array, int8: Int8Array, int32: Int32Array }[type];
    values = Array.from(new view(buf));
  } else {
    values = type === 'float' ? t.floatData.map((v) => Math.fround(v)) : t.int32Data.map((v) => (type === 'int8' ? (v << 24) >> 24 : v));
  }
  return { name: t.name, type, dims, values };
}

/** One node test as read from the package: the node's attributes and its named inputs and outputs. */
interface NodeTest {
  readonly opType: string;
  readonly opset: number;
  readonly attrs: Record<string, number | number[]>;
  readonly inputs: Record<string, OnnxTensor>;
  readonly outputs: Record<string, OnnxTensor>;
  /** sha256 of model.onnx and of each .pb, for the provenance */
  readonly sources: Record<string, string>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function readNodeTest(test: string): NodeTest {
  const dir = join(NODE_DIR, test);
  const modelBytes = readFileSync(join(dir, 'model.onnx'));
  const model = onnx.ModelProto.decode(modelBytes);
  const node = model.graph!.node![0]!;
  if (model.graph!.node!.length !== 1) throw new Error(`${test}: expected a one-node model`);
  const attrs: Record<string, number | number[]> = {};
  for (const a of node.attribute ?? []) attrs[a.name!] = a.ints && a.ints.length ? a.ints.map(Number) : Number(a.i ?? 0);
  const sources: Record<string, string> = { 'model.onnx': sha256(modelBytes) };
  const read = (kind: 'input' | 'output', names: readonly string[]) =>
    Object.fromEntries(
      names.map((name, i) => {
        const file = join(dir, 'test_data_set_0', `${kind}_${i}.pb`);
        const bytes = readFileSync(file);
        sources[`test_data_set_0/${kind}_${i}.pb`] = sha256(bytes);
        return [name, decodeTensor(bytes)];
      }),
    );
  const inputNames = (model.graph!.input ?? []).map((v) => v.name!);
  const outputNames = (model.graph!.output ?? []).map((v) => v.name!);
  const opset = Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 0);
  return { opType: node.opType!, opset, attrs, inputs: read('input', inputNames), outputs: read('output', outputNames), sources };
}

const f32 = (t: OnnxTensor): WireTensor => wireF32(t.dims, t.values);
const int = (dtype: IntDtype, t: OnnxTensor): WireTensor => wireInt(dtype, t.dims, t.values);
const scalarHex = (t: OnnxTensor) => f64ToHex(t.values[0]!);

/** What one row produces: the request (without id) and the expected outputs. */
interface ImportedCase {
  readonly attrs: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, WireTensor>;
  /** how the request differs in form from the node test, if it does */
  readonly note?: string;
}

const optionalAxis = (t: NodeTest) => (t.attrs.axis === undefined ? {} : { axis: t.attrs.axis });

/** QuantizeLinear-10/13: the zero point's type is the output type. */
function quantizeLinearCase(t: NodeTest): ImportedCase {
  const zp = t.inputs.y_zero_point;
  const dtype = zp?.type ?? 'uint8';
  return {
    attrs: { dtype, ...optionalAxis(t) },
    inputs: { x: f32(t.inputs.x!), y_scale: f32(t.inputs.y_scale!), ...(zp ? { y_zero_point: int(dtype as IntDtype, zp) } : {}) },
    outputs: { y: int(dtype as IntDtype, t.outputs.y!) },
  };
}

function dequantizeLinearCase(t: NodeTest): ImportedCase {
  const x = t.inputs.x!;
  const zp = t.inputs.x_zero_point;
  return {
    attrs: { ...optionalAxis(t) },
    inputs: { x: int(x.type as IntDtype, x), x_scale: f32(t.inputs.x_scale!), ...(zp ? { x_zero_point: int(x.type as IntDtype, zp) } : {}) },
    outputs: { y: f32(t.outputs.y!) },
  };
}

function dynamicQuantizeLinearCase(t: NodeTest): ImportedCase {
  return {
    attrs: {},
    inputs: { x: f32(t.inputs.x!) },
    outputs: { y: int('uint8', t.outputs.y!), y_scale: f32(t.outputs.y_scale!), y_zero_point: int('uint8', t.outputs.y_zero_point!) },
  };
}

/**
 * QLinearConv-10 as quantized_conv2d@1 (scheme onnxruntime@1, accumulator int32_wrap: the ONNX reference sums exactly,
 * which int32_wrap equals while no sum leaves int32, as here; it is the accumulator ORT claims on VNNI and SSE-only
 * CPUs, so `qconform run --backend onnxruntime` runs the case). uint8 weights w with zero point z become int8 w - 128 with zero point z - 128: the conv reads
 * only w - z, which is unchanged.
 */
function qlinearConvCase(t: NodeTest): ImportedCase {
  const { x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point } = t.inputs as Record<string, OnnxTensor>;
  const shift = w!.type === 'uint8' ? 128 : 0;
  const xDtype = x!.type === 'uint8' ? 'quint8' : 'qint8';
  const k = w_scale!.values.length;
  const pads = (t.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  return {
    attrs: {
      scheme: 'onnxruntime@1',
      accumulator: 'int32_wrap',
      stride: (t.attrs.strides as number[] | undefined) ?? [1, 1],
      padding: [pads[0], pads[1]],
      dilation: (t.attrs.dilations as number[] | undefined) ?? [1, 1],
      groups: (t.attrs.group as number | undefined) ?? 1,
      relu: false,
      x_scale: scalarHex(x_scale!),
      x_zero_point: x_zero_point!.values[0],
      y_scale: scalarHex(y_scale!),
      y_zero_point: y_zero_point!.values[0],
      weight_quantization: k > 1 ? 'per_channel' : 'per_tensor',
    },
    inputs: {
      x: wireInt(xDtype, x!.dims, x!.values),
      weight: wireInt('qint8', w!.dims, w!.values.map((v) => v - shift)),
      weight_scales: { dtype: 'float64', shape: [k], hex: w_scale!.values.map(f64ToHex) },
      weight_zero_points: wireInt('int64', [k], w_zero_point!.values.map((v) => v - shift)),
    },
    outputs: { y: wireInt(xDtype, t.outputs.y!.dims, t.outputs.y!.values) },
    ...(shift ? { note: 'uint8 weights and weight zero points shifted by -128 into int8 (w - w_zero_point unchanged)' } : {}),
  };
}

/** ONNX uint8 / int8 as the quantized dtypes of the integer ops (contract/onnx_qops.ts). */
const q8 = (t: OnnxTensor): WireTensor => {
  if (t.type !== 'uint8' && t.type !== 'int8') throw new Error(`${t.name}: element type ${t.type} is not an 8-bit integer`);
  return wireInt(t.type === 'uint8' ? 'quint8' : 'qint8', t.dims, t.values);
};

/**
 * The integer matmul and conv node tests as their ops with accumulator int32_wrap: the ONNX reference sums exactly, which
 * int32_wrap equals while no sum leaves int32 (as in all of them); their operands are uint8 x uint8, which every MLAS
 * kernel (VNNI, AVX2, SSE4) sums exactly, so ORT runs them on every CPU.
 */
function matmulIntegerCase(t: NodeTest): ImportedCase {
  const { A, B, a_zero_point: za, b_zero_point: zb } = t.inputs;
  return {
    attrs: { accumulator: 'int32_wrap' },
    inputs: { a: q8(A!), b: q8(B!), ...(za ? { a_zero_point: q8(za) } : {}), ...(zb ? { b_zero_point: q8(zb) } : {}) },
    outputs: { y: int('int32', t.outputs.Y!) },
  };
}

function qlinearMatMulCase(t: NodeTest): ImportedCase {
  const i = t.inputs as Record<string, OnnxTensor>;
  return {
    attrs: { accumulator: 'int32_wrap' },
    inputs: {
      a: q8(i.a!),
      a_scale: f32(i.a_scale!),
      a_zero_point: q8(i.a_zero_point!),
      b: q8(i.b!),
      b_scale: f32(i.b_scale!),
      b_zero_point: q8(i.b_zero_point!),
      y_scale: f32(i.y_scale!),
      y_zero_point: q8(i.y_zero_point!),
    },
    outputs: { y: q8(t.outputs.y!) },
  };
}

function convIntegerCase(t: NodeTest): ImportedCase {
  const { x, w, x_zero_point: zx, w_zero_point: zw } = t.inputs;
  return {
    attrs: {
      strides: (t.attrs.strides as number[] | undefined) ?? [1, 1],
      pads: (t.attrs.pads as number[] | undefined) ?? [0, 0, 0, 0],
      dilations: (t.attrs.dilations as number[] | undefined) ?? [1, 1],
      group: (t.attrs.group as number | undefined) ?? 1,
      accumulator: 'int32_wrap',
    },
    inputs: { x: q8(x!), w: q8(w!), ...(zx ? { x_zero_point: q8(zx) } : {}), ...(zw ? { w_zero_point: q8(zw) } : {}) },
    outputs: { y: int('int32', t.outputs.y!) },
  };
}

/** One row per imported node test. The *_expanded tests hold the same data as their base test (only the model differs) and are not imported. */
export const NODE_TESTS: ReadonlyArray<{ test: string; op: string; toCase: (t: NodeTest) => ImportedCase }> = [
  { test: 'test_quantizelinear', op: 'quantize_linear@1', toCase: quantizeLinearCase },
  { test: 'test_quantizelinear_axis', op: 'quantize_linear@1', toCase: quantizeLinearCase },
  { test: 'test_dequantizelinear', op: 'dequantize_linear@1', toCase: dequantizeLinearCase },
  { test: 'test_dequantizelinear_axis', op: 'dequantize_linear@1', toCase: dequantizeLinearCase },
  { test: 'test_dynamicquantizelinear', op: 'dynamic_quantize_linear@1', toCase: dynamicQuantizeLinearCase },
  { test: 'test_dynamicquantizelinear_max_adjusted', op: 'dynamic_quantize_linear@1', toCase: dynamicQuantizeLinearCase },
  { test: 'test_dynamicquantizelinear_min_adjusted', op: 'dynamic_quantize_linear@1', toCase: dynamicQuantizeLinearCase },
  { test: 'test_qlinearconv', op: 'quantized_conv2d@1', toCase: qlinearConvCase },
  { test: 'test_matmulinteger', op: 'matmul_integer@1', toCase: matmulIntegerCase },
  { test: 'test_qlinearmatmul_2D', op: 'qlinear_matmul@1', toCase: qlinearMatMulCase },
  { test: 'test_qlinearmatmul_3D', op: 'qlinear_matmul@1', toCase: qlinearMatMulCase },
  { test: 'test_basic_convinteger', op: 'conv_integer@1', toCase: convIntegerCase },
  { test: 'test_convinteger_with_padding', op: 'conv_integer@1', toCase: convIntegerCase },
  { test: 'test_convinteger_without_padding', op: 'conv_integer@1', toCase: convIntegerCase },
];

function installedVersion(): string | null {
  try {
    const status = readFileSync('/var/lib/dpkg/status', 'utf8');
    const block = status.split('\n\n').find((b) => b.startsWith(`Package: ${PACKAGE}\n`));
    return block?.match(/^Version: (.+)$/m)?.[1] ?? null;
  } catch {
    return null;
  }
}

function generate(o: { write?: boolean; dir: string }): number {
  const version = installedVersion();
  if (!version || !existsSync(NODE_DIR)) {
    console.error(`${PACKAGE} is not installed: apt-get install -y ${PACKAGE}`);
    return 2;
  }
  const byOp = new Map<string, VectorCase[]>();
  const tests: Record<string, unknown> = {};
  for (const row of NODE_TESTS) {
    const t = readNodeTest(row.test);
    const c = row.toCase(t);
    if (!byOp.has(row.op)) byOp.set(row.op, []);
    const cases = byOp.get(row.op)!;
    const id = `onnx_${row.op.split('@')[0]}-${String(cases.length).padStart(5, '0')}`;
    const vectorCase: VectorCase = { id, op: row.op, attrs: c.attrs, inputs: c.inputs, expect: { outputs: c.outputs } };
    cases.push(vectorCase);
    tests[row.test] = { op_type: t.opType, opset: t.opset, case_id: vectorCase.id, ...(c.note ? { note: c.note } : {}), sha256: t.sources };
  }
  const { texts, files } = assembleVectorFiles([...byOp].map(([op, cases]) => ({ op, cases })));
  const manifest: Manifest = {
    format: 'qconform-vectors/1',
    generator_version: GENERATOR_VERSION,
    seed: 'none (imported)',
    oracle: `ONNX ${version.split('-')[0]} backend node tests (reference outputs of the ONNX project), Debian ${PACKAGE} ${version}`,
    provenance: {
      package: PACKAGE,
      package_version: version,
      source: `${NODE_DIR}/<test>/model.onnx and test_data_set_0/*.pb`,
      upstream: 'https://github.com/onnx/onnx/tree/v1.12.0/onnx/backend/test/data/node',
      license: 'Apache-2.0 (ONNX)',
      imported_by: 'scripts/vectors/onnx_testdata_cli.ts (npm run vectors:write:onnx-testdata)',
      tests,
    },
    files,
  };
  return writeOrCompareVectorSet(o.dir, { manifest, texts }, o.write ?? false, (line) => console.log(line));
}

const program = new Command('onnx-testdata-vectors').description('import the ONNX backend node tests of libonnx-testdata');
program
  .command('generate')
  .option('--write', 'write the vector files (otherwise only compare)')
  .option('--dir <dir>', 'vector directory', ONNX_TESTDATA_VECTORS_DIR)
  .action((o) => {
    process.exitCode = generate(o);
  });
await program.parseAsync();
