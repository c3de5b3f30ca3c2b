/*
 * impl's int8 conv kernels in WebAssembly SIMD128: the general kernel (channel-pair dot products) and the depthwise
 * one (any kernel size, horizontal stride 1); the parameter blocks, arithmetic and requantization are in conv_kernels.h.
 */
#include "conv_kernels.h"

/*
 * General kernel, packing: xp[g][p][hp][e][l] as words, each the int16 pair (x'(2p), x'(2p+1)) of input
 * channels 2p and 2p+1 of group g (0 past icg), x' = x - z_x, 0 in the padding. Row r of copy k, column j
 * holds input column iw = j * sw' + k * dw - pw, where sw' = sw when e == kw (one copy per kernel column)
 * and 1 when e == 1 (stride 1: the kernel column is an offset k * dw into one row).
 */
static void pack_general(const conv_params *P, int32_t zx, int32_t pad, uint32_t *xp) {
  const int32_t *x = (const int32_t *)P->x;
  const uint32_t padw = ((uint32_t)pad & 0xffffu) | ((uint32_t)pad << 16); /* both channels of a pair (icg is even when pad != 0) */
  const int32_t step = P->sw; /* e == 1 only with sw == 1 or kw == 1 */
  for (int32_t g = 0; g < P->groups; g++) {
    for (int32_t p = 0; p < P->pairs; p++) {
      const int32_t c0 = g * P->icg + 2 * p;
      const int has1 = 2 * p + 1 < P->icg;
      for (int32_t r = 0; r < P->hp; r++) {
        const int32_t ih = r - P->ph;
        for (int32_t k = 0; k < P->e; k++) {
          uint32_t *dst = xp + (((g * P->pairs + p) * P->hp + r) * P->e + k) * P->l;
          if (ih < 0 || ih >= P->h) {
            for (int32_t j = 0; j < P->l; j++) dst[j] = padw;
            continue;
          }
          const int32_t *s0 = x + (c0 * P->h + ih) * P->w;
          const int32_t *s1 = s0 + P->h * P->w;
          const int32_t off = k * P->dw - P->pw;
          int32_t j = 0;
          if (step == 1) {
            /* stride 1: the columns inside the input row are contiguous, packed four at a time (the same words) */
            const v128_t z = wasm_i32x4_splat(zx), low = wasm_i32x4_splat(0xffff);
            for (; j < P->l && j + off < 0; j++) dst[j] = padw;
            for (; j + 4 <= P->l && j + off + 4 <= P->w; j += 4) {
              v128_t v = wasm_v128_and(wasm_i32x4_sub(wasm_v128_load(s0 + j + off), z), low);
              if (has1) v = wasm_v128_or(v, wasm_i32x4_shl(wasm_i32x4_sub(wasm_v128_load(s1 + j + off), z), 16));
              wasm_v128_store(dst + j, v);
            }
          }
          for (; j < P->l; j++) {
            const int32_t iw = j * step + off;
            if (iw < 0 || iw >= P->w) { dst[j] = padw; continue; }
            const uint32_t lo = (uint32_t)(s0[iw] - zx) & 0xffffu;
            const uint32_t hi = has1 ? (uint32_t)(s1[iw] - zx) << 16 : 0u;
            dst[j] = lo | hi;
          }
        }
      }
    }
  }
}

/* Offsets (words) of every tap (p, kh, kw) of a group in the packed input, relative to the output row's origin. */
static void tap_offsets(const conv_params *P) {
  int32_t *off = (int32_t *)P->taps;
  int32_t t = 0;
  for (int32_t p = 0; p < P->pairs; p++)
    for (int32_t a = 0; a < P->kh; a++)
      for (int32_t b = 0; b < P->kw; b++)
        off[t++] = ((p * P->hp + a * P->dh) * P->e) * P->l + (P->e == 1 ? b * P->dw : b * P->l);
}

/*
 * General kernel: blocks of 4 output channels x 2 vectors of 4 outputs (8 int32x4 accumulators); per tap, 2 input
 * loads and 4 weight splats feed 8 dot products (64 MACs). Weights: wp[g][ocb][t][4] words, the int16 pair
 * (w'(oc, 2p), w'(oc, 2p+1)) of tap t for each of the block's 4 channels (0 past ocg).
 * Register budget: V8's x64 code generator has 15 allocatable xmm registers; 8 accumulators, 2 inputs, the
 * streamed weight splat and the product's temporary fit (a 4 x 3 block needs 19 and spills in the inner loop).
 * Measured against 2 channels x 4 vectors (8 accumulators, 4 inputs loaded first as clang orders them, 2 splats):
 * 4% fewer instructions (callgrind, 62.8 M against 65.4 M per dense 3x3 bench call) but 4% slower in the kernel's
 * minimum time (each input vector then feeds 2 channels instead of 4), so this block stays; 2 x 5 spills.
 * Its bound: per tap 8 i32x4.dot_i16x8_s and 8 i32x4.add (vpmaddwd, vpaddd; SIMD128 has no fused dot-add) are 16
 * vector micro-ops for 64 MACs on the core's 3 vector ALU ports (0, 1, 5), 5.3 cycles, so at most 12 MAC per cycle:
 * 43 GMAC/s at the 3.6 GHz scripts/bench/core_clock.ts measured on this project's VM (2026-12-05), against 34-35
 * end to end on the dense 3x3 bench layer then. V8 (11.3) already unrolls the tap loop 3 times. Measured slower
 * (2026-12-05, kernel min/median, interleaved): the 3 taps of a kernel row unrolled in C with constant offsets instead
 * of the tap table (clang reassociates each accumulator's 3 dot products and keeps all 6 inputs and 12 splats live,
 * which V8 spills: 4.28/4.43 ms against 3.34/3.60) and the same as an inner loop of 3 with unrolling disabled
 * (3.42/3.78 against 3.35/3.56).
 */
static void conv_general(const conv_params *P) {
  const int32_t T = P->pairs * P->kh * P->kw;
  const int32_t *off = (const int32_t *)P->taps;
  const int32_t *xbase = (const int32_t *)P->xp;
  const int32_t *wbase = (const int32_t *)P->wp;
  const channel_params *cp = (const channel_params *)P->cp;
  int32_t *out = (int32_t *)P->out;
  const int32_t plane = P->oh * P->ow;
  const int32_t group_words = P->pairs * P->hp * P->e * P->l;
  const int32_t row_step = P->sh * P->e * P->l;
  for (int32_t g = 0; g < P->groups; g++) {
    const int32_t *xg = xbase + g * group_words;
    for (int32_t b = 0; b < P->ocb; b++) {
      const int32_t *wb = wbase + (g * P->ocb + b) * T * 4;
      const int32_t oc0 = g * P->ocg + b * 4;
      const int32_t nch = P->ocg - b * 4 < 4 ? P->ocg - b * 4 : 4;
      for (int32_t r = 0; r < P->oh; r++) {
        const int32_t *xr = xg + r * row_step;
        int32_t *orow = out + oc0 * plane + r * P->ow;
        int32_t v = 0;
        for (; v + 2 <= P->nv; v += 2) {
          v128_t a00 = wasm_i32x4_splat(0), a01 = a00, a10 = a00, a11 = a00;
          v128_t a20 = a00, a21 = a00, a30 = a00, a31 = a00;
          const int32_t *xv = xr + v * 4;
          const int32_t *w = wb;
          for (int32_t t = 0; t < T; t++, w += 4) {
            const int32_t *q = xv + off[t];
            const v128_t x0 = wasm_v128_load(q), x1 = wasm_v128_load(q + 4);
            v128_t wv = wasm_v128_load32_splat(w);
            DOT(a00, x0, wv); DOT(a01, x1, wv);
            wv = wasm_v128_load32_splat(w + 1);
            DOT(a10, x0, wv); DOT(a11, x1, wv);
            wv = wasm_v128_load32_splat(w + 2);
            DOT(a20, x0, wv); DOT(a21, x1, wv);
            wv = wasm_v128_load32_splat(w + 3);
            DOT(a30, x0, wv); DOT(a31, x1, wv);
          }
          const v128_t acc[4][2] = {{a00, a01}, {a10, a11}, {a20, a21}, {a30, a31}};
          for (int32_t j = 0; j < nch; j++) {
            for (int32_t u = 0; u < 2; u++) store_lanes(orow + j * plane + (v + u) * 4, acc[j][u], P->ow - (v + u) * 4);
          }
        }
        for (; v < P->nv; v++) {
          v128_t a0 = wasm_i32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
          const int32_t *xv = xr + v * 4;
          const int32_t *w = wb;
          for (int32_t t = 0; t < T; t++, w += 4) {
            const v128_t x0 = wasm_v128_load(xv + off[t]);
            DOT(a0, x0, wasm_v128_load32_splat(w));
            DOT(a1, x0, wasm_v128_load32_splat(w + 1));
            DOT(a2, x0, wasm_v128_load32_splat(w + 2));
            DOT(a3, x0, wasm_v128_load32_splat(w + 3));
          }
          const v128_t acc[4] = {a0, a1, a2, a3};
          const int32_t pos = v * 4;
          for (int32_t j = 0; j < nch; j++) store_lanes(orow + j * plane + pos, acc[j], P->ow - pos);
        }
      }
      for (int32_t j = 0; j < nch; j++) requant_plane(out + (oc0 + j) * plane, plane, cp + oc0 + j, P->mode);
    }
  }
}

/*
 * The sat16_pairs accumulator (contract/conv.ts; impl/conv/sat16_pairs.ts): per valid tap, the raw u8 x s8 products
 * of the input-channel pair (2p, 2p + 1) summed with int16 saturation, zero-point terms exact. Per pair,
 * sat16(d) = d + (sat16(d) - d) with d the raw pair sum, and the exact terms turn the raw sum into the centered one:
 * acc = sum (x - z_x)(w - z_w) + sum over pairs (sat16(d) - d) (mod 2^32, as the JavaScript side wraps it).
 * i32x4.dot_i16x8_s of the raw pairs gives d exactly (|d| <= 2 * 255 * 128), so each tap adds the centered dot
 * product and the clamp correction of the raw one. Padding is 0 in the centered packing; in the raw one, 0 for
 * sat16_pairs (an invalid tap adds nothing, as the model skips it) and z_x for sat16_pairs_im2col (ONNX Runtime's
 * MLAS pairs along K = (kh KW + kw) Cg + icg, which are channel pairs at one tap when Cg is even, and its im2col rows
 * read z_x in the padding; impl/conv/sat16_pairs_im2col.ts: acc = S - z_w sumA - z_x sumW + K z_x z_w is the same
 * centered sum plus corrections). One vector of 4 outputs x 4 output channels at a time (the raw operands need registers too).
 */
static void conv_general_sat16(const conv_params *P) {
  const int32_t T = P->pairs * P->kh * P->kw;
  const int32_t *off = (const int32_t *)P->taps;
  const int32_t *xbase = (const int32_t *)P->xp;
  const int32_t *wbase = (const int32_t *)P->wp;
  const int32_t dx = (P->xr - P->xp) / 4, dw = (P->wr - P->wp) / 4; /* raw operand = centered one + dx (dw) words */
  const channel_params *cp = (const channel_params *)P->cp;
  int32_t *out = (int32_t *)P->out;
  const int32_t plane = P->oh * P->ow;
  const int32_t group_words = P->pairs * P->hp * P->e * P->l;
  const int32_t row_step = P->sh * P->e * P->l;
  const v128_t lo16 = wasm_i32x4_splat(-32768), hi16 = wasm_i32x4_splat(32767);
#define SAT_CORRECTION(acc, rv, wv)                                                 \
  do {                                                                              \
    const v128_t d = wasm_i32x4_dot_i16x8(rv, wv);                                  \
    acc = wasm_i32x4_add(acc, wasm_i32x4_sub(wasm_i32x4_min(wasm_i32x4_max(d, lo16), hi16), d)); \
  } while (0)
  for (int32_t g = 0; g < P->groups; g++) {
    const int32_t *xg = xbase + g * group_words;
    for (int32_t b = 0; b < P->ocb; b++) {
      const int32_t *wb = wbase + (g * P->ocb + b) * T * 4;
      const int32_t oc0 = g * P->ocg + b * 4;
      const int32_t nch = P->ocg - b * 4 < 4 ? P->ocg - b * 4 : 4;
      for (int32_t r = 0; r < P->oh; r++) {
        const int32_t *xr = xg + r * row_step;
        int32_t *orow = out + oc0 * plane + r * P->ow;
        for (int32_t v = 0; v < P->nv; v++) {
          v128_t a0 = wasm_i32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
          const int32_t *xv = xr + v * 4;
          const int32_t *w = wb;
          for (int32_t t = 0; t < T; t++, w += 4) {
            const int32_t *q = xv + off[t];
            const v128_t x0 = wasm_v128_load(q), r0 = wasm_v128_load(q + dx);
            DOT(a0, x0, wasm_v128_load32_splat(w));
            SAT_CORRECTION(a0, r0, wasm_v128_load32_splat(w + dw));
            DOT(a1, x0, wasm_v128_load32_splat(w + 1));
            SAT_CORRECTION(a1, r0, wasm_v128_load32_splat(w + dw + 1));
            DOT(a2, x0, wasm_v128_load32_splat(w + 2));
            SAT_CORRECTION(a2, r0, wasm_v128_load32_splat(w + dw + 2));
            DOT(a3, x0, wasm_v128_load32_splat(w + 3));
            SAT_CORRECTION(a3, r0, wasm_v128_load32_splat(w + dw + 3));
          }
          const v128_t acc[4] = {a0, a1, a2, a3};
          const int32_t pos = v * 4;
          for (int32_t j = 0; j < nch; j++) store_lanes(orow + j * plane + pos, acc[j], P->ow - pos);
        }
      }
      for (int32_t j = 0; j < nch; j++) requant_plane(out + (oc0 + j) * plane, plane, cp + oc0 + j, P->mode);
    }
  }
#undef SAT_CORRECTION
}

/* One batch element through the general kernel (channel-pair dot products); sat16: the raw operands packed too. */
EXPORT("conv_general") void conv_general_entry(const conv_params *P) {
  pack_general(P, P->zx, 0, (uint32_t *)P->xp);
  tap_offsets(P);
  if (P->sat16) {
    pack_general(P, P->zr, P->rpad, (uint32_t *)P->xr);
    conv_general_sat16(P);
  } else {
    conv_general(P);
  }
}

/*
 * Depthwise kernel (one input channel per group, horizontal stride 1), one channel at a time so its packed
 * plane stays in L1: xp[hp][l] words, word j of row r the int16 pair (x'(r, j), x'(r + dh, j)) of padded rows
 * r and r + dh (0 past the padded rows), column j holding input column j - pw, x' = x - z_x, 0 in the padding.
 * Weights wp[oc][ceil(kh / 2)][kw] words, the int16 pair (w'(2a, b), w'(2a + 1, b)) (0 past kh). Vertical taps
 * 2a and 2a + 1 of 4 neighbouring outputs are then one i32x4.dot_i16x8_s of an unaligned load and a weight splat.
 */
static void pack_depthwise_channel(const conv_params *P, const int32_t *xc, uint32_t *xp) {
  const v128_t zx = wasm_i32x4_splat(P->zx);
  const int32_t end = P->pw + P->w < P->l ? P->pw + P->w : P->l;
  for (int32_t r = 0; r < P->hp; r++) {
    uint32_t *dst = xp + r * P->l;
    const int32_t ih0 = r - P->ph, ih1 = r + P->dh - P->ph;
    const int has0 = ih0 >= 0 && ih0 < P->h, has1 = r + P->dh < P->hp && ih1 >= 0 && ih1 < P->h;
    int32_t j = 0;
    for (; j < P->pw && j < P->l; j++) dst[j] = 0;
    if (has0 || has1) {
      /* a missing row reads the other one (a valid address) and masks it out */
      const int32_t *s0 = xc + (has0 ? ih0 : ih1) * P->w - P->pw, *s1 = xc + (has1 ? ih1 : ih0) * P->w - P->pw;
      const v128_t m0 = wasm_i32x4_splat(has0 ? 0xffff : 0), m1 = wasm_i32x4_splat(has1 ? -1 : 0);
      for (; j + 4 <= end; j += 4) {
        const v128_t a = wasm_v128_and(wasm_i32x4_sub(wasm_v128_load(s0 + j), zx), m0);
        const v128_t b = wasm_v128_and(wasm_i32x4_shl(wasm_i32x4_sub(wasm_v128_load(s1 + j), zx), 16), m1);
        wasm_v128_store(dst + j, wasm_v128_or(a, b));
      }
      for (; j < end; j++) {
        const uint32_t lo = has0 ? (uint32_t)(s0[j] - P->zx) & 0xffffu : 0u;
        const uint32_t hi = has1 ? (uint32_t)(s1[j] - P->zx) << 16 : 0u;
        dst[j] = lo | hi;
      }
    }
    for (; j + 4 <= P->l; j += 4) wasm_v128_store(dst + j, wasm_i32x4_splat(0));
    for (; j < P->l; j++) dst[j] = 0;
  }
}

/*
 * The depthwise accumulators of one output channel are stored raw, 4 lanes at a time, then requantized in place by
 * requant_plane. A row's last vector may write up to 3 lanes past the row: those lie in the next row, the next
 * channel's plane (channels run in order, so every such lane is rewritten later) or the output's 16-byte slack.
 */

/* The 3x3 fast path of one output channel: 6 weight pairs in registers, 6 dot products per 4 outputs. */
static void depthwise_3x3_channel(const conv_params *P, const int32_t *xc, const int32_t *wc, int32_t *oplane) {
  const v128_t w00 = wasm_v128_load32_splat(wc), w01 = wasm_v128_load32_splat(wc + 1), w02 = wasm_v128_load32_splat(wc + 2);
  const v128_t w10 = wasm_v128_load32_splat(wc + 3), w11 = wasm_v128_load32_splat(wc + 4), w12 = wasm_v128_load32_splat(wc + 5);
  const int32_t d = P->dw, rows = 2 * P->dh * P->l, nv = P->nv;
  for (int32_t r = 0; r < P->oh; r++) {
    const int32_t *x0 = xc + r * P->sh * P->l, *x1 = x0 + rows;
    int32_t *orow = oplane + r * P->ow;
    for (int32_t j = 0; j < nv * 4; j += 4) {
      const v128_t s0 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_v128_load(x0 + j), w00), wasm_i32x4_dot_i16x8(wasm_v128_load(x0 + j + d), w01));
      const v128_t s1 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_v128_load(x0 + j + 2 * d), w02), wasm_i32x4_dot_i16x8(wasm_v128_load(x1 + j), w10));
      const v128_t s2 = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_v128_load(x1 + j + d), w11), wasm_i32x4_dot_i16x8(wasm_v128_load(x1 + j + 2 * d), w12));
      wasm_v128_store(orow + j, wasm_i32x4_add(wasm_i32x4_add(s0, s1), s2));
    }
  }
}

/* Any kh x kw (horizontal stride 1): per vector of 4 outputs, ceil(kh / 2) * kw dot products. */
static void depthwise_channel(const conv_params *P, const int32_t *xc, const int32_t *wc, int32_t *oplane) {
  const int32_t np = (P->kh + 1) / 2;
  for (int32_t r = 0; r < P->oh; r++) {
    const int32_t *xr = xc + r * P->sh * P->l;
    int32_t *orow = oplane + r * P->ow;
    for (int32_t v = 0; v < P->nv; v++) {
      v128_t acc = wasm_i32x4_splat(0);
      const int32_t *w = wc;
      for (int32_t a = 0; a < np; a++) {
        const int32_t *q = xr + 2 * a * P->dh * P->l + v * 4;
        for (int32_t b = 0; b < P->kw; b++, w++) DOT(acc, wasm_v128_load(q + b * P->dw), wasm_v128_load32_splat(w));
      }
      wasm_v128_store(orow + v * 4, acc);
    }
  }
}

EXPORT("conv_depthwise") void conv_depthwise_entry(const conv_params *P) {
  const int32_t *x = (const int32_t *)P->x;
  uint32_t *xp = (uint32_t *)P->xp;
  const int32_t *wbase = (const int32_t *)P->wp;
  const channel_params *cp = (const channel_params *)P->cp;
  int32_t *out = (int32_t *)P->out;
  const int32_t wt = (P->kh + 1) / 2 * P->kw;
  const int fast = P->kh == 3 && P->kw == 3;
  const int32_t plane = P->oh * P->ow;
  for (int32_t c = 0; c < P->groups; c++) {
    pack_depthwise_channel(P, x + c * P->h * P->w, xp);
    for (int32_t k = 0; k < P->ocg; k++) {
      const int32_t oc = c * P->ocg + k;
      int32_t *oplane = out + oc * plane;
      if (fast) depthwise_3x3_channel(P, (const int32_t *)xp, wbase + oc * wt, oplane);
      else depthwise_channel(P, (const int32_t *)xp, wbase + oc * wt, oplane);
      requant_plane(oplane, plane, cp + oc, P->mode);
    }
  }
}

/* The kernels' requantization (conv_kernels.h requant_plane) of the n >= 1 accumulators at v, in place, with channel p's
 * parameters: what tests/impl/wasm_requant.test.ts proves equal to the reference on all 2^32 accumulators. */
EXPORT("requant_values") void requant_values(const channel_params *p, int32_t mode, int32_t *v, int32_t n) { requant_plane(v, n, p, mode); }

/* 1 when the n int32 at a and at b are equal, else 0: the prepack cache's guard that the caller has not written to
 * a weight tensor since it was packed (packed_weights.ts), four words at a time. */
EXPORT("words_equal") int32_t words_equal(const int32_t *a, const int32_t *b, int32_t n) {
  v128_t d = wasm_i32x4_splat(0);
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) d = wasm_v128_or(d, wasm_v128_xor(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  int32_t r = wasm_v128_any_true(d);
  for (; i < n; i++) r |= a[i] != b[i];
  return !r;
}

/* out[0] = min, out[1] = max of p[0..n) (n >= 1): the dtype range check of the raw input, while it is in cache. */
EXPORT("input_range") void input_range(const int32_t *p, int32_t n, int32_t *out) {
  v128_t lo = wasm_i32x4_splat(p[0]), hi = lo;
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(p + i);
    lo = wasm_i32x4_min(lo, v);
    hi = wasm_i32x4_max(hi, v);
  }
  int32_t mn = wasm_i32x4_extract_lane(lo, 0), mx = wasm_i32x4_extract_lane(hi, 0);
  for (int32_t k = 1; k < 4; k++) {
    const int32_t a = k == 1 ? wasm_i32x4_extract_lane(lo, 1) : k == 2 ? wasm_i32x4_extract_lane(lo, 2) : wasm_i32x4_extract_lane(lo, 3);
    const int32_t b = k == 1 ? wasm_i32x4_extract_lane(hi, 1) : k == 2 ? wasm_i32x4_extract_lane(hi, 2) : wasm_i32x4_extract_lane(hi, 3);
    if (a < mn) mn = a;
    if (b > mx) mx = b;
  }
  for (; i < n; i++) {
    if (p[i] < mn) mn = p[i];
    if (p[i] > mx) mx = p[i];
  }
  out[0] = mn;
  out[1] = mx;
}
