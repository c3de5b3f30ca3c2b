/**
 * Reads a quantized PyTorch 1.13 TorchScript model (saved from a converted eager model) through the torch
 * adapter conformance/backends/torch/python/explain_ops.py, run by /usr/bin/python3 (Debian python3-torch):
 * torch itself unpacks the packed params, so the weights, scales and zero points are torch's own.
 * Modules come in definition order (named_modules), which is the data order of a sequential model.
 * `observers` is an optional torch.save of explain_ops.observer_state(prepared_model).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertQuantDtype } from '../../contract/dtypes.js';
import type { Pair } from '../../contract/conv.js';
import { type ConvLayer, type ExplainModel, type ModelStep, ModelReadError, type ObserverState } from './model_types.js';

export const TORCH_PYTHON = '/usr/bin/python3';
export const EXPLAIN_OPS_PY = join(dirname(fileURLToPath(import.meta.url)), '..', 'backends', 'torch', 'python', 'explain_ops.py');

interface PyObserver {
  observer: string;
  dtype: string;
  qscheme: string;
  reduce_range: boolean;
  quant_min: number;
  quant_max: number;
  min_val: number[];
  max_val: number[];
  histogram?: number[];
}
interface PyWeight {
  dtype: string;
  shape: number[];
  values?: number[];
  qscheme: string;
  scales: number[];
  zero_points: number[];
  axis: number | null;
}
interface PyModule {
  name: string;
  kind: 'conv2d' | 'linear' | 'quantize' | 'maxpool2d' | 'other';
  type: string;
  relu?: boolean;
  weight?: PyWeight;
  bias?: number[] | null;
  scale?: number;
  zero_point?: number;
  dtype?: string;
  stride?: number[];
  padding?: number[];
  dilation?: number[];
  kernel?: number[];
  groups?: number;
  padding_mode?: string;
  ceil_mode?: boolean;
}
interface PyModel {
  format: string;
  torch: string;
  engine: string;
  modules: PyModule[];
  observers: Record<string, { activation?: PyObserver; weight?: PyObserver }> | null;
}

const pair = (v: number[] | undefined): Pair => [v?.[0] ?? 0, v?.[1] ?? 0];

function observerState(o: PyObserver | undefined): ObserverState | undefined {
  if (!o) return undefined;
  return {
    observer: o.observer,
    dtype: o.dtype,
    qscheme: o.qscheme,
    reduceRange: o.reduce_range,
    quantMin: o.quant_min,
    quantMax: o.quant_max,
    minVal: o.min_val,
    maxVal: o.max_val,
    ...(o.histogram ? { histogram: o.histogram } : {}),
  };
}

function convLayer(m: PyModule, x: ConvLayer['x'], observers: PyModel['observers']): ConvLayer | ModelStep {
  const w = m.weight!;
  if (w.dtype !== 'qint8' || !w.values) return { kind: 'not_modelled', name: m.name, opType: m.type, reason: `${w.dtype} weights are not modelled (qint8 only)` };
  if (m.padding_mode && m.padding_mode !== 'zeros') return { kind: 'not_modelled', name: m.name, opType: m.type, reason: `padding_mode ${m.padding_mode} is not modelled` };
  if (w.qscheme.includes('float_qparams')) return { kind: 'not_modelled', name: m.name, opType: m.type, reason: 'float-qparams weights are not modelled' };
  const obs = observers?.[m.name];
  const activationObserver = observerState(obs?.activation);
  const weightObserver = observerState(obs?.weight);
  return {
    kind: 'conv2d',
    name: m.name,
    source: `torch Quantized${m.type}`,
    x,
    y: { scale: m.scale!, zeroPoint: m.zero_point!, dtype: x.dtype },
    weightShape: w.shape,
    weight: Int32Array.from(w.values),
    weightQuantization: w.qscheme.startsWith('per_channel') ? 'per_channel' : 'per_tensor',
    weightScales: w.scales,
    weightZeroPoints: w.zero_points,
    bias: m.bias ? { kind: 'float32', values: m.bias.map(Math.fround) } : null,
    stride: pair(m.stride),
    padding: pair(m.padding),
    dilation: pair(m.dilation),
    groups: m.groups ?? 1,
    relu: m.relu ?? false,
    ...(activationObserver ? { activationObserver } : {}),
    ...(weightObserver ? { weightObserver } : {}),
  };
}

/** The chain of steps: each conv's input qparams are the output qparams of the quantized step before it. */
export function torchSteps(py: PyModel): { input: ExplainModel['input']; steps: ModelStep[] } {
  const steps: ModelStep[] = [];
  let input: ExplainModel['input'] = null;
  let current: ConvLayer['x'] | null = null;
  for (const m of py.modules) {
    if (m.kind === 'quantize') {
      current = { scale: m.scale!, zeroPoint: m.zero_point!, dtype: assertQuantDtype('Quantize dtype', m.dtype) };
      input ??= current;
    } else if (m.kind === 'conv2d') {
      if (!current) {
        steps.push({ kind: 'not_modelled', name: m.name, opType: m.type, reason: 'no Quantize stub or quantized layer before it: its input qparams are unknown' });
        continue;
      }
      const step = convLayer(m, current, py.observers);
      steps.push(step);
      current = step.kind === 'conv2d' ? step.y : { scale: m.scale!, zeroPoint: m.zero_point!, dtype: current.dtype };
    } else if (m.kind === 'maxpool2d') {
      if (m.ceil_mode) steps.push({ kind: 'not_modelled', name: m.name, opType: 'MaxPool2d', reason: 'ceil_mode is not modelled' });
      else steps.push({ kind: 'maxpool2d', name: m.name, kernel: pair(m.kernel), stride: pair(m.stride), padding: pair(m.padding), dilation: pair(m.dilation) });
    } else if (m.kind === 'linear') {
      const w = m.weight!;
      steps.push({
        kind: 'not_modelled',
        name: m.name,
        opType: `Quantized${m.type}`,
        reason: 'linear layers are not modelled by qconform (conv2d only)',
        details: { weight_shape: w.shape, weight_qscheme: w.qscheme, weight_scales: w.scales, weight_zero_points: w.zero_points, y: { scale: m.scale, zeroPoint: m.zero_point }, bias: m.bias ? `${m.bias.length} float32 values` : null },
      });
      current = current && m.scale !== undefined ? { scale: m.scale, zeroPoint: m.zero_point!, dtype: current.dtype } : current;
    } else if (!['Identity', 'DeQuantize', 'ReLU', 'Dropout'].includes(m.type)) {
      steps.push({ kind: 'not_modelled', name: m.name, opType: m.type, reason: `${m.type} is not modelled` });
    }
  }
  return { input, steps };
}

/** Reads a TorchScript model through torch; every problem is a ModelReadError with torch's one-line reason. */
export function readTorchModel(path: string, observers?: string): ExplainModel {
  if (!existsSync(path)) throw new ModelReadError(path, 'no such file');
  if (observers !== undefined && !existsSync(observers)) throw new ModelReadError(observers, 'no such file');
  if (!existsSync(TORCH_PYTHON)) throw new ModelReadError(path, `reading a TorchScript model needs torch 1.13 at ${TORCH_PYTHON} (apt-get install -y python3-torch)`);
  const args = [EXPLAIN_OPS_PY, path, ...(observers ? ['--observers', observers] : [])];
  const r = spawnSync(TORCH_PYTHON, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw new ModelReadError(path, `could not run ${TORCH_PYTHON}: ${r.error.message}`);
  if (r.status !== 0) throw new ModelReadError(path, (r.stderr.trim().split('\n').pop() ?? `explain_ops.py exited ${r.status}`).replace(/^error: /, ''));
  let py: PyModel;
  try {
    py = JSON.parse(r.stdout) as PyModel;
  } catch {
    throw new ModelReadError(path, 'the torch adapter printed no JSON');
  }
  const { input, steps } = torchSteps(py);
  return {
    path,
    format: 'torchscript',
    nativeScheme: 'torch-qnnpack@1',
    input,
    inputShape: null,
    steps,
    notes: [
      `torch ${py.torch}; modules in definition order (named_modules), the data order of a sequential model`,
      observers ? `observers from ${observers}` : 'no observers given (--observers): the qconfig quant_min/quant_max are unknown, the dtype range is shown in their place',
    ],
  };
}
