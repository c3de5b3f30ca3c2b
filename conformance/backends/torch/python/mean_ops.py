"""quantized_mean@1: torch's Tensor.mean over H and W of a quantized [N, C, H, W] tensor (contract/quantized_mean.ts) on
an engine whose kernel is ATen's (mean_out_quantized_cpu: qmean_inner_dim_kernel for a contiguous tensor, else
dequantize, float mean and quantize_per_tensor; the qnnpack engine runs QNNPACK's global average pool on quint8 over
dims written [2, 3] instead: op_qnnpack_mean below, qnnpack_mean@1).

The float path's summation order depends on the ATen CPU capability of this process and the thread count, the path on
the memory format: the request names them, as for quantized::add (add_ops.py). What the contract does not model is
refused before torch runs, with its error code: another dtype, another rank or an empty dimension, another reduction."""

import torch

from add_ops import aten_kernels_engine, engine_and_threads, own_capability_and_format
from errors import OpError
from wire import decode_int_values, encode_quantized, make_per_tensor_q


def _dim_list(req):
    """The request's dim: a list of integers (malformed_request otherwise)."""
    value = req.attrs.get('dim')
    if not isinstance(value, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        raise OpError('malformed_request', "attribute 'dim' must be a list of integers")
    return value


def _dims(req):
    value = _dim_list(req)
    if len(value) != 2 or sorted(d % 4 if -4 <= d < 4 else d for d in value) != [2, 3]:
        raise OpError('unsupported_by_scheme', f'dim {value}: the mean over H and W ([2, 3] or [-2, -1]) is modelled, no other reduction')
    return value


def op_quantized_mean(req):
    memory_format = own_capability_and_format(req)
    dtype_name, shape, _ = decode_int_values('x', req.input('x'), {'quint8', 'qint8', 'qint32'})
    if dtype_name not in ('quint8', 'qint8'):
        raise OpError('invalid_dtype', f'x: {dtype_name}: quantized_mean takes quint8 or qint8')
    if len(shape) != 4 or 0 in shape:
        raise OpError('shape_mismatch', f'x {shape}: quantized_mean takes a 4-D tensor without an empty dimension')
    dims = _dims(req)
    x = make_per_tensor_q('x', req.input('x'), req.f64('x_scale'), req.int('x_zero_point'))
    if memory_format == 'channels_last':
        # channels_last strides, as a quantized conv's output has them (for C = 1 or H = W = 1, x.contiguous(memory_format=
        # torch.channels_last) would keep the contiguous strides, and torch's path and refusals follow the strides)
        laid_out = torch._empty_affine_quantized(list(x.shape), scale=x.q_scale(), zero_point=x.q_zero_point(), dtype=x.dtype, memory_format=torch.channels_last)
        x = laid_out.copy_(x)
    with engine_and_threads(aten_kernels_engine(), req.int('threads', 1)):
        y = x.mean(dims, keepdim=req.bool('keepdim', False))
    return {'y': _output_of(x, y, dtype_name)}


def _output_of(x, y, dtype_name):
    """The mean y on the wire, once it keeps x's qparams: the contract states that it does, and a torch that gives others
    runs another op."""
    if (y.q_scale(), y.q_zero_point()) != (x.q_scale(), x.q_zero_point()):
        raise OpError('unsupported_by_scheme', f'the mean gave output qparams ({y.q_scale()}, {y.q_zero_point()}), not x\'s')
    return encode_quantized(y, dtype_name)


def op_qnnpack_mean(req):
    """qnnpack_mean@1: x.mean([2, 3]) of a quint8 tensor under the qnnpack engine, which runs QNNPACK's global average
    pool (ReduceOps.cpp qnnpack_mean; contract/qnnpack_mean.ts). Only the literal dims [2, 3] take that path, and only
    quint8: anything else would run quantized_mean@1's kernels, another op, so it is refused before torch runs."""
    if 'qnnpack' not in torch.backends.quantized.supported_engines:
        raise OpError('unsupported_by_scheme', f'this torch has no qnnpack engine: {torch.backends.quantized.supported_engines}')
    dtype_name, shape, _ = decode_int_values('x', req.input('x'), {'quint8', 'qint8', 'qint32'})
    if dtype_name != 'quint8':
        raise OpError('invalid_dtype', f'x is {dtype_name}: qnnpack_mean takes quint8 (torch means {dtype_name} with its own kernels)')
    if len(shape) != 4 or 0 in shape:
        raise OpError('shape_mismatch', f'x {shape}: qnnpack_mean takes a 4-D tensor without an empty dimension')
    value = _dim_list(req)
    if value != [2, 3]:
        raise OpError('unsupported_by_scheme', f'dim {value}: torch sends only [2, 3] as written to QNNPACK (other spellings run quantized_mean@1)')
    x = make_per_tensor_q('x', req.input('x'), req.f64('x_scale'), req.int('x_zero_point'))
    with engine_and_threads('qnnpack', 1):
        y = x.mean(value, keepdim=req.bool('keepdim', False))
    return {'y': _output_of(x, y, dtype_name)}
