/**
 * The values of one ONNX TensorProto as `qconform explain` reads them (an initializer, a Constant node's value): its data
 * type checked as ONNX Runtime 1.30 checks it, its values from raw_data or from its type's own field. A data type explain
 * has no reader for (a string, float16, bfloat16, int4 tensor, ...) is an UnreadTensorError, which the graph's constants
 * raise only when an analysed node needs the tensor (onnx_constants.ts).
 */
import onnxProto from 'onnx-proto';
import { ModelReadError } from './model_types.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

type TensorProto = onnxProto.onnx.ITensorProto;
const DT = onnxProto.onnx.TensorProto.DataType;

export interface Const {
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export const num = (v: number | { toNumber(): number } | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

/** A tensor whose data type explain has no reader for, where it is stored (raw_data or its typed field). */
export class UnreadTensorError extends ModelReadError {}

/**
 * The data types ONNX Runtime 1.30 takes in a TensorProto (TensorProto_DataType_IsValid of the ONNX it bundles: 1 to 26;
 * measured: 26 loads, 27 and 999 give "Tensor '<name>' does not have valid data type.", 0 "Tensor does not have type
 * information.", graph.cc).
 */
const ORT_MAX_DATA_TYPE = 26;

/**
 * The typed field that holds each data type explain reads when there is no raw_data (onnx.proto: float_data for FLOAT;
 * int32_data for UINT8, INT8, UINT16, INT16, INT32, BOOL; int64_data for INT64; double_data for DOUBLE; uint64_data for
 * UINT32, UINT64). ORT reads that field only (tensorprotoutils.cc UnpackTensor): int8 values in float_data are no data.
 */
const TYPED_FIELD: Readonly<Record<number, 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data'>> = {
  [DT.FLOAT]: 'floatData',
  [DT.UINT8]: 'int32Data',
  [DT.INT8]: 'int32Data',
  [DT.UINT16]: 'int32Data',
  [DT.INT16]: 'int32Data',
  [DT.INT32]: 'int32Data',
  [DT.BOOL]: 'int32Data',
  [DT.INT64]: 'int64Data',
  [DT.DOUBLE]: 'doubleData',
  [DT.UINT32]: 'uint64Data',
  [DT.UINT64]: 'uint64Data',
};

/** ONNX's name of a data type ('INT8'), else its number. */
export function dataTypeName(dataType: number): string {
  return (DT as unknown as Record<number, string>)[dataType] ?? String(dataType);
}

/**
 * The data type of a TensorProto, refused as ORT refuses it when it is no valid ONNX data type: ORT 1.30 checks this on
 * every initializer when it builds the graph (graph.cc), used or not (measured: an unused initializer of data type 0 or
 * 999 is refused too).
 */
export function checkedDataType(path: string, t: TensorProto): number {
  const dataType = t.dataType ?? 0;
  if (dataType === 0) throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''} has no data type`, 'Tensor does not have type information.');
  if (!(dataType >= 1 && dataType <= ORT_MAX_DATA_TYPE)) throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''}: data type ${dataType} is not an ONNX data type`, `Tensor '${t.name ?? ''}' does not have valid data type.`);
  return dataType;
}

/** The values of a TensorProto, from raw_data (little-endian) or the typed field of its data type. */
export function tensorValues(path: string, t: TensorProto): Const {
  const dims = (t.dims ?? []).map(num);
  const dataType = checkedDataType(path, t);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  const unread = () => new UnreadTensorError(path, `tensor ${t.name ?? ''}: data type ${dataTypeName(dataType)} is not supported`);
  let values: number[];
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width: Record<number, number> = { [DT.FLOAT]: 4, [DT.UINT8]: 1, [DT.INT8]: 1, [DT.INT32]: 4, [DT.INT64]: 8, [DT.DOUBLE]: 8, [DT.BOOL]: 1 };
    const w = width[dataType];
    if (w === undefined) throw unread();
    if (raw.byteLength !== w * count) throw new ModelReadError(path, `tensor ${t.name ?? ''}: ${raw.byteLength} bytes of raw data for ${count} elements of ${w} bytes`);
    values = Array.from({ length: count }, (_, i) => {
      const o = i * w;
      if (dataType === DT.FLOAT) return view.getFloat32(o, true);
      if (dataType === DT.DOUBLE) return view.getFloat64(o, true);
      if (dataType === DT.INT8) return view.getInt8(o);
      if (dataType === DT.INT32) return view.getInt32(o, true);
      if (dataType === DT.INT64) return Number(view.getBigInt64(o, true));
      return view.getUint8(o);
    });
  } else {
    const field = TYPED_FIELD[dataType];
    if (field === undefined) throw unread();
    const typed: ArrayLike<number | { toNumber(): number }> = t[field] ?? [];
    values = Array.from(typed, (v) => num(v));
    if (values.length !== count) {
      const proto = { floatData: 'float_data', int32Data: 'int32_data', int64Data: 'int64_data', doubleData: 'double_data', uint64Data: 'uint64_data' }[field];
      throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''}: ${values.length} values in ${proto}, where ${dataTypeName(dataType)} data is kept, for shape [${dims.join(', ')}]`, `tensor shape size(${count}) does not match the data size(${values.length}) in proto`);
    }
  }
  return { dataType, dims, values };
}
