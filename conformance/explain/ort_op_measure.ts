/**
 * How ONNX Runtime's op types are measured for ort_op_catalog.ts (the steps: scripts/explain/ort_op_types.ts, which
 * writes the catalog with it; tests/explain/ort_op_types.test.ts re-measures the catalog live with it): one-node models
 * loaded in onnxruntime-node, and ORT's refusal of the node for its op type read from its message. Not used by explain
 * itself, which reads the catalog only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { OrtModule } from '../backends/onnxruntime/qlinear_conv.js';

const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** The kernel domains ('' is ai.onnx) and the opsets measured; above the last, ai.onnx is imported as 'ai.onnx' (ORT refuses a '' import above 26 only). */
export const VERSIONS: Readonly<Record<string, readonly [number, number]>> = { '': [-1, 30], 'ai.onnx.ml': [-1, 5], 'com.microsoft': [-1, 1], 'com.microsoft.nchwc': [-1, 1] };
export const DISCOVERY: Readonly<Record<string, readonly number[]>> = { '': [26, 1, 30], 'ai.onnx.ml': [5, 1], 'com.microsoft': [1], 'com.microsoft.nchwc': [1] };
const ONNX_LAST = 26;
export const UNKNOWN_OP = 'QconformNoSuchOp';

export function model(domain: string, op: string, version: number, inputs: number, elemType: number): Uint8Array {
  const onnxImport = domain === '' ? { domain: version > ONNX_LAST ? 'ai.onnx' : '', version } : { domain: '', version: ONNX_LAST };
  const names = Array.from({ length: inputs }, (_, i) => `x${i}`);
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject({
    irVersion: 10,
    producerName: 'qconform-ort-op-types',
    opsetImport: domain === '' ? [onnxImport] : [onnxImport, { domain, version }],
    graph: { name: 'g', node: [{ opType: op, domain, input: names, output: ['y'], name: 'n' }], input: names.map((name) => ({ name, type: { tensorType: { elemType } } })), output: [{ name: 'y' }] },
  })).finish();
}

export async function loadError(ort: OrtModule, bytes: Uint8Array): Promise<string | null> {
  try {
    // fatal only: ORT logs a warning or an error for most of these models
    const s = await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
    await s.release();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** ORT's refusal of the node for its op type in `message`, as a template, or null. */
export function measuredRefusal(message: string | null, version: number): string | null {
  if (message === null) return null;
  const m = /Error (Op registered for \S+ is deprecated in domain_version of -?\d+|No Op registered for \S+ with domain_version of -?\d+)/.exec(message)
    ?? /Fatal error: (\S+ is not a registered function\/op)/.exec(message)
    ?? /(Could not find an implementation for \S+ node with name '[^']*')/.exec(message);
  return m ? m[1]!.replace(`domain_version of ${version}`, 'domain_version of {v}').replace("node with name 'n'", "node with name '{name}'") : null;
}

export const unknownIn = (domain: string, message: string | null, op: string) => message !== null && (domain === '' || domain === 'ai.onnx.ml' ? message.includes(`No Op registered for ${op} with`) : message.includes(`${domain}:${op}(-1) is not a registered function/op`));

/** ORT's messages for a node of a type without a kernel (or no type at all): see verdict. */
const NO_KERNEL_FOR_TYPE = ['Could not find an implementation', 'Type Error:', 'InsertedPrecisionFreeCast', 'Failed to find kernel for'];

/** The op type's refusal at `version`, or null (scripts/explain/ort_op_types.ts step 2). */
export async function verdict(ort: OrtModule, domain: string, op: string, version: number): Promise<string | null> {
  let inputs = 1;
  let message = await loadError(ort, model(domain, op, version, inputs, FLOAT));
  const range = /has input size \d+ not in range \[min=(\d+)/.exec(message ?? '');
  if (range && Number(range[1]) !== inputs) {
    inputs = Number(range[1]);
    message = await loadError(ort, model(domain, op, version, inputs, FLOAT));
  }
  const refusal = measuredRefusal(message, version);
  if (!refusal?.startsWith('Could not find an implementation')) return refusal;
  for (let t = 1; t <= 26; t++) {
    if (t === FLOAT) continue;
    const other = await loadError(ort, model(domain, op, version, inputs, t));
    // no kernel for this type either, or a type ORT's type inference refuses (no kernel to find); float16, which ORT
    // casts to float32 for a float32 kernel (its InsertCastTransformer), refused as the float32 node is or for the Cast
    if (NO_KERNEL_FOR_TYPE.some((m) => other?.includes(m))) continue;
    return null;
  }
  return refusal;
}

/** Every identifier suffix in ORT's library that starts with an upper-case letter (step 1's candidates). */
export function candidates(): string[] {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime.so.1');
  const text = readFileSync(lib).toString('latin1');
  const out = new Set<string>();
  for (const [word] of text.matchAll(/[A-Za-z0-9_]{2,}/g)) {
    for (let i = 0; i < word.length - 1; i++) {
      const tail = word.slice(i);
      if (/^[A-Z][A-Za-z0-9]{1,40}$/.test(tail)) out.add(tail);
    }
  }
  return [...out].sort();
}

