/** Every fast requantization scheme of contract/conv.ts, by name (fast twins of reference/requant/). */
import type { RequantScheme } from '../../contract/conv.js';
import { requant__cmsis_nn } from './cmsis_nn.js';
import { requant__exact } from './exact.js';
import { requant__pt2e_reference_representation } from './pt2e_reference_representation.js';
import { requant__onnxruntime } from './onnxruntime.js';
import { requant__tflite_double_rounding } from './tflite_double_rounding.js';
import { requant__tflite_single_rounding } from './tflite_single_rounding.js';
import { requant__torch_fbgemm } from './torch_fbgemm.js';
import { requant__torch_onednn } from './torch_onednn.js';
import { requant__torch_onednn_v2 } from './torch_onednn_v2.js';
import { requant__torch_qnnpack } from './torch_qnnpack.js';
import { requant__tosa_double_round } from './tosa_double_round.js';
import { requant__tosa_single_round } from './tosa_single_round.js';
import type { RequantImpl } from './types.js';
import { requant__xnnpack_fp32 } from './xnnpack_fp32.js';
import { requant__xnnpack_rndnu } from './xnnpack_rndnu.js';

export const REQUANT_IMPL: Readonly<Record<RequantScheme, RequantImpl<unknown>>> = {
  'exact@1': requant__exact as RequantImpl<unknown>,
  'torch-qnnpack@1': requant__torch_qnnpack as RequantImpl<unknown>,
  'torch-onednn@1': requant__torch_onednn as RequantImpl<unknown>,
  'torch-onednn@2': requant__torch_onednn_v2 as RequantImpl<unknown>,
  'torch-fbgemm@1': requant__torch_fbgemm as RequantImpl<unknown>,
  'onnxruntime@1': requant__onnxruntime as RequantImpl<unknown>,
  'tflite-double-rounding@1': requant__tflite_double_rounding as RequantImpl<unknown>,
  'tflite-single-rounding@1': requant__tflite_single_rounding as RequantImpl<unknown>,
  'tosa-single-round@1': requant__tosa_single_round as RequantImpl<unknown>,
  'tosa-double-round@1': requant__tosa_double_round as RequantImpl<unknown>,
  'xnnpack-rndnu@1': requant__xnnpack_rndnu as RequantImpl<unknown>,
  'xnnpack-fp32@1': requant__xnnpack_fp32 as RequantImpl<unknown>,
  'cmsis-nn@1': requant__cmsis_nn as RequantImpl<unknown>,
  'pt2e-reference-representation@1': requant__pt2e_reference_representation as RequantImpl<unknown>,
};
