#!/usr/bin/env python3
"""A qconform backend in plain Python (no torch, no numpy): quantize_per_tensor@1 for quint8 and qint8.

It speaks docs/protocol.md on stdin/stdout: one handshake line with its claims, then one response line
per request line. Validate it with

    npx qconform run --backend "python3 examples/python_backend/qconform_backend.py" --op quantize_per_tensor

The arithmetic is torch 1.13's quantize_val: q = clamp(trunc(f32(f32(zp) + nearbyint(f32(x * f32(1 / f32(scale)))))))
with nearbyint rounding half to even, truncation giving INT64_MIN for NaN/inf/overflow, and the clamp
to the dtype's range.
"""
import json
import math
import struct
import sys

RANGES = {'quint8': (0, 255), 'qint8': (-128, 127)}
INT64_MIN = -(2**63)


class OpError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def f32(v):
    """Round a Python float to the nearest float32 (half to even); overflow gives infinity."""
    try:
        return struct.unpack('<f', struct.pack('<f', v))[0]
    except OverflowError:
        return math.copysign(math.inf, v)


def f32_from_hex(word):
    return struct.unpack('>f', bytes.fromhex(word))[0]


def f64_from_hex(word):
    return struct.unpack('>d', bytes.fromhex(word))[0]


def trunc64(t):
    """static_cast<int64_t>(float) on x86: INT64_MIN for NaN, infinities and |t| >= 2^63."""
    return INT64_MIN if math.isnan(t) or abs(t) >= 2.0**63 else int(t)


def quantize_per_tensor(attrs, inputs):
    dtype = attrs.get('dtype')
    if dtype not in RANGES:
        raise OpError('invalid_dtype', f'dtype {dtype!r} is not supported here')
    lo, hi = RANGES[dtype]
    zero_point = attrs.get('zero_point')
    if not isinstance(zero_point, int) or isinstance(zero_point, bool):
        raise OpError('invalid_integer', f'zero_point {zero_point!r} is not an integer')
    if not lo <= zero_point <= hi:
        raise OpError('zero_point_out_of_range', f'zero_point {zero_point} outside [{lo}, {hi}]')
    scale = f64_from_hex(attrs['scale'])
    if not math.isfinite(scale):
        raise OpError('scale_not_finite', f'scale {scale}')
    if not scale > 0:
        raise OpError('scale_not_positive', f'scale {scale}')
    scale32 = f32(scale)
    inv = f32(1.0 / scale32) if scale32 != 0 else math.inf
    zp32 = f32(float(zero_point))
    x = inputs['x']
    values = []
    for word in x['hex']:
        v = f32(f32_from_hex(word) * inv)
        r = float(round(v)) if math.isfinite(v) else v  # round(): half to even, like nearbyint
        values.append(min(max(trunc64(f32(zp32 + r)), lo), hi))
    return {'q': {'dtype': dtype, 'shape': x['shape'], 'values': values}}


OPS = {'quantize_per_tensor@1': quantize_per_tensor}

HANDSHAKE = {
    'protocol': 'qconform-eval/1',
    'backend': 'python-example',
    'version': '0.1.0',
    'ops': list(OPS),
    'capabilities': {'schemes': ['torch-1.13'], 'dtypes': list(RANGES)},
    'info': {'python': sys.version.split()[0]},
}


def answer(line):
    request = json.loads(line)
    op = OPS.get(request.get('op'))
    try:
        if op is None:
            raise OpError('unknown_op', f"{request.get('op')} is not implemented")
        return {'id': request['id'], 'outputs': op(request.get('attrs', {}), request.get('inputs', {}))}
    except OpError as e:
        return {'id': request['id'], 'error': {'code': e.code, 'message': str(e)}}
    except (KeyError, TypeError, ValueError) as e:
        return {'id': request['id'], 'error': {'code': 'malformed_request', 'message': repr(e)}}


def main():
    print(json.dumps(HANDSHAKE), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(answer(line)), flush=True)


if __name__ == '__main__':
    main()
