"""Typed rejections of the torch adapter and the map from torch's exceptions to contract/errors.ts codes."""

import math
import re

class OpError(Exception):
    """A rejection with a code of contract/errors.ts."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def malformed(message):
    return OpError('malformed_request', message)



# (exception type, message pattern, code), first match wins. Messages as raised by torch 1.13.1.
QUANT_ERROR_RULES = (
    # observer.py UniformQuantizationObserverBase._validate_qmin_qmax
    (AssertionError, r'must include 0', 'quant_range_excludes_zero'),
    (AssertionError, r'strictly less than qmax', 'quant_range_not_increasing'),
    # utils.py calculate_qmin_qmax (qint8: length <= 256, qint32: length <= 2**31)
    (AssertionError, r'maximum bit range', 'quant_range_too_wide'),
    # observer.py UniformQuantizationObserverBase.__init__
    (AssertionError, r'only works for qint8, quint8', 'invalid_dtype'),
    (AssertionError, r'Default Observer only works for per_tensor_affine', 'invalid_qscheme'),
    # observer.py MinMaxObserver / PerChannelMinMaxObserver __init__
    (NotImplementedError, r'Cannot reduce range for symmetric', 'symmetric_reduce_range_quint8'),
    (NotImplementedError, r'qscheme only support', 'invalid_qscheme'),
    # utils.py check_min_max_valid; the NaN case is refined by observer_qparams()
    (AssertionError, r'should be less than max', 'min_greater_than_max'),
    # aten/src/ATen/native/quantized/AffineQuantizer.cpp checkZeroPoint ("... is above upper bound.")
    (RuntimeError, r'zero_point -?\d+ is (above upper|below lower) bound', 'zero_point_out_of_range'),
    # aten/src/ATen/native/quantized/FakeQuantPerTensorAffine.cpp / FakeQuantPerChannelAffine.cpp
    (RuntimeError, r'`zero_point` must be between `quant_min` and `quant_max`', 'zero_point_out_of_range'),
    (RuntimeError, r'`quant_min` should be less than or', 'quant_range_outside_dtype'),
    # torch 2.x HistogramObserver.forward: torch.histc refuses the NaN range of a batch holding a NaN
    (RuntimeError, r'torch\.histc: range of \[-?nan, -?nan\] is not finite', 'nan_observed'),
    # torch 2.x torch/ao/quantization/fx/_decomposed.py _quant_min_max_bounds_check, and its 1.0 / scale
    (AssertionError, r'quant_m(in|ax) out of bound for dtype', 'quant_range_outside_dtype'),
    (ZeroDivisionError, r'division by zero', 'scale_not_positive'),
    (AssertionError, r'Expecting input to have dtype', 'invalid_dtype'),
    (AssertionError, r'Expecting axis to be <', 'axis_out_of_range'),
    (RuntimeError, r'`axis` must be between 0 and number of dimensions', 'axis_out_of_range'),
    # observer.py _calculate_qparams (1.13, 2.x) and 2.x utils.py determine_qparams: an affine zero point computed in int32
    # with a quant_min or quant_max outside int32 (contract/op_checks.ts checkQparamsZeroPoint)
    (RuntimeError, r'cannot be converted to type int without overflow', 'quant_range_beyond_int32'),
    # FixedQParamsObserver stores zero_point in an int32 buffer
    (RuntimeError, r'cannot be converted to type int32 without overflow', 'zero_point_out_of_range'),
    # AffineQuantizer.cpp: the per-channel affine kernels are not dispatched for quint4x2 (AT_DISPATCH_QINTS); qconform's
    # contract refuses the dtype (rejectSubByteDtype, contract/validate.ts)
    (RuntimeError, r'"(de)?quantize_tensor_per_channel_affine" not implemented for \'QUInt4x2\'', 'invalid_dtype'),
    # AffineQuantizer.cpp checkPerChannelParamDims / per-channel (de)quantize
    (RuntimeError, r'Channel axis out of range', 'axis_out_of_range'),
    (
        RuntimeError,
        r'length of scales must equal to channel|number of elements in scales and zero_points must match'
        r'|scale and zero-point need to have the same dimensions'
        r'|dimensions of scale and zero-point are not consistent|must match the size of tensor',
        'shape_mismatch',
    ),
    # Per-channel observers index the permutation list with ch_axis (observer.py _forward);
    # fake_quantize_per_channel_affine wraps the axis like any dim argument.
    (IndexError, r'list assignment index out of range|Dimension out of range', 'axis_out_of_range'),
    (Exception, r'should not be called for PlaceholderObserver', 'placeholder_has_no_qparams'),
)



# Rules for one op each (qconform_torch.py OP_ERROR_RULES): their messages are generic Python / torch ones that, for any
# other op, would hide an adapter bug behind a contract code.
# utils.py check_min_max_valid takes bool() of `min_val == inf and max_val == -inf` and of `min_val <= max_val`: a
# calculate_qparams 0-dim state beside one of several elements raises there
CALCULATE_QPARAMS_ERROR_RULES = (
    (RuntimeError, r'Boolean value of Tensor with more than one value is ambiguous', 'shape_mismatch'),
)
# FakeQuantPerChannelAffine.cpp takes min() / max() of the zero points: with no channel along axis (empty scales and
# zero points) they raise, 1.13 and 2.6 alike (contract/op_checks.ts checkFakeQuantizePerChannel)
FAKE_QUANTIZE_PER_CHANNEL_ERROR_RULES = (
    (RuntimeError, r'Expected reduction dim to be specified for input\.numel\(\) == 0', 'shape_mismatch'),
)
# _decomposed.py choose_qparams.tensor: torch.aminmax of an empty input (contract/decomposed_checks.ts
# checkDecomposedChooseQparams)
DECOMPOSED_CHOOSE_QPARAMS_ERROR_RULES = (
    (RuntimeError, r'cannot compute aminmax over an empty dimension', 'shape_mismatch'),
)

def classify(exc, rules):
    """The error code for an exception raised while running an op."""
    if isinstance(exc, OpError):
        return exc.code
    text = str(exc)
    for exc_type, pattern, code in rules:
        if isinstance(exc, exc_type) and re.search(pattern, text):
            return code
    return 'backend_error'


def describe(exc):
    if isinstance(exc, OpError):
        return exc.message
    first_line = str(exc).strip().split('\n')[0]
    return f'{type(exc).__name__}: {first_line}'


# qnnpack's generate_requantization_scales (aten/src/ATen/native/quantized/cpu/QnnpackUtils.h) and its operator setup
# raise this for a float32 multiplier s_x s_w / s_y (conv, linear) or s_w s_x (dynamic linear) that is not normal and
# positive, whatever made it so: a scale that is NaN, infinite, 0 or negative, or usable scales whose product
# overflows or underflows.
REQUANT_SCALE_MESSAGE = 'requantization scale must be finite and positive'
# quant_utils::ChooseQuantizationParams (QuantUtils.h) on the min and max of a dynamic linear's x holding a NaN
CHOOSE_QPARAMS_MESSAGE = 'In ChooseQuantizationParams, min should be less than or equal to max'


# In a list of scales for first_scale_refusal: the per-channel scales of the output channels a weight lacks, which torch's
# qnnpack reads past the given ones (contract/torch_linear_weight_qparams.ts QNNPACK_READS_PAST_SCALES): shape_mismatch.
MISSING_CHANNELS = object()


def first_scale_refusal(scales):
    """The code of the first scale that qconform's validateScale (contract/validate.ts) refuses, in the order its
    contract checks them: scale_not_finite (NaN, +-inf) or scale_not_positive (<= 0), shape_mismatch at
    MISSING_CHANNELS; None when every one is usable."""
    for s in scales:
        if s is MISSING_CHANNELS:
            return 'shape_mismatch'
        if not math.isfinite(s):
            return 'scale_not_finite'
        if not s > 0:
            return 'scale_not_positive'
    return None


def first_observed_refusal(x, nan_first=False):
    """The code qconform's quantized_linear_dynamic check (contract/linear_checks.ts) gives for the first element of
    x, in order, that the dynamic quantization cannot observe: nan_observed (NaN) or non_finite_observed (+-inf);
    None when every one is finite. `nan_first` (torch's onednn engine, whose order checks NaNs alone before any
    infinity: linear_checks.ts onednnDynamicOrder): any NaN gives nan_observed."""
    values = x.reshape(-1).tolist()
    if nan_first and any(math.isnan(v) for v in values):
        return 'nan_observed'
    for v in values:
        if math.isnan(v):
            return 'nan_observed'
        if math.isinf(v):
            return 'non_finite_observed'
    return None


def requant_refusal(exc, scales, x=None, nan_first=False):
    """torch's refusal `exc` of a conv or linear, with the code qconform's own contract check gives for the same
    input where torch's message has one code for several inputs, so a run compares like with like: qnnpack's
    REQUANT_SCALE_MESSAGE is the first observed x element's code (a dynamic linear's x, in qconform's order of
    checks), else the first refused scale's (`scales` in qconform's order), else unsupported_by_scheme (the multiplier
    of usable scales is not normal: reference/requant/torch_qnnpack.ts); CHOOSE_QPARAMS_MESSAGE is the first observed x
    element's (any NaN first with `nan_first`, first_observed_refusal). Any other exception is returned as it is."""
    text = str(exc)
    if REQUANT_SCALE_MESSAGE in text:
        code = (first_observed_refusal(x, nan_first) if x is not None else None) or first_scale_refusal(scales) or 'unsupported_by_scheme'
    elif CHOOSE_QPARAMS_MESSAGE in text and x is not None:
        code = first_observed_refusal(x, nan_first)
    else:
        code = None
    return OpError(code, describe(exc)) if code else exc
