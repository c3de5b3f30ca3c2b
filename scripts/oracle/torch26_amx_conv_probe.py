"""torch 2.6's onednn quantized::conv2d, one fresh forked child per conv, with the oneDNN implementation that ran.

Reads qconform quantized_conv2d@1 requests (one JSON line each) on stdin and prints one JSON line per request:
{"id", "y" (int_repr values, or null and "error"), "impl" (the convolution implementation names ONEDNN_VERBOSE
printed, e.g. brg_conv_fwd:avx10_1_512_amx)}. Run inside the torch 2.6 chroot with ONEDNN_VERBOSE=1 in the
environment (scripts/oracle/torch26_amx_conv_probe.ts does, once per glibc MALLOC_PERTURB_ setting, to see whether
an output depends on what the allocator's memory held before: a kernel reading memory it never wrote).
"""
import json
import os
import struct
import sys
import tempfile

import torch

torch.set_num_threads(1)


def f64(h):
    return struct.unpack('>d', bytes.fromhex(h))[0]


def f32(h):
    return struct.unpack('>f', bytes.fromhex(h))[0]


def conv(r):
    a, i = r['attrs'], r['inputs']
    torch.backends.quantized.engine = 'onednn'
    x = torch.tensor(i['x']['values'], dtype=torch.uint8).reshape(i['x']['shape'])
    w = torch.tensor(i['weight']['values'], dtype=torch.int8).reshape(i['weight']['shape'])
    ws = [f64(h) for h in i['weight_scales']['hex']]
    wz = i['weight_zero_points']['values']
    qx = torch._make_per_tensor_quantized_tensor(x, f64(a['x_scale']), a['x_zero_point'])
    if a['weight_quantization'] == 'per_channel':
        qw = torch._make_per_channel_quantized_tensor(w, torch.tensor(ws, dtype=torch.float64), torch.tensor(wz, dtype=torch.int64), 0)
    else:
        qw = torch._make_per_tensor_quantized_tensor(w, ws[0], wz[0])
    b = i.get('bias')
    bias = None if b is None else torch.tensor([f32(h) for h in b['hex']], dtype=torch.float32)
    packed = torch.ops.quantized.conv2d_prepack(qw, bias, list(a['stride']), list(a['padding']), list(a['dilation']), a['groups'])
    op = torch.ops.quantized.conv2d_relu if a['relu'] else torch.ops.quantized.conv2d
    return op(qx, packed, f64(a['y_scale']), a['y_zero_point']).int_repr().flatten().tolist()


def in_child(r):
    """The conv in a forked child whose stdout (oneDNN's verbose lines) goes to a file; the parent runs no oneDNN."""
    log = tempfile.TemporaryFile(mode='w+b')
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        os.dup2(log.fileno(), 1)
        try:
            out = {'y': conv(r)}
        except Exception as exc:  # noqa: BLE001 -- carried to the parent
            out = {'y': None, 'error': str(exc).splitlines()[0][:200]}
        sys.stdout.flush()
        os.write(wfd, json.dumps(out).encode())
        os._exit(0)
    os.close(wfd)
    data = b''
    while True:
        chunk = os.read(rfd, 1 << 16)
        if not chunk:
            break
        data += chunk
    os.close(rfd)
    os.waitpid(pid, 0)
    log.seek(0)
    impls = [line.split(',')[6] for line in log.read().decode(errors='replace').splitlines() if ',exec,cpu,convolution,' in line]
    out = json.loads(data) if data else {'y': None, 'error': 'child crashed'}
    out['impl'] = impls
    return out


for line in sys.stdin:
    if line.strip():
        r = json.loads(line)
        print(json.dumps({'id': r['id'], **in_child(r)}), flush=True)
