/**
 * Two-layer QOperator models for the `qconform explain` tests of what sits between layers (onnx_between_layers.ts),
 * built with onnx-proto: QuantizeLinear(x) -> QLinearConv qconv1 -> `between` -> QLinearConv qconv2 -> y (the integers),
 * x float [1, 3, 8, 8], seeded int8 weights; and onnxruntime-node 1.30's values of such a model, the intermediate ones
 * added as graph outputs. Its pieces (scalar initializers, seeded int8 weights, the 3x3 pads-1 conv attributes) serve
 * the explain tests' other hand-built models too.
 */
import onnxProto from 'onnx-proto';
import { CaseRandom } from '../../conformance/cases/random.js';
import { ints } from './explain_integer_model.js';
import { modelBytes, tensorValue } from './onnx_model_bytes.js';
import { installedOrt } from './installed_ort.js';

const { onnx } = onnxProto;
export const DT = onnx.TensorProto.DataType;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

export const f32 = (name: string, v: number): TensorProto => ({ name, dims: [], dataType: DT.FLOAT, floatData: [v] });
export const zp = (name: string, dtype: 'uint8' | 'int8', v: number): TensorProto => ({ name, dims: [], dataType: dtype === 'uint8' ? DT.UINT8 : DT.INT8, int32Data: [v] });
/** An int8 weight initializer of `dims`, its integers drawn from `rng` in [-127, 127]. */
export const int8Weight = (rng: CaseRandom, name: string, dims: readonly number[]): TensorProto => ({ name, dims: [...dims], dataType: DT.INT8, int32Data: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.int(-127, 127)) });
/** The attributes of a 3x3 conv with pads 1 (output of its input's H and W). */
export const conv3x3Pads1 = () => [ints('pads', [1, 1, 1, 1]), ints('kernel_shape', [3, 3])];

/** The float input's shape. */
export const X_SHAPE = [1, 3, 8, 8];

export interface ChainParts {
  /** the type of the activations (x, qconv1's y, and what qconv2 reads unless `between` changes it) */
  readonly dtype: 'uint8' | 'int8';
  /** nodes from y1 (qconv1's output) to y1q (what qconv2 reads); [] connects them directly */
  readonly between: NodeProto[];
  /** initializers the nodes between use */
  readonly inits?: TensorProto[];
  /** qconv1's x scale initializer (default: the QuantizeLinear's, 'xs') */
  readonly x1Scale?: string;
  /** qconv2's x scale and zero point initializers (default: qconv1's y, 'ys' and 'yz') */
  readonly x2?: readonly [string, string];
  readonly opset?: number;
  /** more graph outputs (value names) */
  readonly outputs?: readonly string[];
}

/**
 * The model: x -> QuantizeLinear(xs 0.03, xz) -> qconv1 (3 -> 4 channels, 3x3, pads 1; ws 0.004; ys 0.05, yz; int32
 * bias) -> y1 -> between -> y1q -> qconv2 (4 -> 4, x2) -> y. xz and yz are 128 and 100 (uint8) or 0 and -10 (int8).
 */
export function chainModel(p: ChainParts): Uint8Array {
  const rng = new CaseRandom(`explain-chain-weights:${p.dtype}`);
  const w = (name: string, c: number) => int8Weight(rng, name, [4, c, 3, 3]);
  const conv = conv3x3Pads1();
  const [x2s, x2z] = p.x2 ?? ['ys', 'yz'];
  const nodes: NodeProto[] = [
    { opType: 'QuantizeLinear', input: ['x', 'xs', 'xz'], output: ['xq'] },
    { opType: 'QLinearConv', name: 'qconv1', input: ['xq', p.x1Scale ?? 'xs', 'xz', 'w1', 'ws', 'wz', 'ys', 'yz', 'b'], output: ['y1'], attribute: conv },
    ...(p.between.length ? p.between : [{ opType: 'Identity', input: ['y1'], output: ['y1q'] }]),
    { opType: 'QLinearConv', name: 'qconv2', input: ['y1q', x2s, x2z, 'w2', 'ws', 'wz', 'ys', 'yz'], output: ['y'], attribute: conv },
  ];
  const [xz, yz] = p.dtype === 'uint8' ? [128, 100] : [0, -10];
  const inits = [f32('xs', 0.03), zp('xz', p.dtype, xz), w('w1', 3), w('w2', 4), f32('ws', 0.004), zp('wz', 'int8', 0), f32('ys', 0.05), zp('yz', p.dtype, yz), { name: 'b', dims: [4], dataType: DT.INT32, int32Data: [300, -800, 50, 0] }, ...(p.inits ?? [])];
  const elem = p.dtype === 'uint8' ? DT.UINT8 : DT.INT8;
  return modelBytes(
    { node: nodes, initializer: inits, input: [tensorValue('x', DT.FLOAT, X_SHAPE)], output: [tensorValue('y', elem), ...(p.outputs ?? []).map((name) => ({ name }))] },
    { opset: p.opset ?? 13 },
  );
}

/** Seeded float input data for X_SHAPE, in [-3, 3). */
export function chainInput(seed: string): number[] {
  const rng = new CaseRandom(seed);
  return Array.from({ length: 192 }, () => Math.fround((rng.next() * 2 - 1) * 3));
}

/**
 * onnxruntime-node 1.30's values `names` of the model `bytes` run on the float input `x` (graph optimizations `level`),
 * each value not already a graph output added as one; a value's integers as numbers.
 */
export async function ortValues(bytes: Uint8Array, x: readonly number[], shape: readonly number[], names: readonly string[], level: 'all' | 'disabled' = 'all'): Promise<Record<string, number[]>> {
  const ort = await installedOrt();
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph!;
  for (const n of names) if (!graph.output!.some((o) => o.name === n)) graph.output!.push({ name: n });
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { graphOptimizationLevel: level });
  const r = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), [...shape]) }, [...names]);
  return Object.fromEntries(names.map((n) => [n, Array.from(r[n]!.data as ArrayLike<number | bigint>, Number)]));
}
