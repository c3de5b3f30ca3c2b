/**
 * An ONNX model holding one QLinearConv (opset 13, per-axis weight scales allowed), built from TypeScript
 * with onnx-proto: the activation is the graph input, every parameter an initializer.
 * ONNX operator spec: onnx/defs/nn/defs.cc QLinearConv-10.
 */
import { schemeBiasDtypeRefusal } from '../../../contract/conv_checks.js';
import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import type { Conv2dArgs } from '../../../contract/conv.js';

let messages: typeof onnxProto.onnx | undefined;
/** onnx-proto (protobufjs) takes a tenth of a second or more to load: it is loaded when the first model is built, not when qconform starts. */
const onnx = () => (messages ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx);
const T = () => onnx().TensorProto.DataType;

function raw(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array) {
  return onnx().TensorProto.create({ name, dataType, dims: [...dims], rawData: bytes });
}

const float32Tensor = (name: string, dims: readonly number[], values: readonly number[]) => raw(name, T().FLOAT, dims, new Uint8Array(Float32Array.from(values).buffer));
const int8Tensor = (name: string, dims: readonly number[], values: ArrayLike<number>) => raw(name, T().INT8, dims, new Uint8Array(Int8Array.from(values).buffer));
const uint8Tensor = (name: string, dims: readonly number[], values: ArrayLike<number>) => raw(name, T().UINT8, dims, Uint8Array.from(values));
const int32Tensor = (name: string, dims: readonly number[], values: ArrayLike<number>) => raw(name, T().INT32, dims, new Uint8Array(Int32Array.from(values).buffer));

const ints = (name: string, values: readonly number[]) => onnx().AttributeProto.create({ name, type: onnx().AttributeProto.AttributeType.INTS, ints: [...values] });
const int = (name: string, value: number) => onnx().AttributeProto.create({ name, type: onnx().AttributeProto.AttributeType.INT, i: value });

/**
 * Serialized model bytes for `a` (scales rounded to float32, as ONNX stores them). The activation input is
 * named "x" with the shape of a.x; the output "y" is uint8 or int8 like the activation.
 */
export function qlinearConvModel(a: Conv2dArgs): Uint8Array {
  const signed = a.x.dtype === 'qint8';
  const zpTensor = (name: string, v: number) => (signed ? int8Tensor(name, [], [v]) : uint8Tensor(name, [], [v]));
  const elem = signed ? T().INT8 : T().UINT8;
  const k = a.weightScales.data.length;
  const initializer = [
    float32Tensor('x_scale', [], [a.xScale]),
    zpTensor('x_zero_point', a.xZeroPoint),
    int8Tensor('w', a.weight.shape, a.weight.data),
    float32Tensor('w_scale', a.weightQuantization === 'per_channel' ? [k] : [], Array.from(a.weightScales.data)),
    int8Tensor('w_zero_point', a.weightQuantization === 'per_channel' ? [k] : [], a.weightZeroPoints.data),
    float32Tensor('y_scale', [], [a.yScale]),
    zpTensor('y_zero_point', a.yZeroPoint),
  ];
  const inputs = ['x', 'x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'y_scale', 'y_zero_point'];
  if (a.bias) {
    // QLinearConv's B is int32 only: a float32 bias is refused as the contract refuses it on onnxruntime@1, never converted
    // (the onnxruntime backend's adapter, qlinear_conv.ts, does not run ORT on such a request: it never gets here)
    if (a.bias.dtype !== 'int32') throw schemeBiasDtypeRefusal('onnxruntime@1', a.bias.dtype);
    initializer.push(int32Tensor('B', a.bias.shape, a.bias.data));
    inputs.push('B');
  }
  const node = onnx().NodeProto.create({
    opType: 'QLinearConv',
    input: inputs,
    output: ['y'],
    attribute: [
      ints('strides', a.stride),
      ints('pads', [a.padding[0], a.padding[1], a.padding[0], a.padding[1]]),
      ints('dilations', a.dilation),
      int('group', a.groups),
      ints('kernel_shape', a.weight.shape.slice(2)),
    ],
  });
  const valueInfo = (name: string, shape: readonly number[] | null) =>
    onnx().ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: elem, shape: shape ? { dim: shape.map((d) => ({ dimValue: d })) } : null } },
    });
  const graph = onnx().GraphProto.create({ name: 'qconform_qlinearconv', node: [node], initializer, input: [valueInfo('x', a.x.shape)], output: [valueInfo('y', null)] });
  const model = onnx().ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], producerName: 'qconform', graph });
  return onnx().ModelProto.encode(model).finish();
}
