/**
 * Case generator of qattention@1 (com.microsoft QAttention, ORT 1.30 attention_quant.cc): the modelled subset of
 * contract/qattention_checks.ts. Batch 1-2, 1-3 heads of size 2-12 (about 1 in 7: size 1, MLAS's N = 1 route),
 * sequences of 1-16 and, a third of the time, 17-32 (where the AVX-512 and FMA3 softmax kernels sum in different
 * orders); about 6% run MLAS's SGEMMs in two K blocks (batch 1, one head, 2-4 new rows over a long past: 129-144 keys
 * with heads of 65-70, or heads of 129-136 over 65-76 keys); the rare routes are also forced at fixed indices that are
 * multiples of 4, so that the Haswell set (every 4th case) holds them. Int8 or uint8 weights (extreme values saturate
 * the AVX2 u8 x s8 pairs), per-tensor or per-column weight scales and zero points. The product of the scales sets the
 * spread of the attention scores: soft (std about 0.3), typical (1-3), sharp (10), wide (40: score gaps beyond 88,
 * where the exp kernels clamp) or, rarely, huge (20000: beyond mask_filter_value's 10000, so -10000 and -FLT_MAX
 * masking differ). Then (contract/qattention_mask.ts) a mask_index in each form CheckMask admits (key lengths, ends and
 * starts, 3B + 2, raw 2-D with 0, 1, 2 and -1 values, a dummy [B or 1, 1], raw 3-D; key lengths of 0 mask whole rows),
 * unidirectional 1 (and 2, which ORT reads as 0), and past state (1-16 rows, sometimes 0), mostly on the one-token
 * steps (a tenth of the cases: sequence 1, probs x V on MLAS's M = 1 route). A few requests ORT refuses (hidden not
 * divisible by num_heads, a bias of the wrong length, a negative key length, a mask of another shape, a 4-D mask).
 */
import type { QuantDtype } from '../../contract/dtypes.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { drawStress, values, zeroPoint } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

/** A float32 scale around `target`, or the power of two nearest it for the `ties` stress. */
function scaleNear(r: CaseRandom, target: number, ties: boolean): number {
  return ties ? 2 ** Math.round(Math.log2(target)) : Math.fround(target * (0.5 + r.next()));
}

export const qattentionCase: CaseFactory = (r, index) => {
  const weightDtype: QuantDtype = r.bool(0.6) ? 'qint8' : 'quint8';
  const stress = drawStress(r);
  const ties = stress === 'ties';
  // a tenth are one-token decoding steps (with past, probs x V takes MLAS's M = 1 route)
  // and a few run MLAS's SGEMMs in two K blocks (contract/mlas_sgemm_blocks.ts), kept cheap by a long past and a short
  // sequence: 'long' probs x V (K = past + sequence of 129-144 over heads of 65-70, which keep StrideK at 128),
  // 'wide_head' Q K^T (K = head_size of 129-136 over 65-76 keys, which keep StrideK at 128)
  // (the rare routes also at fixed indices that are multiples of 4, so the Haswell set, every 4th case, holds them)
  const shape = index % 64 === 60 ? 'long' : index % 64 === 28 ? 'wide_head' : r.bool(0.03) ? r.pick(['long', 'wide_head'] as const) : 'usual';
  const sequence = shape === 'usual' ? (r.bool(0.1) ? 1 : r.bool(0.33) ? r.int(17, 32) : r.int(1, 16)) : r.int(2, 4);
  const numHeads = shape === 'usual' ? r.int(1, 3) : 1;
  const batch = shape === 'usual' && r.bool(0.15) ? 2 : 1;
  // heads of size 1 send probs x V down MLAS's N = 1 route
  const headSize = shape === 'long' ? r.int(65, 70) : shape === 'wide_head' ? r.int(129, 136) : index % 16 === 12 || r.bool(0.08) ? 1 : r.int(2, 12);
  const hidden = numHeads * headSize;
  const inputHidden = shape === 'usual' ? r.int(2, 32) : r.int(2, 6);
  const columns = 3 * hidden;
  // about the standard deviation of an accumulator of random bytes: 74^2 sqrt(K)
  const accSpread = 5500 * Math.sqrt(inputHidden);
  const spread = r.bool(0.04) ? 20000 : r.pick([0.3, 1, 3, 10, 40]);
  const inputScale = scaleNear(r, 2 ** r.int(-8, -4), ties);
  const perColumnScale = r.bool(0.4);
  const weightScale = Array.from({ length: perColumnScale ? columns : 1 }, () => scaleNear(r, spread / accSpread / inputScale, ties));
  const inputs: Record<string, unknown> = {
    input: wireInt('quint8', [batch, sequence, inputHidden], values(r, 'quint8', batch * sequence * inputHidden, stress)),
    weight: wireInt(weightDtype, [inputHidden, columns], values(r, weightDtype, inputHidden * columns, stress)),
    bias: wireF32([columns], Array.from({ length: columns }, () => (r.bool(0.1) ? 0 : Math.fround((r.next() - 0.5) * spread)))),
    input_scale: wireF32(r.bool(0.5) ? [] : [1], [inputScale]),
    weight_scale: wireF32(perColumnScale ? [columns] : r.bool(0.5) ? [] : [1], weightScale),
  };
  if (r.bool(0.85)) inputs.input_zero_point = wireInt('quint8', r.bool(0.5) ? [] : [1], [zeroPoint(r, 'quint8')]);
  if (r.bool(0.8)) {
    const perColumn = r.bool(0.4);
    inputs.weight_zero_point = wireInt(weightDtype, perColumn ? [columns] : [], Array.from({ length: perColumn ? columns : 1 }, () => zeroPoint(r, weightDtype)));
  }
  const attrs: Record<string, unknown> = { num_heads: numHeads, accumulator: 'int32_wrap', softmax_kernel: 'avx512f' };
  if (r.bool(0.3)) attrs.unidirectional = 0;
  if (r.bool(0.03)) {
    if (r.bool(0.5) && hidden > 1) attrs.num_heads = hidden + 1; // hidden not divisible by num_heads
    else inputs.bias = wireF32([columns - 1], Array.from({ length: columns - 1 }, () => 0)); // bias of the wrong length
  }
  const past = shape === 'long' ? r.int(128, 140) : shape === 'wide_head' ? r.int(64, 72) : r.bool(sequence === 1 ? 0.8 : 0.3) ? (r.bool(0.1) ? 0 : r.int(1, 16)) : null;
  if (past !== null) inputs.past = wireF32([2, batch, numHeads, past, headSize], Array.from({ length: 2 * batch * numHeads * past * headSize }, () => Math.fround((r.next() - 0.5) * 2 * spread)));
  const mask = drawMask(r, batch, sequence, (past ?? 0) + sequence);
  if (mask) inputs.mask_index = mask;
  if (r.bool(0.35)) attrs.unidirectional = r.bool(0.9) ? 1 : 2;
  return { op: 'qattention@1', attrs, inputs };
};

/** A mask_index (int32) in one of the forms of contract/qattention_mask.ts, or one ORT refuses, or none. */
function drawMask(r: CaseRandom, batch: number, sequence: number, total: number) {
  const ends = () => Array.from({ length: batch }, () => (r.bool(0.1) ? 0 : r.int(1, total + 2)));
  const raw = (n: number) => Array.from({ length: n }, () => (r.bool(0.75) ? 1 : r.pick([0, 0, 2, -1])));
  switch (r.pick(['none', 'none', 'key_lengths', 'end_start', 'key_lengths_3b2', 'raw_2d', 'raw_2d', 'dummy', 'raw_3d', 'raw_3d', 'refused'])) {
    case 'key_lengths':
      return wireInt('int32', [batch], ends());
    case 'end_start':
      return wireInt('int32', [2 * batch], [...ends(), ...Array.from({ length: batch }, () => r.int(-2, total + 2))]);
    case 'key_lengths_3b2':
      return wireInt('int32', [3 * batch + 2], [...ends(), ...Array.from({ length: 2 * batch + 2 }, () => r.int(0, total))]);
    case 'raw_2d':
      return wireInt('int32', [batch, total], raw(batch * total));
    case 'dummy': {
      const rows = r.bool(0.5) ? batch : 1;
      return wireInt('int32', [rows, 1], Array.from({ length: rows }, () => r.int(0, 1)));
    }
    case 'raw_3d':
      return wireInt('int32', [batch, sequence, total], raw(batch * sequence * total));
    case 'refused': {
      const kind = r.int(0, 2);
      if (kind === 0) return wireInt('int32', [batch], [-1, ...ends()].slice(0, batch)); // a negative key length
      if (kind === 1) return wireInt('int32', [batch, 1, total, total], raw(batch * total * total)); // 4-D
      return wireInt('int32', [batch, total + 1], raw(batch * (total + 1))); // a 2-D mask of the wrong length
    }
    default:
      return null;
  }
}
