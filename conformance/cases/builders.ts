import type { WireRequest } from '../protocol/messages.js';
import type { QuantDtype, QScheme } from '../../contract/dtypes.js';
import { f32Tensor, f64Tensor, intTensor, type IntDtype } from '../../contract/tensor.js';
import { type WireTensor, encodeTensor, f64ToHex } from '../../contract/wire.js';
import type { CaseRandom } from './random.js';

/** Wire builders shared by the case generators. */
export const wireF32 = (shape: readonly number[], values: readonly number[]): WireTensor => encodeTensor(f32Tensor(shape, values));
export const wireF64 = (shape: readonly number[], values: readonly number[]): WireTensor => encodeTensor(f64Tensor(shape, values));
export const wireInt = (dtype: IntDtype, shape: readonly number[], values: readonly number[]): WireTensor =>
  encodeTensor(intTensor(dtype, shape, values));
export const hex64 = f64ToHex;

export type CaseFactory = (r: CaseRandom, index: number) => Omit<WireRequest, 'id'>;

export const QUANT8: readonly QuantDtype[] = ['quint8', 'qint8'];
export const PER_TENSOR_QSCHEMES: readonly QScheme[] = ['per_tensor_affine', 'per_tensor_symmetric'];
export const PER_CHANNEL_QSCHEMES: readonly QScheme[] = ['per_channel_affine', 'per_channel_symmetric', 'per_channel_affine_float_qparams'];

export interface DrawnConfig {
  dtype: QuantDtype;
  reduce_range: boolean;
  quant_min: number | null;
  quant_max: number | null;
  eps: string;
}

/** A qconfig-like configuration: default, reduced, custom narrow/wide ranges, sometimes invalid ones, eps variants. */
export function drawConfig(r: CaseRandom, qscheme: QScheme, allowInvalid: boolean): DrawnConfig {
  const dtype = r.pick<QuantDtype>(r.bool(0.15) ? ['qint32'] : QUANT8);
  const symmetricQuint8 = (qscheme === 'per_tensor_symmetric' || qscheme === 'per_channel_symmetric') && dtype === 'quint8';
  let reduce_range = r.bool(0.25) && (!symmetricQuint8 || (allowInvalid && r.bool(0.3)));
  let quant_min: number | null = null;
  let quant_max: number | null = null;
  const custom = r.int(0, 9);
  if (custom >= 6) {
    if (dtype === 'quint8') [quant_min, quant_max] = r.pick([[0, 15], [0, 127], [0, 255], [0, 3], [0, 1], [0, 200]]);
    else if (dtype === 'qint8') [quant_min, quant_max] = r.pick([[-7, 7], [-8, 7], [-127, 127], [-128, 127], [-1, 1], [-64, 63], [-3, 100]]);
    else [quant_min, quant_max] = r.pick([[-(2 ** 30), 2 ** 30 - 1], [-1000, 1000], [-(2 ** 31), 2 ** 31 - 1], [0, 2 ** 31 - 1]]);
  }
  if (allowInvalid && custom === 9) [quant_min, quant_max] = r.pick([[1, 10], [-10, -1], [5, 5], [0, 0], [-200, 200], [10, 0]]);
  if (dtype === 'qint32') reduce_range = reduce_range && r.bool(0.5);
  const eps = r.bool(0.8) ? 2 ** -23 : r.pick([1e-10, 0.1, 1e-3, 0]);
  return { dtype, reduce_range, quant_min, quant_max, eps: hex64(eps) };
}
