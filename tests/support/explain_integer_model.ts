/**
 * ONNX models whose graph input is uint8 / int8 integers read by the first layer, for `qconform explain` tests
 * (integer_input.ts, onnx_input.ts): a one-QLinearConv model with seeded integers for x, ops put before a model's
 * first node, and the onnxruntime-node session's output on integers.
 */
import onnxProto from 'onnx-proto';
import { expect } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { qlinearConvModel } from '../../conformance/backends/onnxruntime/qlinear_conv_model.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { convArgs } from './conv_args.js';
import { installedOrt } from './installed_ort.js';

const { onnx } = onnxProto;

/** The x shape of qlinearConvCase's conv. */
export const X_SHAPE = [1, 2, 5, 5];

/**
 * A one-QLinearConv model whose graph input x is `dtype` (per-channel weights, bias, pads 1), and seeded integers
 * for x. Weights are small (|w| <= 20): no int16 pair of x*w products saturates on any CPU (ORT's u8s8 kernels).
 */
export function qlinearConvCase(dtype: QuantDtype, seed: string): { bytes: Uint8Array; x: number[] } {
  const rng = new CaseRandom(seed);
  const [lo, hi, zp] = dtype === 'quint8' ? [0, 255, 128] : [-128, 127, 0];
  const x = Array.from({ length: 50 }, () => rng.int(lo, hi));
  const bytes = qlinearConvModel(
    convArgs({
      x: intTensor(dtype, X_SHAPE, x),
      weight: intTensor('qint8', [3, 2, 3, 3], Array.from({ length: 54 }, () => rng.int(-20, 20))),
      weightQuantization: 'per_channel',
      weightScales: f64Tensor([3], [0.01, 0.0125, 0.008]),
      weightZeroPoints: intTensor('int32', [3], [0, 0, 0]),
      bias: intTensor('int32', [3], [700, -900, 40]),
      xScale: 0.02,
      xZeroPoint: zp,
      yScale: 0.01,
      yZeroPoint: dtype === 'quint8' ? 100 : -10,
      padding: [1, 1],
    }),
  );
  return { bytes, x };
}

/** An INTS attribute (kernel_shape, pads, ...). */
export const ints = (name: string, values: number[]): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
/** An INT attribute (to, ceil_mode, axis, ...). */
export const int = (name: string, i: number): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });

/** A node put before the model's first node by opsBefore: its op, attributes and (optional) name. */
export interface NodeBefore {
  readonly opType: string;
  readonly attribute?: readonly onnxProto.onnx.IAttributeProto[];
  readonly name?: string;
}

/**
 * `bytes` with `ops` chained between the graph input `input` and the model's first node (which read it as its
 * input 0): input -> ops[0] -> ... -> the first node; the graph input then has `dims` and, when given, `elem`.
 */
export function opsBefore(bytes: Uint8Array, input: string, ops: readonly NodeBefore[], dims: readonly number[], elem?: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  const first = graph.node![0]!;
  expect(first.input![0]).toBe(input);
  let value = input;
  const nodes = ops.map((op, i) => {
    const out = `${input}_${i}`;
    const n = onnx.NodeProto.create({ opType: op.opType, input: [value], output: [out], attribute: [...(op.attribute ?? [])], name: op.name ?? '' });
    value = out;
    return n;
  });
  first.input![0] = value;
  graph.node = [...nodes, ...graph.node!];
  const graphInput = graph.input!.find((i) => i.name === input)!;
  graphInput.type!.tensorType!.shape = { dim: dims.map((d) => ({ dimValue: d })) };
  if (elem !== undefined) graphInput.type!.tensorType!.elemType = elem;
  return onnx.ModelProto.encode(model).finish();
}

/** The onnxruntime-node session's output `output` for the integers `x` of `dtype` and `shape` fed as `input`. */
export async function ortRun(bytes: Uint8Array, dtype: QuantDtype, x: readonly number[], shape: readonly number[], input = 'x', output = 'y'): Promise<ArrayLike<number>> {
  const ort = await installedOrt();
  const session = await ort.InferenceSession.create(bytes);
  const data = dtype === 'quint8' ? Uint8Array.from(x) : Int8Array.from(x);
  return (await session.run({ [input]: new ort.Tensor(dtype === 'quint8' ? 'uint8' : 'int8', data, [...shape]) }))[output]!.data as ArrayLike<number>;
}
