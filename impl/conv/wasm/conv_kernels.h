/*
 * What impl's int8 conv kernels in WebAssembly SIMD128 share (conv_kernels.c: the general and depthwise kernels;
 * depthwise_3x3_kernels.c: the depthwise 3x3 stride-1 fast path): the parameter blocks, the arithmetic and the
 * requantization. Freestanding C, built by impl/conv/wasm/build.sh with Debian's clang-14 and wasm-ld-14
 * (--target=wasm32 -msimd128 -nostdlib). The JavaScript side owns the memory layout (impl/conv/wasm_conv.ts): it
 * writes the raw input, the prepacked weights (wasm/packed_weights.ts), the channels' requantization words
 * (wasm/channel_block.ts) and a parameter block (wasm/kernel_params.ts), and calls one entry point per batch element
 * and run of channels.
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
 *    IEEE binary32 round-to-nearest-even, as Math.fround in impl/requant/onnxruntime.ts. The depthwise 3x3 kernel with
 *    one-byte outputs drops the float clamp where the saturating narrows are that clamp (float_scale_unclamped).
 *  REQUANT_QNNPACK (torch-qnnpack@1 when a channel's multiplier M >= 1; with every M < 1, impl/conv/wasm/requant_mode.ts runs it
 *    as REQUANT_FLOAT_SCALE with clamp bounds derived there, qnnpackIsFloatScale): cvtps2dq(f32(f32(acc + bq) * M)) (half to even; |r| >= 2^31 gives
 *    INT32_MIN, as the x86 instruction, modeled by impl/float32.ts cvt32), int16-saturating zero point add
 *    (sat16(sat16(r) + zp)), clamp to [0, 255], then to [outMin, outMax].
 *  REQUANT_TFLITE_DOUBLE (tflite-double-rounding@1, impl/requant/tflite_double_rounding.ts):
 *    RDBPOT(SRDHM(wrap32((acc + bias) << left), m), right), then TFLite's output stage (tflite_output_stage);
 *    SRDHM = floor((a m + 2^30) / 2^31) in int64 lanes (m in [0, 2^31), so it never saturates), RDBPOT = gemmlowp's
 *    round half away from zero.
 *  REQUANT_TFLITE_DOUBLE_BOUNDED: the same function in fewer steps where the JavaScript side proved, for every channel,
 *    right >= 1 (so left = 0: quantizeMultiplier's exponent is one or the other) and |a| < 2^30 for every biased
 *    accumulator a (impl/conv/wasm/requant_mode.ts tfliteDoubleBoundedHolds); tflite_double_bounded_rounded shows why
 *    it is the same. Its y is at most 2^29 + 1 in magnitude, so y + zp cannot wrap: it adds the zero point after
 *    clamping to [outMin - zp, outMax - zp] (add_zp_clamp), which is the clamp of y + zp to [outMin, outMax].
 *  REQUANT_TFLITE_SINGLE (tflite-single-rounding@1, impl/requant/tflite_single_rounding.ts):
 *    (int32)((a m + 2^(s - 1)) >> s), in int64 lanes (arithmetic shift, then the low 32 bits), then TFLite's output
 *    stage (tflite_output_stage).
 *  TFLite's output stage (impl/requant/output.ts tfliteOutputStage, contract/tflite_output_stage.ts): the zero point
 *    added as an int32 add that wraps, then the clamp, in the int8 kernel that computes the output dtype (zero point and
 *    bounds lowered by out_shift = 128 for quint8, 0 for qint8), then + out_shift.
 * The accumulators are stored raw first and requantized in place, one output-channel plane at a time
 * (requant_plane), with the channel's constants in registers.
 */
#ifndef QCONFORM_CONV_KERNELS_H
#define QCONFORM_CONV_KERNELS_H
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
/* For the helpers whose `mode` argument must be a compile-time constant in each caller's copy. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

enum { REQUANT_NONE = 0, REQUANT_FLOAT_SCALE = 1, REQUANT_QNNPACK = 2, REQUANT_TFLITE_DOUBLE = 3, REQUANT_TFLITE_SINGLE = 4, REQUANT_TFLITE_DOUBLE_BOUNDED = 5 };
/* How a tensor's elements are stored in the module's memory: int32 words, or one byte each (a Uint8Array or an
 * Int8Array on the JavaScript side: contract/tensor.ts IntData). */
enum { STORAGE_I32 = 0, STORAGE_U8 = 1, STORAGE_I8 = 2 };

/* Bytes per element of a storage. */
static inline int32_t storage_bytes(int32_t storage) { return storage == STORAGE_I32 ? 4 : 1; }

/* One output channel's requantization parameters, 16 words (impl/conv/wasm/channel_block.ts writes them). */
typedef struct {
  int32_t m4[4];   /* REQUANT_TFLITE_*: the multiplier in [0, 2^31), in all 4 lanes (a vector load, not a splat, keeps
                      clang's sign-extended i64 products as i64x2.extmul_*_i32x4_s, which V8 lowers to pmuldq) */
  float scale;     /* float scale or qnnpack multiplier */
  int32_t bias;    /* int32 bias added to the accumulator (wraps) */
  float lo, hi;    /* REQUANT_FLOAT_SCALE: clamp bounds, outMin - zp and outMax - zp */
  int32_t zp;
  int32_t out_min, out_max; /* REQUANT_QNNPACK: outMin, outMax; REQUANT_TFLITE_DOUBLE_BOUNDED: outMin - zp, outMax - zp;
                               REQUANT_TFLITE_DOUBLE and _SINGLE: outMin - out_shift, outMax - out_shift (and zp holds
                               the zero point - out_shift) */
  int32_t left;    /* REQUANT_TFLITE_DOUBLE: left shift in [0, 30] (0 in the bounded form); REQUANT_TFLITE_SINGLE: the shift s in [1, 62] */
  int32_t right;   /* REQUANT_TFLITE_DOUBLE: right shift in [0, 31] ([1, 31] in the bounded form) */
  int32_t out_shift; /* REQUANT_TFLITE_DOUBLE and _SINGLE: 128 for a quint8 output, 0 for qint8 (tflite_output_stage) */
  int32_t unused[2];
} channel_params;
_Static_assert(sizeof(channel_params) == 16 * 4, "impl/conv/wasm/channel_block.ts CHANNEL_PARAM_WORDS");

/*
 * The parameter block of one call (words, in this order; impl/conv/wasm/kernel_params.ts PARAM_NAMES):
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
  int32_t xstorage;            /* depthwise 3x3: the raw input's storage, STORAGE_* (the other kernels read int32) */
  int32_t ostorage;            /* depthwise 3x3 with a requantizing mode: the outputs' storage, STORAGE_* */
  int32_t xcheck;            /* depthwise 3x3 with one-byte input: 1 takes its range (xmin, xmax); 0 when every byte value lies in the dtype */
  int32_t narrow_clamps;     /* depthwise 3x3, REQUANT_FLOAT_SCALE or REQUANT_TFLITE_DOUBLE_BOUNDED with one-byte outputs: 1 when the saturating narrows are the whole clamp */
  int32_t xmin, xmax;        /* depthwise 3x3, written by the kernel: the raw input's minimum and maximum (0 and 0 without xcheck) */
} conv_params;

/* Store the first `count` (1..4) lanes of v at dst (dst may be unaligned). */
static inline void store_lanes(int32_t *dst, v128_t v, int32_t count) {
  if (count >= 4) { wasm_v128_store(dst, v); return; }
  dst[0] = wasm_i32x4_extract_lane(v, 0);
  if (count > 1) dst[1] = wasm_i32x4_extract_lane(v, 1);
  if (count > 2) dst[2] = wasm_i32x4_extract_lane(v, 2);
}

/*
 * One channel's requantization constants, splatted once for a plane. The tflite schemes' shift counts and multiplier
 * are read through `p`, a volatile pointer, at each use: clang-14 hoists a splat (or a sign extension) out of the loop,
 * and its WebAssembly instruction selection, which sees one basic block at a time, then no longer recognizes a
 * uniform shift (i32x4.shr_s by a scalar) or i64x2.extmul_*_i32x4_s and emits four scalar shifts or an extend and
 * i64x2.mul (V8: three pmuludq) instead; a scalar or vector load per 4 outputs is cheaper.
 */
typedef struct {
  v128_t bias, scale, lo, hi, zp, magic_zp, out_min, out_max, out_shift, round64, mask, half_mask;
  const volatile channel_params *p;
} requant_consts;

static ALWAYS_INLINE requant_consts requant_consts_of(const channel_params *p, int32_t mode) {
  requant_consts k;
  k.bias = wasm_i32x4_splat(p->bias);
  k.scale = wasm_f32x4_splat(p->scale);
  k.lo = wasm_f32x4_splat(p->lo);
  k.hi = wasm_f32x4_splat(p->hi);
  k.zp = wasm_i32x4_splat(p->zp);
  k.magic_zp = wasm_i32x4_splat(0x4B400000 - p->zp); /* the float-scale rounding's bias (1.5 * 2^23 as bits) less the zero point */
  k.out_min = wasm_i32x4_splat(p->out_min);
  k.out_max = wasm_i32x4_splat(p->out_max);
  k.out_shift = wasm_i32x4_splat(p->out_shift);
  k.p = p;
  const uint32_t mask = p->right > 0 ? (uint32_t)-1 >> (32 - p->right) : 0u; /* 2^right - 1 */
  k.mask = wasm_i32x4_splat((int32_t)mask);
  k.half_mask = wasm_i32x4_splat((int32_t)(mask >> 1));
  /* SRDHM rounds with 2^30; single rounding with 2^(s - 1) */
  k.round64 = wasm_i64x2_splat(mode == REQUANT_TFLITE_SINGLE ? (int64_t)1 << (p->left - 1)
                               : mode == REQUANT_TFLITE_DOUBLE_BOUNDED ? ((int64_t)1 << 31) + ((int64_t)1 << (31 + p->right))
                                                                       : (int64_t)1 << 30);
  return k;
}

/* The int32 lanes 0 and 2 of lo and hi (the low halves of 4 int64 lanes). */
static inline v128_t low_halves(v128_t lo, v128_t hi) { return wasm_i32x4_shuffle(lo, hi, 0, 2, 4, 6); }

/* clamp(r + zp, out_min, out_max) computed as clamp(r, out_min - zp, out_max - zp) + zp (k holds the shifted bounds), where
 * r + zp cannot wrap. */
static inline v128_t add_zp_clamp(v128_t r, const requant_consts *k) {
  return wasm_i32x4_add(wasm_i32x4_min(wasm_i32x4_max(r, k->out_min), k->out_max), k->zp);
}

/* TFLite's output stage (see the header comment): clamp(wrap32(r + zp'), out_min', out_max') + out_shift, with k holding
 * zp' = zp - out_shift and the bounds lowered by out_shift. i32x4.add wraps, as TFLite's `acc += output_offset` does. */
static inline v128_t tflite_output_stage(v128_t r, const requant_consts *k) {
  return wasm_i32x4_add(wasm_i32x4_min(wasm_i32x4_max(wasm_i32x4_add(r, k->zp), k->out_min), k->out_max), k->out_shift);
}

/* REQUANT_FLOAT_SCALE's and REQUANT_QNNPACK's f32(f32(a) * scale) of 4 biased accumulators a = acc + bias. */
static inline v128_t float_scale_product(v128_t a, const requant_consts *k) { return wasm_f32x4_mul(wasm_f32x4_convert_i32x4(a), k->scale); }

/*
 * REQUANT_FLOAT_SCALE of 4 biased accumulators without its clamp: round(f) + zp, the float-scale rounding (see
 * requant4_biased) exact while |f| < 2^22. Where the outputs are narrowed to bytes with saturation and [lo, hi] is the
 * byte dtype's whole range less zp, the narrows are the clamp: clamp(round(f), lo, hi) + zp = clamp(round(f) + zp,
 * dtype min, dtype max), and saturating to int16, then to the byte's range, is that clamp. Two float operations fewer
 * per vector on the ports the kernel's multiplies occupy (depthwise_3x3_kernels.c). impl/conv/wasm/channel_block.ts
 * narrowsClamp proves both conditions for every channel (|f| from the accumulators' bound) before it sets
 * conv_params.narrow_clamps.
 */
static inline v128_t float_scale_unclamped(v128_t a, const requant_consts *k) {
  return wasm_i32x4_sub(wasm_f32x4_add(float_scale_product(a, k), wasm_f32x4_splat(12582912.0f)), k->magic_zp);
}

/*
 * REQUANT_TFLITE_DOUBLE's y = RDBPOT(SRDHM(a, m), r) (before + zp and the clamp) for 4 biased accumulators a with
 * |a| < 2^30, r = right in [1, 31], left = 0 (impl/requant/tflite_double_rounding.ts prepareTflite: left = max(e, 0),
 * right = max(-e, 0)) and m in [0, 2^31). With v = SRDHM(a, m) = floor((a m + 2^30) / 2^31):
 *  - RDBPOT(v, r) = floor((v + 2^(r - 1) - [v < 0]) / 2^r) (gemmlowp: v >> r plus one when the remainder exceeds
 *    2^(r - 1) - 1, or 2^(r - 1) for negative v), and [v < 0] may be [a < 0]: a >= 0 gives v >= 0, a < 0 gives v <= 0,
 *    and v = 0 gives floor((2^(r - 1) - 1) / 2^r) = 0 = floor(2^(r - 1) / 2^r) either way;
 *  - v + 2^(r - 1) = floor((2a m + 2^31 + 2^(31 + r)) / 2^32) (an integer added inside the floor), the high int32 half
 *    of that int64: |2a| <= 2^31 - 2 and m <= 2^31 - 1 give |2a m| < 2^62, and 2^31 + 2^(31 + r) <= 2^31 + 2^62, so the
 *    sum stays inside int64 and its high half (at most 2^31 - 1) is exact: one shuffle of the products' odd words, no
 *    64-bit shifts. Adding a >> 31 (-1 or 0) to the high half cannot wrap: it is negative only for a < 0, where v <= 0.
 * So y = ((high half) + (a >> 31)) >> r (arithmetic shifts), then + zp and the clamp: three steps where the general
 * form takes eight (two 64-bit shifts, remainder, threshold, compare, two subtractions), and 2a is an addition (no
 * shift by left). 2^31 + 2^(31 + r) is k->round64 (requant_consts_of).
 */
static inline v128_t tflite_double_bounded_rounded(v128_t a, const requant_consts *k) {
  const v128_t a2 = wasm_i32x4_add(a, a);
  const v128_t m = *(const volatile v128_t *)k->p->m4;
  const v128_t lo = wasm_i64x2_add(wasm_i64x2_extmul_low_i32x4(a2, m), k->round64);
  const v128_t hi = wasm_i64x2_add(wasm_i64x2_extmul_high_i32x4(a2, m), k->round64);
  const v128_t high_halves = wasm_i32x4_shuffle(lo, hi, 1, 3, 5, 7);
  return wasm_i32x4_shr(wasm_i32x4_add(high_halves, wasm_i32x4_shr(a, 31)), k->p->right);
}

/* REQUANT_TFLITE_DOUBLE_BOUNDED of 4 biased accumulators: y + zp, clamped. */
static inline v128_t tflite_double_bounded(v128_t a, const requant_consts *k) { return add_zp_clamp(tflite_double_bounded_rounded(a, k), k); }

/*
 * REQUANT_TFLITE_DOUBLE_BOUNDED without its clamp: y + zp (|y| <= 2^29 + 1 and |zp| < 2^16: no wrap). Where the outputs are narrowed to bytes with saturation and [out_min, out_max] is the byte dtype's whole
 * range, the narrows are the clamp (as float_scale_unclamped); impl/conv/wasm/channel_block.ts narrowsClamp checks it.
 */
static inline v128_t tflite_double_bounded_unclamped(v128_t a, const requant_consts *k) { return wasm_i32x4_add(tflite_double_bounded_rounded(a, k), k->zp); }

/* The requantization of 4 biased accumulators a = acc + bias (mode is not REQUANT_NONE), lanes independent; see the header comment. */
static ALWAYS_INLINE v128_t requant4_biased(v128_t a, const requant_consts *k, int32_t mode) {
  if (mode == REQUANT_TFLITE_DOUBLE_BOUNDED) return tflite_double_bounded(a, k);
  if (mode == REQUANT_TFLITE_DOUBLE || mode == REQUANT_TFLITE_SINGLE) {
    const v128_t x = mode == REQUANT_TFLITE_DOUBLE ? wasm_i32x4_shl(a, k->p->left) : a;
    const v128_t m = *(const volatile v128_t *)k->p->m4;
    v128_t lo = wasm_i64x2_add(wasm_i64x2_extmul_low_i32x4(x, m), k->round64);
    v128_t hi = wasm_i64x2_add(wasm_i64x2_extmul_high_i32x4(x, m), k->round64);
    if (mode == REQUANT_TFLITE_SINGLE) {
      const int32_t s = k->p->left;
      return tflite_output_stage(low_halves(wasm_i64x2_shr(lo, s), wasm_i64x2_shr(hi, s)), k);
    }
    /* SRDHM: bits 31..62 of a m + 2^30 (the result fits int32, so a logical shift gives the same low half) */
    const v128_t v = low_halves(wasm_u64x2_shr(lo, 31), wasm_u64x2_shr(hi, 31));
    /* RDBPOT (gemmlowp): (v >> right) + (remainder > (mask >> 1) + (v < 0)) */
    const v128_t rem = wasm_v128_and(v, k->mask);
    const v128_t threshold = wasm_i32x4_sub(k->half_mask, wasm_i32x4_shr(v, 31));
    return tflite_output_stage(wasm_i32x4_sub(wasm_i32x4_shr(v, k->p->right), wasm_i32x4_gt(rem, threshold)), k);
  }
  const v128_t f = float_scale_product(a, k);
  if (mode == REQUANT_FLOAT_SCALE) {
    /* clampFloat(v, lo, hi) = minps(maxps(v, lo), hi), a NaN v giving lo (impl/requant/output.ts): pmax(lo, v) = lo < v ? v : lo
     * and pmin(hi, m) = m < hi ? m : hi by their definitions (the operand order matters only for NaN).
     * Half to even: |f| <= max(|lo|, |hi|) < 2^22 (impl/conv/wasm/requant_mode.ts checks), so f + 1.5 * 2^23 lies in
     * [2^23, 2^24), where the float32 addition rounds to an integer, half to even; its low bits are that integer. */
    const v128_t t = wasm_f32x4_add(wasm_f32x4_pmin(k->hi, wasm_f32x4_pmax(k->lo, f)), wasm_f32x4_splat(12582912.0f));
    return wasm_i32x4_sub(t, k->magic_zp); /* (t - 0x4B400000) + zp, mod 2^32 */
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

/* The requantization of 4 accumulators (mode is not REQUANT_NONE): the bias added (wrapping), then requant4_biased. */
static inline v128_t requant4_k(v128_t acc, const requant_consts *k, int32_t mode) { return requant4_biased(wasm_i32x4_add(acc, k->bias), k, mode); }

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
static inline void requant_plane(int32_t *o, int32_t n, const channel_params *p, int32_t mode) {
  if (mode == REQUANT_NONE) return;
  const requant_consts k = requant_consts_of(p, mode);
  switch (mode) {
    case REQUANT_FLOAT_SCALE: requant_run(o, n, &k, REQUANT_FLOAT_SCALE); break;
    case REQUANT_QNNPACK: requant_run(o, n, &k, REQUANT_QNNPACK); break;
    case REQUANT_TFLITE_DOUBLE: requant_run(o, n, &k, REQUANT_TFLITE_DOUBLE); break;
    case REQUANT_TFLITE_DOUBLE_BOUNDED: requant_run(o, n, &k, REQUANT_TFLITE_DOUBLE_BOUNDED); break;
    default: requant_run(o, n, &k, REQUANT_TFLITE_SINGLE); break;
  }
}
#define DOT(acc, xv, wv) acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(xv, wv))

#endif
