/**
 * A torch model's quantized mul (model_types.ts QuantizedMulStep): a QFunctional's mul or mul_relu (MobileNetV3's
 * squeeze-excitation gate: its [N, C, 1, 1] scale times the block's tensor), or the quantized::mul(_relu) op of an FX
 * model, as explain reads it (torch_model.ts) and runs it on the integers of the two tensors it reads: impl's
 * quantized_mul@1 (ATen's qmul_kernel) in the ATen capability, thread count and memory format of the torch that read
 * the model. The report counts the elements each of the kernel's forms computed (operands of one shape) and how many
 * outputs another capability (or one thread) would change; beside it the fake-quant simulation's float product,
 * fake-quantized to the output qparams.
 *
 * Not modelled (the chain stops): a qint8 mul torch runs in XNNPACK (output zero point below 127), operands of unknown
 * or different memory formats, a broadcast whose elements the kernel's two forms would give differently. Whether this
 * run has both operands' integers in their qparams: quantized_add_step.ts operandsNotRun.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat, vectorFormMask } from '../../contract/aten_vectorized_loop.js';
import { broadcastIndex } from '../../contract/broadcast.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { isQconformError } from '../../contract/errors.js';
import { QINT8_QMUL_KERNEL_ZERO_POINT } from '../../contract/quantized_mul.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { QuantizedMulStep } from './model_types.js';
import { qparamsText } from './qdq_steps.js';
import { type AddOperand, type TorchBinaryReport, operandName } from './quantized_add_step.js';
import { type AddOperandState, type ForwardStep, quantizedMethodOf } from './torch_add_step.js';
import { stubFakeQuantized } from './stub_requantize.js';
import { type ElsewhereCount, atenElsewhere } from './aten_elsewhere.js';

export interface QuantizedMulReport extends TorchBinaryReport {
  readonly kind: 'quantized_mul';
  readonly memoryFormat: MemoryFormat;
  /** the operands broadcast: torch's split of the loop is not modelled, and both forms gave every element alike */
  readonly broadcast: boolean;
  /** elements qmul_kernel's vector lambda computed here, the rest its scalar lambda (null for a broadcast) */
  readonly vectorElements: number | null;
  /** outputs that differ from this run's under each other capability, and on one thread (when threads > 1); none for a broadcast */
  readonly elsewhere: readonly ElsewhereCount[];
}

/** Which mul a module or op is: QFunctional.mul / mul_relu, or the quantized::mul(_relu) op convert_fx writes. */
export const mulMethodOf = (m: ForwardStep): 'mul' | 'mul_relu' | null => quantizedMethodOf(m, ['mul', 'mul_relu'] as const);

export function torchMulStep(
  name: string,
  opType: string,
  method: 'mul' | 'mul_relu',
  operands: readonly AddOperandState[],
  y: { scale: number; zeroPoint: number },
  torch: { capability: string | undefined; threads: number | undefined },
): QuantizedMulStep | { notModelled: string } {
  const capability = ATEN_CPU_CAPABILITIES.find((c) => c === torch.capability);
  if (!capability || torch.threads === undefined) return { notModelled: `the torch that read the model reports ATen capability ${String(torch.capability)}, which decides where qmul_kernel's two forms fall; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  if (operands.length !== 2) return { notModelled: `it reads ${operands.length} tensors` };
  const [a, b] = operands as [AddOperandState, AddOperandState];
  for (const [k, o] of [a, b].entries()) {
    if (!o.q) return { notModelled: `operand ${k + 1} (${o.read ?? "the model's input"}) is not a quantized tensor of known scale and zero point` };
  }
  const dtype = a.q!.dtype;
  if (dtype !== b.q!.dtype) return { notModelled: `its operands are ${dtype} and ${b.q!.dtype} (torch: "Mul operands should have same data type")` };
  if (dtype === 'qint8' && y.zeroPoint < QINT8_QMUL_KERNEL_ZERO_POINT) return { notModelled: `torch 1.13 multiplies qint8 with an output zero point below ${QINT8_QMUL_KERNEL_ZERO_POINT} in XNNPACK, which qconform does not model` };
  if (!a.format || a.format !== b.format) return { notModelled: `its operands' memory formats (${a.format ?? 'unknown'}, ${b.format ?? 'unknown'}) are not one known format: where qmul_kernel's two forms fall is modelled for operands of one format (in ${qparamsText(a.q!)})` };
  return { kind: 'quantized_mul', name, opType, reads: [a.read, b.read], x: [a.q!, b.q!], y: { ...y, dtype }, relu: method === 'mul_relu', cpuCapability: capability, threads: torch.threads, memoryFormat: a.format };
}


/** The fake-quant model's float product (broadcast as torch broadcasts), ReLU. */
function floatMul(a: F32Tensor, b: F32Tensor, shape: readonly number[], relu: boolean): F32Tensor {
  const [ai, bi] = [broadcastIndex(a.shape, shape), broadcastIndex(b.shape, shape)];
  return f32Tensor(shape, Float32Array.from(ai, (k, i) => {
    const c = Math.fround((a.data[k] as number) * (b.data[bi[i]!] as number));
    return relu && c < 0 ? 0 : c;
  }));
}

/** The mul on the operands' integers (mulNotRun gave null), the chain's floats and the report; or why torch's answer is not known here. */
export function runQuantizedMul(step: QuantizedMulStep, a: AddOperand, b: AddOperand): { xq: IntTensor; xf: F32Tensor | null; report: QuantizedMulReport } | { notRun: string } {
  const at = (cpuCapability: AtenCpuCapability, threads: number) =>
    impl.quantizedMul(a.xq, b.xq, { aScale: step.x[0].scale, aZeroPoint: step.x[0].zeroPoint, bScale: step.x[1].scale, bZeroPoint: step.x[1].zeroPoint, scale: step.y.scale, zeroPoint: step.y.zeroPoint, relu: step.relu, cpuCapability, memoryFormat: step.memoryFormat, threads });
  let xq: IntTensor;
  try {
    xq = at(step.cpuCapability, step.threads);
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return { notRun: `qconform does not know torch's answer on the tensors this run gave it: ${e.message}` };
  }
  const broadcast = a.xq.shape.join('x') !== b.xq.shape.join('x');
  const elsewhere = broadcast ? [] : atenElsewhere(xq.data, step.cpuCapability, step.threads, (c, t) => at(c, t).data);
  const vectorElements = broadcast ? null : vectorFormMask(xq.shape, step.memoryFormat, step.cpuCapability, step.threads, 1, 'own').reduce((s, v) => s + v, 0);
  const { min, max } = DTYPE_RANGE[step.y.dtype];
  return {
    xq,
    xf: a.xf && b.xf ? stubFakeQuantized(floatMul(a.xf, b.xf, xq.shape, step.relu), step.y, min, max) : null,
    report: { kind: 'quantized_mul', name: step.name, reads: [operandName(step.reads[0]), operandName(step.reads[1])], relu: step.relu, y: step.y, shape: xq.shape, cpuCapability: step.cpuCapability, threads: step.threads, memoryFormat: step.memoryFormat, broadcast, vectorElements, elsewhere },
  };
}
