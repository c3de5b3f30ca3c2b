"""quantized_adaptive_avg_pool2d@1 and quantized_avg_pool2d@1: torch's adaptive_avg_pool2d and avg_pool2d on a quantized
tensor (contract/quantized_adaptive_avg_pool2d.ts, contract/quantized_avg_pool2d.ts) on an engine whose pools are ATen's
own kernels (fbgemm, x86 or onednn; the qnnpack engine runs QNNPACK's pools on some quint8 inputs: qnnpack_avg_pool2d@1,
op_qnnpack_avg_pool2d below).

The kernel is chosen by the input's memory layout, which the request names (memory_format); the output keeps the
input's scale and zero point, and its values are sent in logical NCHW order."""

import torch

from add_ops import MEMORY_FORMATS, aten_kernels_engine, engine_and_threads, own_capability_and_format
from errors import OpError
from wire import INT_REPR_DTYPES, encode_quantized, decode_int_values


def _quantized_input(req, memory_format):
    """x as a per-tensor quantized tensor of the request's scale and zero point, in the request's memory format."""
    dtype_name, shape, values = decode_int_values('x', req.input('x'), {'quint8', 'qint8', 'qint32'})
    int_repr = torch.tensor(values, dtype=INT_REPR_DTYPES[dtype_name]).reshape(shape)
    if memory_format == 'channels_last':
        if int_repr.dim() != 4:
            raise OpError('shape_mismatch', f'channels_last needs a 4-D tensor, x has shape {shape}')
        # the strides torch allocates a channels_last tensor with (a quantized conv's output): x.contiguous(memory_format=
        # torch.channels_last) would keep NCHW strides where they also count as channels_last (H = W = 1), and torch's
        # output layout follows the strides
        int_repr = torch.empty(shape, dtype=int_repr.dtype, memory_format=torch.channels_last).copy_(int_repr)
    return dtype_name, torch._make_per_tensor_quantized_tensor(int_repr, req.f64('scale'), req.int('zero_point'))


def op_quantized_adaptive_avg_pool2d(req):
    memory_format = req.attrs.get('memory_format') or 'contiguous'
    if memory_format not in MEMORY_FORMATS:
        raise OpError('malformed_request', f'memory_format {memory_format!r}: one of {sorted(MEMORY_FORMATS)}')
    size = req.attrs.get('output_size')
    if not isinstance(size, list) or len(size) != 2 or not all(isinstance(d, int) and not isinstance(d, bool) for d in size):
        raise OpError('malformed_request', f'output_size {size!r}: two integers [OH, OW]')
    dtype_name, x = _quantized_input(req, memory_format)
    with engine_and_threads(aten_kernels_engine(), torch.get_num_threads()):
        y = torch.nn.functional.adaptive_avg_pool2d(x, size)
    return {'y': encode_quantized(y, dtype_name)}


def _pair(req, name, default):
    value = req.attrs.get(name)
    if value is None:
        return default
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(d, int) and not isinstance(d, bool) for d in value):
        raise OpError('malformed_request', f'{name} {value!r}: two integers')
    return value


def op_quantized_avg_pool2d(req):
    """avg_pool2d_quantized_cpu; the NHWC kernel's vector channels depend on the process's ATen capability."""
    memory_format = own_capability_and_format(req)
    kernel = _pair(req, 'kernel_size', None)
    if kernel is None:
        raise OpError('malformed_request', "attribute 'kernel_size' is required")
    stride = _pair(req, 'stride', kernel)
    padding = _pair(req, 'padding', [0, 0])
    dtype_name, x = _quantized_input(req, memory_format)
    divisor = req.int('divisor_override', None)
    with engine_and_threads(aten_kernels_engine(), torch.get_num_threads()):
        y = torch.nn.functional.avg_pool2d(x, kernel, stride, padding, req.bool('ceil_mode', False), req.bool('count_include_pad', True), divisor)
    return {'y': encode_quantized(y, dtype_name)}


def op_qnnpack_avg_pool2d(req):
    """qnnpack_avg_pool2d@1: avg_pool2d (without ceil_mode) on a quint8 tensor under the qnnpack engine, which runs
    QNNPACK's average pooling (AveragePool2d.cpp qnnpack_avg_pool2d); qint8 is refused here (torch would pool it with
    its own kernels, another op). The input is sent contiguous: the path makes it channels_last itself."""
    if 'qnnpack' not in torch.backends.quantized.supported_engines:
        raise OpError('unsupported_by_scheme', f'this torch has no qnnpack engine: {torch.backends.quantized.supported_engines}')
    kernel = _pair(req, 'kernel_size', None)
    if kernel is None:
        raise OpError('malformed_request', "attribute 'kernel_size' is required")
    stride = _pair(req, 'stride', kernel)
    padding = _pair(req, 'padding', [0, 0])
    dtype_name, x = _quantized_input(req, 'contiguous')
    if dtype_name != 'quint8':
        raise OpError('invalid_dtype', f'x is {dtype_name}: qnnpack_avg_pool2d takes quint8 (torch pools {dtype_name} with its own kernels)')
    divisor = req.int('divisor_override', None)
    with engine_and_threads('qnnpack', 1):
        y = torch.nn.functional.avg_pool2d(x, kernel, stride, padding, False, req.bool('count_include_pad', True), divisor)
    return {'y': encode_quantized(y, dtype_name)}
