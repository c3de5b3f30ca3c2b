/**
 * Reads a quantized ONNX model (onnx-proto's protobufjs decoder) into the steps of model_types.ts. Two forms:
 *   - QOperator: QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B) (onnx/defs/nn/defs.cc
 *     QLinearConv-10), int32 bias in units of x_scale * w_scale;
 *   - QDQ: DequantizeLinear(x) and DequantizeLinear(w) (and optionally DequantizeLinear(int32 bias)) into a float
 *     Conv, an optional Relu, then QuantizeLinear: what ONNX Runtime fuses into QLinearConv, and what
 *     torch.onnx.export writes for a converted torch 1.13 model (Constant and Cast nodes included).
 * MaxPool (max_pool.ts) and Flatten/Reshape between quantized layers are carried exactly on the integers, and so are a
 * DequantizeLinear -> [Relu] -> QuantizeLinear requantization and a Relu on int8 (onnx_between_layers.ts); QLinearMatMul and
 * a Gemm or MatMul in QDQ form with a constant 2-D int8 weight are linear layers (onnx_linear.ts); any other op
 * is listed as not modelled. Ops are read by domain and op_type (onnx_node_domain.ts): a node of another domain than
 * ai.onnx is read as its ai.onnx namesake only where ORT runs it as one (com.microsoft QuantizeLinear, DequantizeLinear,
 * and QLinearConv with channels_last 0), else listed as not modelled, naming its domain; a model with a node of a domain
 * ORT 1.30 has no kernels for is refused, as ORT refuses it (ort_kernel_domains.ts), and so is one with a node of an op
 * type ORT has not at the node's opset (ort_op_types.ts) or with opset imports ORT refuses (onnx_opset_imports.ts,
 * which also gives the opset each domain's nodes run at), or for how its values connect (a cycle, an undefined input, a
 * name defined twice: onnx_graph_structure.ts); a Constant node of any domain is ORT's initializer (onnx_constant_nodes.ts).
 * The graph itself (constants,
 * qparams, QDQ patterns) is onnx_graph.ts; what the graph input declares, onnx_graph_input.ts; how it reaches the first
 * layer (a QuantizeLinear, or a uint8 / int8 input the layer reads), onnx_input.ts. A node attribute ORT 1.30 refuses
 * (an unknown or mistyped one) is refused first, as ORT does (onnx_node_attributes.ts).
 */
import type onnxProto from 'onnx-proto';
import type { Pair } from '../../contract/conv.js';
import type { AutoPad } from '../../contract/onnx_qops.js';
import { DT, type Node, OnnxGraph, attr, attrInt, attrInts, checkQLinearTypes, UnmodelledTypeError, dequantizeOf, dequantizeQparams, onnx, outputQuantize, qparams, quantizeQparams, unfusedQdqProblem } from './onnx_graph.js';
import { checkGraphTypes, checkRunInputIsTensor, checkUntypedInputs, declaredInputShape } from './onnx_graph_input.js';
import { checkGraphStructure } from './onnx_graph_structure.js';
import { constantNodeTensors } from './onnx_constant_nodes.js';
import { onnxInputUse } from './onnx_input.js';
import { notReadReason, readNodes } from './onnx_node_domain.js';
import { type Const, dataTypeName, num } from './onnx_tensor.js';
import { checkNodeAttributes } from './onnx_node_attributes.js';
import { checkOpsetImports, opsetsOf } from './onnx_opset_imports.js';
import { checkNodeInputCounts } from './onnx_node_inputs.js';
import { LINEAR_OPS, linearStep } from './onnx_linear.js';
import { betweenLayersStep } from './onnx_between_layers.js';
import { stepValues } from './onnx_step_values.js';
import { type ConvLayer, type ExplainModel, type ModelStep, ModelReadError, type StatedShape } from './model_types.js';
import { statedShapes } from './onnx_value_shapes.js';
import { OrtRefusedModelError } from './ort_refused_model.js';
import { checkNodeDomainsAndOpTypes } from './ort_kernel_domains.js';
import { MAX_MODEL_BYTES, readRegularFile } from './regular_file.js';

/**
 * A kernel_shape attribute must be W's spatial dims, as ORT 1.30 checks: its length when it loads the model (the ONNX
 * shape inference of Conv and QLinearConv, convPoolShapeInference: "Attribute kernel_shape has incorrect size"), its
 * values when it runs the layer (conv_attributes.h ComputeKernelShape: "kernel_shape is not compatible with W shape").
 * Before, explain took the weight's dims and analysed a layer ORT never runs.
 */
function checkKernelShape(g: OnnxGraph, node: Node, name: string, weightDims: readonly number[]): void {
  const a = attr(node, 'kernel_shape');
  if (!a) return;
  const k = (a.ints ?? []).map(num);
  const spatial = weightDims.slice(2);
  const what = `${node.opType} node ${name}: kernel_shape [${k.join(', ')}] for a weight of shape [${weightDims.join(', ')}]`;
  if (k.length !== spatial.length) throw new OrtRefusedModelError(g.path, `${what}: ${k.length} dims, the weight has ${spatial.length} spatial dims`, '[ShapeInferenceError] Attribute kernel_shape has incorrect size');
  if (k.some((d, i) => d !== spatial[i])) throw new OrtRefusedModelError(g.path, `${what}: not the weight's spatial dims [${spatial.join(', ')}]`, `kernel_shape is not compatible with W shape. kernel_shape: {${k.join(',')}} W: {${weightDims.join(',')}}`, 'run');
}

function convGeometry(node: Node, kernel: readonly number[]): { stride: Pair; padding: Pair; dilation: Pair; groups: number } {
  const pads = attrInts(node, 'pads', [0, 0, 0, 0]);
  const autoPad = attr(node, 'auto_pad')?.s;
  if (autoPad && autoPad.length && new TextDecoder().decode(autoPad) !== 'NOTSET') throw new Error(`auto_pad ${new TextDecoder().decode(autoPad)} is not modelled`);
  if (pads[0] !== pads[2] || pads[1] !== pads[3]) throw new Error(`asymmetric pads [${pads.join(', ')}] are not modelled`);
  if (kernel.length !== 4) throw new Error(`a ${kernel.length - 2}-d conv is not modelled (conv2d only)`);
  const s = attrInts(node, 'strides', [1, 1]);
  const d = attrInts(node, 'dilations', [1, 1]);
  return { stride: [s[0]!, s[1]!], padding: [pads[0]!, pads[1]!], dilation: [d[0]!, d[1]!], groups: attrInt(node, 'group', 1) };
}

function weightFields(w: Const, scales: Const, zps: Const | undefined): Pick<ConvLayer, 'weightShape' | 'weight' | 'weightQuantization' | 'weightScales' | 'weightZeroPoints'> {
  const perChannel = scales.values.length > 1 || (scales.dims.length === 1 && scales.dims[0] === w.dims[0] && w.dims[0] !== 1);
  return {
    weightShape: w.dims,
    weight: Int32Array.from(w.values),
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: scales.values,
    weightZeroPoints: zps?.values.length ? zps.values : new Array(scales.values.length).fill(0),
  };
}

function qlinearConv(g: OnnxGraph, n: Node, name: string): ConvLayer {
  const i = n.input ?? [];
  checkQLinearTypes(g, n, name);
  const w = g.constant(i[3], 'QLinearConv weight');
  checkKernelShape(g, n, name, w.dims);
  if (w.dataType !== DT.INT8) throw new Error(`QLinearConv with ${dataTypeName(w.dataType).toLowerCase()} weights is not modelled (int8 weights only)`);
  const bias = i[8] ? g.constant(i[8], 'QLinearConv bias') : null;
  return {
    kind: 'conv2d',
    name,
    // a com.microsoft QLinearConv read here has channels_last 0 (onnx_node_domain.ts): ONNX's, under its own domain
    source: n.domain && n.domain !== 'ai.onnx' ? `${n.domain} QLinearConv` : 'QLinearConv',
    framework: 'onnx',
    x: qparams(g, i[1], i[2], 'x'),
    y: qparams(g, i[6], i[7], 'y'),
    ...weightFields(w, g.constant(i[4], 'w_scale'), g.constant(i[5], 'w_zero_point')),
    bias: bias ? { kind: 'int32', values: bias.values } : null,
    ...convGeometry(n, w.dims),
    // no fused ReLU: a Relu after it runs on its integers, an int_relu step (onnx_between_layers.ts)
    relu: false,
  };
}

function qdqConv(g: OnnxGraph, n: Node, name: string): ConvLayer {
  const [xIn, wIn, bIn] = n.input ?? [];
  const dqx = dequantizeOf(g, xIn);
  const dqw = dequantizeOf(g, wIn);
  const out = outputQuantize(g, n);
  if (!dqx || !dqw || !out) throw new Error('a float Conv without DequantizeLinear on x and w and QuantizeLinear on its output');
  const w = g.constant(dqw.input?.[0], 'weight');
  checkKernelShape(g, n, name, w.dims);
  if (w.dataType !== DT.INT8) throw new Error(`${dataTypeName(w.dataType).toLowerCase()} weights are not modelled (int8 weights only)`);
  let bias: ConvLayer['bias'] = null;
  if (bIn) {
    const dqb = dequantizeOf(g, bIn);
    bias = dqb ? { kind: 'int32', values: g.constant(dqb.input?.[0], 'bias').values } : { kind: 'float32', values: g.constant(bIn, 'bias').values.map(Math.fround) };
  }
  const x = dequantizeQparams(g, dqx, 'x');
  const y = quantizeQparams(g, out.q, 'y');
  if (typeof y === 'string') throw new Error(y);
  const unfused = unfusedQdqProblem('Conv', x, y);
  if (unfused) throw new Error(unfused);
  return {
    kind: 'conv2d',
    name,
    source: out.relu ? 'QDQ Conv + Relu' : 'QDQ Conv',
    framework: 'onnx',
    x,
    y,
    ...weightFields(w, g.constant(dqw.input?.[1], 'w_scale'), dqw.input?.[2] ? g.constant(dqw.input[2], 'w_zero_point') : undefined),
    bias,
    ...convGeometry(n, w.dims),
    relu: out.relu,
  };
}

const PLUMBING = new Set(['QuantizeLinear', 'Cast', 'Constant', 'ConstantOfShape', 'Identity']);
function nodeName(n: Node, k: number): string {
  return n.name || `${n.opType}_${k}`;
}

/** Why a Flatten / Reshape is not the flatten from dim 1 the chain carries (FlattenStep), or null. */
function flattenProblem(g: OnnxGraph, n: Node): string | null {
  if (n.opType === 'Flatten') return attrInt(n, 'axis', 1) === 1 ? null : `Flatten with axis ${attrInt(n, 'axis', 1)} is not modelled (axis 1 only)`;
  const shape = n.input?.[1] && g.consts.has(n.input[1]) ? g.consts.get(n.input[1])!.values : null;
  if (!shape || shape.length !== 2 || shape[1] !== -1) return `a Reshape to ${shape ? `[${shape.join(', ')}]` : 'a computed shape'} is not modelled (a constant [N, -1] or [0, -1] only)`;
  return null;
}

/**
 * Why a MaxPool, Flatten or Reshape `n` between a DequantizeLinear and a QuantizeLinear is not carried on the
 * integers, or null: when the QuantizeLinear's qparams are not the DequantizeLinear's, ORT 1.30 runs the op in float
 * and the QuantizeLinear requantizes, with graph optimizations and without (measured on onnxruntime-node 1.30 by
 * tests/explain/qdq_flatten_requantize.test.ts; its QDQ transformer drops a DQ/Q pair around such an op only when their
 * qparams are equal: onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selectors.cc
 * DropQDQNodesSelector), which explain does not model inside the op's step; a zero point of another type than uint8 /
 * int8 is not modelled either. Before, only the MaxPool was checked: a Flatten carried the integers unchanged where
 * ORT requantizes them (tests/explain/qdq_flatten_requantize.test.ts).
 */
function qdqRequantizeProblem(g: OnnxGraph, n: Node): string | null {
  const dq = dequantizeOf(g, n.input?.[0]);
  const q = g.onlyConsumer(n.output?.[0] ?? '');
  if (!dq || q?.opType !== 'QuantizeLinear') return null;
  const op = n.opType ?? '';
  try {
    const from = dequantizeQparams(g, dq, `${op} input`);
    const to = quantizeQparams(g, q, `${op} output`);
    // an output type explain does not model: not a requantization, its own reason
    if (typeof to === 'string') return `the QuantizeLinear after the ${op} is not modelled: ${to}`;
    if (JSON.stringify(from) === JSON.stringify(to)) return null;
  } catch (e) {
    if (e instanceof UnmodelledTypeError) return e.message;
    throw e;
  }
  return `the ${op} between DequantizeLinear and QuantizeLinear changes the qparams (a requantization)`;
}

/**
 * The model's steps in node order, each with the node it was read from (nodes[k] is out[k]'s); `opset`: the ai.onnx
 * opset; `statedShape`: the shapes the model states (onnx_value_shapes.ts).
 */
function steps(g: OnnxGraph, opset: number | undefined, statedShape: (value: string) => StatedShape | undefined): { out: ModelStep[]; nodes: Node[] } {
  const out: ModelStep[] = [];
  const nodes: Node[] = [];
  g.nodes.forEach((n, k) => {
    const before = out.length;
    const op = n.opType ?? '';
    const name = nodeName(n, k);
    if (op === 'QLinearConv' || (op === 'Conv' && dequantizeOf(g, n.input?.[1]))) {
      try {
        out.push(op === 'QLinearConv' ? qlinearConv(g, n, name) : qdqConv(g, n, name));
      } catch (e) {
        if (e instanceof ModelReadError) throw e;
        out.push({ kind: 'not_modelled', name, opType: op, reason: (e as Error).message });
      }
    } else if (op === 'MaxPool') {
      const k2 = attrInts(n, 'kernel_shape', []);
      const requantizes = qdqRequantizeProblem(g, n);
      if (k2.length !== 2) {
        out.push({ kind: 'not_modelled', name, opType: op, reason: `a ${k2.length}-d MaxPool is not modelled (2-d only)` });
      } else if (requantizes) {
        out.push({ kind: 'not_modelled', name, opType: op, reason: requantizes });
      } else {
        const s = attrInts(n, 'strides', [1, 1]);
        const d = attrInts(n, 'dilations', [1, 1]);
        const autoPad = attr(n, 'auto_pad')?.s;
        out.push({
          kind: 'maxpool2d',
          name,
          rules: 'onnxruntime',
          kernel: [k2[0]!, k2[1]!],
          stride: [s[0]!, s[1]!],
          pads: attrInts(n, 'pads', [0, 0, 0, 0]),
          dilation: [d[0]!, d[1]!],
          // any other string is refused by the contract's window check (max_pool.ts)
          autoPad: (autoPad?.length ? new TextDecoder().decode(autoPad) : 'NOTSET') as AutoPad,
          ceilMode: attrInt(n, 'ceil_mode', 0) !== 0,
        });
      }
    } else if (op === 'Flatten' || op === 'Reshape') {
      const why = flattenProblem(g, n) ?? qdqRequantizeProblem(g, n);
      out.push(why ? { kind: 'not_modelled', name, opType: op, reason: why } : { kind: 'flatten', name });
    } else if (LINEAR_OPS.has(op)) {
      out.push(linearStep(g, n, name));
    } else if (op === 'DequantizeLinear' || op === 'Relu') {
      const between = betweenLayersStep(g, n, name, opset);
      if (between) out.push(between);
    } else if (!PLUMBING.has(op)) {
      out.push({ kind: 'not_modelled', name, opType: op, reason: notReadReason(n) ?? `${op} is not modelled` });
    }
    if (out.length > before) {
      nodes.push(n);
      const values = stepValues(g, n, out[before]!, statedShape);
      if (values) out[before] = { ...out[before]!, values } as ModelStep;
    }
  });
  return { out, nodes };
}

/** Parses a quantized ONNX model; every problem with the file is a ModelReadError. */
export function readOnnxModel(path: string, bytes: Uint8Array = readRegularFile(path, 'model', MAX_MODEL_BYTES)): ExplainModel {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelReadError(path, `not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  const graph = model.graph;
  if (!graph || !graph.node?.length) throw new ModelReadError(path, 'not an ONNX model: it has no graph nodes');
  // ORT refuses a model for its opset imports first (onnx_opset_imports.ts), then for a Constant node it cannot make an
  // initializer of (onnx_constant_nodes.ts), then for the types its graph declares (onnx_graph_input.ts), then for how its
  // values connect (onnx_graph_structure.ts: a cycle, ...), then for an untyped input a node reads, then for a node's
  // attribute (onnx_node_attributes.ts) and the other node checks: so does explain
  checkOpsetImports(path, model.opsetImport ?? []);
  const constantNodes = constantNodeTensors(path, graph.node);
  const initializers = [...(graph.initializer ?? []), ...constantNodes.map((c) => c.tensor)];
  checkGraphTypes(path, graph, initializers);
  checkGraphStructure(path, graph, new Set(initializers.map((t) => t.name ?? '')));
  checkUntypedInputs(path, graph, initializers);
  const opsets = opsetsOf(model.opsetImport ?? []);
  checkNodeAttributes(path, graph.node, opsets);
  checkNodeInputCounts(path, graph.node, opsets);
  const initNames = new Set(initializers.map((t) => t.name));
  const inputInfo = (graph.input ?? []).find((i) => !initNames.has(i.name));
  checkRunInputIsTensor(path, inputInfo);
  checkNodeDomainsAndOpTypes(path, graph.node, opsets, model.functions ?? []);
  const g = new OnnxGraph(path, readNodes(graph.node), graph.initializer ?? [], graph.input ?? [], constantNodes);
  const { out: list, nodes } = steps(g, opsets.get(''), statedShapes(g, graph, inputInfo?.name ?? undefined));
  // a layer explain lists as not modelled counts too (a com.microsoft one under its domain: 'com.microsoft <op_type>');
  // a node of another domain (com.microsoft.nchwc, ai.onnx.ml, a call of a model function) is no quantized layer
  const layerOp = (op: string) => (op.startsWith('com.microsoft ') ? op.slice('com.microsoft '.length) : op.includes(' ') ? '' : op);
  if (!list.some((s) => s.kind === 'conv2d' || (s.kind === 'not_modelled' && (LINEAR_OPS.has(layerOp(s.opType)) || ['Conv', 'QLinearConv', 'QGemm'].includes(layerOp(s.opType)))))) {
    throw new ModelReadError(path, 'no quantized layer found (neither QLinearConv, QLinearMatMul, nor QDQ around Conv, MatMul or Gemm)');
  }
  const { dims, note } = declaredInputShape(path, inputInfo);
  const qdq = g.nodes.some((n) => n.opType === 'DequantizeLinear' && ['Conv', 'Gemm', 'MatMul'].includes(g.onlyConsumer(n.output?.[0] ?? '')?.opType ?? ''));
  return {
    path,
    format: qdq ? 'onnx-qdq' : 'onnx-qoperator',
    nativeScheme: 'onnxruntime@1',
    ...onnxInputUse(g, inputInfo, list, nodes),
    inputShape: dims,
    steps: list,
    notes: [`ONNX opset ${(model.opsetImport ?? []).map((o) => `${o.domain || 'ai.onnx'}:${num(o.version)}`).join(', ')}, producer ${model.producerName || 'unknown'} ${model.producerVersion || ''}`.trim(), ...(note ? [note] : [])],
  };
}
