/**
 * `qconform explain` refuses an ONNX graph that ONNX Runtime 1.30 refuses for how its values connect
 * (conformance/explain/onnx_graph_structure.ts), quoting ORT, at ORT's place in its order of checks: each model is loaded
 * in onnxruntime-node 1.30 here and ORT's message must hold the text explain quotes.
 *   - a cycle anywhere: a QLinearConv behind an Identity reading its own output, a QDQ chain whose DequantizeLinear reads
 *     the later yq, Identity nodes a <- b <- a, a self-feeding Identity no layer reads (before, explain analysed the first
 *     two, exit 0, and named the Identity cycles only where they stood between a layer and its weight);
 *   - the cycle after ORT's graph-constructor checks (a graph input's element type, an initializer's data type, an
 *     untyped input no node reads, a graph output nothing defines) and after duplicate names and undefined node inputs,
 *     and before every node check (attributes, input counts, op types, domains, kernel_shape), an untyped input a node
 *     reads, and an initializer's data (each pair is one model here; before, explain named the other problem);
 *   - the other connection checks on their own: a node input nothing defines, two nodes of one name, a graph input
 *     listed twice, a graph output nothing defines (before: all analysed).
 * The CLI refuses a cyclic model with exit 2 at once, no stack trace (run as a process with a timeout, so a reader that
 * loops forever fails the test instead of hanging the suite).
 * Replay one case: npx vitest run tests/explain/graph_cycles.test.ts -t '<case name>'
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { runQconform } from '../support/cli_process.js';
import { type QdqParts, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { expectReadRefusalQuoting, ortLoadError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
type Model = onnxProto.onnx.ModelProto;

const ACYCLIC = 'This is an invalid model. Error: the graph is not acyclic.';

/** The base QDQ model (tests/support/explain_qdq_model.ts) with `f` applied to its parts, then `g` to the model. */
function edit(f: (p: QdqParts) => void, g?: (m: Model) => void): Uint8Array {
  const p = qdqParts();
  f(p);
  const m = onnx.ModelProto.decode(qdqModel(p));
  g?.(m);
  return onnx.ModelProto.encode(m).finish();
}
const conv = (p: QdqParts) => p.nodes.find((n) => n.opType === 'Conv')!;
/** the DequantizeLinear of x reads yq, which the Conv it feeds gives (a cycle DQ -> Conv -> Q -> DQ) */
const laterDq = (p: QdqParts) => {
  p.nodes[1]!.input = ['yq', 'x_scale', 'x_zp'];
};
const untyped = (name: string) => onnx.ValueInfoProto.create({ name });

/** The QLinearConv of the finding (x [1, 3, 8, 8] uint8), its x an Identity that reads its own output t0. */
function qlinearConvBehindSelfIdentity(): Uint8Array {
  const f32 = (name: string, v: number) => ({ name, dims: [], dataType: DT.FLOAT, floatData: [v] });
  const w = { name: 'w', dims: [4, 3, 3, 3], dataType: DT.INT8, int32Data: Array.from({ length: 108 }, (_, i) => ((i * 37) % 255) - 127) };
  const graph = {
    name: 'g',
    node: [
      { opType: 'Identity', input: ['t0'], output: ['t0'] },
      { opType: 'QLinearConv', name: 'qlc', input: ['t0', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], output: ['y'] },
    ],
    initializer: [w, f32('xs', 0.05), { name: 'xz', dims: [], dataType: DT.UINT8, int32Data: [128] }, f32('ws', 0.01), { name: 'wz', dims: [], dataType: DT.INT8, int32Data: [0] }, f32('ys', 0.1), { name: 'yz', dims: [], dataType: DT.UINT8, int32Data: [100] }],
    input: [{ name: 'x', type: { tensorType: { elemType: DT.UINT8, shape: { dim: [1, 3, 8, 8].map((d) => ({ dimValue: d })) } } } }],
    output: [{ name: 'y', type: { tensorType: { elemType: DT.UINT8 } } }],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

const CYCLE_DQ = 'the graph has a cycle: DequantizeLinear node DequantizeLinear_1 reads yq, written by QuantizeLinear node QuantizeLinear_4, which reads yf, written by Conv node qconv, which reads xf, written by DequantizeLinear node DequantizeLinear_1';

/** [case, model, ORT 1.30's message (explain quotes it), explain's words] */
const REFUSED: ReadonlyArray<readonly [string, Uint8Array, string, string]> = [
  // the cycles
  ['a QLinearConv behind an Identity reading its own output', qlinearConvBehindSelfIdentity(), ACYCLIC, 'the graph has a cycle: Identity node Identity_0 reads t0, written by itself'],
  ['a DequantizeLinear reading the later yq', edit(laterDq), ACYCLIC, CYCLE_DQ],
  ['Identity nodes ida <- idb <- ida before the weight', edit((p) => { conv(p).input = ['xf', 'ida']; p.nodes.push({ opType: 'Identity', input: ['idb'], output: ['ida'] }, { opType: 'Identity', input: ['ida'], output: ['idb'] }); }), ACYCLIC, 'the graph has a cycle: Identity node Identity_6 reads idb, written by Identity node Identity_7, which reads ida, written by Identity node Identity_6'],
  ['a self-feeding Identity no layer reads', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['c'], output: ['c'] }); }), ACYCLIC, 'the graph has a cycle: Identity node Identity_6 reads c, written by itself'],
  // the cycle before the node checks and the checks of later phases
  ['a cycle and an attribute the Conv does not have: the cycle', edit((p) => { laterDq(p); conv(p).attribute!.push({ name: 'bogus', type: AT.INT, i: 1 }); }), ACYCLIC, CYCLE_DQ],
  ['a cycle and an attribute without a type: the cycle', edit((p) => { laterDq(p); conv(p).attribute!.push({ name: 'bogus', i: 1 }); }), ACYCLIC, CYCLE_DQ],
  ['a cycle and a QuantizeLinear of 1 input: the cycle', edit((p) => { laterDq(p); p.nodes[0]!.input = ['x']; }), ACYCLIC, CYCLE_DQ],
  ['a cycle and an unknown op: the cycle', edit((p) => { laterDq(p); p.nodes.push({ opType: 'NoSuchOp', input: ['y'], output: ['z'] }); }), ACYCLIC, CYCLE_DQ],
  ['a cycle and a node of domain foo.bar: the cycle', edit((p) => { laterDq(p); p.nodes.push({ opType: 'Foo', domain: 'foo.bar', input: ['y'], output: ['z'] }); }), ACYCLIC, CYCLE_DQ],
  ['a cycle and kernel_shape [3] on a 2-d weight: the cycle', edit((p) => { laterDq(p); conv(p).attribute![1] = { name: 'kernel_shape', type: AT.INTS, ints: [3] }; }), ACYCLIC, CYCLE_DQ],
  ['a cycle and 3 int8 weights for 108: the cycle', edit((p) => { laterDq(p); p.inits[0]!.int32Data = [1, 2, 3]; }), ACYCLIC, CYCLE_DQ],
  ['a cycle and the untyped graph input x a node reads: the cycle', edit(laterDq, (m) => { m.graph!.input![0]!.type = null; }), ACYCLIC, CYCLE_DQ],
  // the checks ORT makes before the cycle
  ['a cycle and a graph input of element type 0: the element type', edit(laterDq, (m) => { m.graph!.input![0]!.type!.tensorType!.elemType = 0; }), 'Invalid tensor data type 0.', 'the graph input x has element type 0, no ONNX data type'],
  ['a cycle and weights of data type 999: the data type', edit((p) => { laterDq(p); p.inits[0]!.dataType = 999; }), "Tensor 'wq' does not have valid data type.", 'tensor wq: data type 999 is not an ONNX data type'],
  ['a cycle and an untyped input x2 no node reads: x2', edit(laterDq, (m) => { m.graph!.input!.push(untyped('x2')); }), 'Graph ctor should have created NodeArg for initializer. Missing:x2', 'the graph input x2 has no type (and no node reads it)'],
  ['a cycle and a graph output nothing defines: the output', edit(laterDq, (m) => { m.graph!.output![0]!.name = 'nope'; }), 'Graph output (nope) does not exist in the graph.', 'the graph output nope is no node output, initializer or graph input'],
  ['a cycle and two nodes writing xq: the duplicate', edit((p) => { laterDq(p); p.nodes.push({ opType: 'Identity', input: ['x'], output: ['xq'] }); }), 'Duplicate definition of name (xq).', 'Identity node Identity_6: its output xq is already defined by QuantizeLinear node QuantizeLinear_0'],
  ['a cycle and a node input nothing defines: the input', edit((p) => { laterDq(p); p.nodes.push({ opType: 'Identity', input: ['nowhere'], output: ['z'] }); }), "Node input 'nowhere' is not a graph input, initializer, or output of a previous node.", 'Identity node Identity_6 reads nowhere, which no graph input, initializer or node defines'],
  // the other connection checks, in ORT's order
  ['a node input nothing defines', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['nowhere'], output: ['z'] }); }), "Node input 'nowhere' is not a graph input, initializer, or output of a previous node.", 'Identity node Identity_6 reads nowhere, which no graph input, initializer or node defines'],
  ['a node input nothing defines, and a later duplicate output: the duplicate', edit((p) => { p.nodes[0]!.input = ['nowhere', 'x_scale', 'x_zp']; p.nodes[4]!.output = ['xq']; }), 'Duplicate definition of name (xq).', 'QuantizeLinear node QuantizeLinear_4: its output xq is already defined by QuantizeLinear node QuantizeLinear_0'],
  ['two nodes named n', edit((p) => { p.nodes[0]!.name = 'n'; p.nodes[1]!.name = 'n'; }), 'two nodes with same node name (n).', "DequantizeLinear node n: its name is QuantizeLinear node n's too"],
  ['a duplicate output before two nodes of one name: the output', edit((p) => { p.nodes[1]!.output = ['xq']; p.nodes[3]!.name = 'n'; p.nodes[4]!.name = 'n'; }), 'Duplicate definition of name (xq).', 'DequantizeLinear node DequantizeLinear_1: its output xq is already defined by QuantizeLinear node QuantizeLinear_0'],
  ['the graph input x listed twice', edit(() => {}, (m) => { m.graph!.input!.push(m.graph!.input![0]!); }), 'Duplicate definition-site for (x).', 'the graph input x is listed twice'],
  ['x listed twice and two nodes writing xq: x', edit((p) => { p.nodes.push({ opType: 'Identity', input: ['x'], output: ['xq'] }); }, (m) => { m.graph!.input!.push(m.graph!.input![0]!); }), 'Duplicate definition-site for (x).', 'the graph input x is listed twice'],
  ['a graph output nothing defines', edit(() => {}, (m) => { m.graph!.output![0]!.name = 'nope'; }), 'Graph output (nope) does not exist in the graph.', 'the graph output nope is no node output, initializer or graph input'],
];

describe('explain refuses a graph ORT 1.30 refuses for how its values connect, at ORT\'s place', () => {
  for (const [name, bytes, ort, words] of REFUSED) {
    it(name, async () => {
      const live = await ortLoadError(bytes);
      expect(live, 'ORT 1.30 live refuses it').not.toBeNull();
      expect(live).toContain(ort);
      expectReadRefusalQuoting(bytes, words, ort, 'explain refuses it');
    });
  }

  it('an optional input left out ("") and an output left out are no undefined values: ORT runs the model, explain reads it', async () => {
    const bytes = edit((p) => { p.nodes[0]!.input = ['x', 'x_scale', '']; p.nodes.push({ opType: 'Split', input: ['y'], output: ['s', ''], attribute: [{ name: 'axis', type: AT.INT, i: 1 }] }); }, (m) => { m.graph!.output!.push(untyped('s')); });
    expect(await ortLoadError(bytes)).toBeNull();
    expect(readOnnxModel('m.onnx', bytes).steps[0]).toMatchObject({ kind: 'conv2d' });
  });
});

describe('qconform explain on a cyclic graph', () => {
  it.each([
    ['ida <- idb <- ida', [{ input: ['idb'], output: ['ida'] }, { input: ['ida'], output: ['idb'] }], 'the graph has a cycle: Identity node Identity_6 reads idb, written by Identity node Identity_7, which reads ida, written by Identity node Identity_6'],
    ['an Identity feeding itself', [{ input: ['ida'], output: ['ida'] }], 'the graph has a cycle: Identity node Identity_6 reads ida, written by itself'],
  ])('%s: exit 2 with the cycle named, no hang', async (_, cycle, message) => {
    const path = join(mkdtempSync(join(tmpdir(), 'qconform-cycle-')), 'cycle.onnx');
    writeFileSync(path, edit((p) => { conv(p).input = ['xf', 'ida']; p.nodes.push(...cycle.map((c) => ({ opType: 'Identity', ...c }))); }));
    const r = await runQconform(['explain', path], {}, 30_000);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${message}; ONNX Runtime 1.30 refuses it when it loads the model: "${ACYCLIC}"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
