/**
 * Whether ONNX Runtime 1.30 has the op type of a node of a domain it has kernels in (ai.onnx, ai.onnx.ml, com.microsoft,
 * com.microsoft.nchwc: ort_kernel_domains.ts) at the opset the node runs at, and its refusal when it has not, so that
 * `qconform explain` refuses such a model as ORT does, quoting it, instead of listing the node as not modelled and
 * analysing a model ORT never loads. ORT refuses, when it loads the model:
 *   - an op type it has no schema of at that opset (an unknown one: "No Op registered for NoSuchOp with domain_version
 *     of 13" in ai.onnx and ai.onnx.ml, "com.microsoft:Relu(-1) is not a registered function/op" in com.microsoft and
 *     com.microsoft.nchwc; one from a later opset: Gelu at 19; none at an opset of 0 or below), or a deprecated one
 *     ("Op registered for Upsample is deprecated in domain_version of 10"): in its graph check, node by node with the
 *     checks of ort_kernel_domains.ts (phase 'graph');
 *   - an op type of a schema it has no kernel for, of any type ("Could not find an implementation for Relu(1) node with
 *     name 'n'": Relu before opset 6): when it creates the session, after every graph check (phase 'kernel').
 * The op types and opsets are ORT's, measured (ort_op_catalog.ts, written by scripts/explain/ort_op_types.ts; re-measured
 * live by tests/explain/ort_op_types.test.ts). A node of an op type ORT runs but explain does not model stays "not
 * modelled"; one whose kernel ORT has for other input types than the model's is not told apart here (ORT refuses it too).
 * A call of a function of the model in com.microsoft or com.microsoft.nchwc is its function to ORT, which runs it (in
 * ai.onnx and ai.onnx.ml ORT's graph check refuses an op type it has no schema of, function or not).
 * Before, explain listed a com.microsoft Relu or an ai.onnx NoSuchOp as not modelled (exit 0) where ORT refuses the model.
 */
import type { Node } from './onnx_graph.js';
import { ORT_OP_TYPES, ORT_UNKNOWN_OP_TYPE } from './ort_op_catalog.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

/** When ORT refuses the node: in its graph check (with the other node checks, in node order), or when it looks for kernels, after all of them. */
export type OpTypePhase = 'graph' | 'kernel';

/** ORT 1.30's refusal (a template of ort_op_catalog.ts) of op type `op` of kernel domain `domain` ('' for ai.onnx) at opset `version`, or null. */
function refusalTemplate(domain: string, op: string, version: number): string | null {
  const ranges = ORT_OP_TYPES[domain]?.[op];
  if (!ranges) return ORT_UNKNOWN_OP_TYPE[domain] ?? null;
  let found = ranges[0]![1];
  for (const [from, refusal] of ranges) if (version >= from) found = refusal;
  return found;
}

/**
 * The refusal of node `n` (index `k`) for its op type, of kernel domain `domain` ('' for ai.onnx) at opset `version`,
 * with the phase it comes in; null where ORT 1.30 has the op type there (or the node calls a model function it runs:
 * `callsFunction`).
 */
export function opTypeRefusal(path: string, n: Node, k: number, domain: string, version: number, callsFunction: boolean): { error: OrtRefusedModelError; phase: OpTypePhase } | null {
  const op = n.opType ?? '';
  const template = refusalTemplate(domain, op, version);
  if (template === null) return null;
  const kernel = template.startsWith('Could not find an implementation');
  if (callsFunction && !kernel && (domain === 'com.microsoft' || domain === 'com.microsoft.nchwc')) return null;
  const ort = template.replaceAll('{op}', op).replaceAll('{v}', String(version)).replaceAll('{name}', n.name ?? '');
  const at = `${domain || 'ai.onnx'} opset ${version}`;
  const label = `${op} node ${n.name || `${op}_${k}`}`;
  const why = kernel
    ? `${label}: ONNX Runtime 1.30 has no kernel for ${op} at ${at} (its schema from there on has none, of any input type)`
    : template.includes('is deprecated')
      ? `${label}: ${op} is deprecated at ${at}`
      : `${label}: ${op} is no op of ${at} that ONNX Runtime 1.30 has`;
  return { error: new OrtRefusedModelError(path, why, ort), phase: kernel ? 'kernel' : 'graph' };
}
