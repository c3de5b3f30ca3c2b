/**
 * The wire dtypes ORT is given as another's, for the ONNX integer ops (onnx_qops_ort.ts): ONNX has no quint8 or qint8
 * (onnx/onnx.proto TensorProto.DataType: UINT8, INT8), so the one-node model gives ORT quint8 and uint8 alike as ONNX
 * uint8, qint8 and int8 alike as int8 (ONNX_ELEM), and QLinearWhere's condition as ONNX bool whatever its integer dtype.
 * To ORT, a request with a uint8 where the op takes quint8 is its twin with quint8 there: ORT's answer is the twin's
 * (measured on onnxruntime-node 1.30: docs/protocol.md). So before the session is created, a request with
 * such a dtype whose contract answer differs from its twin's (the contract refuses the request and takes the twin, or
 * refuses it with another code) is not run on ORT: answered with the contract's first refusal, marked `not_run`
 * (ort_not_run.ts; docs/protocol.md "Requests the onnxruntime backend does not run"). Where the contract answers both
 * alike (refused with the same code: a second defect the twin keeps), ORT's answer to the twin stands for the request,
 * and ORT runs it. Only the inputs that take quint8 / qint8 (ort_quantized_inputs.ts) or a plain uint8
 * (PLAIN_BYTE_INPUTS) have a twin: an int8 or uint8 elsewhere (GatherBlockQuantized's indices, an int32 bias) reaches
 * ORT as itself, ORT runs the request, and its own refusal stands.
 */
import { QUANT_DTYPES } from '../../../contract/dtypes.js';
import { isOnnxIntDtype } from '../../../contract/onnx_dtypes.js';
import type { IntDtype, IntTensor } from '../../../contract/tensor.js';
import type { OnnxQOpName } from '../../../contract/onnx_qops.js';
import { decodeTensor, encodeTensor } from '../../../contract/wire.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import type { OnnxElem } from './one_node_model.js';
import { contractFirstRefusal } from '../contract_answer_not_run.js';
import { answerNotRunOnOrt } from './ort_not_run.js';
import { takesQuantized } from './ort_quantized_inputs.js';

/** The ONNX element type the one-node models give ORT for a wire dtype (onnx_qops_ort.ts); a dtype absent here is not carried. */
export const ONNX_ELEM: Readonly<Partial<Record<string, OnnxElem>>> = { quint8: 'uint8', uint8: 'uint8', qint8: 'int8', int8: 'int8', int16: 'int16', int32: 'int32', float32: 'float32', int64: 'int64', int4: 'int4', uint4: 'uint4', float16: 'float16' };

/** The ONNX element type of wire dtype `dtype`, or undefined (an own property only: a dtype is the request's text). */
export function onnxElemOf(dtype: string): OnnxElem | undefined {
  return Object.hasOwn(ONNX_ELEM, dtype) ? ONNX_ELEM[dtype] : undefined;
}

/**
 * The wire inputs that take a plain uint8 (no quint8): QLinearWhere's condition (contract/qlinear_where_checks.ts; the
 * model gives ORT ONNX bool whatever the wire dtype), MatMulNBits' b and zero_points (matmul_nbits_checks.ts),
 * GatherBlockQuantized's data and zero_points (gather_block_quantized_checks.ts): a quint8 there reaches ORT as uint8.
 */
const PLAIN_BYTE_INPUTS: Readonly<Partial<Record<OnnxQOpName, readonly string[]>>> = {
  'qlinear_where@1': ['condition'],
  'matmul_nbits@1': ['b', 'zero_points'],
  'gather_block_quantized@1': ['data', 'zero_points'],
};

const QUANTIZED_TWIN: Readonly<Record<string, IntDtype>> = { uint8: 'quint8', int8: 'qint8' };

/** A wire integer dtype (contract/tensor.ts IntDtype), from the request's text. */
const isIntDtype = (d: string): boolean => (QUANT_DTYPES as readonly string[]).includes(d) || d === 'int64' || isOnnxIntDtype(d);

/**
 * The dtype the op takes at input `name` that ORT is given wire dtype `dtype` as (its twin), or null: ORT is given the
 * dtype as no other wire dtype the op takes there.
 */
function twinDtype(op: OnnxQOpName, name: string, dtype: string): IntDtype | null {
  if (!isIntDtype(dtype)) return null;
  if (op === 'qlinear_where@1' && name === 'condition') return dtype === 'uint8' ? null : 'uint8';
  if (PLAIN_BYTE_INPUTS[op]?.includes(name)) return dtype === 'quint8' ? 'uint8' : null;
  return takesQuantized(op, name) && Object.hasOwn(QUANTIZED_TWIN, dtype) ? QUANTIZED_TWIN[dtype]! : null;
}

interface Alias {
  readonly name: string;
  readonly dtype: IntDtype;
  readonly twin: IntDtype;
  readonly elem: OnnxElem;
}

/** The integer tensor `w` of the wire (null: not one; the decoders refuse what does not decode). */
function wireInt(w: unknown, path: string): IntTensor | null {
  try {
    const t = decodeTensor(w, path);
    return t.dtype === 'float32' || t.dtype === 'float64' || t.dtype === 'float16' ? null : t;
  } catch {
    return null;
  }
}

/** The dtype string a wire tensor states, or null (not a tensor object: the decoders refuse it). */
function statedDtype(w: unknown): string | null {
  if (w === null || typeof w !== 'object' || !Object.hasOwn(w, 'dtype')) return null;
  const d = (w as { dtype: unknown }).dtype;
  return typeof d === 'string' ? d : null;
}

/**
 * The inputs given to ORT as another dtype's, and the twin's inputs (each such dtype replaced by its twin); null: none.
 * The twins come from the dtype strings the request states; only an input whose twin differs is decoded (to be
 * written again in its twin's dtype), so a request without such a dtype is not decoded here at all.
 */
function dtypeAliases(op: OnnxQOpName, inputs: unknown): { aliases: Alias[]; twinInputs: Record<string, unknown> } | null {
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) return null;
  const aliases: Alias[] = [];
  const twinInputs = Object.fromEntries(
    Object.entries(inputs).map(([name, w]) => {
      const dtype = statedDtype(w);
      const twin = dtype === null ? null : twinDtype(op, name, dtype);
      const t = twin === null ? null : wireInt(w, `inputs.${name}`);
      if (!t || twin === null) return [name, w];
      aliases.push({ name, dtype: t.dtype, twin, elem: op === 'qlinear_where@1' && name === 'condition' ? 'bool' : onnxElemOf(twin)! });
      return [name, encodeTensor({ dtype: twin, shape: t.shape, data: t.data })];
    }),
  );
  return aliases.length === 0 ? null : { aliases, twinInputs };
}

/** The not-run reason: which inputs reach ORT as which ONNX type, as which dtype the op takes does. */
function aliasReason(aliases: readonly Alias[]): string {
  return `a dtype ORT is given as another's: ${aliases.map((a) => `${a.name} ${a.dtype} reaches ORT as ONNX ${a.elem}, as ${a.twin} does`).join('; ')}`;
}

/**
 * The answer to `request` without running ORT, or null (run it): a request with a wire dtype ORT is given as another's
 * whose contract answer differs from its twin's gets the contract's first refusal, not run on ORT. A look at the dtype
 * strings first (dtypeAliases); the contract (a pass over the values) is asked only when there is such a dtype.
 */
export function answerDtypeAlias(op: OnnxQOpName, request: WireRequest): WireResponse | null {
  const found = dtypeAliases(op, request.inputs);
  if (found === null) return null;
  const refusal = contractFirstRefusal(request);
  // the contract takes the request as it is: ORT is given the types the contract reads
  if (refusal === null) return null;
  const twin = contractFirstRefusal({ ...request, inputs: found.twinInputs });
  if (twin !== null && twin.code === refusal.code) return null;
  return answerNotRunOnOrt(request.id, aliasReason(found.aliases), refusal);
}
