"""quantized::conv2d / conv2d_relu through the installed torch, for qconform_torch.py (docs/protocol.md,
op quantized_conv2d@1). Values arrive already decoded; this module only builds the torch tensors, picks
the engine and isolates oneDNN runs; which accumulator the kernels use is onednn_accumulator.ts.

Torch paths (1.13.1): aten/src/ATen/native/quantized/cpu/qconv.cpp, qconv_prepack.cpp.
"""

import os
import pickle
import re
import signal

import torch

from errors import OpError, malformed, requant_refusal
from onednn_paths import onednn_isa
from wire import INT_REPR_DTYPES, _is_int, decode_float, decode_int_values, encode_int

# (exception type, message pattern, code of contract/errors.ts), as torch 1.13.1 raises them for conv.
CONV_ERROR_RULES = (
    # qnnpack prepack: the weight's input channels differ from C / groups (the generators only do this
    # through a groups that does not divide C); oneDNN refuses the same geometry in its descriptor.
    (RuntimeError, r'Input channel size of weight and bias must match', 'invalid_geometry'),
    (RuntimeError, r'could not create a descriptor for a dilated convolution', 'invalid_geometry'),
    # torch 2.6 (oneDNN 3.7) refuses the same geometries (a groups that does not divide C) with this message
    (RuntimeError, r'could not create a primitive descriptor for the convolution forward propagation primitive', 'invalid_geometry'),
    (RuntimeError, r'each dimension of output tensor should be greater than 0', 'empty_output'),
    # a negative output height or width reaches at::_empty_affine_quantized on an empty batch (N = 0, both engines) and
    # on onednn (any N): qconform's contract refuses it as empty_output (contract/conv_checks.ts)
    (RuntimeError, r'Trying to create tensor with negative dimension', 'empty_output'),
    (RuntimeError, r'expected bias to be 1-dimensional|bias should have K elements', 'shape_mismatch'),
    (RuntimeError, r'ONEDNN only supports symmetric quantization of weight', 'unsupported_by_scheme'),
    (RuntimeError, r'data type of input should be QUint8', 'unsupported_by_scheme'),
)

# requantization scheme (contract/conv.ts) -> torch.backends.quantized.engine. qnnpack computes as in 1.13;
# torch 2.x's onednn (oneDNN 3.x) requantizes with other float32 steps: torch-onednn@2.
TORCH_MAJOR = int(torch.__version__.split('.')[0])
SCHEME_ENGINES = {'torch-qnnpack@1': 'qnnpack', ('torch-onednn@2' if TORCH_MAJOR >= 2 else 'torch-onednn@1'): 'onednn'}


def accumulator_report(flags):
    """Handshake provenance: which accumulator applies per engine on this machine."""
    isa = onednn_isa(flags)
    if isa is None:
        onednn = 'not modelled on this CPU (AVX512 without VNNI, or AVX-VNNI without AVX512)'
    elif isa == 'avx512_vnni':
        onednn = 'int32_wrap'
    else:
        onednn = (f'{isa}: sat16_pairs_f32_zp for the 1x1 kernel (groups 1, 1x1, padding 0, stride 1 or tiling), sat16_pairs for '
                  'other groups == 1 convs and grouped ones whose per-group channel counts are multiples of 4, '
                  'else int32_wrap')
    return {'qnnpack': 'int32_wrap', 'onednn': onednn}


def _conv(engine, *args):
    """Runs on `engine` and restores the process's engine, which the other ops see."""
    previous = torch.backends.quantized.engine
    torch.backends.quantized.engine = engine
    try:
        return _conv_on_current_engine(*args)
    finally:
        torch.backends.quantized.engine = previous


def _conv_on_current_engine(x, x_scale, x_zp, w, w_quant, w_scales, w_zps, bias, stride, padding, dilation, groups, relu, y_scale, y_zp):
    qx = torch._make_per_tensor_quantized_tensor(x, x_scale, x_zp)
    if w_quant == 'per_channel':
        qw = torch._make_per_channel_quantized_tensor(
            w, torch.tensor(w_scales, dtype=torch.float64), torch.tensor(w_zps, dtype=torch.int64), 0
        )
    else:
        qw = torch._make_per_tensor_quantized_tensor(w, w_scales[0], w_zps[0])
    packed = torch.ops.quantized.conv2d_prepack(qw, bias, list(stride), list(padding), list(dilation), groups)
    op = torch.ops.quantized.conv2d_relu if relu else torch.ops.quantized.conv2d
    return op(qx, packed, y_scale, y_zp).int_repr()


# A forked child that has not answered after this many seconds is ended by SIGALRM (its default action): a torch call
# that corrupts its heap (qnnpack on a kernel longer than the padded input, conv_ops._qnnpack_window_assert) usually
# dies of SIGABRT or SIGSEGV, but was seen to hang in glibc's abort path instead (torch 2.6, about one run in three of
# tests/backends/torch_conv_output_size.test.ts), which held the whole request until the runner's 60 s timeout.
# Every conv and linear the vectors and tests send finishes in well under a second.
CHILD_SECONDS = 20


def _in_fresh_child(fn, *args):
    """Runs fn in a forked child and returns its result or re-raises its exception.

    oneDNN/ideep in torch 1.13 caches the conv primitive by shapes and scales but not by the output zero
    point: a second call that differs only in y_zero_point reuses the first one's (observed here: outputs
    off by 110). The parent never runs a oneDNN conv, so every child starts with empty caches; verified
    by running zero points 10, 120, 10, 77 in sequence, each equal to a fresh process's result.
    A child that does not answer within CHILD_SECONDS dies of SIGALRM ("torch crashed (signal SIGALRM)").
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(CHILD_SECONDS)
        os.close(read_fd)
        try:
            payload = pickle.dumps(('ok', fn(*args)))
        except Exception as exc:  # noqa: BLE001 -- carried to the parent
            payload = pickle.dumps(('error', exc))
        with os.fdopen(write_fd, 'wb') as f:
            f.write(payload)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, 'rb') as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        how = f'signal {signal.Signals(os.WTERMSIG(status)).name}' if os.WIFSIGNALED(status) else f'wait status {status}'
        raise RuntimeError(f'torch crashed ({how}) in a forked child')
    kind, value = pickle.loads(data)
    if kind == 'error':
        raise value
    return value


def quantized_conv2d(engine, *args):
    """The int_repr of quantized::conv2d(_relu) on `engine`, always in a fresh forked child: oneDNN for
    its cache (above), qnnpack because some invalid geometries crash it (SIGSEGV) instead of raising."""
    return _in_fresh_child(_conv, engine, *args)


# torch 1.13 qconv.cpp:1036 (2.6: :1021) TORCH_INTERNAL_ASSERT(run_status == pytorch_qnnp_status_success, ...), or the
# forked child's death (_in_fresh_child): such geometries were seen to kill torch with SIGSEGV or SIGFPE
QNNPACK_RUN_ASSERT = re.compile(
    r'run_status == pytorch_qnnp_status_success INTERNAL ASSERT FAILED.*failed to run quantized::conv2d \(qnnpack\) operator'
    r'|^torch crashed \(signal SIG[A-Z]+\) in a forked child$', re.S)


def _qnnpack_window_assert(exc, x_shape, w_shape, pairs):
    """Whether `exc` is qnnpack's failed run of a conv whose padded input is shorter than its dilated kernel: torch sizes
    the output with C division (1 for a numerator in (-stride, 0)), qnnpack again in size_t (qnnpack/include/conv_utils.h
    compute_output_dimension), which wraps: its indirection buffer cannot be allocated (the assert), or torch dies
    (SIGSEGV, SIGFPE), depending on the geometry. qconform's contract refuses it as empty_output (contract/conv_checks.ts
    checkQnnpackWindow)."""
    if not QNNPACK_RUN_ASSERT.search(str(exc)) or len(x_shape) != 4 or x_shape[0] == 0:
        return False
    return any(
        x_shape[2 + i] + 2 * pairs['padding'][i] < pairs['dilation'][i] * (w_shape[2 + i] - 1) + 1 for i in (0, 1)
    )


TORCH_CRASHED = re.compile(r'^torch crashed \(signal SIG[A-Z]+\) in a forked child$')


def _onednn37_padding_columns_death(exc, x_shape, w_shape, pairs):
    """Whether `exc` is torch 2.6 onednn's death (SIGSEGV in oneDNN 3.7's brg_conv_fwd) on a conv whose every output column
    lies wholly in the padding, with two or more columns and dilation_w > 1: qconform's contract refuses it as
    unsupported_by_scheme on torch-onednn@2 (contract/onednn37_padding_columns.ts onednn37PaddingColumnsDie)."""
    if TORCH_MAJOR < 2 or not TORCH_CRASHED.search(str(exc)) or len(x_shape) != 4 or x_shape[0] == 0:
        return False
    width, kernel = x_shape[3], w_shape[3]
    stride, padding, dilation = pairs['stride'][1], pairs['padding'][1], pairs['dilation'][1]
    if dilation <= 1 or stride <= 0:
        return False
    numerator = width + 2 * padding - dilation * (kernel - 1) - 1
    columns = int(numerator / stride) + 1  # torch's C division (contract/conv.ts torchConvOutputSize)
    return columns >= 2 and not any(
        0 <= o * stride - padding + k * dilation < width for o in range(columns) for k in range(kernel))


def op_quantized_conv2d(req):
    """quantized_conv2d@1 for the schemes torch-qnnpack@1 and torch-onednn@1 (py)."""
    scheme = req.attrs.get('scheme')
    engine = SCHEME_ENGINES.get(scheme)
    if engine is None:
        raise OpError('unknown_scheme', f'scheme {scheme!r}: this backend runs {sorted(SCHEME_ENGINES)}')
    groups = req.int('groups')
    pairs = {}
    for name in ('stride', 'padding', 'dilation'):
        value = req.attrs.get(name)
        if not (isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)):
            raise malformed(f'attribute {name!r} must be a pair of integers')
        pairs[name] = value
    x_dtype, x_shape, x_values = decode_int_values('x', req.input('x'), {'quint8', 'qint8'})
    x = torch.tensor(x_values, dtype=INT_REPR_DTYPES[x_dtype]).reshape(x_shape)
    w = req.int_tensor('weight', 'qint8', torch.int8)
    # No check of the request's `accumulator`: torch computes as its kernels do on this CPU, and the runner
    # judges the outputs (a case that asks for another accumulator then fails, and identification names it).
    req.takes('accumulator')
    w_scales = req.f64_tensor('weight_scales').tolist()
    _, _, w_zps = decode_int_values('weight_zero_points', req.input('weight_zero_points'), {'int64'})
    bias_obj = req.inputs.get('bias')
    if bias_obj is not None and bias_obj.get('dtype') != 'float32':
        raise OpError('unsupported_by_scheme', 'torch takes a float32 bias')
    bias = None if bias_obj is None else decode_float('bias', bias_obj, 'float32')
    x_scale, y_scale = req.f64('x_scale'), req.f64('y_scale')
    try:
        y = quantized_conv2d(
            engine, x, x_scale, req.int('x_zero_point'), w, req.attrs.get('weight_quantization'), w_scales, w_zps, bias,
            pairs['stride'], pairs['padding'], pairs['dilation'], groups, req.bool('relu'), y_scale, req.int('y_zero_point'),
        )
    except RuntimeError as exc:
        if engine == 'qnnpack' and _qnnpack_window_assert(exc, x_shape, list(w.shape), pairs):
            raise OpError('empty_output', f'qnnpack cannot run a kernel longer than the padded input: {exc}') from exc
        if engine == 'onednn' and _onednn37_padding_columns_death(exc, x_shape, list(w.shape), pairs):
            raise OpError('unsupported_by_scheme', f'onednn (oneDNN 3.7) dies on a conv whose every output column lies in the padding: {exc}') from exc
        # qconform's contract checks x_scale, y_scale, then weight_scales (contract/conv_checks.ts checkQparams)
        raise requant_refusal(exc, [x_scale, y_scale, *w_scales]) from exc
    return {'y': encode_int(y, x_dtype)}
