/**
 * Which op `qconform explain` reads an ONNX node as, by its domain and op_type: a node is never read as an ai.onnx op
 * unless ONNX Runtime 1.30 runs it as one.
 *   - ai.onnx (domain '' or 'ai.onnx'): its op_type;
 *   - com.microsoft QuantizeLinear and DequantizeLinear: ONNX's. ORT 1.30 runs the same kernel classes for them
 *     (onnxruntime/contrib_ops/cpu/quantization/quantize_ops.cc registers QuantizeLinear<T> and DequantizeLinear<T> of
 *     core/providers/cpu/quantization/quantize_linear.h), and its QDQ transformer takes them as ONNX's
 *     (core/optimizer/qdq_transformer/qdq_util.cc MatchQNode / MatchDQNode: kMSDomain version 1);
 *   - com.microsoft QLinearConv with channels_last 0 (or without it): ONNX's QLinearConv. ORT 1.30 registers one kernel
 *     class, QLinearConv<T>, for both domains (core/providers/cpu/quantization/qlinearconv.cc), which reads channels_last
 *     as an int64 != 0; at 0 it takes and gives NCHW, as ONNX's does;
 *   - a Constant of any domain: ORT's Constant, an initializer before anything is checked (onnx_constant_nodes.ts);
 *   - anything else is read as no ai.onnx op: its op_type becomes '<domain> <op_type>' (a space, which no ONNX op
 *     name holds), which no part of explain matches, and onnx_model.ts lists it as not modelled with notReadReason
 *     (a node of a domain ORT 1.30 has no kernels for never gets here: ort_kernel_domains.ts refuses the model first).
 *     Among them com.microsoft QLinearConv with channels_last != 0, which reads x [N, H, W, C] and writes y in NHWC (the
 *     model of qlinear_conv_nhwc@1, contract/qlinear_conv_nhwc_checks.ts): explain's chain carries NCHW data only.
 * Before, explain matched op_type alone: a com.microsoft QLinearConv with channels_last 1 was analysed as an NCHW conv
 * (its NHWC input read as NCHW), and a node of any domain as its ai.onnx namesake (tests/explain/node_domains.test.ts).
 */
import { isOrtConstant } from './onnx_constant_nodes.js';
import { type Node, attrInt } from './onnx_graph.js';

const MS = 'com.microsoft';

/** The com.microsoft ops explain reads as their ai.onnx namesakes (QLinearConv: with channels_last 0 only). */
const MS_AS_ONNX = new Set(['QuantizeLinear', 'DequantizeLinear', 'QLinearConv']);

const isOnnxDomain = (domain: string | null | undefined): boolean => !domain || domain === 'ai.onnx';

/** Whether explain reads node `n` (as written in the model) as the ai.onnx op of its op_type. */
function readAsOnnx(n: Node): boolean {
  if (isOnnxDomain(n.domain) || isOrtConstant(n)) return true;
  if (n.domain !== MS || !MS_AS_ONNX.has(n.opType ?? '')) return false;
  return n.opType !== 'QLinearConv' || attrInt(n, 'channels_last', 0) === 0;
}

/**
 * The nodes as explain reads them (onnx_graph.ts, onnx_model.ts): each node read as an ai.onnx op as it is, any other a
 * copy whose op_type is '<domain> <op_type>' and whose name is the node's own or the `<op_type>_<index>` explain gives an
 * unnamed node.
 */
export function readNodes(nodes: readonly Node[]): Node[] {
  return nodes.map((n, k) => (readAsOnnx(n) ? n : { ...n, name: n.name || `${n.opType}_${k}`, opType: `${n.domain} ${n.opType ?? ''}` }));
}

/** The op_type a node of readNodes was written with (the part after its domain), and its domain ('' for ai.onnx). */
function writtenOp(n: Node): { domain: string; op: string } {
  const op = n.opType ?? '';
  return isOnnxDomain(n.domain) || !op.startsWith(`${n.domain} `) ? { domain: '', op } : { domain: n.domain!, op: op.slice(n.domain!.length + 1) };
}

/** Why a node of readNodes that explain reads as no ai.onnx op is not modelled, or null for one it reads as one. */
export function notReadReason(n: Node): string | null {
  const { domain, op } = writtenOp(n);
  if (!domain) return null;
  if (domain === MS && op === 'QLinearConv') {
    return `com.microsoft QLinearConv with channels_last ${attrInt(n, 'channels_last', 0)} reads x as [N, H, W, C] and writes y in NHWC: explain's chain carries NCHW data, so it reads a com.microsoft QLinearConv only with channels_last 0 (ONNX's QLinearConv, one kernel in ORT: qlinearconv.cc)`;
  }
  if (domain === MS && op === 'QGemm') return 'com.microsoft QGemm is not read by explain (QLinearMatMul and QDQ Gemm / MatMul are)';
  return `${op} of domain ${domain} is not modelled: explain reads ai.onnx ops, and of com.microsoft QuantizeLinear, DequantizeLinear and QLinearConv (channels_last 0), never a node of another domain as its ai.onnx namesake`;
}
