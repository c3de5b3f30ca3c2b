/**
 * `qconform explain`: runs a model's chain of steps on one input, the converted model on integers (each conv
 * under its own backend's scheme, compared with every other scheme and accumulator: layer_analysis.ts) beside
 * the fake-quant float simulation (fake_quant.ts), and gathers per layer what is stored, what the kernel clamps
 * to, what each scheme's requantization is, and where outputs part. The result is plain data: the console table,
 * the JSON file and the HTML page are all written from it.
 */
import { isQconformError } from '../../contract/errors.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { type F32Tensor, type IntTensor, f32Tensor, intTensor, numel, reshaped } from '../../contract/tensor.js';
import { channelQuant } from '../../impl/conv/channel_quant.js';
import { impl } from '../../impl/index.js';
import { REQUANT_SCHEMES } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { CaseRandom } from '../cases/random.js';
import { convArgsFor } from './conv_args.js';
import { type ObserverPick, dequantizeActivation, dequantizedLayerX, fakeQuantIntegers, floatConv, layerQuantRange, observersOn, type QuantRange } from './fake_quant.js';
import { inputMisfit } from './input_fit.js';
import { inputNotTaken, inputUnreached, reachesNotModelled, unreachedInputDescription } from './input_reach.js';
import { generatedInteger, integerInput } from './integer_input.js';
import type { ExplainInput } from './input_tensor.js';
import { convOutputAsRows, rowsAsConvInput } from './linear_layer.js';
import { type Combination, analyseLayer } from './layer_analysis.js';
import { type ActivationQparams, type ConvLayer, type ExplainModel, type ModelStep, ModelReadError, type ObserverState } from './model_types.js';
import { checkMaxPoolStep, maxPoolChain } from './max_pool.js';
import { integerReluChain, onnxQuantizeInput, qparamsText, requantizeChain, requantizeOpType, sameQparams } from './qdq_steps.js';
import { floatRelu, quantizedRelu } from './quantized_relu.js';
import { type QuantizedAddReport, addNotRun, operandsNotRun, runQuantizedAdd } from './quantized_add_step.js';
import { type QuantizedMulReport, runQuantizedMul } from './quantized_mul_step.js';
import { type HardActivationReport, idleHardActivation, runHardActivation } from './hard_activation_step.js';
import { type QuantizedCatReport, catNotRun, runQuantizedCat } from './quantized_cat_step.js';
import { type AvgPoolReport, idleAvgPool, runAvgPool } from './avg_pool_step.js';
import { type AdaptiveAvgPoolReport, idleAdaptiveAvgPool, runAdaptiveAvgPool } from './adaptive_avg_pool_step.js';
import { type RequantSummary, requantSummary } from './requant_summary.js';
import { stubFakeQuantized, stubRequantized } from './stub_requantize.js';
import { torchBaselineAccumulator } from './torch_engine.js';
import { reshapeChain, reshapeDimsText } from './torch_reshape.js';
import { type ChannelGatherReport, idleChannelGather, runChannelGather } from './channel_gather_step.js';
import { type QuantizedMeanReport, idleQuantizedMean, runQuantizedMean } from './quantized_mean_step.js';
import { valueRange } from './value_range.js';

export const EXPLAIN_FORMAT = 'qconform-explain/1';

/** Integers a step gave in a run (or the model's quantized input), their floats along the fake-quant chain, their qparams. */
interface Carried {
  readonly xq: IntTensor;
  readonly xf: F32Tensor | null;
  readonly q: ActivationQparams | null;
}

export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
}

export interface ConvLayerReport {
  readonly kind: 'conv2d';
  readonly name: string;
  readonly source: string;
  readonly inputOrigin: 'chain' | 'generated';
  /** why the input is generated when the chain did not stop before the layer: its x qparams are not those of the chain's integers */
  readonly generatedBecause?: string;
  /**
   * it reads, as this run gave them, the integers of another branch than the chain's (torch: another step's output
   * than the step before it's, or the model's input; ONNX: another graph value than the chain's): what it reads
   */
  readonly otherBranch?: string;
  /** linear layers: weightShape [OC, F], inputShape [N, F], outputShape [N, OC] (run as 1x1 convs) */
  readonly geometry: { readonly linear: boolean; readonly weightShape: readonly number[]; readonly stride: readonly number[]; readonly padding: readonly number[]; readonly dilation: readonly number[]; readonly groups: number; readonly relu: boolean; readonly inputShape: readonly number[]; readonly outputShape: readonly number[] };
  readonly stored: {
    readonly x: ConvLayer['x'];
    readonly y: ConvLayer['y'];
    readonly weight: { readonly dtype: 'qint8'; readonly quantization: string; readonly scales: readonly number[]; readonly zeroPoints: readonly number[]; readonly min: number; readonly max: number };
    readonly bias: { readonly kind: string; readonly count: number } | null;
  };
  /** what the kernel clamps the output to, beside the qconfig's range */
  readonly clamp: {
    readonly kernel: readonly [number, number];
    readonly qconfig: QuantRange;
    readonly note: string;
    /** converted outputs (baseline) at the kernel's clamp bounds, and above the qconfig's quant_max */
    readonly atLow: number;
    readonly atHigh: number;
    readonly aboveQuantMax: number;
  };
  readonly observer: (ObserverState & { readonly fate: string }) | null;
  readonly weightObserver: (ObserverState & { readonly fate: string }) | null;
  /** channel 0's effective requantization under each scheme (per-channel weights: channel 0 shown) */
  readonly requantization: readonly RequantSummary[];
  readonly baseline: string;
  readonly combinations: readonly Combination[];
  readonly fakeQuant: { readonly differing: number; readonly total: number; readonly clampRange: number; readonly floatRounding: number; readonly histogram: Readonly<Record<string, number>>; readonly chainedDiffering: number | null };
  readonly observersOnData: readonly ObserverPick[];
  readonly dataHistogram: Histogram;
  readonly calibrationHistogram: Histogram | null;
}

/** A step explain carries on the chain's integers; `idle`: none reached it (the chain stopped before it, at a step not modelled). */
interface CarriedStep {
  readonly name: string;
  readonly idle?: true;
}

export type StepReport =
  | ConvLayerReport
  | (CarriedStep & { readonly kind: 'maxpool2d' | 'flatten' | 'int_relu' | 'relu' | 'stub_requantize' })
  /** a torch reshape: its target as the forward writes it, and the shape it gave the chain's tensor (null: no chain data reached it) */
  | (CarriedStep & { readonly kind: 'reshape'; readonly opType: string; readonly target: string; readonly shape: readonly number[] | null })
  | (CarriedStep & { readonly kind: 'requantize'; readonly from: ActivationQparams; readonly to: ActivationQparams; readonly relu: boolean })
  | QuantizedAddReport
  | QuantizedMulReport
  | HardActivationReport
  | QuantizedCatReport
  | AvgPoolReport
  | AdaptiveAvgPoolReport
  | ChannelGatherReport
  | QuantizedMeanReport
  | { readonly kind: 'not_modelled'; readonly name: string; readonly opType: string; readonly reason: string; readonly details?: Readonly<Record<string, unknown>> };

export interface ExplainResult {
  readonly format: typeof EXPLAIN_FORMAT;
  readonly model: { readonly path: string; readonly format: string; readonly nativeScheme: string; readonly notes: readonly string[] };
  /** shape null: no input reaches a modelled layer, so none ran (each layer's own generated input: its geometry.inputShape) */
  readonly input: { readonly origin: 'file' | 'generated'; readonly description: string; readonly shape: readonly number[] | null };
  readonly steps: readonly StepReport[];
  /** the first layer where the fake-quant model (its own chain) and the converted model part */
  readonly fakeQuantPartsAt: { readonly layer: string; readonly differing: number; readonly total: number } | null;
}

function histogram(values: ArrayLike<number>, lo: number, hi: number, bins = 64): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const width = hi > lo ? (hi - lo) / bins : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!++;
  }
  return { lo, hi, counts };
}

/** Sums groups of adjacent bins down to `bins` (for drawing a 2048-bin observer histogram). */
function rebin(counts: readonly number[], bins: number): number[] {
  if (counts.length <= bins) return [...counts];
  const per = Math.ceil(counts.length / bins);
  return Array.from({ length: Math.ceil(counts.length / per) }, (_, i) => counts.slice(i * per, (i + 1) * per).reduce((a, b) => a + b, 0));
}

function observerFate(o: ObserverState, y: ConvLayer['y'], what: 'activation' | 'weight'): string {
  const lo = o.minVal.length === 1 ? o.minVal[0] : `${o.minVal.length} per-channel values`;
  const hi = o.maxVal.length === 1 ? o.maxVal[0] : `${o.maxVal.length} per-channel values`;
  if (what === 'weight') {
    return `min_val ${lo}, max_val ${hi} -> the weight scale(s) and zero point(s) above (_calculate_qparams); convert() rounds the weights and clamps them once to [${o.quantMin}, ${o.quantMax}]; no min/max is kept`;
  }
  return `min_val ${lo}, max_val ${hi}, quant_min ${o.quantMin}, quant_max ${o.quantMax}${o.reduceRange ? ' (reduce_range)' : ''} -> scale ${y.scale}, zero_point ${y.zeroPoint} (${o.observer}); convert() keeps only these two: the kernel clamps to the dtype, not to [${o.quantMin}, ${o.quantMax}]`;
}

/** A carried step's `idle` mark when the chain's data (`reached`) did not reach it. */
function idleUnless(reached: unknown): { idle?: true } {
  return reached ? {} : { idle: true };
}

function generatedActivation(shape: readonly number[], q: ConvLayer['x'], seed: string): IntTensor {
  const rng = new CaseRandom(`explain-layer:${seed}`);
  return intTensor(q.dtype, shape, Array.from({ length: numel(shape) }, () => generatedInteger(rng.normal(), q)));
}

function convReport(layer: ConvLayer, xq: IntTensor, inputOrigin: 'chain' | 'generated', nativeScheme: ExplainModel['nativeScheme'], fqChain: F32Tensor | null): { report: ConvLayerReport; out: IntTensor; fqOut: F32Tensor } {
  const accumulator = torchBaselineAccumulator(layer, xq);
  const run = analyseLayer(layer, xq, nativeScheme, accumulator);
  const out = run.output;
  const range = layerQuantRange(layer);
  const weightRange = valueRange(layer.weight);
  const xf = dequantizedLayerX(layer, xq);
  const v = floatConv(layer, xf);
  const fqInts = fakeQuantIntegers(layer, v, range);
  const fqHist: Record<string, number> = {};
  let differing = 0;
  let clampRange = 0;
  for (let i = 0; i < out.data.length; i++) {
    const d = fqInts[i]! - out.data[i]!;
    if (d === 0) continue;
    differing++;
    fqHist[String(d)] = (fqHist[String(d)] ?? 0) + 1;
    if (out.data[i]! > range.quantMax || out.data[i]! < range.quantMin) clampRange++;
  }
  let chainedDiffering: number | null = null;
  let fqOut: F32Tensor;
  if (fqChain) {
    const vc = floatConv(layer, fqChain);
    const ints = fakeQuantIntegers(layer, vc, range);
    chainedDiffering = ints.reduce((k, q, i) => k + (q !== out.data[i] ? 1 : 0), 0);
    fqOut = impl.fakeQuantizePerTensorAffine(vc, { scale: layer.y.scale, zeroPoint: layer.y.zeroPoint, quantMin: range.quantMin, quantMax: range.quantMax });
  } else {
    fqOut = impl.fakeQuantizePerTensorAffine(v, { scale: layer.y.scale, zeroPoint: layer.y.zeroPoint, quantMin: range.quantMin, quantMax: range.quantMax });
  }
  const g = checkConv2d(convArgsFor(layer, xq, nativeScheme, 'int32_wrap'));
  const observersOnData = observersOn(layer, v, range);
  const stored = [range.quantMin, range.quantMax].map((q) => (q - layer.y.zeroPoint) * layer.y.scale);
  let lo = Math.min(...observersOnData.map((o) => Math.min(o.minVal, o.clip[0])), stored[0]!);
  let hi = Math.max(...observersOnData.map((o) => Math.max(o.maxVal, o.clip[1])), stored[1]!);
  if (!(hi > lo)) [lo, hi] = [lo - 1, lo + 1];
  const obs = layer.activationObserver;
  const calibrationHistogram = obs?.histogram?.length ? { lo: obs.minVal[0]!, hi: obs.maxVal[0]!, counts: rebin(obs.histogram, 128) } : null;
  const dtypeRange = DTYPE_RANGE[layer.y.dtype];
  const report: ConvLayerReport = {
    kind: 'conv2d',
    name: layer.name,
    source: layer.source,
    inputOrigin,
    geometry: {
      linear: layer.linear === true,
      weightShape: layer.linear ? layer.weightShape.slice(0, 2) : layer.weightShape,
      stride: layer.stride,
      padding: layer.padding,
      dilation: layer.dilation,
      groups: layer.groups,
      relu: layer.relu,
      inputShape: layer.linear ? xq.shape.slice(0, 2) : xq.shape,
      outputShape: layer.linear ? out.shape.slice(0, 2) : out.shape,
    },
    stored: {
      x: layer.x,
      y: layer.y,
      weight: { dtype: 'qint8', quantization: layer.weightQuantization, scales: layer.weightScales, zeroPoints: layer.weightZeroPoints, min: weightRange[0], max: weightRange[1] },
      bias: layer.bias ? { kind: layer.bias.kind, count: layer.bias.values.length } : null,
    },
    clamp: {
      kernel: [g.outMin, g.outMax],
      qconfig: range,
      atLow: out.data.filter((q) => q === g.outMin).length,
      atHigh: out.data.filter((q) => q === g.outMax).length,
      aboveQuantMax: out.data.filter((q) => q > range.quantMax).length,
      note: `the kernel clamps to [${g.outMin}, ${g.outMax}] (${layer.y.dtype} [${dtypeRange.min}, ${dtypeRange.max}]${layer.relu ? ', raised to the zero point by the fused ReLU' : ''}); ${range.from === 'observer' ? `the qconfig's [${range.quantMin}, ${range.quantMax}] only chose the scale and zero point, and the fake-quant model clamps to it` : 'no observer given: the qconfig range is unknown (dtype range shown)'}`,
    },
    observer: obs ? { ...obs, histogram: [], fate: observerFate(obs, layer.y, 'activation') } : null,
    weightObserver: layer.weightObserver ? { ...layer.weightObserver, fate: observerFate(layer.weightObserver, layer.y, 'weight') } : null,
    requantization: REQUANT_SCHEMES.map((s) => requantSummary(s, channelQuant(convArgsFor(layer, xq, s, 'int32_wrap'), g, 0))),
    baseline: `${nativeScheme} x ${accumulator}`,
    combinations: run.combinations,
    fakeQuant: { differing, total: out.data.length, clampRange, floatRounding: differing - clampRange, histogram: fqHist, chainedDiffering },
    observersOnData,
    dataHistogram: histogram(v.data, lo, hi),
    calibrationHistogram,
  };
  return { report, out, fqOut };
}

export interface ExplainOptions {
  readonly seed: string;
  /** when given, each analysed layer's converted output (baseline scheme; a linear's as [N, OC]) and each max pool's output on the chain are set here by name */
  readonly outputs?: Map<string, IntTensor>;
  /** the generated input has the shape the user gave (--shape): refused like an --input file where no modelled layer takes it */
  readonly shapeGiven?: boolean;
}

/**
 * Runs the whole chain from the input: quantized by the model (model.input), or the integers of a uint8 / int8
 * graph input the first layer reads (integer_input.ts). A file input (or --shape, `shapeGiven`) that reaches no
 * modelled layer is refused (input_reach.ts), also when a max pool before the first layer turns out not modelled on
 * its shape (torch_max_pool.ts torchMaxPoolNotModelled); generated data that would reach none is not run: the layers run on their own generated data,
 * and the result's input says so (shape null).
 */
export function explainModel(model: ExplainModel, input: ExplainInput, o: ExplainOptions): ExplainResult {
  let xq: IntTensor | null = null;
  let xf: F32Tensor | null = null;
  // the qparams of xq, as the step that gave it gave them (a torch quantized tensor carries its own)
  let xqQparams: ActivationQparams | null = null;
  let description = input.description;
  const unreached = inputUnreached(model);
  if (unreached && input.origin === 'file') throw inputNotTaken(input.path ?? 'input', unreached);
  if (unreached) {
    description = unreachedInputDescription(unreached, o.seed);
  } else if (model.input) {
    if (input.intDtype) throw new ModelReadError(input.path ?? 'input', `holds ${input.intDtype} integers, but the model quantizes a float input (scale ${model.input.scale}, zero point ${model.input.zeroPoint}): pass float32 or float64 data`);
    // an ONNX model's QuantizeLinear divides by the scale; torch's quantize_per_tensor multiplies by its inverse
    xq = model.format === 'torchscript' ? impl.quantizePerTensor(input.tensor, { scale: model.input.scale, zeroPoint: model.input.zeroPoint, dtype: model.input.dtype }) : onnxQuantizeInput(input.tensor, model.input);
    xf = dequantizeActivation(xq, model.input.scale, model.input.zeroPoint);
    xqQparams = model.input;
  } else if (model.rawInput?.kind === 'integers') {
    ({ xq, description } = integerInput(input, model.rawInput));
    xf = dequantizeActivation(xq, model.rawInput.x.scale, model.rawInput.x.zeroPoint);
    xqQparams = model.rawInput.x;
  }
  // ONNX: the graph value whose integers xq are (onnx_step_values.ts); a step that reads another value is not fed them
  let held: string | undefined = model.inputValue;
  const steps: StepReport[] = [];
  let partsAt: ExplainResult['fakeQuantPartsAt'] = null;
  // the chain holds the input itself, through max pools, flattens, requantizations and int8 Relus only: the next layer is the first it reaches
  let firstLayer = xq !== null;
  // the user's input (--input, or data of the --shape given) would reach no layer (`why`): refused (input_reach.ts)
  const refuseIfFirst = (why: string) => {
    if (firstLayer && (input.origin === 'file' || o.shapeGiven)) throw inputNotTaken(input.origin === 'file' ? (input.path ?? 'input') : '--shape', why);
  };
  // a step whose result on the chain's integers explain does not model: listed, and the chain stops there (the user's
  // input, were it to stop here before any layer, is refused)
  const stopChainAt = (name: string, opType: string, reason: string) => {
    refuseIfFirst(reachesNotModelled(name, opType, reason));
    steps.push({ kind: 'not_modelled', name, opType, reason });
    firstLayer = false;
    xq = null;
    xf = null;
    xqQparams = null;
  };
  const otherQparams = (q: ActivationQparams, held: ActivationQparams = xqQparams!, whose = 'the chain holds') => `${qparamsText(q)}, not the qparams of the integers ${whose} (${qparamsText(held)}): explain cannot tell that it reads them`;
  // a step between layers that would read the chain's integers in other qparams than theirs (or an int8 Relu on
  // uint8 integers): what it is and why it is not carried, else null
  const betweenLayersMisread = (step: ModelStep, q: IntTensor, held: ActivationQparams): { opType: string; reason: string } | null => {
    if (step.kind === 'requantize' && !sameQparams(step.from, held)) return { opType: requantizeOpType(step.relu), reason: `its DequantizeLinear reads ${otherQparams(step.from)}` };
    if (step.kind === 'int_relu' && q.dtype !== 'qint8') return { opType: 'Relu', reason: `an int8 Relu on the chain's ${q.dtype} integers` };
    if (step.kind === 'relu' && !sameQparams(step.x, held)) return { opType: 'ReLU', reason: `it reads x in ${otherQparams(step.x)}` };
    if (step.kind === 'stub_requantize' && !sameQparams(step.x, held)) return { opType: 'DeQuantStub -> QuantStub', reason: `its DeQuantStub reads ${otherQparams(step.x)}` };
    if (step.kind === 'adaptive_avg_pool2d' && !sameQparams(step.x, held)) return { opType: step.opType, reason: `it reads x in ${otherQparams(step.x)}` };
    if (step.kind === 'quantized_mean' && !sameQparams(step.x, held)) return { opType: step.opType, reason: `it reads x in ${otherQparams(step.x)}` };
    if (step.kind === 'hard_activation' && !sameQparams(step.x, held)) return { opType: step.opType, reason: `it reads x in ${otherQparams(step.x)}` };
    return null;
  };
  // why a step of a branching ONNX graph is not fed the chain's integers (it reads another graph value), else null.
  // The graph value decides first: a step reading another value is on another branch whatever its qparams (only a
  // step reading `held` in other qparams is a misread of the chain's integers, below)
  const readsOther = (step: ModelStep): string | null => {
    const values = 'values' in step ? step.values : undefined;
    if (!xq || held === undefined || !values || values.input === held) return null;
    const q = step.kind === 'conv2d' ? step.x : step.kind === 'requantize' ? step.from : null;
    const qparamsDiffer = q && xqQparams && !sameQparams(q, xqQparams) ? ` (and in ${qparamsText(q)}, not the chain's ${qparamsText(xqQparams)})` : '';
    return `reads ${values.input}, not ${held}, the graph value whose integers the chain holds${qparamsDiffer}`;
  };
  // what the steps gave in this run, and the model's quantized input: a torch layer on another branch reads one
  const stepOutputs = new Map<string, Carried>();
  const modelInput: Carried | undefined = xq ? { xq, xf, q: xqQparams } : undefined;
  // what a torch step reads: another step's output (or the model's quantized input) as this run gave it, for a step on
  // another branch, else the chain's integers; undefined when the run has none
  const readOf = (otherBranch: { readonly readsOutputOf: string | null } | undefined): Carried | undefined =>
    otherBranch ? (otherBranch.readsOutputOf === null ? modelInput : stepOutputs.get(otherBranch.readsOutputOf)) : xq ? { xq, xf, q: xqQparams } : undefined;
  // a torch pool or mean of the integers it reads (readOf: the chain's, in their own qparams as betweenLayersMisread
  // checked, or another branch's), qparams kept: its report listed and its output the chain's; the fake-quant model's
  // float average is not modelled, so its chain stops there; where the step does not run on them, the chain stops
  const averageOf = (step: { readonly name: string; readonly opType: string; readonly otherBranch?: { readonly readsOutputOf: string | null; readonly because: string } }, idle: StepReport, run: (x: IntTensor) => { xq: IntTensor; report: StepReport } | { notRun: string }) => {
    const read = readOf(step.otherBranch);
    if (!read) {
      nothingToRead(step, idle);
      return;
    }
    const r = run(read.xq);
    if ('notRun' in r) {
      stopChainAt(step.name, step.opType, r.notRun);
      return;
    }
    steps.push(r.report);
    xq = r.xq;
    xf = null;
    xqQparams = read.q;
    chainGave(step.name, undefined);
  };
  // a torch step that reads nothing this run gave: on another branch the chain stops there, else it is listed idle
  const nothingToRead = (step: { readonly name: string; readonly opType: string; readonly otherBranch?: { readonly because: string } }, idle: StepReport) => {
    if (step.otherBranch) stopChainAt(step.name, step.opType, `it ${step.otherBranch.because}, of which this run has no integers`);
    else steps.push(idle);
  };
  const gave = (name: string, out: Carried) => {
    o.outputs?.set(name, out.xq);
    stepOutputs.set(name, out);
  };
  // generated data for a layer that does not read the chain's integers: of the shape of the tensor it reads where
  // known and of the layer's rank ([N, C, H, W], a linear's [N, F]), else of the chain's H and W
  const generatedInputShape = (step: ConvLayer, read: readonly number[] | undefined): number[] => {
    const cin = (step.weightShape[1] ?? 1) * step.groups;
    const known = read?.length === (step.linear ? 2 : 4) ? read : undefined;
    if (step.linear) return [known?.[0] ?? 1, cin, 1, 1];
    return known ? [known[0]!, cin, known[2]!, known[3]!] : [1, cin, xq?.shape[2] ?? 8, xq?.shape[3] ?? 8];
  };
  // ONNX: the graph values this run gave (the chain's, and those of layers on other branches)
  const runValues = new Map<string, Carried>();
  const ranValue = (value: string | undefined, out: Carried | null) => {
    if (value !== undefined && out) runValues.set(value, out);
  };
  ranValue(held, modelInput ?? null);
  // the chain's integers after step `name` (ONNX: as graph value `value`), kept for the steps that read them
  const chainGave = (name: string, value: string | undefined) => {
    if (!xq) return;
    const out = { xq, xf, q: xqQparams };
    gave(name, out);
    ranValue(value, out);
  };
  // a torch step that ran on the integers (an add, mul, activation or cat): its report listed, its output now the chain's
  const carry = (step: { readonly name: string; readonly y: ActivationQparams }, r: { xq: IntTensor; xf: F32Tensor | null; report: StepReport }) => {
    steps.push(r.report);
    ({ xq, xf } = r);
    xqQparams = step.y;
    chainGave(step.name, undefined);
  };
  // the shape of the graph value a layer on another branch reads: as this run gave it, else as the model states it
  // (onnx_value_shapes.ts); undefined when neither says
  const valueShape = (values: NonNullable<ConvLayer['values']>): readonly number[] | undefined => {
    const stated = values.inputShape;
    return runValues.get(values.input)?.xq.shape ?? (stated?.kind === 'run_input' ? input.tensor.shape : stated?.dims);
  };
  model.steps.forEach((step: ModelStep, k) => {
    const other = readsOther(step);
    if (other && step.kind !== 'conv2d') {
      // a step between layers on another branch: not run on the chain, which keeps its value; a MaxPool's attributes
      // are checked as on every other path (ORT refuses the model for them whatever the MaxPool reads)
      if (step.kind === 'maxpool2d') checkMaxPoolStep(model.path, step);
      const opType = step.kind === 'requantize' ? requantizeOpType(step.relu) : ({ maxpool2d: 'MaxPool', flatten: 'Flatten', int_relu: 'Relu' }[step.kind as string] ?? step.kind);
      steps.push({ kind: 'not_modelled', name: step.name, opType, reason: `it ${other}: explain carries one value along the chain` });
    } else if (step.kind === 'conv2d') {
      const cin = (step.weightShape[1] ?? 1) * step.groups;
      // what it reads: the chain's tensor, or a tensor of another branch as this run gave it (undefined: the run has no
      // integers of it): an ONNX graph value (`other`: the chain stays on its own branch), or (torch) the model's
      // quantized input or another step's output
      const torchBranch = step.otherBranch;
      const branch = other ? { because: other } : torchBranch;
      const readFrom = (): Carried | undefined => {
        if (other) return runValues.get(step.values!.input);
        if (torchBranch) return readOf(torchBranch);
        return xq ? { xq, xf, q: xqQparams } : undefined;
      };
      const src = readFrom();
      // a linear takes the rows [N, F] as the 1x1 conv's input [N, F, 1, 1]
      const x4 = src && step.linear ? (src.xq.shape.length === 2 ? rowsAsConvInput(src.xq) : null) : (src?.xq ?? null);
      const xf4 = src?.xf && step.linear ? (src.xf.shape.length === 2 ? rowsAsConvInput(src.xf) : null) : (src?.xf ?? null);
      const fits = x4 !== null && x4.shape.length === 4 && x4.shape[1] === cin;
      // (a layer whose own channel count is not positive is refused by its conv checks, not blamed on the input)
      if (firstLayer && !fits && cin >= 1 && !branch) throw inputMisfit(input, step, cin, xq!.shape);
      // the invariant: a layer reads integers only in their own qparams, else it runs on generated data
      const qparamsMisread = fits && src?.q && !sameQparams(step.x, src.q) ? `reads x in ${otherQparams(step.x, src.q, branch ? 'it reads' : undefined)}` : null;
      const misread = qparamsMisread && branch ? `${branch.because}; it ${qparamsMisread}` : qparamsMisread;
      const unread = branch && !src ? `${branch.because}, of which this run has no integers` : null;
      // (an ONNX layer on another branch leaves the chain where it is: before the first layer the user's input still
      // has to reach one)
      if ((misread || unread) && !other) refuseIfFirst(`its first layer ${step.name} ${misread ?? unread}`);
      const chain = fits && !misread;
      if (!other) firstLayer = false;
      const readShape = other ? valueShape(step.values!) : torchBranch ? src?.xq.shape : undefined;
      const x = chain ? x4! : generatedActivation(generatedInputShape(step, readShape), step.x, `${o.seed}:${k}`);
      const r = convReport(step, x, chain ? 'chain' : 'generated', step.scheme ?? model.nativeScheme, chain ? xf4 : null);
      const because = misread ?? unread ?? (chain ? null : branch?.because);
      steps.push({ ...r.report, ...(because ? { generatedBecause: `it ${because}` } : {}), ...(branch && chain ? { otherBranch: `it ${branch.because}` } : {}) });
      const chained = r.report.fakeQuant.chainedDiffering;
      if (!partsAt && chained !== null && chained > 0) partsAt = { layer: step.name, differing: chained, total: r.report.fakeQuant.total };
      if (other) {
        const out = step.linear ? convOutputAsRows(r.out) : r.out;
        const gaveOut = { xq: out, xf: chain ? (step.linear ? convOutputAsRows(r.fqOut) : r.fqOut) : null, q: step.y };
        ranValue(step.values?.output, gaveOut);
        gave(step.name, gaveOut);
        return;
      }
      xq = step.linear ? convOutputAsRows(r.out) : r.out;
      xqQparams = step.y;
      held = step.values?.output;
      xf = chain ? (step.linear ? convOutputAsRows(r.fqOut) : r.fqOut) : null;
      chainGave(step.name, held);
    } else if (step.kind === 'maxpool2d' && step.otherBranch) {
      // torch: a pool branch pools another step's output as this run gave it; the chain continues from the pool
      checkMaxPoolStep(model.path, step);
      const read = readOf(step.otherBranch);
      if (!read) {
        stopChainAt(step.name, 'MaxPool2d', `it ${step.otherBranch.because}, of which this run has no integers`);
        return;
      }
      const pooled = maxPoolChain(model.path, step, read.xq, read.xf);
      if ('notModelled' in pooled) {
        stopChainAt(step.name, 'MaxPool2d', pooled.notModelled);
        return;
      }
      steps.push({ kind: 'maxpool2d', name: step.name, ...idleUnless(pooled) });
      ({ xq, xf } = pooled);
      xqQparams = read.q;
      chainGave(step.name, undefined);
    } else if (step.kind === 'maxpool2d') {
      checkMaxPoolStep(model.path, step);
      const pooled = xq ? maxPoolChain(model.path, step, xq, xf) : null;
      if (pooled && 'notModelled' in pooled) {
        // torch's result on this input is not modelled: listed, and the chain stops as at any step not modelled (the
        // user's input would stop here before any layer: refused, as a pool found not modelled when the model is read)
        stopChainAt(step.name, 'MaxPool2d', pooled.notModelled);
      } else {
        steps.push({ kind: 'maxpool2d', name: step.name, ...idleUnless(pooled) });
        if (pooled) {
          ({ xq, xf } = pooled);
          held = step.values?.output;
          chainGave(step.name, held);
        }
      }
    } else if (step.kind === 'flatten') {
      steps.push({ kind: 'flatten', name: step.name, ...idleUnless(xq) });
      if (xq) xq = reshaped(xq, [xq.shape[0]!, numel(xq.shape.slice(1))]);
      if (xf) xf = f32Tensor([xf.shape[0]!, numel(xf.shape.slice(1))], xf.data);
      held = step.values?.output;
      ranValue(held, xq && { xq, xf, q: xqQparams });
    } else if (step.kind === 'reshape') {
      const r = xq ? reshapeChain(step.shape, xq, xf) : null;
      if (r && 'refused' in r) {
        // torch refuses the model on this tensor: nothing of torch's to carry, the chain stops (a user's input is refused)
        stopChainAt(step.name, step.opType, `torch refuses it on the chain's [${xq!.shape.join('x')}] tensor: ${r.refused}`);
      } else {
        steps.push({ kind: 'reshape', name: step.name, opType: step.opType, target: reshapeDimsText(step.shape), shape: r ? r.xq.shape : null, ...idleUnless(r) });
        if (r) {
          ({ xq, xf } = r);
          chainGave(step.name, undefined);
        }
      }
    } else if (step.kind === 'channel_gather') {
      // torch moving whole channels (ShuffleNetV2's chunk and channel shuffle): of the chain's integers, or (a block's
      // second chunk) of another step's as this run gave them; qparams kept
      const read = readOf(step.otherBranch);
      if (!read) {
        nothingToRead(step, idleChannelGather(step));
        return;
      }
      if (read.q && !sameQparams(step.x, read.q)) {
        stopChainAt(step.name, step.opType, `it reads x in ${otherQparams(step.x, read.q, 'it reads')}`);
        return;
      }
      const r = runChannelGather(step, read);
      if ('notRun' in r) {
        stopChainAt(step.name, step.opType, r.notRun);
        return;
      }
      carry({ name: step.name, y: step.x }, r);
    } else if (xq && betweenLayersMisread(step, xq, xqQparams!)) {
      // the invariant, for a step between layers: it reads the chain's integers in their own qparams, else the chain stops
      const { opType, reason } = betweenLayersMisread(step, xq, xqQparams!)!;
      stopChainAt(step.name, opType, reason);
    } else if (step.kind === 'requantize') {
      steps.push({ kind: 'requantize', name: step.name, from: step.from, to: step.to, relu: step.relu, ...idleUnless(xq) });
      if (xq) {
        ({ xq, xf } = requantizeChain(step, xq, xf));
        xqQparams = step.to;
        held = step.values?.output;
        chainGave(step.name, held);
      }
    } else if (step.kind === 'int_relu') {
      steps.push({ kind: 'int_relu', name: step.name, ...idleUnless(xq) });
      if (xq) {
        ({ xq, xf } = integerReluChain(xq, xf, xqQparams!));
        held = step.values?.output;
        chainGave(step.name, held);
      }
    } else if (step.kind === 'relu' || step.kind === 'stub_requantize') {
      // torch: a ReLU on the quantized tensor keeps its qparams; DeQuantStub -> QuantStub requantizes to the stub's
      steps.push({ kind: step.kind, name: step.name, ...idleUnless(xq) });
      if (xq) {
        if (step.kind === 'relu') {
          xq = quantizedRelu(xq, step.x.zeroPoint);
          xf = xf ? floatRelu(xf) : null;
        } else {
          const range = step.observer ?? { quantMin: DTYPE_RANGE[step.y.dtype].min, quantMax: DTYPE_RANGE[step.y.dtype].max };
          xq = stubRequantized(xq, step.x, step.y);
          xf = xf ? stubFakeQuantized(xf, step.y, range.quantMin, range.quantMax) : null;
          xqQparams = step.y;
        }
        chainGave(step.name, undefined);
      }
    } else if (step.kind === 'quantized_add') {
      // torch's residual add: both operands as this run gave them (the model's quantized input, or a step's output)
      const [a, b] = step.reads.map((r) => (r === null ? modelInput : stepOutputs.get(r)));
      const notRun = addNotRun(step, a, b);
      if (notRun) {
        stopChainAt(step.name, step.opType, notRun);
        return;
      }
      const r = runQuantizedAdd(step, a!, b!);
      carry(step, r);
    } else if (step.kind === 'quantized_mul') {
      // torch's mul (MobileNetV3's gate): both operands as this run gave them (the model's quantized input, or a step's output)
      const [a, b] = step.reads.map((r) => (r === null ? modelInput : stepOutputs.get(r)));
      const notRun = operandsNotRun(step, a, b);
      const r = notRun ? { notRun } : runQuantizedMul(step, a!, b!);
      if ('notRun' in r) {
        stopChainAt(step.name, step.opType, r.notRun);
        return;
      }
      carry(step, r);
    } else if (step.kind === 'hard_activation') {
      // torch's Hardswish / Hardsigmoid on the chain's integers (in their qparams: betweenLayersMisread checked)
      if (!xq) {
        steps.push(idleHardActivation(step));
        return;
      }
      const r = runHardActivation(step, xq, xf);
      if ('notRun' in r) {
        stopChainAt(step.name, step.opType, r.notRun);
        return;
      }
      carry(step, r);
    } else if (step.kind === 'quantized_cat') {
      // torch's concatenation of branches: every input as this run gave it (the model's quantized input, or a step's output)
      const inputs = step.reads.map((r) => (r === null ? modelInput : stepOutputs.get(r)));
      const notRun = catNotRun(step, inputs);
      if (notRun) {
        stopChainAt(step.name, step.opType, notRun);
        return;
      }
      let r: ReturnType<typeof runQuantizedCat>;
      try {
        r = runQuantizedCat(step, inputs as Carried[]);
      } catch (e) {
        // what the contract refuses here (shapes that do not concatenate, an empty input) torch refuses too
        if (!isQconformError(e)) throw e;
        stopChainAt(step.name, step.opType, `torch refuses it on the tensors this run gave it: ${e.message}`);
        return;
      }
      carry(step, r);
    } else if (step.kind === 'avg_pool2d') {
      // torch's avg_pool2d on the chain's integers, or (a pool branch) on another step's as this run gave them; qparams kept
      averageOf(step, idleAvgPool(step), (x) => runAvgPool(step, x));
    } else if (step.kind === 'adaptive_avg_pool2d') {
      // torch's adaptive average pool on the chain's integers, in the kernel their memory format picks; qparams kept
      averageOf(step, idleAdaptiveAvgPool(step), (x) => runAdaptiveAvgPool(step, x));
    } else if (step.kind === 'quantized_mean') {
      // torch's mean over H and W on the chain's integers, in the path their memory format picks; qparams kept
      averageOf(step, idleQuantizedMean(step), (x) => runQuantizedMean(step, x));
    } else {
      steps.push({ kind: 'not_modelled', name: step.name, opType: step.opType, reason: step.reason, ...(step.details ? { details: step.details } : {}) });
      firstLayer = false;
      xq = null;
      xf = null;
      xqQparams = null;
    }
  });
  return {
    format: EXPLAIN_FORMAT,
    model: { path: model.path, format: model.format, nativeScheme: model.nativeScheme, notes: model.notes },
    input: { origin: input.origin, description, shape: unreached ? null : input.tensor.shape },
    steps,
    fakeQuantPartsAt: partsAt,
  };
}
