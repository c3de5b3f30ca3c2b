"""quantized_add@1: torch's quantized::add / quantized::add_relu (contract/quantized_add.ts) on an engine whose add is
ATen's qadd_kernel (fbgemm, x86 or onednn: BinaryOps.cpp qadd; the qnnpack engine runs QNNPACK's add: op_qnnpack_add below).

The kernel's split between its vector and scalar forms depends on the ATen CPU capability, which torch fixes when
the process starts (ATEN_CPU_CAPABILITY), on the memory format and on the thread count: the request names all three.
This process computes only requests of its own capability; the thread count is set for the call and restored."""

import contextlib

import torch

from cpu import aten_capability
from errors import OpError
from wire import encode_quantized, make_per_tensor_q, decode_int_values

MEMORY_FORMATS = {'contiguous': torch.contiguous_format, 'channels_last': torch.channels_last}
# the engines that run ATen's own quantized kernels (quantized::add is qadd_kernel, a quantized adaptive_avg_pool2d
# adaptive_avg_pool2d_quantized_cpu's), not QNNPACK's, in the order this adapter picks the first this torch has
ATEN_KERNEL_ENGINES = ('fbgemm', 'x86', 'onednn')


def aten_kernels_engine():
    engines = torch.backends.quantized.supported_engines
    found = next((e for e in ATEN_KERNEL_ENGINES if e in engines), None)
    if found is None:
        raise OpError('unsupported_by_scheme', f'this torch has none of the engines that run ATen\'s own quantized add and pools ({", ".join(ATEN_KERNEL_ENGINES)}): {engines}')
    return found


@contextlib.contextmanager
def engine_and_threads(engine, threads):
    saved_engine, saved_threads = torch.backends.quantized.engine, torch.get_num_threads()
    torch.backends.quantized.engine = engine
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.backends.quantized.engine = saved_engine
        torch.set_num_threads(saved_threads)


def own_capability_and_format(req):
    """The request's memory_format (contiguous by default), once its cpu_capability is this process's: the ATen capability
    is fixed when torch starts (another is unsupported_by_scheme, a missing one malformed_request)."""
    capability = req.attrs.get('cpu_capability')
    native = aten_capability()
    if capability is None:
        raise OpError('malformed_request', "attribute 'cpu_capability' is required")
    if capability != native:
        raise OpError('unsupported_by_scheme', f'cpu_capability {capability!r}: this torch process runs ATen capability {native!r} (start it with ATEN_CPU_CAPABILITY={capability})')
    memory_format = req.attrs.get('memory_format') or 'contiguous'
    if memory_format not in MEMORY_FORMATS:
        raise OpError('malformed_request', f'memory_format {memory_format!r}: one of {sorted(MEMORY_FORMATS)}')
    return memory_format


def op_quantized_add(req):
    memory_format = own_capability_and_format(req)
    threads = req.int('threads', 1)
    a = make_per_tensor_q('a', req.input('a'), req.f64('a_scale'), req.int('a_zero_point'))
    b = make_per_tensor_q('b', req.input('b'), req.f64('b_scale'), req.int('b_zero_point'))
    dtype_name = decode_int_values('a', req.input('a'), {'quint8', 'qint8', 'qint32'})[0]
    fmt = MEMORY_FORMATS[memory_format]
    a, b = a.contiguous(memory_format=fmt), b.contiguous(memory_format=fmt)
    op = torch.ops.quantized.add_relu if req.bool('relu', False) else torch.ops.quantized.add
    with engine_and_threads(aten_kernels_engine(), threads):
        y = op(a, b, req.f64('scale'), req.int('zero_point'))
    return {'y': encode_quantized(y, dtype_name)}


def _qnnpack_engine_add(req, op, dtype, other):
    """quantized::add / add_relu under the qnnpack engine for two `dtype` tensors of one shape (the engine's own add for
    that dtype); another dtype (`other`: the engine's other add) or two shapes are refused, so that no other kernel's
    answer is recorded as this op's."""
    if 'qnnpack' not in torch.backends.quantized.supported_engines:
        raise OpError('unsupported_by_scheme', f'this torch has no qnnpack engine: {torch.backends.quantized.supported_engines}')
    dtypes = [decode_int_values(name, req.input(name), {'quint8', 'qint8', 'qint32'})[0] for name in ('a', 'b')]
    if dtypes != [dtype, dtype]:
        raise OpError('invalid_dtype', f'a and b: {dtypes}: {op} takes {dtype} ({other})')
    a = make_per_tensor_q('a', req.input('a'), req.f64('a_scale'), req.int('a_zero_point'))
    b = make_per_tensor_q('b', req.input('b'), req.f64('b_scale'), req.int('b_zero_point'))
    if a.dim() == 0 or a.numel() == 0 or a.shape != b.shape:
        raise OpError('shape_mismatch', f'a {list(a.shape)}, b {list(b.shape)}: {op} takes two non-empty tensors of one shape')
    add = torch.ops.quantized.add_relu if req.bool('relu', False) else torch.ops.quantized.add
    with engine_and_threads('qnnpack', 1):
        y = add(a, b, req.f64('scale'), req.int('zero_point'))
    return {'y': encode_quantized(y, dtype)}


def op_qnnpack_add(req):
    """qnnpack_add@1: BinaryOps.cpp qnnpack_add, QNNPACK's add (quint8; other shapes go to qadd_kernel)."""
    return _qnnpack_engine_add(req, 'qnnpack_add', 'quint8', 'the qnnpack engine adds qint8 with xnnp_add')


def op_xnnpack_add(req):
    """xnnpack_add@1: BinaryOps.cpp xnnp_add, XNNPACK's qs8 add (qint8; XNNPACK broadcasts other shapes)."""
    return _qnnpack_engine_add(req, 'xnnpack_add', 'qint8', 'the qnnpack engine adds quint8 with QNNPACK')
