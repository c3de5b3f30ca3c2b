import type { WireRequest } from '../protocol/messages.js';
import type { OnnxQOpName } from '../../contract/onnx_qops.js';
import type { ConvOpName } from '../../contract/conv.js';
import type { OpName } from '../../contract/ops.js';
import type { RequantizeOpName } from '../../contract/requantize.js';
import type { LinearOpName } from '../../contract/linear.js';
import type { OnnxQuantOpName } from '../../contract/onnx_quant.js';
import { torchConvCase } from './conv_cases.js';
import type { CaseFactory } from './builders.js';
import { fakeQuantizePerChannelCase, fakeQuantizePerTensorCase } from './fake_quantize_cases.js';
import { histogramObserverCase } from './histogram_cases.js';
import {
  fixedQparamsObserverCase,
  minMaxObserverCase,
  movingAverageMinMaxObserverCase,
  movingAveragePerChannelMinMaxObserverCase,
  perChannelMinMaxObserverCase,
  placeholderObserverCase,
} from './observer_cases.js';
import { qparamsCase, qrangeCase } from './qparams_cases.js';
import {
  dequantizePerChannelCase,
  dequantizePerChannelFloatQparamsCase,
  dequantizePerTensorCase,
  quantizePerChannelCase,
  quantizePerChannelFloatQparamsCase,
  quantizePerTensorCase,
} from './quantize_cases.js';
import { CaseRandom } from './random.js';

/** Bump when any generator changes what it draws: vectors record it, and check refuses a mismatch. */
export const GENERATOR_VERSION = 2;
export const DEFAULT_SEED = 'qconform-torch-1.13-v1';

/** Every op's generator and how many cases the golden vectors hold for it. */
export const CATALOG: ReadonlyArray<{ op: OpName | ConvOpName; count: number; factory: CaseFactory }> = [
  { op: 'calculate_qmin_qmax@1', count: 300, factory: qrangeCase },
  { op: 'calculate_qparams@1', count: 1500, factory: qparamsCase },
  { op: 'quantize_per_tensor@1', count: 1200, factory: quantizePerTensorCase },
  { op: 'quantize_per_channel@1', count: 500, factory: quantizePerChannelCase },
  { op: 'dequantize_per_tensor@1', count: 500, factory: dequantizePerTensorCase },
  { op: 'dequantize_per_channel@1', count: 400, factory: dequantizePerChannelCase },
  { op: 'quantize_per_channel_float_qparams@1', count: 300, factory: quantizePerChannelFloatQparamsCase },
  { op: 'dequantize_per_channel_float_qparams@1', count: 300, factory: dequantizePerChannelFloatQparamsCase },
  { op: 'fake_quantize_per_tensor_affine@1', count: 600, factory: fakeQuantizePerTensorCase },
  { op: 'fake_quantize_per_channel_affine@1', count: 300, factory: fakeQuantizePerChannelCase },
  { op: 'min_max_observer@1', count: 600, factory: minMaxObserverCase },
  { op: 'moving_average_min_max_observer@1', count: 500, factory: movingAverageMinMaxObserverCase },
  { op: 'per_channel_min_max_observer@1', count: 500, factory: perChannelMinMaxObserverCase },
  { op: 'moving_average_per_channel_min_max_observer@1', count: 400, factory: movingAveragePerChannelMinMaxObserverCase },
  { op: 'fixed_qparams_observer@1', count: 40, factory: fixedQparamsObserverCase },
  { op: 'placeholder_observer@1', count: 10, factory: placeholderObserverCase },
  { op: 'histogram_observer@1', count: 1250, factory: histogramObserverCase },
  { op: 'quantized_conv2d@1', count: 2400, factory: torchConvCase },
];

/** The file stem of an op's vectors: "quantize_per_tensor@1" -> "quantize_per_tensor.v1". */
export function vectorFileStem(op: string): string {
  return op.replace('@', '.v');
}

/** Deterministic requests for one op: each op draws from its own stream `${seed}/${op}`. */
export function generateRequests(op: OpName | ConvOpName | RequantizeOpName | LinearOpName | OnnxQuantOpName | OnnxQOpName, count: number, factory: CaseFactory, seed: string): WireRequest[] {
  const r = new CaseRandom(`${seed}/${op}`);
  const stem = op.split('@')[0];
  return Array.from({ length: count }, (_, i) => ({ id: `${stem}-${String(i).padStart(5, '0')}`, ...factory(r, i) }));
}
