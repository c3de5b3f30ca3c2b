"""quantized::linear / linear_relu and quantized::linear_dynamic / linear_relu_dynamic through the installed
torch, for qconform_torch.py (docs/protocol.md, ops quantized_linear@1 and quantized_linear_dynamic@1). Values
arrive already decoded; this module only builds the torch tensors, picks the engine and runs each call in a
fresh forked child (conv_ops._in_fresh_child: oneDNN's caches, and a crash costs one case).

Torch paths (1.13.1): aten/src/ATen/native/quantized/cpu/qlinear.cpp, qlinear_dynamic.cpp, qlinear_prepack.cpp.
"""

import torch

from conv_ops import SCHEME_ENGINES, _in_fresh_child
from errors import MISSING_CHANNELS, OpError, describe, requant_refusal
from wire import INT_REPR_DTYPES, decode_float, decode_int, decode_int_values, encode_float, encode_int

# (exception type, message pattern, code of contract/errors.ts), as torch 1.13.1 and 2.6 raise them for linear.
LINEAR_ERROR_RULES = (
    # x's rank: qnnpack's static linear, both engines' dynamic one, onednn's static one (rank 0: "qlinear (ONEDNN): input dim
    # should be at least 1")
    (RuntimeError, r'Input tensor rank should be >= 2|dimension of input tensor should be larger than or equal to 2'
                   r'|qlinear \(ONEDNN\): input dim should be at least 1', 'shape_mismatch'),
    (RuntimeError, r'input size does not match weight dimension|mat1 and mat2 shapes cannot be multiplied'
                   r'|The number of rows in the packB', 'inner_dim_mismatch'),
    # onednn: a weight whose K differs from x's reaches ideep::matmul_forward, which cannot build the primitive
    # (torch 2.6 with oneDNN 3.7 says "could not create a primitive descriptor for the matmul primitive")
    (RuntimeError, r'could not create a (primitive )?descriptor for (a|the) matmul primitive', 'inner_dim_mismatch'),
    (RuntimeError, r'bias should have N elements|expected bias to be 1-dimensional|bias should be a vector', 'shape_mismatch'),
    (RuntimeError, r'ONEDNN only supports symmetric quantization of weight', 'unsupported_by_scheme'),
    # qnnpack's linear_prepack (qlinear_prepack.cpp PackedLinearWeightsQnnp::prepack): a weight not [N, K], its first check
    (RuntimeError, r'quantized::linear_prepack \(qnnpack\): Weight tensor rank should be == 2', 'shape_mismatch'),
    # onednn's linear_prepack (qlinear_prepack.cpp PackedLinearWeightsOnednn::prepack): a weight not [N, K], and a
    # per-channel weight of fewer than N zero points (it reads zero point i for each output channel i < N)
    (RuntimeError, r'weight tensor for quantized::linear_prepack \(onednn\) should be 2-dimensional', 'shape_mismatch'),
    (IndexError, r'select\(\): index \d+ out of range for tensor of size', 'shape_mismatch'),
    # onednn's dynamic linear reshapes x to [-1, K] (qlinear_dynamic.cpp), which fails for K = 0 on x of rank >= 3: the
    # linears with K = 0 or N = 0 that torch does not compute are shape_mismatch (contract/linear_checks.ts)
    (RuntimeError, r'cannot reshape tensor of 0 elements into shape \[-1, 0\]', 'shape_mismatch'),
    # qnnpack's static linear (qlinear.cpp apply_impl, quant_utils::QuantizeBias) on the int32 bias the adapter hands it
    # (_bias): a float bias only, checked after x's rank and the requantization scales
    (RuntimeError, r'Quantize only works on Float Tensor, got Int|quantize_tensor_per_channel_affine expects a Float Tensor, got Int',
     'unsupported_by_scheme'),
)

WEIGHT_QUANTIZATIONS = ('per_tensor', 'per_channel')


def _engine(req):
    scheme = req.attrs.get('scheme')
    engine = SCHEME_ENGINES.get(scheme)
    if engine is None:
        raise OpError('unknown_scheme', f'scheme {scheme!r}: this backend runs {sorted(SCHEME_ENGINES)}')
    return engine


def _on_engine(engine, fn, *args):
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = engine
    try:
        return fn(*args)
    finally:
        torch.backends.quantized.engine = previous


def _weight(req):
    """The qint8 weight, built by torch's own constructors from the wire's qparams as given, so torch judges them: a
    per_tensor weight's one scale and zero point through Tensor.item(), as at::quantize_per_tensor's tensor form takes
    them (torch 2.6: RuntimeError "a Tensor with 2 elements cannot be converted to Scalar", 1.13: ValueError "only one
    element tensors can be converted to Python scalars"; never element 0 of more), a per_channel weight's
    whole lists (torch reads the first N of more, contract/torch_linear_weight_qparams.ts). The wire's qparams are rank 1."""
    w = req.int_tensor('weight', 'qint8', torch.int8)
    quantization = req.attrs.get('weight_quantization')
    if quantization not in WEIGHT_QUANTIZATIONS:
        raise OpError('invalid_qscheme', f'weight_quantization {quantization!r}: one of {list(WEIGHT_QUANTIZATIONS)}')
    scales = req.f64_tensor('weight_scales')
    _, zp_shape, zps = decode_int_values('weight_zero_points', req.input('weight_zero_points'), {'int64'})
    zps = torch.tensor(zps, dtype=torch.int64).reshape(zp_shape)
    if scales.dim() != 1 or zps.dim() != 1:
        raise OpError('shape_mismatch', f'weight_scales {list(scales.shape)} and weight_zero_points {list(zps.shape)} are rank 1 on the wire')
    if quantization == 'per_channel':
        return torch._make_per_channel_quantized_tensor(w, scales, zps, 0)
    try:
        scale, zero_point = scales.item(), zps.item()
    except (RuntimeError, ValueError) as exc:  # torch 1.13 raises ValueError, 2.6 RuntimeError
        raise OpError('shape_mismatch', f'per_tensor weight qparams: {describe(exc)}') from exc
    return torch._make_per_tensor_quantized_tensor(w, scale, zero_point)


def _channels_short(qw):
    """Whether a per-channel weight has fewer scales than output channels (N)."""
    return qw.qscheme() == torch.per_channel_affine and qw.q_per_channel_scales().numel() < qw.shape[0]


def _weight_scale_checks(qw):
    """The weight scales torch's qnnpack reads, for requant_refusal: the first N, or MISSING_CHANNELS where it reads
    past them (a per-channel weight of fewer than N)."""
    if qw.qscheme() != torch.per_channel_affine:
        return [qw.q_scale()]
    return [MISSING_CHANNELS] if _channels_short(qw) else qw.q_per_channel_scales().tolist()[:qw.shape[0]]


# qnnpack on a per-channel weight of fewer scales than output channels reads past them: what it computes, a garbage
# scale's refusal or its crash is no answer to compare (contract/torch_linear_weight_qparams.ts QNNPACK_READS_PAST_SCALES)
QNNPACK_SHORT_CHANNELS = ('torch qnnpack reads the scales of each output channel i < N past the given ones '
                          '(per_channel weights take one scale per output channel)')


def _qnnpack_run(engine, qw, run, refusal):
    """`run()`'s result; `refusal(exc)` of its RuntimeError. On qnnpack with a per-channel weight of fewer than N
    scales, every answer that comes from reading past them (outputs, a crash) is shape_mismatch; torch's refusals
    before that read (x's rank, the bias's shape, a NaN in x) are kept."""
    short = engine == 'qnnpack' and _channels_short(qw)
    try:
        result = run()
    except RuntimeError as exc:
        mapped = refusal(exc)
        if short and mapped is exc and str(exc).startswith('torch crashed'):
            raise OpError('shape_mismatch', f'{QNNPACK_SHORT_CHANNELS}: {describe(exc)}') from exc
        raise mapped from exc
    if short:
        raise OpError('shape_mismatch', QNNPACK_SHORT_CHANNELS)
    return result


def _bias(req, engine, static):
    """The bias as torch takes it: float32; an int32 one (qconform's accumulator units) only to qnnpack's static linear,
    which refuses it itself in torch's order (QuantizeBias, LINEAR_ERROR_RULES). Elsewhere on the static linear torch
    would compute with the int32 values as real units, so the adapter refuses it (unsupported_by_scheme, as the contract's
    scheme rule); the dynamic linear's bias is float32 by the op's wire contract (docs/protocol.md), so any other dtype is
    a malformed request there, as reference/ and impl/ decode it."""
    obj = req.inputs.get('bias')
    if obj is None:
        return None
    if not static:
        return decode_float('bias', obj, 'float32')
    if obj.get('dtype') == 'int32' and engine == 'qnnpack':
        return decode_int('bias', obj, 'int32', torch.int32)
    if obj.get('dtype') == 'int32':
        raise OpError('unsupported_by_scheme', 'torch takes a float32 bias')
    # any other dtype: malformed, as reference/ and impl/ decode it (a bias is float32 or int32 on the wire)
    return decode_float('bias', obj, 'float32')


def _static(x, x_scale, x_zp, qw, bias, relu, y_scale, y_zp):
    qx = torch._make_per_tensor_quantized_tensor(x, x_scale, x_zp)
    packed = torch.ops.quantized.linear_prepack(qw, bias)
    op = torch.ops.quantized.linear_relu if relu else torch.ops.quantized.linear
    return op(qx, packed, y_scale, y_zp).int_repr()


def _dynamic(x, qw, bias, relu, reduce_range):
    packed = torch.ops.quantized.linear_prepack(qw, bias)
    op = torch.ops.quantized.linear_relu_dynamic if relu else torch.ops.quantized.linear_dynamic
    return op(x, packed, reduce_range)


def op_quantized_linear(req):
    """quantized_linear@1 for the schemes torch-qnnpack@1 and torch-onednn@1 (no check of `accumulator`:
    torch computes as its kernels do on this CPU and the runner judges the outputs)."""
    engine = _engine(req)
    req.takes('accumulator')
    x_dtype, x_shape, x_values = decode_int_values('x', req.input('x'), {'quint8', 'qint8'})
    x = torch.tensor(x_values, dtype=INT_REPR_DTYPES[x_dtype]).reshape(x_shape)
    x_scale, y_scale = req.f64('x_scale'), req.f64('y_scale')
    qw = _weight(req)
    args = (x, x_scale, req.int('x_zero_point'), qw, _bias(req, engine, True), req.bool('relu'), y_scale, req.int('y_zero_point'))
    # qnnpack's requantization scales: x_scale, y_scale, then weight_scales (contract/linear_checks.ts qnnpackStaticOrder)
    y = _qnnpack_run(engine, qw, lambda: _in_fresh_child(_on_engine, engine, _static, *args),
                     lambda exc: requant_refusal(exc, [x_scale, y_scale, *_weight_scale_checks(qw)]))
    return {'y': encode_int(y, x_dtype)}


def op_quantized_linear_dynamic(req):
    """quantized_linear_dynamic@1: float32 x, int8 weight, float32 y, on the scheme's engine (no check of
    `accumulator`, as quantized_linear@1)."""
    engine = _engine(req)
    req.takes('accumulator')
    x = decode_float('x', req.input('x'), 'float32')
    # the bias is decoded before the weight is built: a bias not float32 is malformed, refused before any rule (as dispatch.ts decodes)
    bias = _bias(req, engine, False)
    qw = _weight(req)
    args = (x, qw, bias, req.bool('relu'), req.bool('reduce_range', False))
    # qconform's dynamic linear check scans x before it checks weight_scales (contract/linear_checks.ts)
    y = _qnnpack_run(engine, qw, lambda: _in_fresh_child(_on_engine, engine, _dynamic, *args),
                     lambda exc: requant_refusal(exc, _weight_scale_checks(qw), x, nan_first=engine == 'onednn'))
    return {'y': encode_float(y)}
