/**
 * The opsets an ONNX model imports (ModelProto.opset_import), as ONNX Runtime 1.30 reads and checks them when it loads
 * the model, before anything else (onnxruntime/core/graph/model.cc Model::Model and model_load_utils.h
 * ValidateOpsetForDomain; measured on onnxruntime-node 1.30 by tests/explain/opset_imports.test.ts):
 *   - no entry at all: refused ("Missing opset in the model. All ModelProtos MUST have at least one entry ...");
 *   - each entry, in order, whose domain (as written: '' for ai.onnx; an import under the alias 'ai.onnx' is not checked)
 *     is one ORT knows, above the last opset ORT supports of it (ORT_LAST_OPSET): refused ("Current official support for
 *     domain ai.onnx is till opset 26."), a duplicated entry too, whichever comes last; an opset below a domain's first
 *     (0, negative) is not refused here: ORT warns and then refuses its nodes, none of whose ops it has there
 *     (ort_op_types.ts);
 *   - a version is read as a 32-bit int (ORT's static_cast<int>: 2^32 + 13 is opset 13);
 *   - the opset a node runs at (opsetsOf): the last entry of its domain ('ai.onnx' and '' are one domain), else, for a
 *     domain ORT knows, ORT's own opset of it (ORT_DEFAULT_OPSET: a model importing com.microsoft only runs an ai.onnx
 *     node at opset 26); a domain neither imports nor ORT knows has none (ort_kernel_domains.ts).
 * Before, explain read no opset import: a model importing ai.onnx at opset 100, or none at all, was analysed (ORT
 * refuses both), an opset of 2^32 + 13 was read as 4294967309, and an ai.onnx node without an ai.onnx import was read at
 * no opset (its attributes and inputs unchecked) where ORT runs it at 26.
 */
import type onnxProto from 'onnx-proto';
import { OrtRefusedModelError } from './ort_refused_model.js';

type OpsetImport = onnxProto.onnx.IOperatorSetIdProto;

/** The last opset ORT 1.30 takes of each domain it knows (as written in the import: '' is ai.onnx). */
const ORT_LAST_OPSET: ReadonlyMap<string, number> = new Map([
  ['', 26],
  ['ai.onnx.ml', 5],
  ['com.microsoft', 1],
  ['com.microsoft.nchwc', 1],
  ['ai.onnx.training', 1],
  ['ai.onnx.preview', 1],
  ['ai.onnx.preview.training', 1],
  ['com.microsoft.experimental', 1],
  ['org.pytorch.aten', 1],
  ['com.ms.internal.nhwc', 26],
]);

/** The opset ORT 1.30 imports of a domain with kernels (and ai.onnx.training) when the model does not import it. */
const ORT_DEFAULT_OPSET: ReadonlyMap<string, number> = new Map([
  ['', 26],
  ['ai.onnx.ml', 5],
  ['com.microsoft', 1],
  ['com.microsoft.nchwc', 1],
  ['ai.onnx.training', 1],
]);

/** The domain key of a domain as a node or an import writes it: '' for ai.onnx. */
export const domainKey = (domain: string | null | undefined): string => (!domain || domain === 'ai.onnx' ? '' : domain);

/** An int64 version as ORT reads it, a 32-bit int. */
function int32Version(v: OpsetImport['version']): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return Number(BigInt.asIntN(32, BigInt(Math.trunc(v))));
  return (v as unknown as { low: number }).low | 0;
}

/** Refuses the model where ORT 1.30 refuses its opset imports when it loads it (above). */
export function checkOpsetImports(path: string, imports: readonly OpsetImport[]): void {
  if (!imports.length) throw new OrtRefusedModelError(path, 'the model imports no opset', 'Missing opset in the model. All ModelProtos MUST have at least one entry that specifies which version of the ONNX OperatorSet is being imported.');
  for (const o of imports) {
    const domain = o.domain ?? '';
    const last = ORT_LAST_OPSET.get(domain);
    const version = int32Version(o.version);
    if (last === undefined || version <= last) continue;
    const name = domain || 'ai.onnx';
    throw new OrtRefusedModelError(path, `the model imports ${name} at opset ${version}, above ${last}, the last ONNX Runtime 1.30 supports`, `Current official support for domain ${name} is till opset ${last}.`);
  }
}

/** The opset ORT 1.30 runs each domain's nodes at ('' for ai.onnx): the model's last import of it, else ORT's default. */
export function opsetsOf(imports: readonly OpsetImport[]): Map<string, number> {
  const opsets = new Map(ORT_DEFAULT_OPSET);
  for (const o of imports) opsets.set(domainKey(o.domain), int32Version(o.version));
  return opsets;
}
