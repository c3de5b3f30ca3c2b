/**
 * Which requantization scheme XNNPACK (Debian's 2022-02-16 snapshot) uses for a conv, per architecture: src/init.c
 * pairs each qs8/qc8/qu8 micro-kernel with its params initializer. On x86 all three operators use fp32
 * (vectors/xnnpack-2022). On arm64 (NEON) qs8 and qu8 use rndnu (xnn_init_qs8_conv_minmax_rndnu_neon_params,
 * xnn_init_qu8_conv_minmax_rndnu_neon_params) and qc8 uses fp32 (xnn_init_qs8_minmax_neonv8_params); measured
 * under qemu-aarch64 on every emulated core (vectors/xnnpack-2022-arm64). The adapter's handshake reports the same
 * table (info.schemes_by_operator).
 */
import type { WireRequest } from '../../protocol/messages.js';

export function xnnpackScheme(arch: 'x86_64' | 'aarch64', request: WireRequest): string {
  const perChannel = request.attrs?.weight_quantization === 'per_channel';
  const qint8 = (request.inputs?.x as { dtype?: string } | undefined)?.dtype === 'qint8';
  if (arch === 'x86_64' || (qint8 && perChannel)) return 'xnnpack-fp32@1';
  return 'xnnpack-rndnu@1';
}
