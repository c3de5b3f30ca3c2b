"""qparams, quantize, dequantize and fake-quantize ops: one function per op, each (Request) -> outputs dict."""

import torch
from torch.ao.quantization import observer as tq_observer

from errors import OpError
from wire import QUANT_DTYPES, encode_float, encode_int, encode_tensor, encode_quantized, make_per_tensor_q, make_per_channel_q


QPARAMS_ATTRS = ('dtype', 'qscheme', 'reduce_range', 'quant_min', 'quant_max', 'eps')


def observer_qparams(observer):
    """observer.calculate_qparams(), telling a NaN state apart from min > max.

    Both fail the same assertion in utils.py::check_min_max_valid ("min ... should be less than
    max ..."): NaN compares false, and NaN is sticky in the running min/max (torch.min/max and
    the moving-average update propagate it).
    """
    try:
        return observer.calculate_qparams()
    except AssertionError as exc:
        if 'should be less than max' in str(exc) and (
            torch.isnan(observer.min_val).any() or torch.isnan(observer.max_val).any()
        ):
            raise OpError('nan_observed', f'AssertionError: {exc}') from exc
        raise


def op_calculate_qmin_qmax(req):
    # Constructing an observer runs the same validation torch applies before
    # utils.py::calculate_qmin_qmax (UniformQuantizationObserverBase.__init__ / _validate_qmin_qmax,
    # observer.py l.237-241, l.272); "custom range" needs both quant_min and quant_max.
    kwargs = req.observer_kwargs('dtype', 'reduce_range', 'quant_min', 'quant_max')
    observer = tq_observer.MinMaxObserver(qscheme=torch.per_tensor_affine, **kwargs)
    return {'quant_min': observer.quant_min, 'quant_max': observer.quant_max}


def op_calculate_qparams(req):
    min_val, max_val = req.f32('min_val'), req.f32('max_val')
    kwargs = req.observer_kwargs(*QPARAMS_ATTRS)
    per_channel = tq_observer.is_per_channel(kwargs.get('qscheme', torch.per_tensor_affine))
    cls = tq_observer.PerChannelMinMaxObserver if per_channel else tq_observer.MinMaxObserver
    observer = cls(**kwargs)
    # Assigning a tensor to a registered buffer name replaces the buffer (nn.Module.__setattr__).
    observer.min_val = min_val
    observer.max_val = max_val
    # a 0-dim state beside one of several elements raises in check_min_max_valid: shape_mismatch (errors.py CALCULATE_QPARAMS_ERROR_RULES)
    scale, zero_point = observer_qparams(observer)
    return {'scale': encode_tensor(scale), 'zero_point': encode_tensor(zero_point)}


def op_quantize_per_tensor(req):
    dtype = req.dtype()
    q = torch.quantize_per_tensor(req.f32('x'), req.f64('scale'), req.int('zero_point'), QUANT_DTYPES[dtype])
    return {'q': encode_quantized(q, dtype)}


def op_quantize_per_channel(req):
    dtype = req.dtype()
    q = torch.quantize_per_channel(
        req.f32('x'),
        req.f64_tensor('scales'),
        req.int_tensor('zero_points', 'int64', torch.int64),
        req.int('axis'),
        QUANT_DTYPES[dtype],
    )
    return {'q': encode_quantized(q, dtype)}


def op_dequantize_per_tensor(req):
    q = make_per_tensor_q('q', req.input('q'), req.f64('scale'), req.int('zero_point'))
    return {'x': encode_float(q.dequantize())}


def op_dequantize_per_channel(req):
    scales = req.f64_tensor('scales')
    zero_points = req.int_tensor('zero_points', 'int64', torch.int64)
    q = make_per_channel_q('q', req.input('q'), scales, zero_points, req.int('axis'))
    return {'x': encode_float(q.dequantize())}


def op_quantize_per_channel_float_qparams(req):
    # Float zero points select per_channel_affine_float_qparams (the embedding-bag scheme).
    dtype = req.dtype()
    q = torch.quantize_per_channel(req.f32('x'), req.f32('scales'), req.f32('zero_points'), req.int('axis'), QUANT_DTYPES[dtype])
    return {'q': encode_quantized(q, dtype)}


def op_dequantize_per_channel_float_qparams(req):
    q = make_per_channel_q('q', req.input('q'), req.f32('scales'), req.f32('zero_points'), req.int('axis'))
    return {'x': encode_float(q.dequantize())}


def op_fake_quantize_per_tensor_affine(req):
    y = torch.fake_quantize_per_tensor_affine(
        req.f32('x'), req.f64('scale'), req.int('zero_point'), req.int('quant_min'), req.int('quant_max')
    )
    return {'y': encode_float(y)}


def op_fake_quantize_per_channel_affine(req):
    """No channel along axis (empty scales and zero points): FakeQuantPerChannelAffine.cpp checks the zero points with
    min() / max() of the empty zero_point tensor, which raise (1.13 and 2.6 alike); that is qconform's shape_mismatch
    (contract/op_checks.ts checkFakeQuantizePerChannel; errors.py FAKE_QUANTIZE_PER_CHANNEL_ERROR_RULES)."""
    y = torch.fake_quantize_per_channel_affine(
        req.f32('x'),
        req.f32('scales'),
        req.int_tensor('zero_points', 'int32', torch.int32),
        req.int('axis'),
        req.int('quant_min'),
        req.int('quant_max'),
    )
    return {'y': encode_float(y)}


# torch.uint8 / torch.int8 of the PT2E ops, by their wire names
DECOMPOSED_DTYPES = {'quint8': torch.uint8, 'qint8': torch.int8}


def op_decomposed_quantize_per_tensor(req):
    """decomposed_quantize_per_tensor@1 (torch 2.x only): torch.ops.quantized_decomposed.quantize_per_tensor
    (torch/ao/quantization/fx/_decomposed.py), on a float32 input, returning a uint8 / int8 tensor."""
    from torch.ao.quantization.fx import _decomposed  # noqa: F401 -- registers the quantized_decomposed ops
    dtype = req.dtype()
    if dtype not in DECOMPOSED_DTYPES:
        raise OpError('invalid_dtype', f'quantized_decomposed takes uint8 or int8 here, not {dtype}')
    q = torch.ops.quantized_decomposed.quantize_per_tensor(
        req.f32('x'), req.f64('scale'), req.int('zero_point'), req.int('quant_min'), req.int('quant_max'), DECOMPOSED_DTYPES[dtype]
    )
    return {'q': encode_int(q.to(torch.int64), dtype)}
