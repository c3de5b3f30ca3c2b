"""histogram_observer@1 (torch 1.13) and histogram_observer@2 (torch 2.x): HistogramObserver, with its failures told apart."""

import re
import resource
import traceback

import torch
from torch.ao.quantization import observer as tq_observer

from errors import OpError
from wire import encode_float, encode_tensor
from cpu import cpu_capability
from quantize_ops import QPARAMS_ATTRS, observer_qparams


# HistogramObserver (observer.py l.883). Its 1.13 forward fails in several places torch reports only by
# exception type and message; the failing batch, and for RuntimeErrors the observer.py function that raised
# (from the traceback), tell them apart:
#   ValueError "cannot convert float NaN to integer"       int() of a NaN range: a NaN in the batch -> nan_observed
#   OverflowError "cannot convert float infinity ..."      int() of an infinite range: +-inf in the batch ->
#                                                          non_finite_observed; finite data whose float32 range
#                                                          arithmetic overflowed/underflowed -> histogram_range_unsupported
#   RuntimeError in forward: "Overflow when unpacking long" (histc range beyond int64), "max must be larger
#                                                          than min" (a constant batch beyond 2^53) -> histogram_range_unsupported
#   RuntimeError / TypeError in _adjust_min_max / _combine_histograms: a downsample rate or buffer size beyond
#                                                          int64 ("Overflow when unpacking long", "must be tuple of SymInts"),
#                                                          a byte count beyond int64 ("Storage size calculation overflowed")
#                                                          or an allocation the process cannot make ("can't allocate
#                                                          memory") -> histogram_too_large;
#                                                          "expanded size" -> histogram_range_unsupported
#   "bins must be > 0", "negative dimension", "repeats can not be negative" -> histogram_config_invalid
# The merge buffer is bins * downsample_rate float32 cells (plus float64 copies): with data of very different
# ranges it asks for terabytes. So that such a request fails cleanly instead of exhausting the machine, the
# address space is capped at HISTOGRAM_MEMORY_HEADROOM above the current size while the observer runs.
HISTOGRAM_MEMORY_HEADROOM = 8 << 30


def _histogram_failure(exc, observer, batch):
    """The OpError for an exception raised while HistogramObserver observed `batch`, or None."""
    text = str(exc)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith('observer.py')]
    where = frames[-1].name if frames else ''
    if observer.upsample_rate <= 0:  # accepted by the constructor, fatal at the first merge
        code = 'histogram_config_invalid'
    elif isinstance(exc, ValueError) and 'NaN' in text:
        code = 'nan_observed' if torch.isnan(batch).any() else 'histogram_range_unsupported'
    elif isinstance(exc, OverflowError) and 'infinity' in text:
        code = 'non_finite_observed' if torch.isinf(batch).any() else 'histogram_range_unsupported'
    elif re.search(r'bins must be > 0|negative dimension|repeats can not be negative', text):
        code = 'histogram_config_invalid'
    elif where in ('_adjust_min_max', '_combine_histograms') and re.search(
        r"can't allocate memory|out of memory|Overflow when unpacking long|Storage size calculation overflowed|must be tuple of SymInts", text
    ):
        code = 'histogram_too_large'
    elif re.search(r'Overflow when unpacking long|max must be larger than min|expanded size', text):
        code = 'histogram_range_unsupported'
    else:
        return None
    return OpError(code, f'{type(exc).__name__} in {where or "torch"}: {text.strip().splitlines()[0]}')


def _observe(req, observer):
    """Forward each batch under the address-space cap, then the observer's outputs."""
    lanes = req.int('sum_lane_width', 8)
    native = 16 if cpu_capability() == 'AVX512' else 8
    if lanes != native:
        raise OpError('histogram_config_invalid', f'this torch runs ATen capability {cpu_capability()}: its sums use {native} lanes, not {lanes}')
    batches = req.batches()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open('/proc/self/statm', encoding='ascii') as f:
        current = int(f.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (current + HISTOGRAM_MEMORY_HEADROOM, hard))
    try:
        for batch in batches:
            try:
                observer(batch)
            except Exception as exc:  # noqa: BLE001 -- classified, or re-raised as is
                failure = _histogram_failure(exc, observer, batch)
                if failure is None:
                    raise
                raise failure from exc
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    scale, zero_point = observer_qparams(observer)
    return {
        'min_val': encode_float(observer.min_val),
        'max_val': encode_float(observer.max_val),
        'histogram': encode_float(observer.histogram),
        'scale': encode_tensor(scale),
        'zero_point': encode_tensor(zero_point),
    }


def op_histogram_observer(req):
    """histogram_observer@1 (torch 1.13): HistogramObserver(bins, upsample_rate, dtype, qscheme, reduce_range,
    quant_min, quant_max, eps), forward on each batch, calculate_qparams. sum_lane_width must be this ATen's float lanes."""
    return _observe(req, tq_observer.HistogramObserver(**req.observer_kwargs(*QPARAMS_ATTRS, 'bins', 'upsample_rate')))


def op_histogram_observer_v2(req):
    """histogram_observer@2 (torch 2.x): HistogramObserver(bins, dtype, qscheme, reduce_range, quant_min, quant_max,
    eps); its upsample rate is fixed at 16 (an upsample_rate attr is malformed, as the contract says)."""
    if req.attrs.get('upsample_rate') is not None:
        raise OpError('malformed_request', 'histogram_observer@2: torch 2.x fixes the upsample rate at 16 and takes no upsample_rate')
    return _observe(req, tq_observer.HistogramObserver(**req.observer_kwargs(*QPARAMS_ATTRS, 'bins')))
