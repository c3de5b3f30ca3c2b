import fc from 'fast-check';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';

/** The integer dtypes of the torch ops (the ONNX element types have their own ranges, contract/onnx_dtypes.ts). */
export type TorchIntDtype = QuantDtype | 'int32' | 'int64';
import { parameterArray } from './parameter_array.js';

/** Values a quantized tensor of `dtype` holds: anywhere in range (qint32 mostly near zero) and at both ends. */
function storedValue(dtype: QuantDtype): fc.Arbitrary<number> {
  const { min, max } = DTYPE_RANGE[dtype];
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }) },
    { weight: 2, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max, min + 1, max - 1) },
  );
}

/** `count` stored values of `dtype`, rarely with some outside its range (rejected); any int32 for a non-quantized dtype. */
export function quantizedValues(dtype: TorchIntDtype, count: number): fc.Arbitrary<number[]> {
  if (dtype === 'int32' || dtype === 'int64') return fc.array(fc.integer({ min: -300, max: 300 }), { minLength: count, maxLength: count });
  const { min, max } = DTYPE_RANGE[dtype];
  const anyValue = fc.oneof({ weight: 12, arbitrary: storedValue(dtype) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1) });
  return parameterArray(storedValue(dtype), anyValue, count);
}

/** The dtype of a tensor handed to dequantize: an eager dtype, sometimes quint4x2, rarely plain int32 (rejected). */
export const dequantizeInputDtype: fc.Arbitrary<TorchIntDtype> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<TorchIntDtype>('quint8', 'qint8', 'qint32') },
  { weight: 2, arbitrary: fc.constant<TorchIntDtype>('quint4x2') },
  { weight: 1, arbitrary: fc.constant<TorchIntDtype>('int32') },
);

/** The range zero points are drawn from for a dequantize input of this dtype. */
export function zeroPointRangeOf(dtype: TorchIntDtype): { min: number; max: number } {
  return dtype === 'int32' || dtype === 'int64' ? DTYPE_RANGE.qint8 : DTYPE_RANGE[dtype];
}
