"""Wire values (docs/protocol.md) <-> torch tensors, and typed access to one request's attrs and inputs.

Floats cross the wire only as IEEE bit patterns (tensor.view(int) / struct), never as decimal text,
so NaN payloads, -0 and subnormals survive in both directions.
"""

import re
import struct

import torch

from errors import OpError, malformed

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


class _Fields(dict):
    """A request's attrs or inputs that notes every name looked up (get, [], in), present or not: after the op ran,
    a present field it never looked up is one the op does not take (Request.refuse_unread). No op enumerates it."""

    def __init__(self, raw):
        super().__init__(raw)
        self.looked = []

    def _note(self, name):
        if name not in self.looked:
            self.looked.append(name)

    def get(self, name, default=None):
        self._note(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self._note(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self._note(name)
        return super().__contains__(name)

    def unread(self):
        """The present (not null) fields never looked up, in the request's order."""
        return [k for k, v in self.items() if k not in self.looked and v is not None]


class Request:
    """One request's attrs and inputs; every wire-format violation raises malformed_request."""

    def __init__(self, attrs, inputs):
        if not isinstance(attrs, dict) or not isinstance(inputs, dict):
            raise malformed('"attrs" and "inputs" must be JSON objects')
        self.attrs = _Fields(attrs)
        self.inputs = _Fields(inputs)

    def takes(self, *names):
        """Attributes the op takes but this adapter does not pass to torch (qconform's own, such as `accumulator`:
        torch computes as its kernels do and the runner judges the outputs): looked up, so never refused as unknown."""
        for name in names:
            self.attrs.get(name)

    def refuse_unread(self, op):
        """malformed_request for the first present field of the inputs, then of the attrs, that the op never looked
        up: a field it does not take (a misnamed input would otherwise be computed as absent and answered as if
        correct). The TypeScript protocol's check (conformance/protocol/request_fields.ts refuseUnread), run once the op
        has answered: an adapter op reads its fields as it calls torch. The built-in torch backends refuse such a field
        before this process sees the request (conformance/backends/unread_fields_first.ts); this is the fallback of the
        adapter run alone."""
        for section, noun, fields in (('inputs', 'input', self.inputs), ('attrs', 'attribute', self.attrs)):
            unread = fields.unread()
            if unread:
                takes = ', '.join(fields.looked) or 'none'
                raise malformed(f'{op}: {section}.{unread[0]}: {op} takes no {noun} {unread[0]}; its {section}: {takes}')

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


