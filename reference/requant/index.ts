/** Every exact requantization scheme of contract/conv.ts, by name. */
import type { RequantScheme } from '../../contract/conv.js';
import { cmsisNn } from './cmsis_nn.js';
import { exact } from './exact.js';
import { pt2eReferenceRepresentation } from './pt2e_reference_representation.js';
import { onnxruntime } from './onnxruntime.js';
import { tfliteDoubleRounding } from './tflite_double_rounding.js';
import { tfliteSingleRounding } from './tflite_single_rounding.js';
import { torchFbgemm } from './torch_fbgemm.js';
import { torchOnednn } from './torch_onednn.js';
import { torchOnednnV2 } from './torch_onednn_v2.js';
import { torchQnnpack } from './torch_qnnpack.js';
import { tosaDoubleRound } from './tosa_double_round.js';
import { tosaSingleRound } from './tosa_single_round.js';
import type { RequantRef } from './types.js';
import { xnnpackFp32 } from './xnnpack_fp32.js';
import { xnnpackRndnu } from './xnnpack_rndnu.js';

export const REQUANT_REFERENCE: Readonly<Record<RequantScheme, RequantRef<unknown>>> = {
  'exact@1': exact as RequantRef<unknown>,
  'torch-qnnpack@1': torchQnnpack as RequantRef<unknown>,
  'torch-onednn@1': torchOnednn as RequantRef<unknown>,
  'torch-onednn@2': torchOnednnV2 as RequantRef<unknown>,
  'torch-fbgemm@1': torchFbgemm as RequantRef<unknown>,
  'onnxruntime@1': onnxruntime as RequantRef<unknown>,
  'tflite-double-rounding@1': tfliteDoubleRounding as RequantRef<unknown>,
  'tflite-single-rounding@1': tfliteSingleRounding as RequantRef<unknown>,
  'tosa-single-round@1': tosaSingleRound as RequantRef<unknown>,
  'tosa-double-round@1': tosaDoubleRound as RequantRef<unknown>,
  'xnnpack-rndnu@1': xnnpackRndnu as RequantRef<unknown>,
  'xnnpack-fp32@1': xnnpackFp32 as RequantRef<unknown>,
  'cmsis-nn@1': cmsisNn as RequantRef<unknown>,
  'pt2e-reference-representation@1': pt2eReferenceRepresentation as RequantRef<unknown>,
};
