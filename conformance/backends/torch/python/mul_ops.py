"""quantized_mul@1: torch's quantized::mul / quantized::mul_relu (contract/quantized_mul.ts) where its kernel is ATen's
qmul_kernel: quint8 on every engine, qint8 with an output zero point of 127 (torch 1.13 built with XNNPACK multiplies
other qint8 in XNNPACK, which this op is not: refused, so that no other kernel's answer is recorded as this op's).

a and b broadcast; both are laid out in the request's memory format. As quantized::add (add_ops.py), the split between
qmul_kernel's forms depends on this process's ATen capability, the memory format and the thread count."""

import torch

from add_ops import MEMORY_FORMATS, aten_kernels_engine, engine_and_threads, own_capability_and_format
from errors import OpError
from wire import decode_int_values, encode_quantized, make_per_tensor_q

# qmul.cpp QMul::run: `zero_point < q_max && qa.scalar_type() == kQInt8` goes to _mul_out_xnnpack
QINT8_QMUL_KERNEL_ZERO_POINT = 127


def op_quantized_mul(req):
    memory_format = own_capability_and_format(req)
    threads = req.int('threads', 1)
    dtype_name = decode_int_values('a', req.input('a'), {'quint8', 'qint8', 'qint32'})[0]
    zero_point = req.int('zero_point')
    if dtype_name == 'qint8' and zero_point < QINT8_QMUL_KERNEL_ZERO_POINT:
        raise OpError('unsupported_by_scheme', f'zero_point {zero_point}: torch multiplies qint8 with an output zero point below 127 in XNNPACK, not qmul_kernel')
    a = make_per_tensor_q('a', req.input('a'), req.f64('a_scale'), req.int('a_zero_point'))
    b = make_per_tensor_q('b', req.input('b'), req.f64('b_scale'), req.int('b_zero_point'))
    fmt = MEMORY_FORMATS[memory_format]
    if memory_format == 'channels_last' and (a.dim() != 4 or b.dim() != 4):
        raise OpError('shape_mismatch', f'memory_format channels_last: a {list(a.shape)}, b {list(b.shape)} are not both 4-D')
    a, b = a.contiguous(memory_format=fmt), b.contiguous(memory_format=fmt)
    op = torch.ops.quantized.mul_relu if req.bool('relu', False) else torch.ops.quantized.mul
    with engine_and_threads(aten_kernels_engine(), threads):
        y = op(a, b, req.f64('scale'), zero_point)
    return {'y': encode_quantized(y, dtype_name)}
