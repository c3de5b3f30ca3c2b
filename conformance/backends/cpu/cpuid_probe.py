"""The x86 CPU features as a process sees them: the CPUID instruction, executed in this process.

Under qemu-user, /proc/cpuinfo is the host's (the kernel's file, passed through), but CPUID is answered by
the emulated CPU model (`qemu-x86_64-static -cpu Haswell`): what this reports is what a library that
dispatches on CPUID (oneDNN, MLAS, ATen, XNNPACK's cpuinfo) sees in the same process or under the same
emulation. Run directly it prints one JSON object; qconform_torch.py imports cpuid_flags().

Bits: Intel SDM vol. 2A, CPUID leaf 01H (ECX), leaf 07H sub-leaf 0 (EBX, ECX, EDX) and sub-leaf 1 (EAX, EDX).
The OS side (XGETBV) is not checked: qemu-user and Linux both enable the AVX/AVX-512 state they report.
"""

import ctypes
import json
import mmap
import platform

# (leaf, subleaf, register index in (eax, ebx, ecx, edx), bit, flag name as /proc/cpuinfo spells it)
FEATURE_BITS = (
    (1, 0, 2, 0, 'sse3'), (1, 0, 2, 9, 'ssse3'), (1, 0, 2, 12, 'fma'), (1, 0, 2, 19, 'sse4_1'),
    (1, 0, 2, 20, 'sse4_2'), (1, 0, 2, 28, 'avx'), (1, 0, 2, 29, 'f16c'),
    (7, 0, 1, 5, 'avx2'), (7, 0, 1, 16, 'avx512f'), (7, 0, 1, 17, 'avx512dq'), (7, 0, 1, 28, 'avx512cd'),
    (7, 0, 1, 30, 'avx512bw'), (7, 0, 1, 31, 'avx512vl'), (7, 0, 2, 11, 'avx512_vnni'),
    (7, 0, 3, 22, 'amx_bf16'), (7, 0, 3, 25, 'amx_int8'),
    (7, 1, 0, 4, 'avx_vnni'), (7, 1, 0, 5, 'avx512_bf16'), (7, 1, 3, 4, 'avx_vnni_int8'),
)

# void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])   (System V x86-64: edi, esi, rdx)
_CPUID_CODE = bytes([
    0x53,                    # push rbx
    0x49, 0x89, 0xd0,        # mov r8, rdx
    0x89, 0xf8,              # mov eax, edi
    0x89, 0xf1,              # mov ecx, esi
    0x0f, 0xa2,              # cpuid
    0x41, 0x89, 0x00,        # mov [r8], eax
    0x41, 0x89, 0x58, 0x04,  # mov [r8+4], ebx
    0x41, 0x89, 0x48, 0x08,  # mov [r8+8], ecx
    0x41, 0x89, 0x50, 0x0c,  # mov [r8+12], edx
    0x5b,                    # pop rbx
    0xc3,                    # ret
])


def _cpuid_function():
    buf = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    buf.write(_CPUID_CODE)
    address = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    fn = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint32))(address)
    return fn, buf


def cpuid_flags():
    """{'source': 'cpuid', 'vendor', 'brand', 'flags': [...]} or {'source': None, 'reason': ...} when CPUID
    cannot be executed here (not x86-64, or no executable memory)."""
    if platform.machine() not in ('x86_64', 'AMD64'):
        return {'source': None, 'reason': f'not x86-64 ({platform.machine()})'}
    try:
        fn, buf = _cpuid_function()
    except (OSError, ValueError, PermissionError) as exc:
        return {'source': None, 'reason': f'cannot map executable memory: {exc}'}
    regs = (ctypes.c_uint32 * 4)()

    def call(leaf, sub=0):
        fn(leaf, sub, regs)
        return tuple(regs)

    max_leaf = call(0)[0]
    vendor = b''.join(r.to_bytes(4, 'little') for r in (regs[1], regs[3], regs[2])).decode('ascii', 'replace')
    brand = ''
    if call(0x80000000)[0] >= 0x80000004:
        brand = b''.join(b''.join(r.to_bytes(4, 'little') for r in call(leaf)) for leaf in (0x80000002, 0x80000003, 0x80000004))
        brand = brand.rstrip(b'\0').decode('ascii', 'replace').strip()
    cache = {}
    flags = []
    for leaf, sub, reg, bit, name in FEATURE_BITS:
        if leaf > max_leaf:
            continue
        if (leaf, sub) not in cache:
            cache[(leaf, sub)] = call(leaf, sub)
        if cache[(leaf, sub)][reg] >> bit & 1:
            flags.append(name)
    del fn
    buf.close()
    return {'source': 'cpuid', 'vendor': vendor, 'brand': brand, 'flags': flags}


if __name__ == '__main__':
    print(json.dumps(cpuid_flags()))
