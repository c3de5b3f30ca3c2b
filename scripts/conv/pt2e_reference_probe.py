"""Runs torch 2.6's PT2E reference representation of a quantized conv or linear (rewrite.py
_reference_quantized_conv2d, _reference_quantized_linear) on the cases of scripts/conv/pt2e_reference_check.ts: one JSON case per stdin line, one JSON line of outputs per case.
Run inside the torch 2.6 chroot (the check script does it). Scales are float32 tensors and zero points int32
tensors, as the rewrite's example inputs are."""
import json
import sys

import torch
from torch.ao.quantization.pt2e.representation.rewrite import _reference_quantized_conv2d, _reference_quantized_linear

for line in sys.stdin:
    c = json.loads(line)
    f32 = lambda v: torch.tensor([v], dtype=torch.float32)
    i32 = lambda v: torch.tensor([v], dtype=torch.int32)
    x = torch.tensor(c['x'], dtype=torch.int8).reshape(c['x_shape'])
    w = torch.tensor(c['w'], dtype=torch.int8).reshape(c['w_shape'])
    bias = torch.tensor(c['bias'], dtype=torch.float32) if c['bias'] is not None else torch.zeros(c['w_shape'][0], dtype=torch.float32)
    reference_op = _reference_quantized_linear if c.get('kind') == 'linear' else _reference_quantized_conv2d
    y = reference_op(x, f32(c['sx']), i32(c['zx']), i32(-128), i32(127), w, f32(c['sw']), i32(c['zw']), i32(-128), i32(127),
                                    bias, f32(c['sy']), i32(c['zy']), i32(-128), i32(127))
    print(json.dumps({'id': c['id'], 'y': y.reshape(-1).tolist()}), flush=True)
