#!/usr/bin/python3
"""Times quantized::conv2d with one thread per engine at steady state, on the layers given as JSON in argv[1]
(a list of {"name", "n", "c", "h", "w", "oc", "k", "pad", "groups"}; stride 1). Runs until the last 5 timings lie
within 5% of their minimum (cap: 400 runs or 10 s), like scripts/bench/steady_state.ts. Prints one JSON line:
{layer name: {engine: {"gmacs": GMAC/s (median of the last 5), "stable": bool}}}."""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
WINDOW, TOLERANCE, MAX_RUNS, MAX_SECONDS = 5, 0.05, 400, 10.0


def steady(run):
    times, stable, deadline = [], False, time.perf_counter() + MAX_SECONDS
    while len(times) < MAX_RUNS and time.perf_counter() < deadline:
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
        w = times[-WINDOW:]
        if len(w) == WINDOW and max(w) <= min(w) * (1 + TOLERANCE):
            stable = True
            break
    return statistics.median(times[-WINDOW:]), stable


def measure(layer, engine):
    torch.backends.quantized.engine = engine
    torch.manual_seed(0)
    n, c, h, w, oc, k, pad, groups = (layer[key] for key in ("n", "c", "h", "w", "oc", "k", "pad", "groups"))
    macs = n * oc * h * w * (c // groups) * k * k
    x = torch._make_per_tensor_quantized_tensor(torch.randint(0, 256, (n, c, h, w), dtype=torch.uint8), 0.02, 128)
    wt = torch._make_per_channel_quantized_tensor(
        torch.randint(-128, 128, (oc, c // groups, k, k), dtype=torch.int8), torch.full((oc,), 0.003, dtype=torch.float64), torch.zeros(oc, dtype=torch.int64), 0
    )
    packed = torch.ops.quantized.conv2d_prepack(wt, None, [1, 1], [pad, pad], [1, 1], groups)
    seconds, stable = steady(lambda: torch.ops.quantized.conv2d(x, packed, 0.5, 128))
    return {"gmacs": macs / seconds / 1e9, "stable": stable}


layers = json.loads(sys.argv[1])
print(json.dumps({layer["name"]: {engine: measure(layer, engine) for engine in ("qnnpack", "onednn")} for layer in layers}))
