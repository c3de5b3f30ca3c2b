"""The CPU features that decide which kernels torch runs, as this process sees them."""

import re

import torch

# CPU features that decide which kernels run (vectorized reductions, oneDNN/qnnpack paths).
RELEVANT_CPU_FLAGS = (
    'sse4_1', 'sse4_2', 'avx', 'f16c', 'fma', 'avx2',
    'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl',
    'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_int8', 'amx_bf16',
)


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
