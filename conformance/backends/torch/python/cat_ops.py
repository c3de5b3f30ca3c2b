"""quantized_cat@1: torch's quantized::cat / quantized::cat_relu (contract/quantized_cat.ts), what QFunctional.cat calls;
ATen's own kernel on every engine (TensorShape.cpp quantized_cat_impl, its NHWC fast path qcat_nhwc_kernel).

Which channels take the NHWC kernel's vector form depends on the ATen CPU capability, fixed when the process starts
(ATEN_CPU_CAPABILITY): this process computes only requests of its own capability. Every input is built in the request's
memory format (channels_last with the strides torch allocates it with, as a quantized conv's output has), and the output's
values are sent in logical NCHW order."""

import struct

import torch

from add_ops import own_capability_and_format
from errors import OpError
from wire import INT_REPR_DTYPES, encode_quantized, decode_int_values, _HEX64


def _hex_list(req, name, count):
    value = req.attrs.get(name)
    if not isinstance(value, list) or len(value) != count or not all(isinstance(v, str) and _HEX64.match(v) for v in value):
        raise OpError('malformed_request', f'attribute {name!r} must be a list of {count} float64 bit patterns (16 hex digits each)')
    return [struct.unpack('>d', bytes.fromhex(v))[0] for v in value]


def _int_list(req, name, count):
    value = req.attrs.get(name)
    if not isinstance(value, list) or len(value) != count or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise OpError('malformed_request', f'attribute {name!r} must be a list of {count} integers')
    return value


def op_quantized_cat(req):
    memory_format = own_capability_and_format(req)
    xs = req.input('xs')
    if not isinstance(xs, list) or len(xs) == 0:
        raise OpError('malformed_request', "input 'xs' must be a non-empty JSON array of quantized tensors")
    scales = _hex_list(req, 'x_scales', len(xs))
    zero_points = _int_list(req, 'x_zero_points', len(xs))
    tensors = []
    dtype_name = None
    for k, obj in enumerate(xs):
        name, shape, values = decode_int_values(f'xs[{k}]', obj, {'quint8', 'qint8', 'qint32'})
        dtype_name = dtype_name or name
        int_repr = torch.tensor(values, dtype=INT_REPR_DTYPES[name]).reshape(shape)
        if memory_format == 'channels_last':
            if int_repr.dim() != 4:
                raise OpError('shape_mismatch', f'channels_last needs 4-D tensors, xs[{k}] has shape {shape}')
            # the strides torch allocates a channels_last tensor with (see pool_ops.py)
            int_repr = torch.empty(shape, dtype=int_repr.dtype, memory_format=torch.channels_last).copy_(int_repr)
        tensors.append(torch._make_per_tensor_quantized_tensor(int_repr, scales[k], zero_points[k]))
    op = torch.ops.quantized.cat_relu if req.bool('relu', False) else torch.ops.quantized.cat
    y = op(tensors, dim=req.int('dim'), scale=req.f64('scale'), zero_point=req.int('zero_point'))
    return {'y': encode_quantized(y, dtype_name)}
