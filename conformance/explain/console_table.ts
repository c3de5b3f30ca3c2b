/** The per-layer table `qconform explain` prints: one block per conv or linear layer, one line per other step. */
import type { Combination } from './layer_analysis.js';
import type { ConvLayerReport, ExplainResult, StepReport } from './explain_run.js';
import { qparamsText, requantizeOpType } from './qdq_steps.js';
import { valueRange } from './value_range.js';
import type { QuantizedAddReport } from './quantized_add_step.js';
import type { QuantizedMulReport } from './quantized_mul_step.js';
import type { HardActivationReport } from './hard_activation_step.js';
import type { QuantizedCatReport } from './quantized_cat_step.js';
import type { AvgPoolReport } from './avg_pool_step.js';
import type { AdaptiveAvgPoolReport } from './adaptive_avg_pool_step.js';
import { channelGatherText } from './channel_gather_step.js';
import { quantizedMeanText } from './quantized_mean_step.js';
import { numel } from '../../contract/tensor.js';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(8));

/** Combinations that ran and differ from the baseline, most differing first. */
export function differingCombinations(l: ConvLayerReport): Combination[] {
  return l.combinations.filter((c) => c.refused === null && c.differing > 0).sort((a, b) => b.differing - a.differing);
}

function causeText(c: Combination): string {
  return Object.entries(c.causes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function histText(h: Readonly<Record<string, number>>): string {
  return Object.entries(h)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([k, v]) => `${Number(k) > 0 ? '+' : ''}${k}:${v}`)
    .join(' ');
}

/** What a step explain carries on the integers does (max pool, flatten, requantization, ReLU): its console line and summary cell. */
export function carriedStepText(s: Exclude<StepReport, ConvLayerReport | { kind: 'not_modelled' }>): string {
  return `${carriedStepWhat(s)} ${carriedStepFate(s)}`;
}

/** Whether the chain's integers went through a carried step: "(carried exactly on the integers)", or why none did. */
export function carriedStepFate(s: Exclude<StepReport, ConvLayerReport | { kind: 'not_modelled' }>): string {
  return 'idle' in s && s.idle ? '(no integers reach it: the chain stopped before it)' : '(carried exactly on the integers)';
}

function carriedStepWhat(s: Exclude<StepReport, ConvLayerReport | { kind: 'not_modelled' }>): string {
  if (s.kind === 'requantize') return `${requantizeOpType(s.relu)}, ${qparamsText(s.from)} -> ${qparamsText(s.to)}`;
  if (s.kind === 'int_relu') return 'Relu on int8: max(q, 0)';
  if (s.kind === 'relu') return 'relu on the quantized tensor: max(q, zero point), qparams kept';
  if (s.kind === 'reshape') return `${s.opType} to ${s.target}${s.shape ? ` = [${s.shape.join(', ')}]` : ''}: the same values in row-major order`;
  if (s.kind === 'stub_requantize') return 'DeQuantStub -> QuantStub: quantize_per_tensor(dequantize(q)) in the stub\'s qparams';
  if (s.kind === 'quantized_add') return quantizedAddText(s);
  if (s.kind === 'quantized_mul') return quantizedMulText(s);
  if (s.kind === 'hard_activation') return hardActivationText(s);
  if (s.kind === 'quantized_cat') return quantizedCatText(s);
  if (s.kind === 'adaptive_avg_pool2d') return adaptivePoolText(s);
  if (s.kind === 'avg_pool2d') return avgPoolText(s);
  if (s.kind === 'channel_gather') return channelGatherText(s);
  if (s.kind === 'quantized_mean') return quantizedMeanText(s);
  return s.kind;
}

/** A torch avg_pool2d: the kernel the tensor's layout picked, and what the other kernel and other capabilities would change. */
function avgPoolText(s: AvgPoolReport): string {
  const what = `${s.opType} on the quantized tensor (qparams kept)${s.otherBranch ? ` (${s.otherBranch})` : ''}`;
  if (!s.ran) return what;
  const r = s.ran;
  if (r.kernel === 'qnnpack') {
    const aten = r.atenDiffering === null || r.atenDiffering === undefined ? "the tensor's layout is unknown, so ATen's answer is not computed" : `outputs ATen's kernel (the fbgemm, onednn and x86 engines', ATen ${s.cpuCapability}) gives otherwise: ${r.atenDiffering}`;
    return `${what}, [${r.inputShape.join('x')}] -> [${r.outputShape.join('x')}]: the qnnpack engine: QNNPACK's average pool (every window divided by the whole kernel); ${aten}`;
  }
  const other = r.otherLayoutDiffering === null ? 'torch runs the same kernel in either layout here' : `outputs the ${r.kernel === 'nhwc' ? 'NCHW' : 'NHWC'} kernel changes: ${r.otherLayoutDiffering}`;
  const elsewhere = r.elsewhere.map((e) => `${e.cpuCapability} ${e.differing}`).join(', ');
  return `${what}, [${r.inputShape.join('x')}] -> [${r.outputShape.join('x')}]: torch's ${r.kernel.toUpperCase()} kernel (the tensor is ${s.memoryFormat}; ATen ${s.cpuCapability}); ${other}; outputs another capability changes: ${elsewhere}`;
}

/** A torch adaptive average pool: which of torch's kernels the tensor's layout picked, and what the other would change. */
function adaptivePoolText(s: AdaptiveAvgPoolReport): string {
  const what = `${s.opType} on the quantized tensor (qparams kept)`;
  if (!s.ran) return what;
  if (s.ran.kernel === 'qnnpack') return `${what}, [${s.ran.inputShape.join('x')}] -> [${s.ran.outputShape.join('x')}]: the qnnpack engine: QNNPACK's average pool (windows of input / output); outputs ATen's kernel (the fbgemm, onednn and x86 engines') gives otherwise: ${s.ran.atenDiffering}`;
  const other = s.ran.otherLayoutDiffering === null ? 'torch runs the same kernel in either layout here' : `outputs the ${s.ran.kernel === 'nhwc' ? 'NCHW' : 'NHWC'} kernel (a ${s.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last'} tensor) changes: ${s.ran.otherLayoutDiffering}`;
  return `${what}, [${s.ran.inputShape.join('x')}] -> [${s.ran.outputShape.join('x')}]: torch's ${s.ran.kernel.toUpperCase()} kernel (the tensor is ${s.memoryFormat}); ${other}`;
}

/** A torch quantized add: what it adds, where torch's two forms fell here, and how many outputs another CPU path changes. */
/** A torch quantized cat: torch's path, each input's requantization, and what another capability would change. */
function quantizedCatText(s: QuantizedCatReport): string {
  const how = s.inputs.map((i) => `${i.reads} (${qparamsText(i.x)}): ${i.form.kind === 'copied' ? 'copied' : i.form.kind === 'generic' ? 'scalar form' : `${i.form.vectorChannels} of ${i.channels} channels in the vector form`}`).join('; ');
  const elsewhere = s.elsewhere.map((e) => `${e.cpuCapability} ${e.differing}`).join(', ');
  const path = s.path === 'nhwc' ? "qcat_nhwc_kernel (dim 1 on channels_last tensors)" : 'the generic path (dequantize, cat, quantize_per_tensor)';
  return `quantized::cat on dim ${s.dim} -> ${qparamsText(s.y)}, [${s.shape.join('x')}]; torch's ATen ${s.cpuCapability}, ${path}: ${how}; outputs another capability changes: ${elsewhere}`;
}

/** Another capability's or one thread's changed outputs, as the add's, mul's and activations' lines list them. */
function elsewhereText(elsewhere: ReadonlyArray<{ cpuCapability: string; threads: number; differing: number }>, threads: number): string {
  return elsewhere.map((e) => `${e.cpuCapability}${e.threads !== threads ? ` on ${e.threads} thread` : ''} ${e.differing}`).join(', ');
}

/** A torch quantized mul: what it multiplies, where qmul_kernel's forms fell, and what another path would change. */
function quantizedMulText(s: QuantizedMulReport): string {
  const what = `quantized::${s.relu ? 'mul_relu' : 'mul'} of ${s.reads[0]} and ${s.reads[1]} -> ${qparamsText(s.y)}, [${s.shape.join('x')}]; torch's ATen ${s.cpuCapability}, ${s.threads} thread${s.threads === 1 ? '' : 's'}, ${s.memoryFormat}`;
  if (s.broadcast) return `${what}: a broadcast, on which qmul_kernel's two forms agree for every element here (no capability changes an output)`;
  return `${what}: ${s.vectorElements} of ${numel(s.shape)} elements in qmul_kernel's vector form, the rest scalar; outputs another path changes: ${elsewhereText(s.elsewhere, s.threads)}`;
}

/** A torch Hardswish / Hardsigmoid: its output qparams, where the kernel's forms fell, and what another path would change. */
function hardActivationText(s: HardActivationReport): string {
  const what = `${s.opType} on the quantized tensor -> ${qparamsText(s.y)}${s.fn === 'hardsigmoid' ? " (hardsigmoid's fixed qparams)" : ''}`;
  if (!s.ran) return what;
  if (s.kernel === 'qnnpack') {
    const aten = s.ran.elsewhere.length === 0 ? "the tensor's layout is unknown, so ATen's answer is not computed" : `outputs ATen's kernel (the fbgemm, onednn and x86 engines', ATen ${s.cpuCapability}) gives otherwise: ${s.ran.elsewhere[0]!.differing}`;
    return `${what}, [${s.ran.shape.join('x')}]; the qnnpack engine: QNNPACK's ${s.fn} table (reciprocal times value plus zero point, rounded once); ${aten}`;
  }
  return `${what}, [${s.ran.shape.join('x')}]; torch's ATen ${s.cpuCapability}, ${s.threads} thread${s.threads === 1 ? '' : 's'}, ${s.memoryFormat}: ${s.ran.vectorElements} of ${numel(s.ran.shape)} elements in the kernel's vector form, the rest scalar; outputs another path changes: ${elsewhereText(s.ran.elsewhere, s.threads)}`;
}

function quantizedAddText(s: QuantizedAddReport): string {
  if (s.kernel !== 'qadd_kernel') {
    const aten = s.elsewhere.length === 0 ? "the operands' memory format is unknown, so qadd_kernel's answer is not computed" : `outputs qadd_kernel (the fbgemm, onednn and x86 engines' add, ATen ${s.cpuCapability}) gives otherwise: ${s.elsewhere[0]!.differing}`;
    const wide = s.wideShift ? "; both scale ratios are below 2^-10, so QNNPACK shifts by 32 or more and its outputs are x86's garbage, not the rounded sums" : '';
    const kernel = s.kernel === 'qnnpack' ? "QNNPACK's add (integer multipliers, halves away from zero)" : "XNNPACK's qs8 add (integer multipliers, halves toward +inf)";
    return `quantized::${s.relu ? 'add_relu' : 'add'} of ${s.reads[0]} and ${s.reads[1]} -> ${qparamsText(s.y)}; the qnnpack engine: ${kernel}; ${aten}${wide}`;
  }
  const elsewhere = elsewhereText(s.elsewhere, s.threads);
  const total = numel(s.shape);
  return `quantized::${s.relu ? 'add_relu' : 'add'} of ${s.reads[0]} and ${s.reads[1]} -> ${qparamsText(s.y)}; torch's ATen ${s.cpuCapability}, ${s.threads} thread${s.threads === 1 ? '' : 's'}, ${s.memoryFormat}: ${s.vectorElements} of ${total} elements in qadd_kernel's vector form, the rest scalar; outputs another path changes: ${elsewhere}`;
}

function convBlock(l: ConvLayerReport): string[] {
  const s = l.stored;
  const ran = l.combinations.filter((c) => c.refused === null);
  const same = ran.filter((c) => c.differing === 0).length;
  const diff = differingCombinations(l);
  const w = s.weight;
  const lines = [
    `${l.name}  ${l.source}  w[${l.geometry.weightShape.join('x')}]${l.geometry.linear ? ' (a 1x1 conv over the rows)' : ` groups ${l.geometry.groups}`}${l.geometry.relu ? ' relu' : ''}  in [${l.geometry.inputShape.join('x')}]${l.inputOrigin === 'generated' ? ` (GENERATED input: ${l.generatedBecause ?? 'the chain stopped before'})` : l.otherBranch ? ` (${l.otherBranch})` : ''}`,
    `  stored     x: scale ${fmt(s.x.scale)} zp ${s.x.zeroPoint} ${s.x.dtype} | y: scale ${fmt(s.y.scale)} zp ${s.y.zeroPoint} ${s.y.dtype} | w: ${w.quantization} scale ${w.scales.length === 1 ? fmt(w.scales[0]!) : `${w.scales.length} values ${valueRange(w.scales).map(fmt).join('..')}`} zp ${w.zeroPoints.length === 1 ? w.zeroPoints[0] : `[${[...new Set(w.zeroPoints)].join(',')}]`}, ints in [${w.min}, ${w.max}] | bias ${s.bias ? `${s.bias.kind} x${s.bias.count}` : 'none'}`,
    `  clamp      kernel [${l.clamp.kernel.join(', ')}]  qconfig [${l.clamp.qconfig.quantMin}, ${l.clamp.qconfig.quantMax}] (${l.clamp.qconfig.from}); outputs at ${l.clamp.kernel[0]}: ${l.clamp.atLow}, at ${l.clamp.kernel[1]}: ${l.clamp.atHigh}, above quant_max: ${l.clamp.aboveQuantMax}`,
  ];
  if (l.observer) lines.push(`  observer   ${l.observer.fate}`);
  if (l.weightObserver) lines.push(`  w observer ${l.weightObserver.observer} ${l.weightObserver.qscheme}: ${l.weightObserver.fate}`);
  const native = l.requantization.find((r) => l.baseline.startsWith(r.scheme));
  if (native) lines.push(`  requant    ${native.scheme}: ${Object.entries(native.params).map(([k, v]) => `${k} = ${v}`).join(', ')}  (all ${l.requantization.length} schemes: --html / --json)`);
  // the schemes whose requantization refuses this layer's parameters, each with its typed reason (never left out silently)
  for (const r of l.requantization) if (r.refusal !== null) lines.push(`  refuses    ${r.scheme}: ${r.refusal}`);
  const refusedRuns = l.combinations.length - ran.length;
  lines.push(`  schemes    baseline ${l.baseline}; ${ran.length} other scheme x accumulator runs: ${same} identical, ${diff.length} differ${refusedRuns ? `; ${refusedRuns} refused (--html / --json)` : ''}`);
  // one line per scheme and outcome: accumulators that change nothing on this input share the line
  const rows = new Map<string, { c: Combination; accumulators: string[] }>();
  for (const c of diff) {
    const key = `${c.scheme}|${JSON.stringify(c.histogram)}|${JSON.stringify(c.causes)}`;
    const row = rows.get(key);
    if (row) row.accumulators.push(c.accumulator);
    else rows.set(key, { c, accumulators: [c.accumulator] });
  }
  const grouped = [...rows.values()];
  for (const { c, accumulators } of grouped.slice(0, 8)) {
    lines.push(`    ${c.scheme} x ${accumulators.join(', ')}`);
    lines.push(`      ${c.differing}/${c.total} differ  k: ${histText(c.histogram)}  cause: ${causeText(c)}${c.unclassified ? ` (+${c.unclassified} unclassified)` : ''}`);
  }
  if (grouped.length > 8) lines.push(`    ... ${grouped.length - 8} more (--html / --json)`);
  const fq = l.fakeQuant;
  lines.push(`  fake-quant ${fq.differing}/${fq.total} differ from the converted layer on the same input (clamp range ${fq.clampRange}, float rounding ${fq.floatRounding})${fq.chainedDiffering !== null ? `; ${fq.chainedDiffering} along the fake-quant model's own chain` : ''}`);
  return lines;
}

export function consoleTable(r: ExplainResult): string {
  const lines = [
    `model ${r.model.path} (${r.model.format}); the converted model runs ${r.model.nativeScheme}`,
    ...r.model.notes.map((n) => `  ${n}`),
    `input ${r.input.description}`,
    '',
  ];
  for (const s of r.steps) {
    if (s.kind === 'conv2d') lines.push(...convBlock(s), '');
    else if (s.kind === 'not_modelled') lines.push(`${s.name}  ${s.opType}: NOT MODELLED (${s.reason})`, '');
    else lines.push(`${s.name}  ${carriedStepText(s)}`, '');
  }
  lines.push(
    r.fakeQuantPartsAt
      ? `The fake-quant model and the converted model first part at ${r.fakeQuantPartsAt.layer}: ${r.fakeQuantPartsAt.differing} of ${r.fakeQuantPartsAt.total} outputs differ.`
      : 'The fake-quant model and the converted model agree on every modelled layer of this input.',
  );
  return lines.join('\n');
}
