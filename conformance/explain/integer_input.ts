/**
 * The integers `qconform explain` feeds a model whose first layer reads a uint8 / int8 graph input with no
 * QuantizeLinear before it (IntegerGraphInput, onnx_input.ts): ORT hands that tensor's integers to the layer as its
 * x (QLinearConv, QLinearMatMul, or the DequantizeLinear of a QDQ layer), directly or through ops the chain carries
 * exactly (a MaxPool, a flatten, copies), so explain takes the user's values as they are, each of which must be an
 * integer of the input's dtype; nothing is quantized or rounded. Generated data is seeded integers around the
 * layer's x zero point (generatedInteger).
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import type { ExplainInput } from './input_tensor.js';
import { type ActivationQparams, type IntegerGraphInput, ModelReadError } from './model_types.js';

/** explain's generated activation value for a standard normal draw v: zero point + round(24 v), clamped to q's dtype. */
export function generatedInteger(v: number, q: ActivationQparams): number {
  const r = DTYPE_RANGE[q.dtype];
  return Math.min(r.max, Math.max(r.min, q.zeroPoint + Math.round(v * 24)));
}

const typeName = (q: ActivationQparams) => (q.dtype === 'quint8' ? 'uint8' : 'int8');

/**
 * The integer tensor `input` gives the graph input `g`, and the input's description: an integer .npy must be of
 * the graph input's type, and a file's values must each be an integer (as written) in the dtype's range, else a
 * ModelReadError naming what is not; generated
 * standard normal data becomes generatedInteger values (labelled). The shape is checked against the layer by the
 * chain (input_fit.ts).
 */
export function integerInput(input: ExplainInput, g: IntegerGraphInput): { xq: IntTensor; description: string } {
  const type = typeName(g.x);
  const { min, max } = DTYPE_RANGE[g.x.dtype];
  const by = `${g.layer}${g.through.length ? ` after ${g.through.join(', ')}` : ''}`;
  const which = `the graph input ${g.name} is ${type}, read as it is by ${by}`;
  const data = input.tensor.data;
  if (input.origin === 'generated') {
    const values = Array.from(data, (v) => generatedInteger(v, g.x));
    return {
      xq: intTensor(g.x.dtype, input.tensor.shape, values),
      description: `GENERATED: seeded ${type} integers, zero point ${g.x.zeroPoint} + round(24 x standard normal) clamped to [${min}, ${max}] (seed ${input.seed ?? '?'}), shape [${input.tensor.shape.join(', ')}], as ${g.name}; pass --input FILE.npy|FILE.json of ${type} integers for your own`,
    };
  }
  const where = input.path ?? 'input';
  // ORT refuses a tensor of another type than the graph input's ("Unexpected input data type"); JSON has none
  if (input.intDtype && input.intDtype !== type) throw new ModelReadError(where, `holds ${input.intDtype} integers, but ${which}: pass ${type} data`);
  if (input.nonInteger) throw new ModelReadError(where, `value ${input.nonInteger.value} (element ${input.nonInteger.index}) is not an integer: ${which}, so explain takes its integers as given`);
  const out = data.findIndex((v) => v < min || v > max);
  if (out >= 0) throw new ModelReadError(where, `value ${data[out]} (element ${out}) is outside ${type} [${min}, ${max}]: ${which}`);
  return { xq: intTensor(g.x.dtype, input.tensor.shape, Array.from(data)), description: `${input.description}: ${type} integers, the graph input ${g.name}, read as they are by ${by}` };
}
