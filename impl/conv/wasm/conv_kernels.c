/*
 * impl's int8 conv kernels in WebAssembly SIMD128 (freestanding C, built by impl/conv/wasm/build.sh with
 * Debian's clang-14 and wasm-ld-14: --target=wasm32 -msimd128 -nostdlib). The JavaScript side
 * (impl/conv/wasm_conv.ts) owns the memory layout: it writes the raw input and the prepacked weights,
 * fills a parameter block and calls one entry point per batch element.
 *
 * Arithmetic: every value is centered first (x - z_x, w - z_w, both within [-255, 255], so int16), and
 * every product and pair sum of i32x4.dot_i16x8_s is exact in int32 (but (-2^15)^2 + (-2^15)^2, which wraps); the
 * accumulation is int32 addition, which wraps (two's complement). That is the `int32_wrap` accumulator
 * of contract/conv.ts exactly (the sum mod 2^32 does not depend on the order), and the `exact` one when
 * the JavaScript side has proved |acc| < 2^31 from the bound max|x - z_x| * sum|w - z_w|.
 *
 * Requantization in the kernel (per 4 outputs, lanes independent):
 *  REQUANT_NONE: the int32 accumulator is stored (the JavaScript scheme requantizes it).
 *  REQUANT_FLOAT_SCALE (onnxruntime@1, xnnpack-fp32@1): f32(f32(acc + bias) * scale), clamped in float to
 *    [lo, hi], rounded half to even (the 1.5 * 2^23 addition, exact while |lo|, |hi| < 2^22), + zero point. f32x4.convert_i32x4_s and f32x4.mul are
 *    IEEE binary32 round-to-nearest-even, as Math.fround in impl/requant/onnxruntime.ts.
 *  REQUANT_QNNPACK (torch-qnnpack@1): cvtps2dq(f32(f32(acc + bq) * M)) (half to even; |r| >= 2^31 gives
 *    INT32_MIN, as the x86 instruction, modeled by impl/float32.ts cvt32), int16-saturating zero point add
 *    (sat16(sat16(r) + zp)), clamp to [0, 255], then to [outMin, outMax].
 *  REQUANT_TFLITE_DOUBLE (tflite-double-rounding@1, impl/requant/tflite_double_rounding.ts):
 *    RDBPOT(SRDHM(wrap32((acc + bias) << left), m), right) + zp, clamped; SRDHM = floor((a m + 2^30) / 2^31) in
 *    int64 lanes (m in [0, 2^31), so it never saturates), RDBPOT = gemmlowp's round half away from zero.
 *  REQUANT_TFLITE_SINGLE (tflite-single-rounding@1, impl/requant/tflite_single_rounding.ts):
 *    (int32)((a m + 2^(s - 1)) >> s) + zp, clamped, in int64 lanes (arithmetic shift, then the low 32 bits).
 *  The integer schemes add the zero point after clamping to [outMin - zp, outMax - zp], which is the clamp of
 *  r + zp to [outMin, outMax] without the int32 overflow of r + zp.
 * The accumulators are stored raw first and requantized in place, one output-channel plane at a time
 * (requant_plane), with the channel's constants in registers.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

enum { REQUANT_NONE = 0, REQUANT_FLOAT_SCALE = 1, REQUANT_QNNPACK = 2, REQUANT_TFLITE_DOUBLE = 3, REQUANT_TFLITE_SINGLE = 4 };

/* One output channel's requantization parameters, 16 words (impl/conv/wasm_conv.ts writes them). */
typedef struct {
  int32_t m4[4];   /* REQUANT_TFLITE_*: the multiplier in [0, 2^31), in all 4 lanes (a vector load, not a splat, keeps
                      clang's sign-extended i64 products as i64x2.extmul_*_i32x4_s, which V8 lowers to pmuldq) */
  float scale;     /* float scale or qnnpack multiplier */
  int32_t bias;    /* int32 bias added to the accumulator (wraps) */
  float lo, hi;    /* REQUANT_FLOAT_SCALE: clamp bounds, outMin - zp and outMax - zp */
  int32_t zp;
  int32_t out_min, out_max; /* REQUANT_QNNPACK: outMin, outMax; REQUANT_TFLITE_*: outMin - zp, outMax - zp */
  int32_t left;    /* REQUANT_TFLITE_DOUBLE: left shift in [0, 30]; REQUANT_TFLITE_SINGLE: the shift s in [1, 62] */
  int32_t right;   /* REQUANT_TFLITE_DOUBLE: right shift in [0, 31] */
  int32_t unused[3];
} channel_params;
_Static_assert(sizeof(channel_params) == 16 * 4, "impl/conv/wasm_conv.ts CHANNEL_PARAM_WORDS");

/*
 * The parameter block of one call (words, in this order; impl/conv/wasm_conv.ts PARAM_NAMES):
 * geometry of one batch element, the packed layout and the requantization mode.
 */
typedef struct {
  int32_t c, h, w;           /* input channels, rows, columns */
  int32_t groups, icg, ocg;  /* groups, input / output channels per group */
  int32_t kh, kw, sh, sw, dh, dw, ph, pw;
  int32_t oh, ow;
  int32_t zx;                /* input zero point */
  int32_t pairs;             /* ceil(icg / 2): input-channel pairs per group (general kernel) */
  int32_t ocb;               /* ceil(ocg / 4): blocks of 4 output channels per group (general kernel) */
  int32_t hp;                /* padded rows: (oh - 1) * sh + (kh - 1) * dh + 1 */
  int32_t e;                 /* column copies: 1 (stride 1: one padded row) or kw (one per kernel column) */
  int32_t l;                 /* words (general) or int16 (depthwise) per packed row */
  int32_t nv;                /* output vectors of 4 per row: ceil(ow / 4) */
  int32_t mode;              /* REQUANT_* */
  int32_t x;                 /* addresses: raw input [c][h][w] int32, packed input, taps, weights, channel params, output */
  int32_t xp;
  int32_t taps;
  int32_t wp;
  int32_t cp;
  int32_t out;
  int32_t sat16;             /* 1: the sat16_pairs accumulator (general kernel; see conv_general_sat16) */
  int32_t xr;                /* sat16: addresses of the raw packed input and the raw packed weights (layouts of xp, wp) */
  int32_t wr;
  int32_t zr;                /* sat16: the raw packing subtracts zr = -128 (qint8) or 0 (quint8): x - zr is the u8 operand */
  int32_t rpad;              /* sat16: the raw packing's padding: 0 (sat16_pairs skips invalid taps) or z_x - zr (sat16_pairs_im2col) */
} conv_params;

/* Store the first `count` (1..4) lanes of v at dst (dst may be unaligned). */
static inline void store_lanes(int32_t *dst, v128_t v, int32_t count) {
  if (count >= 4) { wasm_v128_store(dst, v); return; }
  dst[0] = wasm_i32x4_extract_lane(v, 0);
  if (count > 1) dst[1] = wasm_i32x4_extract_lane(v, 1);
  if (count > 2) dst[2] = wasm_i32x4_extract_lane(v, 2);
}

/* One channel's requantization constants, splatted once for a plane. */
typedef struct {
  v128_t bias, scale, lo, hi, zp, out_min, out_max, m, round64, mask, half_mask;
  int32_t left, right;
} requant_consts;

static inline requant_consts requant_consts_of(const channel_params *p, int32_t mode) {
  requant_consts k;
  k.bias = wasm_i32x4_splat(p->bias);
  k.scale = wasm_f32x4_splat(p->scale);
  k.lo = wasm_f32x4_splat(p->lo);
  k.hi = wasm_f32x4_splat(p->hi);
  k.zp = wasm_i32x4_splat(p->zp);
  k.out_min = wasm_i32x4_splat(p->out_min);
  k.out_max = wasm_i32x4_splat(p->out_max);
  k.m = wasm_v128_load(p->m4);
  k.left = p->left;
  k.right = p->right;
  const uint32_t mask = p->right > 0 ? (uint32_t)-1 >> (32 - p->right) : 0u; /* 2^right - 1 */
  k.mask = wasm_i32x4_splat((int32_t)mask);
  k.half_mask = wasm_i32x4_splat((int32_t)(mask >> 1));
  /* SRDHM rounds with 2^30; single rounding with 2^(s - 1) */
  k.round64 = wasm_i64x2_splat(mode == REQUANT_TFLITE_SINGLE ? (int64_t)1 << (p->left - 1) : (int64_t)1 << 30);
  return k;
}

/* The int32 lanes 0 and 2 of lo and hi (the low halves of 4 int64 lanes). */
static inline v128_t low_halves(v128_t lo, v128_t hi) { return wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6); }

/* clamp(r + zp, out_min, out_max) computed as clamp(r, out_min - zp, out_max - zp) + zp (k holds the shifted bounds). */
static inline v128_t add_zp_clamp(v128_t r, const requant_consts *k) {
  return wasm_i32x4_add(wasm_i32x4_min(wasm_i32x4_max(r, k->out_min), k->out_max), k->zp);
}

/* The requantization of 4 accumulators (mode is not REQUANT_NONE), lanes independent; see the header comment. */
static inline v128_t requant4_k(v128_t acc, const requant_consts *k, int32_t mode) {
  const v128_t a = wasm_i32x4_add(acc, k->bias);
  if (mode == REQUANT_TFLITE_DOUBLE || mode == REQUANT_TFLITE_SINGLE) {
    const v128_t x = mode == REQUANT_TFLITE_DOUBLE ? wasm_i32x4_shl(a, k->left) : a;
    v128_t lo = wasm_i64x2_add(wasm_i64x2_extmul_low_i32x4(x, k->m), k->round64);
    v128_t hi = wasm_i64x2_add(wasm_i64x2_extmul_high_i32x4(x, k->m), k->round64);
    if (mode == REQUANT_TFLITE_SINGLE) return add_zp_clamp(low_halves(wasm_i64x2_shr(lo, k->left), wasm_i64x2_shr(hi, k->left)), k);
    /* SRDHM: bits 31..62 of a m + 2^30 (the result fits int32, so a logical shift gives the same low half) */
    const v128_t v = low_halves(wasm_u64x2_shr(lo, 31), wasm_u64x2_shr(hi, 31));
    /* RDBPOT (gemmlowp): (v >> right) + (remainder > (mask >> 1) + (v < 0)) */
    const v128_t rem = wasm_v128_and(v, k->mask);
    const v128_t threshold = wasm_i32x4_sub(k->half_mask, wasm_i32x4_shr(v, 31));
    return add_zp_clamp(wasm_i32x4_sub(wasm_i32x4_shr(v, k->right), wasm_i32x4_gt(rem, threshold)), k);
  }
  const v128_t f = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(a), k->scale);
  if (mode == REQUANT_FLOAT_SCALE) {
    /* clampFloat(v, lo, hi) = v < lo ? lo : v > hi ? hi : v, which is pmin(pmax(v, lo), hi) by their definitions.
     * Half to even: |f| <= max(|lo|, |hi|) < 2^22 (impl/conv/wasm_conv.ts checks), so f + 1.5 * 2^23 lies in
     * [2^23, 2^24), where the float32 addition rounds to an integer, half to even; its low bits are that integer. */
    const v128_t t = wasm_f32x4_add(wasm_f32x4_pmin(wasm_f32x4_pmax(f, k->lo), k->hi), wasm_f32x4_splat(12582912.0f));
    return wasm_i32x4_add(wasm_i32x4_sub(t, wasm_i32x4_splat(0x4B400000)), k->zp);
  }
  /* REQUANT_QNNPACK: cvtps2dq (INT32_MIN out of range), sat16, + zp, sat16, [0, 255], [outMin, outMax]; sat16 then
   * [0, 255] is [0, 255], so the second int16 saturation cannot change the result and is left out */
  const v128_t rf = wasm_f32x4_nearest(f);
  const v128_t out_of_range = wasm_v128_or(wasm_f32x4_ge(rf, wasm_f32x4_splat(2147483648.0f)), wasm_f32x4_lt(rf, wasm_f32x4_splat(-2147483648.0f)));
  v128_t r = wasm_v128_bitselect(wasm_i32x4_splat(INT32_MIN), wasm_i32x4_trunc_sat_f32x4(rf), out_of_range);
  r = wasm_i32x4_add(wasm_i32x4_min(wasm_i32x4_max(r, wasm_i32x4_splat(-32768)), wasm_i32x4_splat(32767)), k->zp);
  r = wasm_i32x4_min(wasm_i32x4_max(r, wasm_i32x4_splat(0)), wasm_i32x4_splat(255));
  return wasm_i32x4_min(wasm_i32x4_max(r, k->out_min), k->out_max);
}

static inline void requant_run(int32_t *o, int32_t n, const requant_consts *k, int32_t mode) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(o + i, requant4_k(wasm_v128_load(o + i), k, mode));
  if (i < n) {
    int32_t tail[4] = {0, 0, 0, 0};
    for (int32_t j = i; j < n; j++) tail[j - i] = o[j];
    store_lanes(o + i, requant4_k(wasm_v128_load(tail), k, mode), n - i);
  }
}

/* Requantize the n >= 1 accumulators at o in place (nothing for REQUANT_NONE); writes only o[0..n). */
static void requant_plane(int32_t *o, int32_t n, const channel_params *p, int32_t mode) {
  if (mode == REQUANT_NONE) return;
  const requant_consts k = requant_consts_of(p, mode);
  switch (mode) {
    case REQUANT_FLOAT_SCALE: requant_run(o, n, &k, REQUANT_FLOAT_SCALE); break;
    case REQUANT_QNNPACK: requant_run(o, n, &k, REQUANT_QNNPACK); break;
    case REQUANT_TFLITE_DOUBLE: requant_run(o, n, &k, REQUANT_TFLITE_DOUBLE); break;
    default: requant_run(o, n, &k, REQUANT_TFLITE_SINGLE); break;
  }
}

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

#define DOT(acc, xv, wv) acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(xv, wv))

/*
 * General kernel: blocks of 4 output channels x 2 vectors of 4 outputs (8 int32x4 accumulators); per tap, 2 input
 * loads and 4 weight splats feed 8 dot products (64 MACs). Weights: wp[g][ocb][t][4] words, the int16 pair
 * (w'(oc, 2p), w'(oc, 2p+1)) of tap t for each of the block's 4 channels (0 past ocg).
 * Register budget: V8's x64 code generator has 15 allocatable xmm registers; 8 accumulators, 2 inputs, the
 * streamed weight splat and the product's temporary fit (a 4 x 3 block needs 19 and spills in the inner loop).
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

/* 1 when the n int32 at a and at b are equal, else 0: the prepack cache's guard that the caller has not written to
 * a weight tensor since it was packed (wasm_conv.ts), four words at a time. */
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
