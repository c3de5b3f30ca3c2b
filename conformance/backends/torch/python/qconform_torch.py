#!/usr/bin/python3
"""Real-PyTorch oracle backend for the qconform eval protocol (docs/protocol.md, "qconform-eval/1").

Run it with Debian's interpreter, which is the one that has python3-torch 1.13.1 (torch 2.6 runs it in its chroot:
conformance/backends/torch/run_in_torch26_chroot.sh; the ops it answers follow the torch version, see OPS):

    /usr/bin/python3 conformance/backends/torch/python/qconform_torch.py < requests.jsonl > responses.jsonl

It prints one handshake line, then answers every request line on stdin with exactly one response
line, in order, until EOF. Every op is computed by the installed torch: this file only translates
between the wire format and torch calls and never re-implements quantization arithmetic.

Floats cross the wire only as IEEE bit patterns (tensor.view(int) / struct), never as decimal text,
so NaN payloads, -0 and subnormals survive in both directions.

Torch paths cited below are relative to the torch 1.13.1 package / source tree:
observer.py = torch/ao/quantization/observer.py, utils.py = torch/ao/quantization/utils.py.
"""

import json
import os
import sys
import warnings

import torch

from add_ops import op_qnnpack_add, op_quantized_add, op_xnnpack_add
from cat_ops import op_quantized_cat
from mean_ops import op_qnnpack_mean, op_quantized_mean
from hard_activation_ops import op_qnnpack_hardsigmoid, op_qnnpack_hardswish, op_quantized_hardsigmoid, op_quantized_hardswish
from mul_ops import op_quantized_mul
from pool_ops import op_qnnpack_avg_pool2d, op_quantized_adaptive_avg_pool2d, op_quantized_avg_pool2d
from conv_ops import CONV_ERROR_RULES, accumulator_report, op_quantized_conv2d
from decomposed_ops import (
    DECOMPOSED_CHANNEL_ERROR_RULES, op_decomposed_choose_qparams, op_decomposed_dequantize_per_channel, op_decomposed_dequantize_per_tensor,
    op_decomposed_quantize_per_channel,
)
from cpu import aten_capability, cpu_capability, cpu_report
from errors import (
    CALCULATE_QPARAMS_ERROR_RULES, DECOMPOSED_CHOOSE_QPARAMS_ERROR_RULES, FAKE_QUANTIZE_PER_CHANNEL_ERROR_RULES, QUANT_ERROR_RULES,
    OpError, classify, describe, malformed,
)
from histogram_ops import op_histogram_observer, op_histogram_observer_v2
from linear_ops import LINEAR_ERROR_RULES, op_quantized_linear, op_quantized_linear_dynamic
from observer_ops import (
    op_fixed_qparams_observer, op_min_max_observer, op_moving_average_min_max_observer,
    op_moving_average_per_channel_min_max_observer, op_per_channel_min_max_observer, op_placeholder_observer,
)
from quantize_ops import (
    op_calculate_qmin_qmax, op_calculate_qparams, op_dequantize_per_channel, op_dequantize_per_channel_float_qparams,
    op_decomposed_quantize_per_tensor, op_dequantize_per_tensor, op_fake_quantize_per_channel_affine, op_fake_quantize_per_tensor_affine,
    op_quantize_per_channel, op_quantize_per_channel_float_qparams, op_quantize_per_tensor,
)
from wire import Request

PROTOCOL = 'qconform-eval/1'

# Observers warn about reduce_range deprecation and "must run observer before calling
# calculate_qparams"; stdout carries only protocol lines and stderr should stay quiet.
warnings.simplefilter('ignore')

# Reductions split work across threads above at::internal::GRAIN_SIZE (32768 elements), and the
# thread count changes which of two equal values (+0 / -0) a min/max reduction returns.
torch.set_num_threads(1)

OPS = {
    'quantized_conv2d@1': op_quantized_conv2d,
    'quantized_linear@1': op_quantized_linear,
    'quantized_linear_dynamic@1': op_quantized_linear_dynamic,
    'calculate_qmin_qmax@1': op_calculate_qmin_qmax,
    'calculate_qparams@1': op_calculate_qparams,
    'quantize_per_tensor@1': op_quantize_per_tensor,
    'quantize_per_channel@1': op_quantize_per_channel,
    'dequantize_per_tensor@1': op_dequantize_per_tensor,
    'dequantize_per_channel@1': op_dequantize_per_channel,
    'quantize_per_channel_float_qparams@1': op_quantize_per_channel_float_qparams,
    'dequantize_per_channel_float_qparams@1': op_dequantize_per_channel_float_qparams,
    'fake_quantize_per_tensor_affine@1': op_fake_quantize_per_tensor_affine,
    'fake_quantize_per_channel_affine@1': op_fake_quantize_per_channel_affine,
    'min_max_observer@1': op_min_max_observer,
    'moving_average_min_max_observer@1': op_moving_average_min_max_observer,
    'per_channel_min_max_observer@1': op_per_channel_min_max_observer,
    'moving_average_per_channel_min_max_observer@1': op_moving_average_per_channel_min_max_observer,
    'fixed_qparams_observer@1': op_fixed_qparams_observer,
    'placeholder_observer@1': op_placeholder_observer,
}
# Ops whose semantics changed in torch 2.x (contract/ops.ts): torch 1.13 answers their @1, torch 2.x their @2.
# HistogramObserver: merge by _upscale_histogram at a fixed upsample rate of 16, no int() truncation of the
# histc range, inf dropped. The qparams ops and min/max observers: utils.calculate_qmin_qmax accepts a custom
# qint32 range of 2^32 values (1.13: 2^31); the same torch functions run either way.
TORCH_MAJOR = int(torch.__version__.split('.')[0])
QRANGE_VERSIONED_OPS = {
    'calculate_qmin_qmax': op_calculate_qmin_qmax,
    'calculate_qparams': op_calculate_qparams,
    'min_max_observer': op_min_max_observer,
    'moving_average_min_max_observer': op_moving_average_min_max_observer,
    'per_channel_min_max_observer': op_per_channel_min_max_observer,
    'moving_average_per_channel_min_max_observer': op_moving_average_per_channel_min_max_observer,
}
for _name, _op in QRANGE_VERSIONED_OPS.items():
    del OPS[f'{_name}@1']
    OPS[f'{_name}@{2 if TORCH_MAJOR >= 2 else 1}'] = _op
if TORCH_MAJOR >= 2:
    OPS['histogram_observer@2'] = op_histogram_observer_v2
    OPS['decomposed_quantize_per_tensor@1'] = op_decomposed_quantize_per_tensor
    OPS['decomposed_dequantize_per_tensor@1'] = op_decomposed_dequantize_per_tensor
    OPS['decomposed_quantize_per_channel@1'] = op_decomposed_quantize_per_channel
    OPS['decomposed_dequantize_per_channel@1'] = op_decomposed_dequantize_per_channel
    OPS['decomposed_choose_qparams@1'] = op_decomposed_choose_qparams
    # torch 2.6's qadd_kernel: its AVX512 loop steps by 64 elements (contract/quantized_add.ts, vectors/torch-2.6-add)
    OPS['quantized_add@2'] = op_quantized_add
else:
    OPS['histogram_observer@1'] = op_histogram_observer
    # torch 1.13's qadd_kernel (contract/quantized_add.ts); torch 2.x's is quantized_add@2 above
    OPS['quantized_add@1'] = op_quantized_add


# adaptive_avg_pool2d_quantized_cpu (contract/quantized_adaptive_avg_pool2d.ts): torch 2.6 answers vectors/torch-1.13-pool
# byte for byte alike under every ATen capability
OPS['quantized_adaptive_avg_pool2d@1'] = op_quantized_adaptive_avg_pool2d
# quantized_cat_impl (contract/quantized_cat.ts): torch 2.6's AVX512 blocks are AVX2's, quantized_cat@2 (vectors/torch-2.6-cat)
OPS[f'quantized_cat@{2 if TORCH_MAJOR >= 2 else 1}'] = op_quantized_cat
# avg_pool2d_quantized_cpu (contract/quantized_avg_pool2d.ts): torch 1.13's QuantizeAvx512 repeats elements, torch
# 2.6's does not, quantized_avg_pool2d@2 (vectors/torch-2.6-avg-pool)
OPS[f'quantized_avg_pool2d@{2 if TORCH_MAJOR >= 2 else 1}'] = op_quantized_avg_pool2d
# qnnpack_add (contract/qnnpack_add.ts): QNNPACK's add on the qnnpack engine; torch 2.6 answers
# vectors/torch-1.13-qnnpack-add byte for byte alike
OPS['qnnpack_add@1'] = op_qnnpack_add
# qnnpack_avg_pool2d (contract/qnnpack_avg_pool2d.ts): QNNPACK's average pooling on the qnnpack engine
OPS['qnnpack_avg_pool2d@1'] = op_qnnpack_avg_pool2d
# xnnpack_add (contract/xnnpack_add.ts): XNNPACK's qs8 add, the qnnpack engine's qint8 add
OPS['xnnpack_add@1'] = op_xnnpack_add
# qhardswish_kernel, qhardsigmoid_kernel (contract/quantized_hard_activations.ts) and qmul_kernel
# (contract/quantized_mul.ts): @1 on torch 1.13, @2 on torch 2.x, whose AVX512 loop steps by 64 elements (as quantized_add@2)
_ELEMENTWISE_VERSION = 2 if TORCH_MAJOR >= 2 else 1
OPS[f'quantized_hardswish@{_ELEMENTWISE_VERSION}'] = op_quantized_hardswish
OPS[f'quantized_hardsigmoid@{_ELEMENTWISE_VERSION}'] = op_quantized_hardsigmoid
OPS[f'quantized_mul@{_ELEMENTWISE_VERSION}'] = op_quantized_mul
# QNNPACK's lookup tables (contract/qnnpack_hard_activations.ts): the qnnpack engine's quint8 Hardswish and Hardsigmoid
OPS['qnnpack_hardswish@1'] = op_qnnpack_hardswish
OPS['qnnpack_hardsigmoid@1'] = op_qnnpack_hardsigmoid
# mean_out_quantized_cpu over H and W (contract/quantized_mean.ts): @1 on torch 1.13, @2 on torch 2.x, whose AVX512 float
# sums take AVX2's vector width (vectors/torch-2.6-mean)
OPS[f'quantized_mean@{2 if TORCH_MAJOR >= 2 else 1}'] = op_quantized_mean
# ReduceOps.cpp qnnpack_mean (contract/qnnpack_mean.ts): QNNPACK's global average pool on the qnnpack engine
OPS['qnnpack_mean@1'] = op_qnnpack_mean


ERROR_RULES = QUANT_ERROR_RULES + CONV_ERROR_RULES + LINEAR_ERROR_RULES
# Rules for one op only, tried before ERROR_RULES (messages too generic to map for every op).
# BinaryOps.cpp qnnpack_add: TORCH_INTERNAL_ASSERT(createStatus == success) when QNNPACK refuses its parameters
QNNPACK_ADD_ERROR_RULES = (
    (RuntimeError, r'failed to create QNNPACK Add operator', 'unsupported_by_scheme'),
)
# BinaryOps.cpp xnnp_add: TORCH_CHECK(status == xnn_status_success) when XNNPACK refuses its parameters
XNNPACK_ADD_ERROR_RULES = (
    (RuntimeError, r'xnnp_add\(\): xnn create operator failed', 'unsupported_by_scheme'),
)
# AveragePool2d.cpp qnnpack_avg_pool2d: its TORCH_CHECK of a 4-D input, CAFFE_ENFORCE(createStatus == success) when QNNPACK
# refuses the pooling
QNNPACK_AVG_POOL_ERROR_RULES = (
    (RuntimeError, r'qnnpack_avg_pool2d\(\): Expected input to be 4-dimensional', 'shape_mismatch'),
    (RuntimeError, r'failed to create QNNPACK Average Pooling operator', 'unsupported_by_scheme'),
    (RuntimeError, r'pad should be at most half of kernel size', 'malformed_request'),
    (RuntimeError, r'Output size is too small|resulting output Tensor size should be', 'shape_mismatch'),
)
# qhardswish.cpp qnnpack_hardswish, qhardsigmoid.cpp qnnpack_hardsigmoid: TORCH_INTERNAL_ASSERT(createStatus == success)
# when QNNPACK refuses a scale
QNNPACK_HARD_ACTIVATION_ERROR_RULES = (
    (RuntimeError, r'failed to create QNNPACK (Hardswish|Hardsigmoid) operator', 'unsupported_by_scheme'),
)
# ReduceOps.cpp mean_out_quantized_cpu: qmean_inner_dim_kernel allocates a 2-D output in a channels_last x's memory format
QUANTIZED_MEAN_ERROR_RULES = (
    (RuntimeError, r'required rank 4 tensor to use channels_last format', 'shape_mismatch'),
)
# ReduceOps.cpp qnnpack_mean: CAFFE_ENFORCE(createStatus == success) when QNNPACK refuses the scale
QNNPACK_MEAN_ERROR_RULES = (
    (RuntimeError, r'failed to create QNNPACK Global Average Pooling operator', 'unsupported_by_scheme'),
)
OP_ERROR_RULES = {
    'qnnpack_mean@1': QNNPACK_MEAN_ERROR_RULES,
    'quantized_mean@1': QUANTIZED_MEAN_ERROR_RULES,
    'quantized_mean@2': QUANTIZED_MEAN_ERROR_RULES,
    'qnnpack_hardswish@1': QNNPACK_HARD_ACTIVATION_ERROR_RULES,
    'qnnpack_hardsigmoid@1': QNNPACK_HARD_ACTIVATION_ERROR_RULES,
    'qnnpack_add@1': QNNPACK_ADD_ERROR_RULES,
    'xnnpack_add@1': XNNPACK_ADD_ERROR_RULES,
    'qnnpack_avg_pool2d@1': QNNPACK_AVG_POOL_ERROR_RULES,
    'calculate_qparams@1': CALCULATE_QPARAMS_ERROR_RULES,
    'calculate_qparams@2': CALCULATE_QPARAMS_ERROR_RULES,
    'fake_quantize_per_channel_affine@1': FAKE_QUANTIZE_PER_CHANNEL_ERROR_RULES,
    'decomposed_quantize_per_channel@1': DECOMPOSED_CHANNEL_ERROR_RULES,
    'decomposed_dequantize_per_channel@1': DECOMPOSED_CHANNEL_ERROR_RULES,
    'decomposed_choose_qparams@1': DECOMPOSED_CHOOSE_QPARAMS_ERROR_RULES,
}


def op_error_rules(op_name):
    """The rules that classify an exception of op `op_name` (any JSON value: a malformed request's may not be a string)."""
    return (OP_ERROR_RULES.get(op_name, ()) if isinstance(op_name, str) else ()) + ERROR_RULES


# ---------------------------------------------------------------------------------------------
# Protocol loop
# ---------------------------------------------------------------------------------------------

def select_engine(argv):
    """`--engine qnnpack|onednn|...` (or env QCONFORM_TORCH_ENGINE) sets torch.backends.quantized.engine,
    which picks the kernels of quantized ops; without it torch's default engine is kept."""
    engine = os.environ.get('QCONFORM_TORCH_ENGINE')
    if '--engine' in argv:
        engine = argv[argv.index('--engine') + 1]
    if engine:
        torch.backends.quantized.engine = engine
    return engine


def handshake():
    cpu = cpu_report()
    return {
        'protocol': PROTOCOL,
        'backend': f'torch-{torch.backends.quantized.engine}',
        'version': torch.__version__,
        'ops': list(OPS),
        'info': {
            'cpu_flags': cpu['flags'],
            'cpu_flags_source': cpu['source'],
            'cpu_brand': cpu.get('brand'),
            'cpu_capability': cpu_capability(),
            'aten_capability': aten_capability(),
            'engines': list(torch.backends.quantized.supported_engines),
            'engine': torch.backends.quantized.engine,
            'num_threads': torch.get_num_threads(),
            'conv_accumulators': accumulator_report(cpu['flags']),
            'python': sys.version,
        },
    }


def answer(line):
    """The response object for one request line; never raises."""
    request_id = None
    op_name = None
    try:
        try:
            message = json.loads(line)
        except ValueError as exc:
            raise malformed(f'not JSON: {exc}') from exc
        if not isinstance(message, dict):
            raise malformed('a request must be a JSON object')
        request_id = message.get('id')
        op_name = message.get('op')
        if not isinstance(op_name, str):
            raise malformed('"op" must be a string')
        op = OPS.get(op_name)
        if op is None:
            raise OpError('unknown_op', f'op {op_name!r} is not implemented by this backend')
        request = Request(message.get('attrs', {}), message.get('inputs', {}))
        outputs = op(request)
        # a field the op never read is one it does not take: refused, not answered as if it were absent
        request.refuse_unread(op_name)
        return {'id': request_id, 'outputs': outputs}
    except Exception as exc:  # noqa: BLE001 -- every failure must become one response line
        return {'id': request_id, 'error': {'code': classify(exc, op_error_rules(op_name)), 'message': describe(exc)}}


def write_line(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def main():
    select_engine(sys.argv)
    write_line(handshake())
    for line in sys.stdin:
        if line.strip():  # blank lines carry no request
            write_line(answer(line))


if __name__ == '__main__':
    main()
