/** The fast implementation of the ONNX integer ops (contract/onnx_qops.ts). */
import type { OnnxQOps } from '../../contract/onnx_qops.js';
import { convInteger } from './conv_integer.js';
import { matmulInteger } from './matmul_integer.js';
import { qgemm } from './qgemm.js';
import { qlinearAdd, qlinearMul } from './qlinear_binary.js';
import { dynamicQuantizeMatMul, matmulIntegerToFloat } from './matmul_integer_to_float.js';
import { qlinearMatMul } from './qlinear_matmul.js';
import { qlinearLeakyRelu, qlinearSigmoid } from './qlinear_lookup.js';
import { qlinearSoftmax } from './qlinear_softmax.js';
import { qlinearAveragePool } from './qlinear_average_pool.js';
import { qlinearConcat } from './qlinear_concat.js';
import { qlinearWhere } from './qlinear_where.js';
import { dynamicQuantizeLstm } from './dynamic_quantize_lstm.js';
import { qlinearGlobalAveragePool } from './qlinear_global_average_pool.js';

export const onnxImpl: OnnxQOps = { matmulInteger, qlinearMatMul, qgemm, convInteger, qlinearAdd, qlinearMul, matmulIntegerToFloat, dynamicQuantizeMatMul, qlinearLeakyRelu, qlinearSigmoid, qlinearSoftmax, qlinearGlobalAveragePool, qlinearAveragePool, qlinearConcat, qlinearWhere, dynamicQuantizeLstm, qlinearConvNhwc, gatherBlockQuantized, matmulNBits, qattention, qembedLayerNormalization, matmulInteger16, nhwcMaxPool };
import { qlinearConvNhwc } from './qlinear_conv_nhwc.js';
import { gatherBlockQuantized } from './gather_block_quantized.js';

import { matmulNBits } from './matmul_nbits.js';

import { qattention } from './qattention.js';

import { qembedLayerNormalization } from './qembed_layer_norm.js';

import { matmulInteger16 } from './matmul_integer16.js';
import { nhwcMaxPool } from './nhwc_max_pool.js';

