#!/usr/bin/python3
"""Times quantized::conv2d with one thread per engine at steady state, on the layers given as JSON in argv[1]
(a list of {"name", "n", "c", "h", "w", "oc", "k", "pad", "groups"}; stride 1), as scripts/bench/steady_state.ts does: a
warm-up of at least 30 runs and 1 s, until the median of the last window of timings (at least 15 runs and 0.25 s,
compared once per window) is within 3% of the median of the window before them (or half the budget of 12 s is spent),
then at least 41 runs and 1 s of samples. Prints one JSON line:
{layer name: {engine: {"gmacs": GMAC/s (median of the samples), "low"/"high": from the 90th/10th percentile, "stable": bool}}}."""
import json
import math
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
WINDOW_RUNS, WINDOW_SECONDS, TOLERANCE, MAX_SECONDS, MIN_WARM_RUNS, MIN_WARM_SECONDS, SAMPLE_RUNS, SAMPLE_SECONDS = 15, 0.25, 0.03, 12.0, 30, 1.0, 41, 1.0


def quantile(sorted_times, q):
    return sorted_times[min(len(sorted_times) - 1, int(q * len(sorted_times)))]


def timed(run):
    t = time.perf_counter()
    run()
    return time.perf_counter() - t


def steady(run):
    start = time.perf_counter()
    warm, stable, next_check = [], False, MIN_WARM_RUNS
    while time.perf_counter() - start < MAX_SECONDS / 2:
        warm.append(timed(run))
        if len(warm) >= next_check and time.perf_counter() - start >= MIN_WARM_SECONDS:
            window = max(WINDOW_RUNS, math.ceil(WINDOW_SECONDS * len(warm) / (time.perf_counter() - start)))
            if len(warm) >= 2 * window:
                before, last = statistics.median(warm[-2 * window : -window]), statistics.median(warm[-window:])
                if abs(last - before) <= TOLERANCE * min(last, before):
                    stable = True
                    break
            next_check = len(warm) + window
    samples, s0 = [], time.perf_counter()
    while not samples or (
        time.perf_counter() - start < MAX_SECONDS
        and (len(samples) < SAMPLE_RUNS or time.perf_counter() - s0 < SAMPLE_SECONDS)
    ):
        samples.append(timed(run))
    samples.sort()
    return quantile(samples, 0.5), quantile(samples, 0.1), quantile(samples, 0.9), stable


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
    seconds, p10, p90, stable = steady(lambda: torch.ops.quantized.conv2d(x, packed, 0.5, 128))
    return {"gmacs": macs / seconds / 1e9, "low": macs / p90 / 1e9, "high": macs / p10 / 1e9, "stable": stable}


layers = json.loads(sys.argv[1])
print(json.dumps({layer["name"]: {engine: measure(layer, engine) for engine in ("qnnpack", "onednn")} for layer in layers}))
