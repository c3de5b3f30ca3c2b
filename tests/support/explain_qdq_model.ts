/**
 * A small QDQ model for `qconform explain` tests, built with onnx-proto: QuantizeLinear(x) -> DequantizeLinear ->
 * Conv(3 -> 4 channels, 3x3, pads 1) with a DequantizeLinear'd int8 weight -> QuantizeLinear -> DequantizeLinear,
 * input x [1, 3, 8, 8]. A test edits the parts (nodes, initializers, input dims) to make the graph it needs.
 */
import onnxProto from 'onnx-proto';
import type { F32Tensor } from '../../contract/tensor.js';
import { modelBytes, tensorValue } from './onnx_model_bytes.js';
import { installedOrt } from './installed_ort.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;

export interface QdqParts {
  nodes: onnxProto.onnx.INodeProto[];
  inits: onnxProto.onnx.ITensorProto[];
  inputDims: number[];
  /** the graph input's element type (ONNX TensorProto.DataType); float32 when absent */
  inputType?: number;
}

/** Input channels of the base model's conv. */
export const QDQ_CHANNELS = 3;

/** The base model's parts (fresh objects on every call). */
export function qdqParts(): QdqParts {
  const [oc, c] = [4, QDQ_CHANNELS];
  const f32 = (name: string, dims: number[], v: number[]) => ({ name, dims, dataType: DT.FLOAT, floatData: v });
  const i8 = (name: string, dims: number[], v: number[]) => ({ name, dims, dataType: DT.INT8, int32Data: v });
  const u8 = (name: string, dims: number[], v: number[]) => ({ name, dims, dataType: DT.UINT8, int32Data: v });
  const convAttrs = [
    { name: 'pads', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1, 1, 1] },
    { name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [3, 3] },
  ];
  return {
    inits: [
      i8('wq', [oc, c, 3, 3], Array.from({ length: oc * c * 9 }, (_, i) => ((i * 37) % 255) - 127)),
      f32('x_scale', [], [0.05]),
      u8('x_zp', [], [128]),
      f32('w_scale', [], [0.01]),
      i8('w_zp', [], [0]),
      f32('y_scale', [], [0.1]),
      u8('y_zp', [], [100]),
    ],
    nodes: [
      { opType: 'QuantizeLinear', input: ['x', 'x_scale', 'x_zp'], output: ['xq'] },
      { opType: 'DequantizeLinear', input: ['xq', 'x_scale', 'x_zp'], output: ['xf'] },
      { opType: 'DequantizeLinear', input: ['wq', 'w_scale', 'w_zp'], output: ['wf'] },
      { opType: 'Conv', input: ['xf', 'wf'], output: ['yf'], attribute: convAttrs, name: 'qconv' },
      { opType: 'QuantizeLinear', input: ['yf', 'y_scale', 'y_zp'], output: ['yq'] },
      { opType: 'DequantizeLinear', input: ['yq', 'y_scale', 'y_zp'], output: ['y'] },
    ],
    inputDims: [1, c, 8, 8],
  };
}

/** The serialized model of `parts` (the base model when none are given). */
export function qdqModel(parts: QdqParts = qdqParts()): Uint8Array {
  const graph = { node: parts.nodes, initializer: parts.inits, input: [tensorValue('x', parts.inputType ?? DT.FLOAT, parts.inputDims)], output: [tensorValue('y', DT.FLOAT)] };
  return modelBytes(graph, { irVersion: 7 });
}

/**
 * onnxruntime-node's run of a model of qdqParts' form (float input x, output y = DequantizeLinear(yq) with y_scale 0.1
 * and y_zp 100) on the floats of `x`: yq, the conv's integers, from y = (q - 100) * 0.1 in float32 (exactly invertible for
 * |q - 100| <= 255).
 */
export async function ortQdqIntegers(bytes: Uint8Array, x: F32Tensor): Promise<number[]> {
  const ort = await installedOrt();
  const session = await ort.InferenceSession.create(bytes);
  const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) })).y!.data as Float32Array;
  return Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + 100);
}

/** What qdqModelWith adds to the base model. */
export interface QdqExtras {
  /** nodes after the base model's output: its last node then writes y0, and the last of these writes y */
  readonly after?: readonly onnxProto.onnx.INodeProto[];
  /** more initializers (the nodes after may read them) */
  readonly inits?: readonly onnxProto.onnx.ITensorProto[];
  /** the model's opset_import, in order ([domain, version]; a version beyond 2^53 as a Long), in place of ai.onnx 13 */
  readonly opsets?: ReadonlyArray<readonly [string, number | { low: number; high: number; unsigned: boolean }]>;
  readonly functions?: readonly onnxProto.onnx.IFunctionProto[];
}

/** The base model (qdqParts) with `extras`. */
export function qdqModelWith(extras: QdqExtras): Uint8Array {
  const parts = qdqParts();
  if (extras.after?.length) {
    parts.nodes[parts.nodes.length - 1]!.output = ['y0'];
    parts.nodes.push(...extras.after);
  }
  parts.inits.push(...(extras.inits ?? []));
  const m = onnx.ModelProto.decode(qdqModel(parts));
  if (extras.opsets) m.opsetImport = extras.opsets.map(([domain, version]) => onnx.OperatorSetIdProto.create({ domain, version: version as number }));
  m.functions = (extras.functions ?? []).map((f) => onnx.FunctionProto.create(f));
  return onnx.ModelProto.encode(m).finish();
}
