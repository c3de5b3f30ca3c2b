#!/usr/bin/python3
"""Times quantized::conv2d with one thread per engine at steady state, on the layers given as JSON in argv[1]
(a list of {"name", "n", "c", "h", "w", "oc", "k", "pad", "groups"}; stride 1). After a warm-up of at least 20 runs and 1 s, runs until the
last 5 timings lie within 5% of their minimum (cap: 400 runs or 10 s), like scripts/bench/steady_state.ts. Prints one JSON line:
{layer name: {engine: {"gmacs": GMAC/s (median of the last 5), "stable": bool}}}."""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
WINDOW, TOLERANCE, MAX_RUNS, MAX_SECONDS, MIN_RUNS, MIN_SECONDS = 5, 0.05, 400, 10.0, 20, 1.0


def steady(run):
    start = time.perf_counter()
    times, stable, deadline = [], False, start + MAX_SECONDS
    while len(times) < MAX_RUNS and time.perf_counter() < deadline:
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
        w = times[-WINDOW:]
        warm = len(times) >= MIN_RUNS and time.perf_counter() - start >= MIN_SECONDS
        if warm and len(w) == WINDOW and max(w) <= min(w) * (1 + TOLERANCE):
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
