/**
 * Bad input to the ONNX quantization ops gets a typed error, the same one from reference and impl, never a crash or a
 * silent answer: scales that are not finite or not > 0, zero points and stored values outside their type, parameter
 * shapes that do not fit the layout, axes out of range, block sizes, element types ORT 1.30 has no kernel for, sizes
 * beyond contract/limits.ts (refused before allocation), NaN input to DynamicQuantizeLinear. The com.microsoft
 * variants also refuse the attributes their schema lacks (block_size, saturate, output_dtype: ORT 1.30 refuses the
 * model) and name themselves in their messages.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';

const q = (attrs: Record<string, unknown>, inputs: Record<string, unknown>) => ({ id: 'e', op: 'quantize_linear@1', attrs, inputs });
const dq = (attrs: Record<string, unknown>, inputs: Record<string, unknown>) => ({ id: 'e', op: 'dequantize_linear@1', attrs, inputs });
const x23 = wireF32([2, 3], [1, 2, 3, 4, 5, 6]);

const CASES: ReadonlyArray<readonly [string, ReturnType<typeof q>, string]> = [
  ['NaN scale', q({ dtype: 'uint8' }, { x: x23, y_scale: wireF32([], [NaN]) }), 'scale_not_finite'],
  ['infinite scale', q({ dtype: 'uint8' }, { x: x23, y_scale: wireF32([], [Infinity]) }), 'scale_not_finite'],
  ['zero scale', q({ dtype: 'int8' }, { x: x23, y_scale: wireF32([], [0]) }), 'scale_not_positive'],
  ['negative per-axis scale', q({ dtype: 'int8', axis: 1 }, { x: x23, y_scale: wireF32([3], [1, -1, 1]) }), 'scale_not_positive'],
  ['zero point outside int4', q({ dtype: 'int4' }, { x: x23, y_scale: wireF32([], [1]), y_zero_point: wireInt('int4', [], [8]) }), 'zero_point_out_of_range'],
  ['zero point of another type', q({ dtype: 'int8' }, { x: x23, y_scale: wireF32([], [1]), y_zero_point: wireInt('uint8', [], [8]) }), 'invalid_dtype'],
  ['int32 output', q({ dtype: 'int32' }, { x: x23, y_scale: wireF32([], [1]) }), 'invalid_dtype'],
  ['a torch dtype', q({ dtype: 'quint8' }, { x: x23, y_scale: wireF32([], [1]) }), 'invalid_dtype'],
  ['per-axis scale of the wrong size', q({ dtype: 'uint8', axis: 1 }, { x: x23, y_scale: wireF32([2], [1, 1]) }), 'shape_mismatch'],
  ['axis out of range', q({ dtype: 'uint8', axis: 2 }, { x: x23, y_scale: wireF32([3], [1, 1, 1]) }), 'axis_out_of_range'],
  ['blocked scale of the wrong shape', q({ dtype: 'uint8', axis: 1, block_size: 2 }, { x: x23, y_scale: wireF32([2, 1], [1, 1]) }), 'shape_mismatch'],
  ['block size with a per-tensor scale', q({ dtype: 'uint8', block_size: 2 }, { x: x23, y_scale: wireF32([], [1]) }), 'shape_mismatch'],
  ['negative block size', q({ dtype: 'uint8', axis: 1, block_size: -1 }, { x: x23, y_scale: wireF32([3], [1, 1, 1]) }), 'invalid_integer'],
  ['stored value outside uint4', dq({}, { x: wireInt('uint4', [2], [3, 16]), x_scale: wireF32([], [1]) }), 'invalid_integer'],
  ['dequantize zero point outside int16', dq({}, { x: wireInt('int16', [1], [3]), x_scale: wireF32([], [1]), x_zero_point: wireInt('int16', [], [40000]) }), 'zero_point_out_of_range'],
  ['dequantize zero scale', dq({}, { x: wireInt('int8', [1], [3]), x_scale: wireF32([], [0]) }), 'scale_not_positive'],
  ['dequantize of a float tensor', dq({}, { x: x23, x_scale: wireF32([], [1]) }), 'malformed_request'],
  ['NaN input to DynamicQuantizeLinear', { id: 'e', op: 'dynamic_quantize_linear@1', attrs: {}, inputs: { x: wireF32([3], [1, NaN, 2]) } }, 'nan_input'],
];

const msq = (attrs: Record<string, unknown>, inputs: Record<string, unknown>) => ({ id: 'e', op: 'ms_quantize_linear@1', attrs, inputs });
const msdq = (attrs: Record<string, unknown>, inputs: Record<string, unknown>) => ({ id: 'e', op: 'ms_dequantize_linear@1', attrs, inputs });
const one = wireF32([], [0.5]);

const MS_CASES: ReadonlyArray<readonly [string, ReturnType<typeof q>, string, string]> = [
  ['block_size attribute', msq({ block_size: 0 }, { x: x23, y_scale: one }), 'malformed_request', 'attrs.block_size'],
  ['saturate attribute', msq({ saturate: 1 }, { x: x23, y_scale: one }), 'malformed_request', 'attrs.saturate'],
  ['output_dtype attribute', msq({ output_dtype: 3 }, { x: x23, y_scale: one }), 'malformed_request', 'attrs.output_dtype'],
  ['dtype attribute (the zero point decides)', msq({ dtype: 'int8' }, { x: x23, y_scale: one }), 'malformed_request', 'attrs.dtype'],
  ['dequantize block_size attribute', msdq({ block_size: 2 }, { x: wireInt('int8', [2], [1, 2]), x_scale: one }), 'malformed_request', 'attrs.block_size'],
  ['int32 zero point (no int32 QuantizeLinear)', msq({}, { x: x23, y_scale: one, y_zero_point: wireInt('int32', [], [0]) }), 'invalid_dtype', 'ms_quantize_linear: dtype'],
  ['a torch zero point dtype', msq({}, { x: x23, y_scale: one, y_zero_point: wireInt('quint8', [], [0]) }), 'invalid_dtype', 'ms_quantize_linear'],
  ['a blocked-shaped scale', msq({ axis: 1 }, { x: x23, y_scale: wireF32([2, 2], [1, 1, 1, 1]) }), 'shape_mismatch', 'ms_quantize_linear: scale'],
  ['per-axis zero point of the wrong size', msq({ axis: 1 }, { x: x23, y_scale: wireF32([3], [1, 1, 1]), y_zero_point: wireInt('int16', [2], [0, 0]) }), 'shape_mismatch', 'ms_quantize_linear: zero_point'],
  ['axis out of range', msq({ axis: -3 }, { x: x23, y_scale: wireF32([3], [1, 1, 1]) }), 'axis_out_of_range', 'ms_quantize_linear: axis'],
  ['zero scale', msq({}, { x: x23, y_scale: wireF32([], [0]) }), 'scale_not_positive', 'ms_quantize_linear: scale'],
  ['zero point outside uint4', msq({}, { x: x23, y_scale: one, y_zero_point: wireInt('uint4', [], [16]) }), 'zero_point_out_of_range', 'ms_quantize_linear: zero_point'],
  ['dequantize value outside int16', msdq({}, { x: wireInt('int16', [2], [1, 40000]), x_scale: one }), 'invalid_integer', 'ms_dequantize_linear: x[1]'],
  ['dequantize NaN scale', msdq({ axis: 0 }, { x: wireInt('uint16', [2], [1, 2]), x_scale: wireF32([2], [1, NaN]) }), 'scale_not_finite', 'ms_dequantize_linear: scale[1]'],
];

describe('com.microsoft QuantizeLinear / DequantizeLinear refuse bad input with typed errors naming the op', () => {
  it.each(MS_CASES)('%s', (_name, request, code, mention) => {
    const ref = evaluateRequest(reference, request);
    expect(ref).toMatchObject({ error: { code } });
    expect('error' in ref && ref.error.message).toContain(mention);
    expect(evaluateRequest(impl, request)).toEqual(ref);
  });

  it('accept the same requests without the defect: uint8 without a zero point, int16 per axis, int4 dequantized', () => {
    for (const ops of [reference, impl]) {
      expect(evaluateRequest(ops, msq({}, { x: x23, y_scale: one }))).toMatchObject({ outputs: { y: { dtype: 'uint8', values: [2, 4, 6, 8, 10, 12] } } });
      expect(evaluateRequest(ops, msq({ axis: 1 }, { x: x23, y_scale: wireF32([3], [1, 2, 4]), y_zero_point: wireInt('int16', [3], [0, -1, 1]) }))).toMatchObject({ outputs: { y: { dtype: 'int16', values: [1, 0, 2, 4, 1, 3] } } });
      expect(evaluateRequest(ops, msdq({ axis: 0 }, { x: wireInt('int4', [2], [-8, 7]), x_scale: wireF32([2], [1, 0.5]), x_zero_point: wireInt('int4', [2], [1, -1]) }))).toMatchObject({ outputs: { y: { dtype: 'float32' } } });
    }
  });
});

describe('ONNX quantization ops refuse bad input with typed errors', () => {
  it.each(CASES)('%s', (_name, request, code) => {
    const ref = evaluateRequest(reference, request);
    expect(ref).toMatchObject({ error: { code } });
    expect(evaluateRequest(impl, request)).toEqual(ref);
  });

  it('refuses a tensor beyond MAX_TENSOR_ELEMENTS (too_large) from its shape, before touching its data', () => {
    const x = { dtype: 'float32' as const, shape: [4_194_305], data: new Float32Array(0) };
    const yScale = { dtype: 'float32' as const, shape: [], data: Float32Array.of(1) };
    for (const ops of [reference, impl]) {
      expect(() => ops.quantizeLinear({ x, yScale, yZeroPoint: null, dtype: 'uint8', axis: 1, blockSize: 0, saturate: 1 })).toThrow(/too_large/);
      expect(() => ops.dynamicQuantizeLinear(x)).toThrow(/too_large/);
      expect(() => ops.dequantizeLinear({ x: { dtype: 'int8', shape: [4_194_305], data: new Int32Array(0) }, xScale: yScale, xZeroPoint: null, axis: 1, blockSize: 0 })).toThrow(/too_large/);
    }
  });
});

/** The code's own text in a message, `${what}: ${ERROR_CODES[code]} [code]; got ...`, without `what`. */
const codeText = (message: string, code: string, what: string) => message.slice(message.indexOf(what) + what.length, message.indexOf(` [${code}]`));

describe("each code's text is true for the ONNX quantization ops that raise it", () => {
  it.each([
    // [case, code, what, a word the text must hold for this op, a word it must not]
    ['an empty blocked QuantizeLinear (ORT dies)', q({ dtype: 'int8', axis: 1, block_size: 1 }, { x: wireF32([2, 0], []), y_scale: wireF32([2, 0], []) }), 'empty_output', 'quantize_linear: x: ', 'blocked QuantizeLinear', null],
    ['an int32 QuantizeLinear output', q({ dtype: 'int32' }, { x: x23, y_scale: one }), 'invalid_dtype', 'quantize_linear: dtype: ', 'uint16', 'must be one of quint8'],
    ['a zero point of another type', q({ dtype: 'int8' }, { x: x23, y_scale: one, y_zero_point: wireInt('uint8', [], [8]) }), 'invalid_dtype', 'quantize_linear: zero_point.dtype: ', "a zero point has its tensor's type", 'must be one of quint8'],
    ['a negative block_size attribute', q({ dtype: 'uint8', axis: 1, block_size: -1 }, { x: x23, y_scale: wireF32([3], [1, 1, 1]) }), 'invalid_integer', 'quantize_linear: block_size: ', 'attribute', null],
    ['a stored value outside uint4', dq({}, { x: wireInt('uint4', [2], [3, 16]), x_scale: one }), 'invalid_integer', 'dequantize_linear: x[1]: ', 'outside the range of its element type', null],
  ] as const)('%s', (_name, request, code, what, holds, not) => {
    for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
      const answer = evaluateRequest(ops, request);
      const replay = `replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend ${name}`;
      expect(answer, replay).toMatchObject({ error: { code } });
      const text = codeText('error' in answer ? answer.error.message : '', code, what);
      expect(text, replay).toContain(holds);
      if (not) expect(text, replay).not.toContain(not);
    }
  });
});
