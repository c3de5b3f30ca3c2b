"""quantized_hardswish@1 and quantized_hardsigmoid@1: torch's Hardswish (quantized::hardswish, nn.quantized.Hardswish)
and hardsigmoid on a quantized tensor (contract/quantized_hard_activations.ts) on an engine whose kernels are ATen's
(qhardswish_kernel, qhardsigmoid_kernel; the qnnpack engine runs QNNPACK's lookup tables on quint8 instead).

As quantized::add (add_ops.py), each kernel's split between its vector and scalar forms depends on the ATen CPU
capability of this process, the memory format and the thread count, which the request names."""

import torch

from add_ops import MEMORY_FORMATS, aten_kernels_engine, engine_and_threads, own_capability_and_format
from errors import OpError
from wire import decode_int_values, encode_quantized, make_per_tensor_q

# qhardsigmoid_kernel's fixed output qparams (contract/quantized_hard_activations.ts hardsigmoidOutputQparams)
HARDSIGMOID_OUTPUT = {'quint8': (2.0 ** -8, 0), 'qint8': (2.0 ** -8, -128)}


def _activation_input(req):
    """x in the request's memory format, its dtype name, the thread count."""
    memory_format = own_capability_and_format(req)
    dtype_name = decode_int_values('x', req.input('x'), {'quint8', 'qint8', 'qint32'})[0]
    x = make_per_tensor_q('x', req.input('x'), req.f64('x_scale'), req.int('x_zero_point'))
    return x.contiguous(memory_format=MEMORY_FORMATS[memory_format]), dtype_name, req.int('threads', 1)


def op_quantized_hardswish(req):
    x, dtype_name, threads = _activation_input(req)
    with engine_and_threads(aten_kernels_engine(), threads):
        y = torch.ops.quantized.hardswish(x, req.f64('scale'), req.int('zero_point'))
    return {'y': encode_quantized(y, dtype_name)}


def op_quantized_hardsigmoid(req):
    x, dtype_name, threads = _activation_input(req)
    with engine_and_threads(aten_kernels_engine(), threads):
        y = torch.nn.functional.hardsigmoid(x)
    expected = HARDSIGMOID_OUTPUT.get(dtype_name)
    if expected is not None and (y.q_scale(), y.q_zero_point()) != expected:
        # the contract states the kernel's fixed output qparams; a torch that picks others is another op
        raise OpError('unsupported_by_scheme', f'hardsigmoid gave output qparams ({y.q_scale()}, {y.q_zero_point()}), not {expected}')
    return {'y': encode_quantized(y, dtype_name)}


def _qnnpack_input(req, op):
    """x for the qnnpack engine's own Hardswish / Hardsigmoid: a non-empty quint8 tensor of at least one dimension; other
    tensors are refused before torch runs (qint8 takes ATen's kernels there; an empty one can kill the process: QNNPACK
    divides numel by size(0))."""
    if 'qnnpack' not in torch.backends.quantized.supported_engines:
        raise OpError('unsupported_by_scheme', f'this torch has no qnnpack engine: {torch.backends.quantized.supported_engines}')
    dtype_name, shape, _ = decode_int_values('x', req.input('x'), {'quint8', 'qint8', 'qint32'})
    if dtype_name != 'quint8':
        raise OpError('invalid_dtype', f'x: {dtype_name}: {op} takes quint8 (the qnnpack engine runs ATen\'s kernel on other dtypes)')
    if len(shape) == 0 or 0 in shape:
        raise OpError('shape_mismatch', f'x {shape}: {op} takes a non-empty tensor of at least one dimension')
    return make_per_tensor_q('x', req.input('x'), req.f64('x_scale'), req.int('x_zero_point'))


def op_qnnpack_hardswish(req):
    """qnnpack_hardswish@1: qhardswish.cpp qnnpack_hardswish, QNNPACK's lookup table."""
    x = _qnnpack_input(req, 'qnnpack_hardswish')
    with engine_and_threads('qnnpack', 1):
        y = torch.ops.quantized.hardswish(x, req.f64('scale'), req.int('zero_point'))
    return {'y': encode_quantized(y, 'quint8')}


def op_qnnpack_hardsigmoid(req):
    """qnnpack_hardsigmoid@1: qhardsigmoid.cpp qnnpack_hardsigmoid, QNNPACK's lookup table (output 2^-8, 0)."""
    x = _qnnpack_input(req, 'qnnpack_hardsigmoid')
    with engine_and_threads('qnnpack', 1):
        y = torch.nn.functional.hardsigmoid(x)
    if (y.q_scale(), y.q_zero_point()) != HARDSIGMOID_OUTPUT['quint8']:
        raise OpError('unsupported_by_scheme', f'hardsigmoid gave output qparams ({y.q_scale()}, {y.q_zero_point()}), not {HARDSIGMOID_OUTPUT["quint8"]}')
    return {'y': encode_quantized(y, 'quint8')}
