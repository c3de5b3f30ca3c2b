/**
 * explain's run of a torch quantized cat (model_types.ts QuantizedCatStep): impl's quantized_cat@1 on the integers this
 * run gave the tensors it reads, in the ATen capability of the torch that read the model and their memory formats
 * (catRequestFormat); beside it the fake-quant simulation's float concatenation fake-quantized to the output qparams. The report says
 * which path torch takes, how each input is requantized (copied, or how many of its channels the vector form computes)
 * and how many outputs another capability would change: where a model's branch concatenations part between machines.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat, isChannelsLastContiguous } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedCatAttrs } from '../../contract/quantized_cat.js';
import { type CatInputForm, checkQuantizedCat } from '../../contract/quantized_cat_checks.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { ActivationQparams, QuantizedCatStep } from './model_types.js';
import { qparamsText, sameQparams } from './qdq_steps.js';
import type { AddOperand } from './quantized_add_step.js';
import { stubFakeQuantized } from './stub_requantize.js';

export interface QuantizedCatReport {
  readonly kind: 'quantized_cat';
  readonly name: string;
  readonly y: ActivationQparams;
  readonly dim: number;
  readonly shape: readonly number[];
  readonly cpuCapability: AtenCpuCapability;
  /** the request's memory format (catRequestFormat), and each input's */
  readonly memoryFormat: MemoryFormat;
  readonly inputFormats: readonly MemoryFormat[];
  /** torch's path: qcat_nhwc_kernel, or dequantize, at::cat and quantize_per_tensor */
  readonly path: 'nhwc' | 'generic';
  /** per input: what it is, its qparams and how it is requantized */
  readonly inputs: ReadonlyArray<{ readonly reads: string; readonly x: ActivationQparams; readonly form: CatInputForm; readonly channels: number }>;
  /** outputs that differ from this run's under each other capability */
  readonly elsewhere: ReadonlyArray<{ readonly cpuCapability: AtenCpuCapability; readonly differing: number }>;
}

const inputName = (r: string | null): string => r ?? "the model's input";

/** Why the cat cannot run on these inputs (no integers of one, other qparams), else null. */
export function catNotRun(step: QuantizedCatStep, inputs: ReadonlyArray<AddOperand | undefined>): string | null {
  for (const [k, o] of inputs.entries()) {
    const read = inputName(step.reads[k]!);
    if (!o) return `this run has no integers of ${read}, input ${k + 1}`;
    if (o.q && !sameQparams(o.q, step.x[k]!)) return `it reads ${read} in ${qparamsText(step.x[k]!)}, not in the qparams of the integers this run gave it (${qparamsText(o.q)})`;
  }
  return null;
}

/** torch.cat of the fake-quant chain's floats along dim (row-major slabs). */
function floatCat(xs: readonly F32Tensor[], dim: number): F32Tensor {
  const first = xs[0]!.shape;
  const outer = first.slice(0, dim).reduce((p, d) => p * d, 1);
  const slabs = xs.map((x) => x.data.length / outer);
  const out = new Float32Array(slabs.reduce((s, n) => s + n, 0) * outer);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    xs.forEach((x, k) => {
      out.set(x.data.subarray(o * slabs[k]!, (o + 1) * slabs[k]!), at);
      at += slabs[k]!;
    });
  }
  const shape = [...first];
  shape[dim] = xs.reduce((s, x) => s + x.shape[dim]!, 0);
  return f32Tensor(shape, out);
}

/**
 * quantized_cat@1 takes one memory format for every input. For inputs of their own formats, the one that gives torch's
 * path: torch takes qcat_nhwc_kernel when every input is channels-last contiguous (is_cat_nhwc_fast_path; a contiguous
 * input is too when C = 1 or H = W = 1), so the request is channels_last then; else it is contiguous, and the input
 * that is not channels-last contiguous, a contiguous one, sends the contract to the generic path as it sends torch.
 * (The generic path dequantizes, concatenates and quantizes element by element: no memory format changes its values.)
 */
export function catRequestFormat(formats: readonly MemoryFormat[], shapes: readonly (readonly number[])[]): MemoryFormat {
  return shapes.every((shape, k) => isChannelsLastContiguous(shape, formats[k]!)) ? 'channels_last' : 'contiguous';
}

/** The cat on the inputs' integers (catNotRun gave null; the contract refuses what torch would), the chain's floats, and the report. */
export function runQuantizedCat(step: QuantizedCatStep, inputs: readonly AddOperand[]): { xq: IntTensor; xf: F32Tensor | null; report: QuantizedCatReport } {
  const catInputs = inputs.map((o, k) => ({ x: o.xq, scale: step.x[k]!.scale, zeroPoint: step.x[k]!.zeroPoint }));
  const memoryFormat = catRequestFormat(step.inputFormats, inputs.map((o) => o.xq.shape));
  const attrs = (cpuCapability: AtenCpuCapability): QuantizedCatAttrs => ({ scale: step.y.scale, zeroPoint: step.y.zeroPoint, dim: step.dim, relu: false, cpuCapability, memoryFormat });
  const g = checkQuantizedCat(catInputs, attrs(step.cpuCapability));
  const xq = impl.quantizedCat(catInputs, attrs(step.cpuCapability));
  const elsewhere = ATEN_CPU_CAPABILITIES.filter((c) => c !== step.cpuCapability).map((cpuCapability) => {
    const other = impl.quantizedCat(catInputs, attrs(cpuCapability)).data;
    return { cpuCapability, differing: xq.data.filter((v, i) => v !== other[i]).length };
  });
  const { min, max } = DTYPE_RANGE[step.y.dtype];
  const floats = inputs.map((o) => o.xf);
  const xf = floats.every((f): f is F32Tensor => f !== null) ? stubFakeQuantized(floatCat(floats, g.dim), step.y, min, max) : null;
  return {
    xq,
    xf,
    report: {
      kind: 'quantized_cat',
      name: step.name,
      y: step.y,
      dim: step.dim,
      shape: xq.shape,
      cpuCapability: step.cpuCapability,
      memoryFormat,
      inputFormats: step.inputFormats,
      path: g.forms.some((f) => f.kind === 'generic') ? 'generic' : 'nhwc',
      inputs: inputs.map((o, k) => ({ reads: inputName(step.reads[k]!), x: step.x[k]!, form: g.forms[k]!, channels: o.xq.shape[1] ?? 0 })),
      elsewhere,
    },
  };
}
