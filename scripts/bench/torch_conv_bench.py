#!/usr/bin/python3
"""Times quantized::conv2d on the bench layer (1x64x56x56 -> 64, 3x3, pad 1) with one thread, per engine.
Prints one JSON line: {"qnnpack": GMAC/s, "onednn": GMAC/s} (median of 10 runs after 2 warm-ups)."""
import json
import statistics
import time

import torch

torch.set_num_threads(1)
MACS = 64 * 56 * 56 * 64 * 9


def gmacs(engine):
    torch.backends.quantized.engine = engine
    torch.manual_seed(0)
    x = torch._make_per_tensor_quantized_tensor(torch.randint(0, 256, (1, 64, 56, 56), dtype=torch.uint8), 0.02, 128)
    w = torch._make_per_channel_quantized_tensor(
        torch.randint(-128, 128, (64, 64, 3, 3), dtype=torch.int8), torch.full((64,), 0.003, dtype=torch.float64), torch.zeros(64, dtype=torch.int64), 0
    )
    packed = torch.ops.quantized.conv2d_prepack(w, None, [1, 1], [1, 1], [1, 1], 1)
    times = []
    for i in range(12):
        t = time.perf_counter()
        torch.ops.quantized.conv2d(x, packed, 0.5, 128)
        if i >= 2:
            times.append(time.perf_counter() - t)
    return MACS / statistics.median(times) / 1e9


print(json.dumps({engine: gmacs(engine) for engine in ('qnnpack', 'onednn')}))
