#!/usr/bin/python3
"""Real-PyTorch oracle backend for the qconform eval protocol (docs/protocol.md, "qconform-eval/1").

Run it with Debian's interpreter, which is the one that has python3-torch 1.13.1:

    /usr/bin/python3 scripts/oracle/torch_backend.py < requests.jsonl > responses.jsonl

It prints one handshake line, then answers every request line on stdin with exactly one response
line, in order, until EOF. Every op is computed by the installed torch: this file only translates
between the wire format and torch calls and never re-implements quantization arithmetic.

Floats cross the wire only as IEEE bit patterns (tensor.view(int) / struct), never as decimal text,
so NaN payloads, -0 and subnormals survive in both directions.

Torch paths cited below are relative to the torch 1.13.1 package / source tree:
observer.py = torch/ao/quantization/observer.py, utils.py = torch/ao/quantization/utils.py.
"""

import json
import os
import re
import resource
import struct
import sys
import traceback
import warnings

import torch
from torch.ao.quantization import observer as tq_observer

import torch_conv

PROTOCOL = 'qconform-eval/1'

# Observers warn about reduce_range deprecation and "must run observer before calling
# calculate_qparams"; stdout carries only protocol lines and stderr should stay quiet.
warnings.simplefilter('ignore')

# Reductions split work across threads above at::internal::GRAIN_SIZE (32768 elements), and the
# thread count changes which of two equal values (+0 / -0) a min/max reduction returns.
torch.set_num_threads(1)

QUANT_DTYPES = {
    'quint8': torch.quint8,
    'qint8': torch.qint8,
    'qint32': torch.qint32,
    'quint4x2': torch.quint4x2,
}

# Storage type of q.int_repr() for the byte-aligned quantized dtypes (quint4x2 is packed, see below).
INT_REPR_DTYPES = {'quint8': torch.uint8, 'qint8': torch.int8, 'qint32': torch.int32}

# Inclusive value range of every integer dtype that appears on the wire.
INT_RANGES = {
    'quint8': (0, 255),
    'qint8': (-128, 127),
    'qint32': (-(2**31), 2**31 - 1),
    'quint4x2': (0, 15),
    'int32': (-(2**31), 2**31 - 1),
    'int64': (-(2**63), 2**63 - 1),
}

QSCHEMES = {
    'per_tensor_affine': torch.per_tensor_affine,
    'per_tensor_symmetric': torch.per_tensor_symmetric,
    'per_channel_affine': torch.per_channel_affine,
    'per_channel_symmetric': torch.per_channel_symmetric,
    'per_channel_affine_float_qparams': torch.per_channel_affine_float_qparams,
}

# Wire names of the tensor dtypes torch returns for scales and zero points.
TORCH_DTYPE_NAMES = {torch.float32: 'float32', torch.int32: 'int32', torch.int64: 'int64'}

# CPU features that decide which kernels run (vectorized reductions, oneDNN/qnnpack paths).
RELEVANT_CPU_FLAGS = (
    'sse4_1', 'sse4_2', 'avx', 'f16c', 'fma', 'avx2',
    'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl',
    'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_int8', 'amx_bf16',
)


class OpError(Exception):
    """A rejection with a code of spec/errors.ts."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def malformed(message):
    return OpError('malformed_request', message)


# ---------------------------------------------------------------------------------------------
# Wire values <-> torch tensors
# ---------------------------------------------------------------------------------------------

_HEX32 = re.compile(r'^[0-9a-fA-F]{8}$')
_HEX64 = re.compile(r'^[0-9a-fA-F]{16}$')


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _to_signed(unsigned, bits):
    return unsigned - (1 << bits) if unsigned >= 1 << (bits - 1) else unsigned


def _checked_shape(name, obj, expected_dtypes):
    """Validates the common tensor envelope and returns (dtype name, shape, element count)."""
    if not isinstance(obj, dict):
        raise malformed(f'{name}: a tensor must be a JSON object')
    dtype = obj.get('dtype')
    if dtype not in expected_dtypes:
        raise malformed(f'{name}: dtype must be one of {sorted(expected_dtypes)}, got {dtype!r}')
    shape = obj.get('shape')
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise malformed(f'{name}: shape must be a list of non-negative integers')
    count = 1
    for d in shape:
        count *= d
    return dtype, shape, count


def decode_float(name, obj, dtype):
    """A float32/float64 wire tensor ({"hex": [...]}) -> torch tensor with exactly those bits."""
    _, shape, count = _checked_shape(name, obj, {dtype})
    pattern, bits, int_dtype, float_dtype = (
        (_HEX32, 32, torch.int32, torch.float32) if dtype == 'float32' else (_HEX64, 64, torch.int64, torch.float64)
    )
    words = obj.get('hex')
    if not isinstance(words, list) or len(words) != count:
        raise malformed(f'{name}: "hex" must list {count} elements for shape {shape}')
    if not all(isinstance(w, str) and pattern.match(w) for w in words):
        raise malformed(f'{name}: every element must be {bits // 4} hex digits')
    ints = [_to_signed(int(w, 16), bits) for w in words]
    return torch.tensor(ints, dtype=int_dtype).view(float_dtype).reshape(shape)


def encode_float(tensor):
    """A float32/float64 torch tensor -> wire tensor, bit-exact."""
    if tensor.dtype == torch.float32:
        int_dtype, mask, digits, name = torch.int32, 0xFFFFFFFF, 8, 'float32'
    elif tensor.dtype == torch.float64:
        int_dtype, mask, digits, name = torch.int64, 0xFFFFFFFFFFFFFFFF, 16, 'float64'
    else:
        raise TypeError(f'encode_float: unexpected dtype {tensor.dtype}')
    words = tensor.contiguous().reshape(-1).view(int_dtype).tolist()
    return {'dtype': name, 'shape': list(tensor.shape), 'hex': [format(w & mask, f'0{digits}x') for w in words]}


def decode_int_values(name, obj, allowed_dtypes):
    """An integer wire tensor -> (dtype name, shape, list of Python ints), range-checked for its dtype."""
    dtype, shape, count = _checked_shape(name, obj, allowed_dtypes)
    values = obj.get('values')
    if not isinstance(values, list) or len(values) != count:
        raise malformed(f'{name}: "values" must list {count} elements for shape {shape}')
    lo, hi = INT_RANGES[dtype]
    for v in values:
        if not _is_int(v) or not lo <= v <= hi:
            raise OpError('invalid_integer', f'{name}: {v!r} is not a {dtype} value (range [{lo}, {hi}])')
    return dtype, shape, values


def decode_int(name, obj, dtype, torch_dtype):
    """An integer wire tensor of exactly `dtype` -> torch tensor of `torch_dtype`."""
    _, shape, values = decode_int_values(name, obj, {dtype})
    return torch.tensor(values, dtype=torch_dtype).reshape(shape)


def encode_int(tensor, dtype_name):
    return {'dtype': dtype_name, 'shape': list(tensor.shape), 'values': tensor.reshape(-1).tolist()}


def encode_tensor(tensor):
    """A scale / zero point / observer buffer, in torch's own dtype."""
    if tensor.dtype == torch.float32:
        return encode_float(tensor)
    return encode_int(tensor, TORCH_DTYPE_NAMES[tensor.dtype])


# quint4x2 packs two values per byte over the flattened tensor: element i lives in the low (i even)
# or high (i odd) nibble of byte i // 2 (aten/src/ATen/native/quantized/cpu/QuantizedOpKernels.cpp,
# quantize_tensor_per_*_impl for sub-byte types; confirmed with int_repr()).

def _unpack_quint4x2(packed, count):
    data = packed.reshape(-1).tolist()
    return [(data[i // 2] >> (4 * (i % 2))) & 0xF for i in range(count)]


def _pack_quint4x2(values):
    packed = [0] * ((len(values) + 1) // 2)
    for i, v in enumerate(values):
        packed[i // 2] |= v << (4 * (i % 2))
    return packed


def encode_quantized(q, dtype_name):
    """A quantized torch tensor -> wire integer tensor of its stored values."""
    shape = list(q.shape)
    if dtype_name == 'quint4x2':
        return {'dtype': dtype_name, 'shape': shape, 'values': _unpack_quint4x2(q.int_repr(), q.numel())}
    return encode_int(q.int_repr(), dtype_name)


def _fill_quint4x2(q, values):
    """Writes unpacked quint4x2 values into the storage of an empty quint4x2 tensor `q`."""
    untyped = q.storage().untyped()
    raw = torch.tensor([], dtype=torch.uint8).set_(torch.storage.TypedStorage(wrap_storage=untyped, dtype=torch.uint8))
    packed = _pack_quint4x2(values)
    raw[: len(packed)].copy_(torch.tensor(packed, dtype=torch.uint8))
    return q


def make_per_tensor_q(name, obj, scale, zero_point):
    """Builds the per-tensor quantized tensor whose int_repr is the wire tensor `obj`."""
    dtype, shape, values = decode_int_values(name, obj, set(QUANT_DTYPES))
    if dtype == 'quint4x2':
        q = torch._empty_affine_quantized(shape, scale=scale, zero_point=zero_point, dtype=torch.quint4x2)
        return _fill_quint4x2(q, values)
    int_repr = torch.tensor(values, dtype=INT_REPR_DTYPES[dtype]).reshape(shape)
    return torch._make_per_tensor_quantized_tensor(int_repr, scale, zero_point)


def make_per_channel_q(name, obj, scales, zero_points, axis):
    """Builds the per-channel quantized tensor whose int_repr is the wire tensor `obj`.

    Float zero points give per_channel_affine_float_qparams, integer ones per_channel_affine.
    """
    dtype, shape, values = decode_int_values(name, obj, set(QUANT_DTYPES))
    if dtype == 'quint4x2':
        q = torch._empty_per_channel_affine_quantized(
            shape, scales=scales, zero_points=zero_points, axis=axis, dtype=torch.quint4x2
        )
        return _fill_quint4x2(q, values)
    int_repr = torch.tensor(values, dtype=INT_REPR_DTYPES[dtype]).reshape(shape)
    return torch._make_per_channel_quantized_tensor(int_repr, scales, zero_points, axis)


# ---------------------------------------------------------------------------------------------
# Typed access to one request
# ---------------------------------------------------------------------------------------------

_REQUIRED = object()


class Request:
    """One request's attrs and inputs; every wire-format violation raises malformed_request."""

    def __init__(self, attrs, inputs):
        if not isinstance(attrs, dict) or not isinstance(inputs, dict):
            raise malformed('"attrs" and "inputs" must be JSON objects')
        self.attrs = attrs
        self.inputs = inputs

    def _attr(self, name, default):
        value = self.attrs.get(name)
        if value is None:
            if default is _REQUIRED:
                raise malformed(f'attribute {name!r} is required')
            return default
        return value

    def f64(self, name, default=_REQUIRED):
        """A scalar float attribute: 16 hex digits of a binary64 bit pattern -> Python float."""
        value = self._attr(name, default)
        if value is default:
            return value
        if not isinstance(value, str) or not _HEX64.match(value):
            raise malformed(f'attribute {name!r} must be 16 hex digits (a float64 bit pattern)')
        return struct.unpack('>d', bytes.fromhex(value))[0]

    def int(self, name, default=_REQUIRED):
        value = self._attr(name, default)
        if value is not default and not _is_int(value):
            raise malformed(f'attribute {name!r} must be a JSON integer')
        return value

    def bool(self, name, default=_REQUIRED):
        value = self._attr(name, default)
        if value is not default and not isinstance(value, bool):
            raise malformed(f'attribute {name!r} must be true or false')
        return value

    def dtype(self, name='dtype', default=_REQUIRED):
        value = self._attr(name, default)
        if value is default:
            return value
        if value not in QUANT_DTYPES:
            raise OpError('invalid_dtype', f'{name}: {value!r} is not one of {sorted(QUANT_DTYPES)}')
        return value

    def qscheme(self, name='qscheme', default=_REQUIRED):
        value = self._attr(name, default)
        if value is default:
            return value
        if value not in QSCHEMES:
            raise OpError('invalid_qscheme', f'{name}: {value!r} is not one of {sorted(QSCHEMES)}')
        return QSCHEMES[value]

    def input(self, name):
        if name not in self.inputs:
            raise malformed(f'input {name!r} is required')
        return self.inputs[name]

    def f32(self, name):
        return decode_float(name, self.input(name), 'float32')

    def f64_tensor(self, name):
        return decode_float(name, self.input(name), 'float64')

    def int_tensor(self, name, dtype, torch_dtype):
        return decode_int(name, self.input(name), dtype, torch_dtype)

    def batches(self, name='batches'):
        value = self.input(name)
        if not isinstance(value, list):
            raise malformed(f'input {name!r} must be a JSON array of float32 tensors')
        return [decode_float(f'{name}[{i}]', b, 'float32') for i, b in enumerate(value)]

    def observer_kwargs(self, *names):
        """Keyword arguments for an observer constructor: only the attrs that are given, so that
        torch's own defaults apply to the rest ("null means not given")."""
        readers = {
            'dtype': lambda n: QUANT_DTYPES[self.dtype(n)],
            'qscheme': self.qscheme,
            'reduce_range': self.bool,
            'quant_min': self.int,
            'quant_max': self.int,
            'ch_axis': self.int,
            'eps': self.f64,
            'averaging_constant': self.f64,
            'bins': self.int,
            'upsample_rate': self.int,
        }
        return {n: readers[n](n) for n in names if self.attrs.get(n) is not None}


# ---------------------------------------------------------------------------------------------
# Ops: one function per op, each (Request) -> outputs dict
# ---------------------------------------------------------------------------------------------

QPARAMS_ATTRS = ('dtype', 'qscheme', 'reduce_range', 'quant_min', 'quant_max', 'eps')


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
    y = torch.fake_quantize_per_channel_affine(
        req.f32('x'),
        req.f32('scales'),
        req.int_tensor('zero_points', 'int32', torch.int32),
        req.int('axis'),
        req.int('quant_min'),
        req.int('quant_max'),
    )
    return {'y': encode_float(y)}


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


def op_placeholder_observer(req):
    # PlaceholderObserver.calculate_qparams always raises (observer.py l.1345).
    observer = tq_observer.PlaceholderObserver(dtype=QUANT_DTYPES[req.dtype()])
    for batch in req.batches():
        observer(batch)
    observer.calculate_qparams()
    raise RuntimeError('PlaceholderObserver.calculate_qparams unexpectedly returned')


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


def op_histogram_observer(req):
    """histogram_observer@1: HistogramObserver(bins, upsample_rate, dtype, qscheme, reduce_range, quant_min,
    quant_max, eps), forward on each batch, calculate_qparams. sum_lane_width must be this ATen's float lanes."""
    lanes = req.int('sum_lane_width', 8)
    native = 16 if cpu_capability() == 'AVX512' else 8
    if lanes != native:
        raise OpError('histogram_config_invalid', f'this torch runs ATen capability {cpu_capability()}: its sums use {native} lanes, not {lanes}')
    observer = tq_observer.HistogramObserver(**req.observer_kwargs(*QPARAMS_ATTRS, 'bins', 'upsample_rate'))
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


def op_quantized_conv2d(req):
    """quantized_conv2d@1 for the schemes torch-qnnpack@1 and torch-onednn@1 (torch_conv.py)."""
    scheme = req.attrs.get('scheme')
    engine = torch_conv.SCHEME_ENGINES.get(scheme)
    if engine is None:
        raise OpError('unknown_scheme', f'scheme {scheme!r}: this backend runs {sorted(torch_conv.SCHEME_ENGINES)}')
    groups = req.int('groups')
    accumulator = torch_conv.expected_accumulator(engine, groups, cpu_flags())
    if req.attrs.get('accumulator') != accumulator:
        raise OpError('backend_error', f'on this CPU {engine} accumulates as {accumulator!r}, the request asks for {req.attrs.get("accumulator")!r}')
    pairs = {}
    for name in ('stride', 'padding', 'dilation'):
        value = req.attrs.get(name)
        if not (isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)):
            raise malformed(f'attribute {name!r} must be a pair of integers')
        pairs[name] = value
    x_dtype, x_shape, x_values = decode_int_values('x', req.input('x'), {'quint8', 'qint8'})
    x = torch.tensor(x_values, dtype=INT_REPR_DTYPES[x_dtype]).reshape(x_shape)
    w = req.int_tensor('weight', 'qint8', torch.int8)
    w_scales = req.f64_tensor('weight_scales').tolist()
    _, _, w_zps = decode_int_values('weight_zero_points', req.input('weight_zero_points'), {'int64'})
    bias_obj = req.inputs.get('bias')
    if bias_obj is not None and bias_obj.get('dtype') != 'float32':
        raise OpError('unsupported_by_scheme', 'torch takes a float32 bias')
    bias = None if bias_obj is None else decode_float('bias', bias_obj, 'float32')
    y = torch_conv.quantized_conv2d(
        engine, x, req.f64('x_scale'), req.int('x_zero_point'), w, req.attrs.get('weight_quantization'), w_scales, w_zps, bias,
        pairs['stride'], pairs['padding'], pairs['dilation'], groups, req.bool('relu'), req.f64('y_scale'), req.int('y_zero_point'),
    )
    return {'y': encode_int(y, x_dtype)}


OPS = {
    'quantized_conv2d@1': op_quantized_conv2d,
    'calculate_qmin_qmax@1': op_calculate_qmin_qmax,
    'calculate_qparams@1': op_calculate_qparams,
    'quantize_per_tensor@1': op_quantize_per_tensor,
    'quantize_per_channel@1': op_quantize_per_channel,
    'dequantize_per_tensor@1': op_dequantize_per_tensor,
    'dequantize_per_channel@1': op_dequantize_per_channel,
    'quantize_per_channel_float_qparams@1': op_quantize_per_channel_float_qparams,
    'dequantize_per_channel_float_qparams@1': op_dequantize_per_channel_float_qparams,
    'fake_quantize_per_tensor_affine@1': op_fake_quantize_per_tensor_affine,
    'fake_quantize_per_channel_affine@1': op_fake_quantize_per_channel_affine,
    'min_max_observer@1': op_min_max_observer,
    'moving_average_min_max_observer@1': op_moving_average_min_max_observer,
    'per_channel_min_max_observer@1': op_per_channel_min_max_observer,
    'moving_average_per_channel_min_max_observer@1': op_moving_average_per_channel_min_max_observer,
    'fixed_qparams_observer@1': op_fixed_qparams_observer,
    'placeholder_observer@1': op_placeholder_observer,
    # histogram_observer@2 (torch 2.x) is modeled from source only: this torch cannot run it
    'histogram_observer@1': op_histogram_observer,
}


# ---------------------------------------------------------------------------------------------
# Torch exceptions -> spec/errors.ts codes
# ---------------------------------------------------------------------------------------------

# (exception type, message pattern, code), first match wins. Messages as raised by torch 1.13.1.
ERROR_RULES = (
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
    (RuntimeError, r'`axis` must be between 0 and number of dimensions', 'axis_out_of_range'),
    # FixedQParamsObserver stores zero_point in an int32 buffer
    (RuntimeError, r'cannot be converted to type int32 without overflow', 'zero_point_out_of_range'),
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


ERROR_RULES += torch_conv.CONV_ERROR_RULES


def classify(exc):
    """The error code for an exception raised while running an op."""
    if isinstance(exc, OpError):
        return exc.code
    text = str(exc)
    for exc_type, pattern, code in ERROR_RULES:
        if isinstance(exc, exc_type) and re.search(pattern, text):
            return code
    return 'backend_error'


def describe(exc):
    if isinstance(exc, OpError):
        return exc.message
    first_line = str(exc).strip().split('\n')[0]
    return f'{type(exc).__name__}: {first_line}'


# ---------------------------------------------------------------------------------------------
# Protocol loop
# ---------------------------------------------------------------------------------------------

def select_engine(argv):
    """`--engine qnnpack|onednn|...` (or env QCONFORM_TORCH_ENGINE) sets torch.backends.quantized.engine,
    which picks the kernels of quantized ops; without it torch's default engine is kept."""
    engine = os.environ.get('QCONFORM_TORCH_ENGINE')
    if '--engine' in argv:
        engine = argv[argv.index('--engine') + 1]
    if engine:
        torch.backends.quantized.engine = engine
    return engine


def handshake():
    return {
        'protocol': PROTOCOL,
        'backend': f'torch-{torch.backends.quantized.engine}',
        'version': torch.__version__,
        'ops': list(OPS),
        'info': {
            'cpu_flags': cpu_flags(),
            'cpu_capability': cpu_capability(),
            'engines': list(torch.backends.quantized.supported_engines),
            'engine': torch.backends.quantized.engine,
            'num_threads': torch.get_num_threads(),
            'conv_accumulators': torch_conv.accumulator_report(cpu_flags()),
            'python': sys.version,
        },
    }


def cpu_flags():
    """The relevant feature flags of the first CPU in /proc/cpuinfo (empty if unreadable)."""
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('flags'):
                    present = set(line.split(':', 1)[1].split())
                    return [flag for flag in RELEVANT_CPU_FLAGS if flag in present]
    except OSError:
        pass
    return []


def cpu_capability():
    """ATen's dispatch level (DEFAULT / AVX2 / AVX512), as torch.__config__.show() reports it."""
    match = re.search(r'CPU capability usage:\s*(\S+)', torch.__config__.show())
    return match.group(1) if match else None


def answer(line):
    """The response object for one request line; never raises."""
    request_id = None
    try:
        try:
            message = json.loads(line)
        except ValueError as exc:
            raise malformed(f'not JSON: {exc}') from exc
        if not isinstance(message, dict):
            raise malformed('a request must be a JSON object')
        request_id = message.get('id')
        op_name = message.get('op')
        if not isinstance(op_name, str):
            raise malformed('"op" must be a string')
        op = OPS.get(op_name)
        if op is None:
            raise OpError('unknown_op', f'op {op_name!r} is not implemented by this backend')
        request = Request(message.get('attrs', {}), message.get('inputs', {}))
        return {'id': request_id, 'outputs': op(request)}
    except Exception as exc:  # noqa: BLE001 -- every failure must become one response line
        return {'id': request_id, 'error': {'code': classify(exc), 'message': describe(exc)}}


def write_line(obj):
    sys.stdout.write(json.dumps(obj, separators=(',', ':')) + '\n')
    sys.stdout.flush()


def main():
    select_engine(sys.argv)
    write_line(handshake())
    for line in sys.stdin:
        if line.strip():  # blank lines carry no request
            write_line(answer(line))


if __name__ == '__main__':
    main()
