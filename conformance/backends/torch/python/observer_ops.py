"""The observer ops (observer.py): MinMax, MovingAverage, per-channel, FixedQParams, Placeholder."""

import torch
from torch.ao.quantization import observer as tq_observer

from wire import QUANT_DTYPES, encode_float, encode_tensor
from quantize_ops import QPARAMS_ATTRS, observer_qparams


def run_observer(observer, batches):
    """forward() on each batch in order, then the buffers and calculate_qparams()."""
    for batch in batches:
        observer(batch)
    scale, zero_point = observer_qparams(observer)
    return {
        'min_val': encode_float(observer.min_val),
        'max_val': encode_float(observer.max_val),
        'scale': encode_tensor(scale),
        'zero_point': encode_tensor(zero_point),
    }

def op_min_max_observer(req):
    observer = tq_observer.MinMaxObserver(**req.observer_kwargs(*QPARAMS_ATTRS))
    return run_observer(observer, req.batches())

def op_moving_average_min_max_observer(req):
    # averaging_constant is a Python float multiplied into float32 tensors, so torch rounds it to
    # float32 (observer.py MovingAverageMinMaxObserver.forward).
    kwargs = req.observer_kwargs(*QPARAMS_ATTRS, 'averaging_constant')
    return run_observer(tq_observer.MovingAverageMinMaxObserver(**kwargs), req.batches())

def op_per_channel_min_max_observer(req):
    kwargs = req.observer_kwargs(*QPARAMS_ATTRS, 'ch_axis')
    return run_observer(tq_observer.PerChannelMinMaxObserver(**kwargs), req.batches())

def op_moving_average_per_channel_min_max_observer(req):
    kwargs = req.observer_kwargs(*QPARAMS_ATTRS, 'ch_axis', 'averaging_constant')
    return run_observer(tq_observer.MovingAveragePerChannelMinMaxObserver(**kwargs), req.batches())

def op_fixed_qparams_observer(req):
    # FixedQParamsObserver (observer.py l.1270) validates nothing: forward is the identity and
    # calculate_qparams returns the float32 [scale] and int32 [zero_point] buffers.
    kwargs = req.observer_kwargs('dtype', 'qscheme', 'quant_min', 'quant_max')
    observer = tq_observer.FixedQParamsObserver(scale=req.f64('scale'), zero_point=req.int('zero_point'), **kwargs)
    for batch in req.batches():
        observer(batch)
    scale, zero_point = observer.calculate_qparams()
    return {'scale': encode_tensor(scale), 'zero_point': encode_tensor(zero_point)}

# PlaceholderObserver takes any torch dtype (default torch.float32): the float ones it is meant for, and the quantized ones
PLACEHOLDER_FLOAT_DTYPES = {'float32': torch.float32, 'float16': torch.float16, 'float64': torch.float64, 'bfloat16': torch.bfloat16}


def op_placeholder_observer(req):
    # PlaceholderObserver.calculate_qparams always raises (observer.py l.1345).
    name = req.attrs.get('dtype')  # absent or null: torch's default
    if name is None or name in PLACEHOLDER_FLOAT_DTYPES:
        dtype = PLACEHOLDER_FLOAT_DTYPES[name or 'float32']
    else:
        dtype = QUANT_DTYPES[req.dtype()]
    observer = tq_observer.PlaceholderObserver(dtype=dtype)
    for batch in req.batches():
        observer(batch)
    observer.calculate_qparams()
    raise RuntimeError('PlaceholderObserver.calculate_qparams unexpectedly returned')
