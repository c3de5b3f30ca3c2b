/**
 * The checks ONNX Runtime 1.30 makes of how a graph's values connect, in its order, so that `qconform explain` refuses
 * the models ORT refuses for them (OrtRefusedModelError quoting ORT) instead of analysing a graph ORT never loads. After
 * its Graph constructor (Constant nodes made initializers: onnx_constant_nodes.ts; declared types: onnx_graph_input.ts;
 * initializers' data types), Graph::Resolve (onnxruntime/core/graph/graph.cc) checks, before any node's op, attributes or
 * inputs (VerifyNodeAndOpMatch: onnx_node_attributes.ts, onnx_node_inputs.ts, ort_kernel_domains.ts) and before an
 * untyped graph input a node reads:
 *   0. (its Graph constructor, after its type checks) a graph output that is no node output, initializer or graph input
 *      ("Graph output (y) does not exist in the graph.");
 *   1. VerifyInputAndInitializerNames: a graph input (not an initializer) listed twice ("Duplicate definition-site for (x).");
 *   2. VerifyNoDuplicateName, node by node in graph order: a node name an earlier node has ("two nodes with same node
 *      name (n)."), then each output a graph input, an initializer or an earlier output (of this node too) already
 *      defines ("Duplicate definition of name (xq).");
 *   3. BuildConnections: a node input (not left out, '') that is no graph input, initializer or node output ("Node input
 *      'v' is not a graph input, initializer, or output of a previous node.": any node's output, in any order);
 *   4. PerformTopologicalSortAndCheckIsAcyclic: a cycle, anywhere in the graph (a node reading its own output; a
 *      DequantizeLinear reading the QuantizeLinear output its own Conv's output feeds): "the graph is not acyclic.".
 * Constant nodes are ORT's initializers here (isOrtConstant). Measured on onnxruntime-node 1.30 by
 * tests/explain/graph_cycles.test.ts (each refusal, and its place before and after the other checks).
 * Before, a cycle was read (explain analysed a QDQ chain whose DequantizeLinear reads the later yq, and a QLinearConv
 * behind an Identity reading its own output) unless it passed Cast / Identity nodes between a layer and its weight, an
 * undefined input was read as a graph value, and duplicate names were checked after every node check.
 */
import type onnxProto from 'onnx-proto';
import { isOrtConstant } from './onnx_constant_nodes.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

type Node = onnxProto.onnx.INodeProto;

/** A node as explain's messages name it: '<op_type> node <name>', or '<op_type>_<index>' when it has no name. */
const nodeLabel = (n: Node, k: number): string => `${n.opType ?? ''} node ${n.name || `${n.opType ?? ''}_${k}`}`;

/**
 * The cycle of the first node (in graph order) from which a walk up its inputs comes back to a node it is on: the nodes
 * in the order each reads a value the next writes, with those values, or null for an acyclic graph. Iterative
 * depth-first, so a long chain cannot overflow the stack.
 */
function findCycle(nodes: readonly Node[], producer: ReadonlyMap<string, number>): Array<{ k: number; reads: string }> | null {
  const state = new Uint8Array(nodes.length); // 0 unseen, 1 on the current path, 2 done
  for (let start = 0; start < nodes.length; start++) {
    if (state[start] !== 0 || isOrtConstant(nodes[start]!)) continue;
    // each frame: a node on the path and the index of the next input to follow
    const path: Array<{ k: number; next: number }> = [{ k: start, next: 0 }];
    state[start] = 1;
    while (path.length) {
      const top = path[path.length - 1]!;
      const inputs = nodes[top.k]!.input ?? [];
      if (top.next >= inputs.length) {
        state[top.k] = 2;
        path.pop();
        continue;
      }
      const value = inputs[top.next++]!;
      const p = producer.get(value);
      if (p === undefined || state[p] === 2) continue;
      if (state[p] === 1) {
        const from = path.findIndex((f) => f.k === p);
        const ring = path.slice(from);
        // ring[i] reads a value ring[i + 1] writes; the last reads `value`, which ring[0] writes
        return ring.map((f, i) => ({ k: f.k, reads: i + 1 < ring.length ? (nodes[f.k]!.input ?? [])[f.next - 1]! : value }));
      }
      state[p] = 1;
      path.push({ k: p, next: 0 });
    }
  }
  return null;
}

/** Refuses the model where ORT 1.30 refuses how its graph's values connect (0 to 4 above); `initializers`: their names, Constant nodes' outputs included. */
export function checkGraphStructure(path: string, graph: onnxProto.onnx.IGraphProto, initializers: ReadonlySet<string>): void {
  const nodes = graph.node ?? [];
  const written = new Set([...(graph.input ?? []).map((i) => i.name ?? ''), ...initializers, ...nodes.filter((n) => !isOrtConstant(n)).flatMap((n) => n.output ?? [])]);
  const missing = (graph.output ?? []).find((o) => !written.has(o.name ?? ''));
  if (missing) throw new OrtRefusedModelError(path, `the graph output ${missing.name ?? ''} is no node output, initializer or graph input`, `Graph output (${missing.name ?? ''}) does not exist in the graph.`);
  const inputs = new Set<string>();
  for (const i of graph.input ?? []) {
    const name = i.name ?? '';
    if (initializers.has(name)) continue;
    if (inputs.has(name)) throw new OrtRefusedModelError(path, `the graph input ${name} is listed twice`, `Duplicate definition-site for (${name}).`);
    inputs.add(name);
  }
  const defined = new Set([...inputs, ...initializers]);
  const producer = new Map<string, number>();
  const names = new Map<string, number>();
  nodes.forEach((n, k) => {
    if (isOrtConstant(n)) return;
    if (n.name) {
      const first = names.get(n.name);
      if (first !== undefined) throw new OrtRefusedModelError(path, `${nodeLabel(n, k)}: its name is ${nodeLabel(nodes[first]!, first)}'s too`, `two nodes with same node name (${n.name}).`);
      names.set(n.name, k);
    }
    for (const o of n.output ?? []) {
      if (o === '') continue; // an optional output left out
      if (defined.has(o) || producer.has(o)) {
        const first = producer.get(o);
        const by = first === k ? 'by the same node' : first !== undefined ? `by ${nodeLabel(nodes[first]!, first)}` : 'as a graph input or initializer';
        throw new OrtRefusedModelError(path, `${nodeLabel(n, k)}: its output ${o} is already defined ${by}`, `Duplicate definition of name (${o}).`);
      }
      producer.set(o, k);
    }
  });
  nodes.forEach((n, k) => {
    if (isOrtConstant(n)) return;
    for (const i of n.input ?? []) {
      if (i !== '' && !defined.has(i) && !producer.has(i)) {
        throw new OrtRefusedModelError(path, `${nodeLabel(n, k)} reads ${i}, which no graph input, initializer or node defines`, `Node input '${i}' is not a graph input, initializer, or output of a previous node.`);
      }
    }
  });
  const cycle = findCycle(nodes, producer);
  if (cycle) {
    const label = (c: { k: number }) => nodeLabel(nodes[c.k]!, c.k);
    const ring = cycle.map((c, i) => `${i ? `, written by ${label(c)}, which reads` : `${label(c)} reads`} ${c.reads}`).join('');
    throw new OrtRefusedModelError(path, `the graph has a cycle: ${ring}, written by ${cycle.length === 1 ? 'itself' : label(cycle[0]!)}`, 'This is an invalid model. Error: the graph is not acyclic.');
  }
}
