/**
 * The observer configurations of PyTorch 2.x's PT2E quantizers, as named configurations of the observer ops (read in
 * torch 2.6's torch/ao/quantization/quantizer/xnnpack_quantizer.py get_symmetric_quantization_config and
 * x86_inductor_quantizer.py get_default_x86_inductor_quantization_config, static post-training defaults):
 *   - XNNPACKQuantizer: activations HistogramObserver, int8 [-128, 127], per_tensor_affine, eps 2^-12; weights
 *     int8 [-127, 127] symmetric, PerChannelMinMaxObserver (ch_axis 0) or MinMaxObserver per tensor, eps 2^-12;
 *   - X86InductorQuantizer: activations HistogramObserver, uint8 [0, 255] ([0, 127] with reduce_range), per_tensor_affine,
 *     eps 2^-12; weights int8 [-128, 127], per_channel_symmetric, PerChannelMinMaxObserver (ch_axis 0), eps 2^-12.
 * PT2E specs say torch.int8 / torch.uint8 where eager mode says qint8 / quint8; the observers treat both alike
 * (utils.calculate_qmin_qmax and _calculate_qparams test `dtype in [torch.qint8, torch.int8]` etc.), so the cases use
 * qint8 / quint8. HistogramObserver keeps its default 2048 bins. Each case draws its data like the op's catalogue
 * cases and then takes the named configuration; ids are `<op stem>_pt2e_<config>-<n>` (configIdPrefix).
 */
import type { WireRequest } from '../protocol/messages.js';
import type { CaseFactory } from './builders.js';
import { hex64 } from './builders.js';
import { histogramObserverV2Case } from './histogram_cases.js';
import { minMaxObserverCase, perChannelMinMaxObserverCase } from './observer_cases.js';
import { CaseRandom } from './random.js';

const EPS_2_12 = hex64(2 ** -12);

export interface QuantizerConfig {
  readonly name: string;
  readonly op: 'histogram_observer@2' | 'min_max_observer@2' | 'per_channel_min_max_observer@2';
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly count: number;
}

export const PT2E_QUANTIZER_CONFIGS: readonly QuantizerConfig[] = [
  { name: 'xnnpack-act', op: 'histogram_observer@2', attrs: { dtype: 'qint8', qscheme: 'per_tensor_affine', quant_min: -128, quant_max: 127, reduce_range: false, eps: EPS_2_12 }, count: 12 },
  { name: 'xnnpack-weight-per-channel', op: 'per_channel_min_max_observer@2', attrs: { dtype: 'qint8', qscheme: 'per_channel_symmetric', quant_min: -127, quant_max: 127, reduce_range: false, eps: EPS_2_12, ch_axis: 0 }, count: 40 },
  { name: 'xnnpack-weight-per-tensor', op: 'min_max_observer@2', attrs: { dtype: 'qint8', qscheme: 'per_tensor_symmetric', quant_min: -127, quant_max: 127, reduce_range: false, eps: EPS_2_12 }, count: 40 },
  { name: 'x86-inductor-act', op: 'histogram_observer@2', attrs: { dtype: 'quint8', qscheme: 'per_tensor_affine', quant_min: 0, quant_max: 255, reduce_range: false, eps: EPS_2_12 }, count: 12 },
  { name: 'x86-inductor-act-reduce-range', op: 'histogram_observer@2', attrs: { dtype: 'quint8', qscheme: 'per_tensor_affine', quant_min: 0, quant_max: 127, reduce_range: false, eps: EPS_2_12 }, count: 6 },
  { name: 'x86-inductor-weight', op: 'per_channel_min_max_observer@2', attrs: { dtype: 'qint8', qscheme: 'per_channel_symmetric', quant_min: -128, quant_max: 127, reduce_range: false, eps: EPS_2_12, ch_axis: 0 }, count: 40 },
];

const DATA: Readonly<Record<QuantizerConfig['op'], CaseFactory>> = {
  'histogram_observer@2': histogramObserverV2Case,
  'min_max_observer@2': minMaxObserverCase,
  'per_channel_min_max_observer@2': perChannelMinMaxObserverCase,
};

/** The id prefix of a configuration's cases, e.g. `histogram_observer_pt2e_xnnpack_act-`. */
export function configIdPrefix(config: QuantizerConfig): string {
  return `${config.op.split('@')[0]}_pt2e_${config.name.replace(/-/g, '_')}-`;
}

/** The cases of one configuration: the op's catalogue data (drawn from the stream `${seed}/pt2e/${name}`) under the configuration. */
export function quantizerConfigRequests(config: QuantizerConfig, seed: string): WireRequest[] {
  const r = new CaseRandom(`${seed}/pt2e/${config.name}`);
  const requests: WireRequest[] = [];
  for (let i = 0; i < config.count; i++) {
    // only the data of the drawn case is kept; its configuration (and HistogramObserver's bins) is the quantizer's
    const drawn = DATA[config.op](r, i);
    requests.push({ id: `${configIdPrefix(config)}${String(i).padStart(5, '0')}`, op: config.op, attrs: { ...config.attrs }, inputs: drawn.inputs ?? {} });
  }
  return requests;
}
