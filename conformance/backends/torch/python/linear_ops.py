"""quantized::linear / linear_relu and quantized::linear_dynamic / linear_relu_dynamic through the installed
torch, for qconform_torch.py (docs/protocol.md, ops quantized_linear@1 and quantized_linear_dynamic@1). Values
arrive already decoded; this module only builds the torch tensors, picks the engine and runs each call in a
fresh forked child (conv_ops._in_fresh_child: oneDNN's caches, and a crash costs one case).

Torch paths (1.13.1): aten/src/ATen/native/quantized/cpu/qlinear.cpp, qlinear_dynamic.cpp, qlinear_prepack.cpp.
"""

import torch

from conv_ops import SCHEME_ENGINES, _in_fresh_child
from errors import OpError, requant_refusal
from wire import INT_REPR_DTYPES, decode_float, decode_int_values, encode_float, encode_int

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
    # onednn's linear_prepack (qlinear_prepack.cpp PackedLinearWeightsOnednn::prepack): a weight not [N, K], and a
    # per-channel weight of fewer than N zero points (it reads zero point i for each output channel i < N)
    (RuntimeError, r'weight tensor for quantized::linear_prepack \(onednn\) should be 2-dimensional', 'shape_mismatch'),
    (IndexError, r'select\(\): index \d+ out of range for tensor of size', 'shape_mismatch'),
    # onednn's dynamic linear reshapes x to [-1, K] (qlinear_dynamic.cpp), which fails for K = 0 on x of rank >= 3: the
    # linears with K = 0 or N = 0 that torch does not compute are shape_mismatch (contract/linear_checks.ts)
    (RuntimeError, r'cannot reshape tensor of 0 elements into shape \[-1, 0\]', 'shape_mismatch'),
)


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
    w = req.int_tensor('weight', 'qint8', torch.int8)
    scales = req.f64_tensor('weight_scales').tolist()
    _, _, zps = decode_int_values('weight_zero_points', req.input('weight_zero_points'), {'int64'})
    if req.attrs.get('weight_quantization') == 'per_channel':
        return torch._make_per_channel_quantized_tensor(w, torch.tensor(scales, dtype=torch.float64), torch.tensor(zps, dtype=torch.int64), 0)
    return torch._make_per_tensor_quantized_tensor(w, scales[0], zps[0])


def _float_bias(req):
    obj = req.inputs.get('bias')
    if obj is None:
        return None
    if obj.get('dtype') != 'float32':
        raise OpError('unsupported_by_scheme', 'torch takes a float32 bias')
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
    x_dtype, x_shape, x_values = decode_int_values('x', req.input('x'), {'quint8', 'qint8'})
    x = torch.tensor(x_values, dtype=INT_REPR_DTYPES[x_dtype]).reshape(x_shape)
    x_scale, y_scale = req.f64('x_scale'), req.f64('y_scale')
    args = (x, x_scale, req.int('x_zero_point'), _weight(req), _float_bias(req), req.bool('relu'), y_scale, req.int('y_zero_point'))
    try:
        y = _in_fresh_child(_on_engine, engine, _static, *args)
    except RuntimeError as exc:
        # the linear is checked as its 1x1 conv: x_scale, y_scale, then weight_scales (contract/linear_checks.ts)
        raise requant_refusal(exc, [x_scale, y_scale, *req.f64_tensor('weight_scales').tolist()]) from exc
    return {'y': encode_int(y, x_dtype)}


def op_quantized_linear_dynamic(req):
    """quantized_linear_dynamic@1: float32 x, int8 weight, float32 y, on the scheme's engine."""
    engine = _engine(req)
    x = decode_float('x', req.input('x'), 'float32')
    try:
        y = _in_fresh_child(_on_engine, engine, _dynamic, x, _weight(req), _float_bias(req), req.bool('relu'), req.bool('reduce_range', False))
    except RuntimeError as exc:
        # qconform's dynamic linear check scans x before it checks weight_scales (contract/linear_checks.ts)
        raise requant_refusal(exc, req.f64_tensor('weight_scales').tolist(), x, nan_first=engine == 'onednn') from exc
    return {'y': encode_float(y)}
