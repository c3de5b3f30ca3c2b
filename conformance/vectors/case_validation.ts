/**
 * The checks of one vector case, after JSON parsing: the case schema (vectors/schema/case.schema.json),
 * then the contract. The request is decoded exactly as a backend's request is (the protocol's
 * evaluateRequest, on ops that run only the contract checks: contract_check_ops.ts), the expected
 * error code must be one of contract/errors.ts, and the expected outputs must be what the op returns
 * (output_signatures.ts), decoded by the wire decoder and inside their dtype's range. Every refusal is
 * a VectorFileError naming `where` (file:line) and the rule broken.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { ERROR_CODES, formatValue, isQconformError } from '../../contract/errors.js';
import type { IntData } from '../../contract/tensor.js';
import { decodeTensor } from '../../contract/wire.js';
import { ONNX_DTYPE_RANGE, isOnnxIntDtype } from '../../contract/onnx_dtypes.js';
import { evaluateRequest, isOpName } from '../protocol/dispatch.js';
import { isConvOpName } from '../protocol/conv_dispatch.js';
import { isRequantizeOpName } from '../protocol/requantize_dispatch.js';
import { isLinearOpName } from '../protocol/linear_dispatch.js';
import { isOnnxQuantOpName } from '../protocol/onnx_quant_dispatch.js';
import { isOnnxQOpName } from '../protocol/onnx_qops_dispatch.js';
import { byteOrderMarkNote } from '../protocol/byte_order_mark.js';
import { unreadFieldOf } from '../protocol/request_fields.js';
import { type CheckProgress, contractCheckOps } from './contract_check_ops.js';
import { OUTPUT_SIGNATURES, type OutputRule, type OutputSignature } from './output_signatures.js';
import { VectorFileError } from './vector_file_error.js';
import { VECTORS_ROOT, type VectorCase } from './vector_types.js';
import { ownValue } from '../../contract/own_property.js';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (o: object) => import('ajv').default)({ allErrors: false, strict: false });
const schemaCheck = ajv.compile(JSON.parse(readFileSync(join(VECTORS_ROOT, 'schema/case.schema.json'), 'utf8')));

/** The op names of the contract: OP_NAMES, CONV_OP_NAMES, REQUANTIZE_OP_NAMES, LINEAR_OP_NAMES, ONNX_QUANT_OP_NAMES and ONNX_QOP_NAMES. */
export function isKnownOp(op: unknown): boolean {
  return isOpName(op) || isConvOpName(op) || isRequantizeOpName(op) || isLinearOpName(op) || isOnnxQuantOpName(op) || isOnnxQOpName(op);
}

function checkRequest(c: VectorCase, where: string): void {
  const progress: CheckProgress = { decoded: false, accepted: false };
  const response = evaluateRequest(contractCheckOps(progress), { id: c.id, op: c.op, attrs: c.attrs, inputs: c.inputs });
  const expected = 'error' in c.expect ? c.expect.error.code : null;
  if (!progress.accepted && 'error' in response) {
    const { code, message } = response.error;
    if (code === expected) return;
    // the protocol refuses a field its op does not read (request_fields.ts), before the op's contract check
    const unread = code === 'malformed_request' ? unreadFieldOf(message) : null;
    if (unread) throw new VectorFileError(where, unread.section === 'attrs' ? 'unknown-attr' : 'unknown-input', `${c.op} does not take ${unread.section} ${unread.name} (a misspelt name would be silently ignored): ${message}`);
    const rule = code === 'unknown_op' ? 'unknown-op' : progress.decoded ? 'contract' : 'request';
    const expects = expected === null ? 'expects outputs' : `expects error ${expected}`;
    throw new VectorFileError(where, rule, `the case ${expects}, but its request is refused with ${code} before anything is computed: ${message}`);
  }
}

function isQuantDtype(d: string): d is QuantDtype {
  return Object.hasOwn(DTYPE_RANGE, d);
}

/** One expected output against its rule: a well-formed tensor (or integer) of an allowed dtype, inside the dtype's range. */
function checkOutputValue(c: VectorCase, name: string, value: unknown, dtypes: readonly string[], shapeOf: OutputRule['shapeOf'], where: string): void {
  const path = `expect.outputs.${name}`;
  if (dtypes.includes('integer')) {
    if (!Number.isSafeInteger(value) || (value as number) < -(2 ** 31) || (value as number) > 2 ** 31 - 1) {
      throw new VectorFileError(where, 'outputs', `${path} is ${formatValue(value)}; ${c.op} returns an int32 integer`);
    }
    return;
  }
  let t;
  try {
    t = decodeTensor(value, path);
  } catch (e) {
    if (isQconformError(e)) throw new VectorFileError(where, 'outputs', e.message);
    throw e;
  }
  if (!dtypes.includes(t.dtype)) throw new VectorFileError(where, 'outputs', `${path} has dtype ${t.dtype}; ${c.op} returns ${dtypes.join(' or ')} here`);
  const range = isQuantDtype(t.dtype) ? DTYPE_RANGE[t.dtype] : isOnnxIntDtype(t.dtype) && t.dtype !== 'int32' ? ONNX_DTYPE_RANGE[t.dtype] : null;
  if (range) {
    const { min, max } = range;
    const i = (t.data as IntData).findIndex((v) => v < min || v > max);
    if (i >= 0) throw new VectorFileError(where, 'outputs', `${path}.values[${i}] = ${t.data[i]} lies outside ${t.dtype} [${min}, ${max}]`);
  }
  const like = typeof shapeOf === 'function' ? shapeOf(c) : shapeOf ? (ownValue(c.inputs, shapeOf) as { shape?: unknown } | undefined)?.shape : undefined;
  if (like !== undefined && JSON.stringify(like) !== JSON.stringify(t.shape)) {
    const of = typeof shapeOf === 'function' ? 'here' : `the shape of inputs.${shapeOf},`;
    throw new VectorFileError(where, 'outputs', `${path} has shape [${t.shape}]; ${c.op} returns ${of} [${String(like)}]`);
  }
}

function checkOutputs(c: VectorCase, outputs: Record<string, unknown>, signature: OutputSignature, where: string): void {
  if (signature.neverReturns) throw new VectorFileError(where, 'outputs', `the case expects outputs, but ${signature.neverReturns}`);
  const rules = { ...signature.required, ...signature.optional };
  // own names only: an output named constructor, toString or __proto__ is an output the op does not return
  const missing = Object.keys(signature.required).filter((n) => !Object.hasOwn(outputs, n));
  if (missing.length) throw new VectorFileError(where, 'outputs', `expect.outputs lacks ${missing.join(', ')}, which ${c.op} returns`);
  const extra = Object.keys(outputs).filter((n) => !Object.hasOwn(rules, n));
  if (extra.length) throw new VectorFileError(where, 'outputs', `expect.outputs has ${extra.join(', ')}, which ${c.op} does not return`);
  for (const [name, value] of Object.entries(outputs)) {
    const rule = ownValue(rules, name)!;
    checkOutputValue(c, name, value, rule.dtypes(c), rule.shapeOf, where);
  }
}

/** An oracle's recorded outputs (beside a contract rejection) must still be well-formed wire values. */
function checkOracleOutputs(outputs: Record<string, unknown>, where: string): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) continue;
    try {
      decodeTensor(value, `expect.error.oracle_outputs.${name}`);
    } catch (e) {
      if (isQconformError(e)) throw new VectorFileError(where, 'outputs', e.message);
      throw e;
    }
  }
}

/** Check one parsed case line completely (with `fileOp`: the op its file holds, per manifest.json); returns it typed. */
export function validateCase(value: unknown, where: string, fileOp?: string): VectorCase {
  if (!schemaCheck(value)) {
    const err = schemaCheck.errors?.[0];
    throw new VectorFileError(where, 'schema', `${err?.instancePath || '/'} ${err?.message ?? 'does not match case.schema.json'}`);
  }
  const c = value as VectorCase;
  if (fileOp !== undefined && c.op !== fileOp) throw new VectorFileError(where, 'op', `case op ${c.op} differs from the file's ${fileOp} (manifest.json)`);
  const expectedCode = 'error' in c.expect ? c.expect.error.code : null;
  if (expectedCode !== null && !Object.hasOwn(ERROR_CODES, expectedCode)) {
    throw new VectorFileError(where, 'error-code', `expected error code ${expectedCode} is not one of contract/errors.ts (${Object.keys(ERROR_CODES).length} codes)`);
  }
  if (!isKnownOp(c.op) && expectedCode !== 'unknown_op') {
    throw new VectorFileError(where, 'unknown-op', `op ${c.op} is not in the contract (contract/ops.ts OP_NAMES, contract/conv.ts, contract/requantize.ts, contract/linear.ts)`);
  }
  checkRequest(c, where);
  if ('outputs' in c.expect) checkOutputs(c, c.expect.outputs, OUTPUT_SIGNATURES[c.op as keyof typeof OUTPUT_SIGNATURES], where);
  else if (c.expect.error.oracle_outputs) checkOracleOutputs(c.expect.error.oracle_outputs, where);
  return c;
}

/** Parse and check one case line. */
export function parseCaseLine(text: string, where: string, fileOp?: string): VectorCase {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VectorFileError(where, 'json', `line is not valid JSON${byteOrderMarkNote(text)} (${(e as Error).message})`);
  }
  return validateCase(value, where, fileOp);
}
