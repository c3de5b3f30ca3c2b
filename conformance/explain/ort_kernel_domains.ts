/**
 * The node domains ONNX Runtime 1.30 runs nodes of, and its refusal of a model with a node of any other domain, so that
 * `qconform explain` refuses such a model (OrtRefusedModelError quoting ORT) instead of listing the node as not
 * modelled and analysing a model ORT never loads. Measured on onnxruntime-node 1.30 (CPU execution provider, x86-64)
 * by loading one-node models of each domain that ORT's core/graph/constants.h and ONNX's onnx/defs/schema.cc name
 * (tests/explain/node_domains.test.ts loads one per case):
 *   - ORT runs nodes of ai.onnx ('' or 'ai.onnx'), ai.onnx.ml, com.microsoft and com.microsoft.nchwc (its CPU provider
 *     registers kernels there: an ai.onnx.ml Binarizer, a com.microsoft Gelu, a com.microsoft.nchwc ReorderInput
 *     load); a node of these is refused where ORT has no such op type at its opset (ort_op_types.ts), else one explain
 *     does not read stays "not modelled" (onnx_node_domain.ts);
 *   - a Constant node of any domain is no node to ORT, which makes an initializer of it first (onnx_constant_nodes.ts):
 *     a foo.bar Constant loads, imported or not;
 *   - any other domain has no kernel, and ORT refuses the model when it loads it (graph.cc, Graph::Resolve):
 *       - a domain ORT knows (it imports it without the model's opset_import: ai.onnx.preview, ai.onnx.preview.training,
 *         com.microsoft.experimental, org.pytorch.aten, com.ms.internal.nhwc), or one the model imports: no schema
 *         of the op, "Fatal error: <domain>:<op>(-1) is not a registered function/op";
 *       - ai.onnx.training, an ONNX domain of no op (onnx/defs/schema.cc DomainToVersionRange: opsets 1 to 1): the
 *         ONNX checker's "No Op registered for <op> with domain_version of <v>" (v its import's, else 1); an import of
 *         opset 2 and later is refused for the import itself, before any node (onnx_opset_imports.ts);
 *       - com.ms.internal.nhwc, ORT's internal NHWC domain (its layout transformer writes it; no CPU kernel on x86-64):
 *         ORT has NHWC schemas of some ops there (onnxruntime/core/graph/contrib_ops/internal_nhwc_onnx_schemas.cc),
 *         checked first, so its message depends on the node (an input count, an attribute, "Could not find an
 *         implementation for ...", or the "not a registered function/op" above): refused without a quote;
 *       - a domain the model neither imports nor ORT knows: the ONNX checker's "No opset import for domain '<domain>'".
 *   - a node that calls a function of the model (ModelProto.functions, by domain and name; its domain imported, or one
 *     ORT knows): ORT inlines the function and runs its body (a foo.bar or org.pytorch.aten function MyRelu around a
 *     Relu runs; without the foo.bar import, "No opset import"): explain, which reads no function body, lists it as not
 *     modelled. (A com.ms.internal.nhwc function named as one of ORT's NHWC schemas is that schema's node to ORT, which
 *     refuses it: not told apart here.)
 * Before, explain listed a node of any domain as not modelled and went on (a foo.bar QLinearConv, a foo.bar
 * DequantizeLinear of the weight: exit 0).
 */
import type onnxProto from 'onnx-proto';
import { ModelReadError } from './model_types.js';
import { isOrtConstant } from './onnx_constant_nodes.js';
import type { Node } from './onnx_graph.js';
import { domainKey } from './onnx_opset_imports.js';
import { opTypeRefusal } from './ort_op_types.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

/** The domains ORT 1.30's CPU provider registers kernels in (measured, above). */
const KERNEL_DOMAINS: ReadonlySet<string> = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft', 'com.microsoft.nchwc']);

/** Domains without kernels that ORT 1.30 imports when the model does not (measured, above). */
const KNOWN_DOMAINS: ReadonlySet<string> = new Set(['ai.onnx.training', 'ai.onnx.preview', 'ai.onnx.preview.training', 'com.microsoft.experimental', 'org.pytorch.aten', 'com.ms.internal.nhwc']);

const TRAINING = 'ai.onnx.training';
const INTERNAL_NHWC = 'com.ms.internal.nhwc';

/**
 * ORT 1.30's message refusing a node (`op`) of `domain`, which has no kernels (`imported`: the opset the node runs at,
 * onnx_opset_imports.ts opsetsOf; an import of ai.onnx.training above 1 is refused there, before any node).
 */
function ortMessage(domain: string, op: string, imported: number | undefined): string {
  if (imported === undefined && !KNOWN_DOMAINS.has(domain)) return `No opset import for domain '${domain}'`;
  if (domain === TRAINING) return `No Op registered for ${op} with domain_version of ${imported ?? 1}`;
  return `${domain}:${op}(-1) is not a registered function/op`;
}

/** The refusal of node `n` (index `k`) of a domain without kernels, or null when it calls a model function ORT runs (`local`). */
function domainRefusal(path: string, n: Node, k: number, opsets: ReadonlyMap<string, number>, local: ReadonlySet<string>): ModelReadError | null {
  const domain = n.domain ?? '';
  const op = n.opType ?? '';
  const imported = opsets.get(domain);
  if ((imported !== undefined || KNOWN_DOMAINS.has(domain)) && local.has(`${domain}\n${op}`)) return null;
  const what = `${op} node ${n.name || `${op}_${k}`} is of domain ${domain}, which ONNX Runtime 1.30 runs no node of (its CPU provider has kernels for ai.onnx, ai.onnx.ml, com.microsoft and com.microsoft.nchwc only)`;
  if (domain === INTERNAL_NHWC) return new ModelReadError(path, `${what}: ORT's internal NHWC domain, whose nodes ORT 1.30 refuses when it loads the model (its message depends on the node: its NHWC schema's checks, then no kernel)`);
  return new OrtRefusedModelError(path, what, ortMessage(domain, op, imported));
}

/**
 * Refuses the model where ORT 1.30 refuses a node for its domain or its op type, as ORT checks them: node by node in
 * graph order, a node of a domain ORT runs no node of (unless it calls one of the model's functions, `functions`, of a
 * domain the model imports or ORT knows) or of an op type ORT has no schema of at its opset (ort_op_types.ts; `opsets`:
 * onnx_opset_imports.ts opsetsOf); then, after all of them, a node of an op type ORT has no kernel for.
 */
export function checkNodeDomainsAndOpTypes(path: string, nodes: readonly Node[], opsets: ReadonlyMap<string, number>, functions: readonly onnxProto.onnx.IFunctionProto[]): void {
  const local = new Set(functions.map((f) => `${f.domain ?? ''}\n${f.name ?? ''}`));
  let noKernel: OrtRefusedModelError | null = null;
  nodes.forEach((n, k) => {
    if (isOrtConstant(n)) return; // an initializer to ORT, of any domain (onnx_constant_nodes.ts)
    const domain = n.domain ?? '';
    if (!KERNEL_DOMAINS.has(domain)) {
      const e = domainRefusal(path, n, k, opsets, local);
      if (e) throw e;
      return;
    }
    const key = domainKey(domain);
    const r = opTypeRefusal(path, n, k, key, opsets.get(key)!, local.has(`${domain}\n${n.opType ?? ''}`));
    if (r?.phase === 'graph') throw r.error;
    noKernel ??= r?.error ?? null;
  });
  if (noKernel) throw noKernel;
}
