"""PT2E's quantized_decomposed ops beyond quantize_per_tensor (quantize_ops.py has that one), torch 2.x only, for
qconform_torch.py: dequantize_per_tensor (and its .tensor form), quantize_per_channel, dequantize_per_channel and
choose_qparams.tensor, all from torch/ao/quantization/fx/_decomposed.py. This module only builds the torch tensors
and calls the ops; the arithmetic is torch's.
"""

import torch

from errors import OpError
from quantize_ops import DECOMPOSED_DTYPES
from wire import INT_REPR_DTYPES, decode_int_values, encode_float, encode_int


def _decomposed():
    from torch.ao.quantization.fx import _decomposed  # noqa: F401 -- registers the quantized_decomposed ops
    return torch.ops.quantized_decomposed


def _dtype(req):
    dtype = req.dtype()
    if dtype not in DECOMPOSED_DTYPES:
        raise OpError('invalid_dtype', f'quantized_decomposed takes uint8 or int8 here, not {dtype}')
    return DECOMPOSED_DTYPES[dtype]


def _int_input(req, name, allowed):
    """An integer wire tensor as a torch tensor of its own dtype (uint8 / int8 for q, int32 / int64 for zero points)."""
    dtype, shape, values = decode_int_values(name, req.input(name), allowed)
    torch_dtype = {'int32': torch.int32, 'int64': torch.int64}.get(dtype) or INT_REPR_DTYPES[dtype]
    return torch.tensor(values, dtype=torch_dtype).reshape(shape)


def op_decomposed_dequantize_per_tensor(req):
    """decomposed_dequantize_per_tensor@1: quantized_decomposed.dequantize_per_tensor, and its .tensor form (float64
    scale and int64 zero point tensors, taken by .item()) on the same input: the two must agree bit for bit."""
    ops = _decomposed()
    dtype = _dtype(req)
    q = _int_input(req, 'q', {'quint8', 'qint8'})
    scale, zero_point, quant_min, quant_max = req.f64('scale'), req.int('zero_point'), req.int('quant_min'), req.int('quant_max')
    x = ops.dequantize_per_tensor(q, scale, zero_point, quant_min, quant_max, dtype)
    x_tensor_form = ops.dequantize_per_tensor.tensor(
        q, torch.tensor([scale], dtype=torch.float64), torch.tensor([zero_point], dtype=torch.int64), quant_min, quant_max, dtype)
    if not torch.equal(x.view(torch.int32), x_tensor_form.view(torch.int32)):
        raise OpError('backend_error', 'dequantize_per_tensor and dequantize_per_tensor.tensor differ')
    return {'x': encode_float(x)}


# _decomposed.py quantize_per_channel / dequantize_per_channel refuse per-channel parameters torch cannot lay out: a 0-dim
# scales (scales.shape[0]: an IndexError) and scales or zero points that do not hold scales.shape[0] elements (a
# RuntimeError of .view(new_shape)), the contract's shape_mismatch (contract/decomposed_checks.ts checkChannelParams).
# Generic Python messages: these rules apply to these two ops only (qconform_torch.py OP_ERROR_RULES), so an adapter bug
# elsewhere raising them stays a backend_error.
DECOMPOSED_CHANNEL_ERROR_RULES = (
    (IndexError, r'tuple index out of range', 'shape_mismatch'),
    (RuntimeError, r'is invalid for input of size', 'shape_mismatch'),
)


def op_decomposed_quantize_per_channel(req):
    """decomposed_quantize_per_channel@1: quantized_decomposed.quantize_per_channel, float32 scales, int32 / int64 zero points."""
    q = _decomposed().quantize_per_channel(
        req.f32('x'), req.f32('scales'), _int_input(req, 'zero_points', {'int32', 'int64'}), req.int('axis'),
        req.int('quant_min'), req.int('quant_max'), _dtype(req))
    return {'q': encode_int(q.to(torch.int64), req.dtype())}


def op_decomposed_dequantize_per_channel(req):
    """decomposed_dequantize_per_channel@1: quantized_decomposed.dequantize_per_channel; zero_points may be absent (None)."""
    dtype = _dtype(req)
    zero_points = _int_input(req, 'zero_points', {'int32', 'int64'}) if req.inputs.get('zero_points') is not None else None
    x = _decomposed().dequantize_per_channel(
        _int_input(req, 'q', {'quint8', 'qint8'}), req.f32('scales'), zero_points, req.int('axis'),
        req.int('quant_min'), req.int('quant_max'), dtype)
    return {'x': encode_float(x)}


def op_decomposed_choose_qparams(req):
    """decomposed_choose_qparams@1: quantized_decomposed.choose_qparams.tensor -> scale float64 [1], zero_point int64 [1].
    A NaN input fails check_min_max_valid's assertion (min <= max): reported as nan_observed, as for the observers.
    An empty input fails torch.aminmax ("cannot compute aminmax over an empty dimension"): qconform's shape_mismatch
    (contract/decomposed_checks.ts checkDecomposedChooseQparams; errors.py DECOMPOSED_CHOOSE_QPARAMS_ERROR_RULES)."""
    x = req.f32('x')
    try:
        scale, zero_point = _decomposed().choose_qparams.tensor(x, req.int('quant_min'), req.int('quant_max'), req.f64('eps'), _dtype(req))
    except AssertionError as exc:
        if 'should be less than max' in str(exc) and torch.isnan(x).any():
            raise OpError('nan_observed', f'AssertionError: {exc}') from exc
        raise
    return {'scale': encode_float(scale), 'zero_point': encode_int(zero_point, 'int64')}
