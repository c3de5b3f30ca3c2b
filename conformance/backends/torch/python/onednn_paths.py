"""Which oneDNN v2.6.3 kernel torch 1.13.1's onednn engine runs for a quantized conv2d, per x86 ISA, and its
accumulator model (contract/conv.ts ACCUMULATORS). A copy of conformance/backends/torch/onednn_paths.ts, the
one statement of the rule (tests/onednn/onednn_paths.test.ts runs both on the same geometries and checks
them against the kernels ONEDNN_VERBOSE reported under QEMU Haswell and Nehalem). Pure Python: no torch.
"""

ONEDNN_ISAS = ('avx512_vnni', 'avx2', 'sse41')

KERNEL_ACCUMULATORS = {
    'jit_uni_int8_1x1': 'sat16_pairs_f32_zp',  # vpmaddubsw pairs; zero-point compensation added in float32
    'jit_uni_int8': 'sat16_pairs',  # vpmaddubsw pairs, zero-point terms exact
    'jit_uni_int8_dw': 'int32_wrap',  # depthwise: zero-extended, exact products
    'ref_int8': 'int32_wrap',
    'vnni': 'int32_wrap',
}


def is_onednn_1x1_geometry(g):
    """groups 1, a 1x1 kernel, padding 0, and stride 1 or OH * SH == H and OW * SW == W (contract/conv_accumulators.ts)."""
    if g['groups'] != 1 or g['kh'] != 1 or g['kw'] != 1 or g['padding'][0] != 0 or g['padding'][1] != 0:
        return False
    unit_stride = g['stride'][0] == 1 and g['stride'][1] == 1
    return unit_stride or (g['oh'] * g['stride'][0] == g['h'] and g['ow'] * g['stride'][1] == g['w'])


def onednn_kernel(isa, g):
    """g: groups, icg, ocg (channels per group), kh, kw, h, w, oh, ow, stride, padding."""
    if isa not in ONEDNN_ISAS:
        raise ValueError(f'unmodelled oneDNN ISA {isa!r}')
    if isa == 'avx512_vnni':
        return 'vnni'
    if g['groups'] == 1:
        return 'jit_uni_int8_1x1' if is_onednn_1x1_geometry(g) else 'jit_uni_int8'
    if g['icg'] == 1 and g['ocg'] == 1:
        return 'jit_uni_int8_dw'
    # avx2 tries blocks of 8 then 4, sse41 blocks of 4: the same convs qualify
    return 'jit_uni_int8' if g['icg'] % 4 == 0 and g['ocg'] % 4 == 0 else 'ref_int8'


def onednn_accumulator(isa, g):
    return KERNEL_ACCUMULATORS[onednn_kernel(isa, g)]


def onednn_isa(flags):
    """The modelled ISA of a CPU from its feature flags, or None: AVX512 without VNNI (avx512_core kernels)
    and AVX-VNNI without AVX512 (avx2_vnni: vpdpbusd in the jit_uni kernels) are not modelled."""
    if 'avx512_vnni' in flags:
        return 'avx512_vnni'
    if 'avx512f' in flags or 'avx_vnni' in flags:
        return None
    if 'avx2' in flags:
        return 'avx2'
    if 'sse4_1' in flags:
        return 'sse41'
    return None


def conv_geometry(x_shape, w_shape, stride, padding, dilation, groups):
    """The geometry dict of a conv from its shapes (output size as torch computes it)."""
    _, c, h, w = x_shape
    oc, icg, kh, kw = w_shape
    oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    return {'groups': groups, 'icg': icg, 'ocg': oc // groups if groups else 0, 'kh': kh, 'kw': kw, 'h': h, 'w': w,
            'oh': oh, 'ow': ow, 'stride': list(stride), 'padding': list(padding)}
