"""The CPU features that decide which kernels torch runs, as this process sees them.

CPUID is executed in this process (conformance/backends/cpu/cpuid_probe.py): under QEMU user mode
(`qconform run --cpu haswell`) it reports the emulated model, which is what oneDNN, ATen and qnnpack
dispatch on, while /proc/cpuinfo stays the host's. /proc/cpuinfo is only the fallback where CPUID cannot run.
"""

import os
import re
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'cpu'))
from cpuid_probe import cpuid_flags  # noqa: E402

# CPU features that decide which kernels run (vectorized reductions, oneDNN/qnnpack paths).
RELEVANT_CPU_FLAGS = (
    'sse4_1', 'sse4_2', 'avx', 'f16c', 'fma', 'avx2',
    'avx512f', 'avx512dq', 'avx512cd', 'avx512bw', 'avx512vl',
    'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_int8', 'amx_bf16',
)


def _proc_cpuinfo_flags():
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_report():
    """{'flags': relevant flags, 'source': 'cpuid' | '/proc/cpuinfo', 'brand': ...} as this process sees them."""
    probed = cpuid_flags()
    if probed.get('source') == 'cpuid':
        present = set(probed['flags'])
        return {'flags': [f for f in RELEVANT_CPU_FLAGS if f in present], 'source': 'cpuid', 'brand': probed.get('brand')}
    present = _proc_cpuinfo_flags()
    return {'flags': [f for f in RELEVANT_CPU_FLAGS if f in present], 'source': '/proc/cpuinfo', 'reason': probed.get('reason')}


def cpu_flags():
    """The relevant feature flags (CPUID in this process; /proc/cpuinfo where CPUID cannot run)."""
    return cpu_report()['flags']


def cpu_capability():
    """ATen's dispatch level as torch.__config__.show() reports it: "NO AVX" (DEFAULT), "AVX2" or "AVX512"."""
    match = re.search(r'CPU capability usage:[ \t]*(.+)', torch.__config__.show())
    return match.group(1).strip() if match else None


def aten_capability():
    """The same as ATEN_CPU_CAPABILITY names it (contract/aten_vectorized_loop.ts): 'default' (torch reports
    "NO AVX"), 'avx2' or 'avx512'; None when torch does not say."""
    reported = cpu_capability()
    if reported is None:
        return None
    return 'default' if reported == 'NO AVX' else reported.lower()
