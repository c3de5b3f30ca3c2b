/**
 * QAttention's attention mask as ONNX Runtime 1.30's CPU kernel builds it: which of the three float32 values
 * PrepareMask (contrib_ops/cpu/bert/attention_helper.h, called from AttentionCPUBase::ApplyAttention in
 * attention_cpu_base.h) writes at each (batch b, query row i, key column j) of its B x S x T buffer, T = past + S.
 * No arithmetic here: reference/ and impl/ turn each cell into their own float32 constant
 *   KEEP   0.0f
 *   FILTER mask_filter_value_, -10000.0f (AttentionBase reads the attribute with that default; QAttention's schema
 *          declares none, so it is always -10000)
 *   CAUSAL std::numeric_limits<float>::lowest() = -FLT_MAX, assigned (not added) over whatever was there
 * The buffer exists when mask_index is given (and not a dummy) or unidirectional = 1 with sequence > 1; its values are
 * added to the scaled Q K^T scores in float32, one rounding after the scaling (measured on ORT 1.30: a fully masked row
 * tells f32(f32(s) - 10000) from a fused f32(s - 10000)); without it the scores are the scaled products alone.
 *
 * The mask_index forms AttentionBase::CheckMask (attention_base.h) admits and PrepareMask reads:
 *   - `key_lengths`   [B]: end = mask[b] (CheckMask refuses a negative one); columns j >= end FILTER;
 *   - `end_start`     [2B]: as key_lengths, and start = min(mask[B + b], T); columns j < start FILTER;
 *   - `key_lengths_3b2` [3B + 2] (MASK_1D_KEY_SEQ_LEN_START, a CUDA form): the CPU kernel reads only the first B
 *     values as ends, like key_lengths (measured: ORT 1.30 computes it so);
 *   - `raw_2d`        [B, T]: mask[b, j] > 0 KEEP, else FILTER;
 *   - `dummy`         [B, 1] or [1, 1] with T != 1 (MASK_2D_DUMMY): CheckInputs drops it, no buffer at all;
 *   - `raw_3d`        [B, S, T]: mask[b, i, j] > 0 KEEP, else FILTER.
 * The 1-D and 2-D forms fill row i = 0 and copy it to every row. Then, if causal, every (i, j) with j > past + i is
 * CAUSAL. A 4-D (Megatron) mask passes CheckMask and is refused by PrepareMask ("4D mask in attention cpu kernel is not
 * supported"), which contract/qattention_checks.ts mirrors.
 */
import type { IntTensor } from './tensor.js';

export type QAttentionMaskForm = 'key_lengths' | 'end_start' | 'key_lengths_3b2' | 'raw_2d' | 'dummy' | 'raw_3d';

export const MASK_KEEP = 0;
export const MASK_FILTER = 1;
export const MASK_CAUSAL = 2;

/** The B x S x T cells (MASK_KEEP, MASK_FILTER, MASK_CAUSAL), or null when ORT builds no mask buffer. */
export function qattentionMaskCells(mask: IntTensor | null, form: QAttentionMaskForm | null, causal: boolean, batch: number, sequence: number, past: number): Uint8Array | null {
  const live = mask !== null && form !== null && form !== 'dummy';
  if (!live && !causal) return null;
  const total = past + sequence;
  const cells = new Uint8Array(batch * sequence * total);
  const m = mask?.data;
  for (let b = 0; b < batch; b++) {
    const base = b * sequence * total;
    if (live && form === 'raw_3d') {
      for (let k = 0; k < sequence * total; k++) cells[base + k] = (m![base + k] as number) > 0 ? MASK_KEEP : MASK_FILTER;
    } else if (live) {
      for (let j = 0; j < total; j++) {
        let filtered: boolean;
        if (form === 'raw_2d') filtered = !((m![b * total + j] as number) > 0);
        else {
          filtered = j >= (m![b] as number);
          if (form === 'end_start') filtered ||= j < Math.min(m![batch + b] as number, total);
        }
        for (let i = 0; i < sequence; i++) cells[base + i * total + j] = filtered ? MASK_FILTER : MASK_KEEP;
      }
    }
    if (causal) for (let i = 0; i < sequence; i++) for (let j = past + i + 1; j < total; j++) cells[base + i * total + j] = MASK_CAUSAL;
  }
  return cells;
}
