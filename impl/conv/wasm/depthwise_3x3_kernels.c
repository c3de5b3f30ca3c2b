/*
 * The depthwise 3x3 fast path (one input channel per group, 3x3 taps, horizontal stride 1, vertical stride 1 or 2,
 * no dilation, any padding) in WebAssembly SIMD128; the JavaScript side is impl/conv/wasm_conv.ts
 * (WasmKernel 'depthwise_3x3'). Arithmetic and requantization as conv_kernels.h: values centered (x - z_x, w - z_w, int16),
 * i32x4.dot_i16x8_s products and pair sums exact, int32 accumulation that wraps (`int32_wrap`; `exact` when the
 * JavaScript side proved the bound), the scheme's requantization applied to each vector of 4 accumulators in
 * registers before its one store (no raw pass over the plane).
 *
 * Per input channel, one pair plane: row q, word j is the int16 pair (x'(2q - ph, j - pw), x'(2q + 1 - ph, j - pw))
 * of padded rows 2q and 2q + 1 (0 in the padding), so each input row is packed once. With taps w(a, b):
 *  stride 1, output rows r (even) and r + 1 from pair rows q = r / 2 (padded rows r, r + 1) and q + 1 (r + 2, r + 3):
 *    y(r)     = sum_b dot(V(q, b), (w(0,b), w(1,b))) + dot(V(q+1, b), (w(2,b), 0))
 *    y(r + 1) = sum_b dot(V(q, b), (0, w(0,b)))      + dot(V(q+1, b), (w(1,b), w(2,b)))
 *  stride 2, output row r from pair rows r (padded 2r, 2r + 1) and r + 1 (2r + 2): y(r) as the first line.
 * V(q, b) is the unaligned load of 4 words at column offset b: 6 loads and 12 dot products per 8 outputs (stride 1).
 * The packing also takes the minimum and maximum of the raw input (the dtype range check of the JavaScript side,
 * conv_params.xmin / xmax; not for one-byte input in its dtype's own array, P->xcheck 0): every input row and column
 * is packed once, since the pair rows cover padded rows 0 .. 2 nq - 1 >= ph + h and a pair row's words
 * pw .. pw + w - 1 are every column.
 * Storage (contract/tensor.ts IntData): the raw input is int32 words or, P->xstorage, the bytes of a Uint8Array or
 * Int8Array copied as they are (v128.load8x8 widens 8 of them to int16 lanes); the outputs are int32 words or,
 * P->ostorage with a requantizing mode, bytes (the requantized values lie in the output dtype, so the saturating narrows are
 * exact; with P->narrow_clamps, REQUANT_FLOAT_SCALE and REQUANT_TFLITE_DOUBLE_BOUNDED leave their clamp to them,
 * conv_kernels.h float_scale_unclamped and tflite_double_bounded_unclamped). With bytes a call moves a quarter of the
 * memory (depthwise bench layer: 200 KB in and out instead of 800 KB).
 *
 * Tried and measured slower (conv_profile, depthwise 3x3 bench layer, onnxruntime@1, kernel-only min/median ms,
 * interleaved with this version on a loaded 2-core host; this version 0.129-0.137):
 *  - the two rows of a pair row in two passes (6 live weight vectors instead of 12): 0.139-0.142
 *  - a column-pair plane (word j = (x'(r, j), x'(r, j + 1)), weights (w(a,0), w(a,1)) and (w(a,2), 0), 8 loads and 12 dot
 *    products per 8 outputs, one weight set for both rows): V8 still spilled 6 vectors in the loop and the int16-row
 *    pass made packing dearer: 0.157-0.165
 *  - raw accumulators, then requant_plane over the plane (L1): equal for onnxruntime@1, slower for tflite
 *  - clang -mllvm -disable-lsr (the + 1 / + 2 word offsets as load offsets instead of i32.add): 0.135-0.142
 *  - #pragma clang loop unroll_count(2) on the two-row loop: 0.136-0.142
 * And (2026-12-05, an AMX Xeon, this version 0.128-0.139):
 *  - a row plane of int16 (x'(r, c) at row r + ph, column c + pw) read by unaligned loads at columns j, j + 1, j + 2,
 *    j + 3, whose int16 pairs are column pairs: even and odd outputs from weights (w(a,0), w(a,1)) and (w(a,2), 0), 6
 *    weight vectors, 12 loads and 12 dot products per 8 outputs, packing a plain narrow-and-copy, outputs re-interleaved
 *    by two i32x4 shuffles: 0.158-0.168 (twice the loads, a quarter of them split across cache lines)
 *  - outputs narrowed to uint8 in the kernel (one store32_lane per 4 outputs and row, 200 KB instead of 800 KB to copy
 *    out, widened by Int32Array.set from a Uint8Array view): kernel +0.010 ms, end to end no faster
 *  - Winograd F(2, 3) along rows (four products per two outputs instead of six, the weight transform doubled so the
 *    halving is one exact shift; transformed pair planes of tiles of 8 columns, 16 weight vectors): kernel 0.167-0.171
 *    ms against 0.129-0.131. V8 (16 xmm registers) reloads 7 weight vectors at every loop head and spills the rest,
 *    tiles of 8 columns compute 32 of the bench layer's 28, and the transform is a pass of its own.
 *  - one-byte outputs of 8 columns and both rows narrowed into one vector and stored as two 8-byte lanes (three narrows
 *    and two stores per 16 outputs instead of four and four): no difference in three interleaved A/B rounds.
 * And (2026-12-05, a second round; this version 0.126-0.14 ms):
 *  - 8 columns x 2 rows per iteration with the 12 weight vectors read from memory at each use (so only 4 accumulators,
 *    a weight and two input vectors are live): TurboFan schedules a block's loads ahead of its arithmetic, so it loaded
 *    all of them first and spilled them: 0.144-0.162
 *  - tflite-double-rounding@1 from a float estimate, the fixed point only where the estimate may differ: with y =
 *    a m / 2^(31 + right), f = f32(f32(a) * f32(m) 2^-(31 + right)) clamped and rounded to 12 fraction bits (g + 1.5 *
 *    2^11) is within 2^-12 of y, and the scheme's double rounding within 2^-(right + 1), so a result more than their sum
 *    from a half-integer is the scheme's (on the bench layer 216 of 25,088 vectors of 8 outputs were not): kernel
 *    0.172-0.185 ms against 0.21-0.22 for the fixed point in every lane. A branch on the verdict inside the loop made V8
 *    reload 9 vectors at its merge point, a verdict mask carried in a spilled scalar made every iteration wait for the
 *    last one's store, and the verdict pass over a block's stored estimates still costs 0.02-0.03 ms. Not adopted: it
 *    leaves the scheme at 8-9 GMAC/s and would add a second exactness argument to the kernel.
 * And (2026-12-05, a third round; this version 0.135-0.138 ms median):
 *  - the two output rows of a pair row in two loops of 8 columns each (6 weight vectors live per loop, 12 loads and 12
 *    dot products per 8 outputs of one row): 0.150-0.153
 * Why the plane loop runs at about 0.10 ms: it is bound by the two vector ports that multiply (p0 and p1 on recent
 * Intel cores). Per 8 outputs it issues 12 vpmaddwd and, for the float-scale epilogue, up to 10 more micro-ops there
 * (cvtdq2ps, mulps, maxps, minps, addps, two each): 11 cycles, or 0.106 ms for the bench layer's 25,088 iterations at
 * the 2.6 GHz /proc/cpuinfo reports. Loads, addressing and the loop's stack check do not add to that (removing them,
 * as above, did not help); each micro-op an epilogue adds on those ports does (tflite's int64 one: +0.08 ms), and each
 * it drops saves: leaving the float-scale clamp to the byte narrows (P->narrow_clamps: no maxps, minps) takes the
 * kernel from 0.126-0.138 to 0.108-0.111 ms. tflite-double-rounding@1's bounded form (conv_kernels.h
 * tflite_double_bounded: no 64-bit shifts, the rounding of RDBPOT folded into the int64 constant, five micro-ops fewer
 * per 4 outputs) with its clamp also left to the narrows takes its kernel from 0.220-0.223 to 0.178-0.182 ms
 * (reused one-byte outputs, interleaved runs on a host loaded by a CI run).
 * On an AMD EPYC (Zen 4, family 25 model 17, 3.64 GHz; 2026-12-05, conv_profile with interleaved A/B builds) the split
 * differs: the kernel takes 0.132-0.136 ms (one-byte, reused) of which packing is 0.028 ms (0.036 ms from int32 words),
 * the plane loop without any requantization (finish returning the biased accumulators) 0.077 ms, or 11 cycles per 8
 * outputs, the float-scale epilogue 0.027 ms more and tflite-double-rounding@1's bounded fixed point 0.074 ms more.
 * There the 12 vpmaddwd are not the limit (two pipes take them: 6 cycles); the instruction count is. Tried there:
 *  - the 12 weight vectors read from memory (volatile) at each use in this 4 x 2 loop, so that V8 can fold them into
 *    the multiplies' operands: 0.138-0.141 ms against 0.132-0.136
 * Where a call's time goes (conv_profile, output reused, onnxruntime@1, 0.19-0.20 ms): packing 0.035 ms (this kernel
 * with the plane loop removed), the plane loop about 0.10 ms (V8 emits about 78 x64 instructions per 8 outputs: 12
 * vpmaddwd, 12 vpaddd, 12 for the requantization, 11 reloads, the rest addressing, the loop and its stack check), the
 * copies into and out of the module about 0.047 ms (800 KB each way) and the JavaScript around them about 0.01 ms.
 */
#include "conv_kernels.h"

/* The pair-plane row count: output rows 0 .. oh - 1 read pair rows up to (oh - 1) / 2 + 1 (stride 1) or oh (stride 2). */
static inline int32_t pair_rows(const conv_params *P) { return P->sh == 1 ? (P->oh + 1) / 2 + 1 : P->oh + 1; }

/* Running minimum and maximum of the raw input: int16 lanes after the saturating narrow (which keeps a value outside
 * the int8 ranges outside them) and int32 scalars for the last columns of a row. */
typedef struct {
  v128_t mn, mx;
  int32_t smn, smx;
} input_range_acc;

/* 8 raw values of a row from column j as int16 lanes: int32 words narrowed with saturation (a value outside int16 stays
 * outside every dtype), or one-byte values widened (v128.load8x8: STORAGE_U8 zero-extends, STORAGE_I8 sign-extends). */
static ALWAYS_INLINE v128_t raw8(const void *row, int32_t j, int32_t xs) {
  if (xs == STORAGE_I32) {
    const int32_t *p = (const int32_t *)row + j;
    return wasm_i16x8_narrow_i32x4(wasm_v128_load(p), wasm_v128_load(p + 4));
  }
  const uint8_t *p = (const uint8_t *)row + j;
  return xs == STORAGE_U8 ? wasm_u16x8_load8x8(p) : wasm_i16x8_load8x8(p);
}

/* 4 raw values from column j as int16 lanes 0..3; lanes 4..7 repeat them (int32) or are 0 (bytes; 0 lies in every
 * dtype's range), so the running minimum and maximum stay a verdict on the real values. */
static ALWAYS_INLINE v128_t raw4(const void *row, int32_t j, int32_t xs) {
  if (xs == STORAGE_I32) {
    const v128_t v = wasm_v128_load((const int32_t *)row + j);
    return wasm_i16x8_narrow_i32x4(v, v);
  }
  const v128_t v = wasm_v128_load32_zero((const uint8_t *)row + j);
  return xs == STORAGE_U8 ? wasm_u16x8_extend_low_u8x16(v) : wasm_i16x8_extend_low_i8x16(v);
}

/* The raw value at column j. */
static ALWAYS_INLINE int32_t raw1(const void *row, int32_t j, int32_t xs) {
  if (xs == STORAGE_I32) return ((const int32_t *)row)[j];
  const uint8_t v = ((const uint8_t *)row)[j];
  return xs == STORAGE_U8 ? (int32_t)v : (int32_t)(int8_t)v;
}

/* Words j .. j + 7 (or, with `four`, j .. j + 3) of a pair row from raw int16 lanes ra (row a) and rb (row b): centered,
 * with `masked` a row that is padding masked to 0 (keep_a, keep_b: all ones or 0), interleaved; with `check` the running
 * minimum and maximum taken. */
static ALWAYS_INLINE void pack_lanes(v128_t ra, v128_t rb, v128_t keep_a, v128_t keep_b, uint32_t *dst, v128_t zx, input_range_acc *m, int four, int masked, int check) {
  if (check) {
    m->mn = wasm_i16x8_min(m->mn, wasm_i16x8_min(ra, rb));
    m->mx = wasm_i16x8_max(m->mx, wasm_i16x8_max(ra, rb));
  }
  v128_t ca = wasm_i16x8_sub(ra, zx), cb = wasm_i16x8_sub(rb, zx);
  if (masked) ca = wasm_v128_and(ca, keep_a), cb = wasm_v128_and(cb, keep_b);
  wasm_v128_store(dst, wasm_i16x8_shuffle(ca, cb, 0, 8, 1, 9, 2, 10, 3, 11));
  if (!four) wasm_v128_store(dst + 4, wasm_i16x8_shuffle(ca, cb, 4, 12, 5, 13, 6, 14, 7, 15));
}

/* One pair row's words (at dst) from raw rows a and b stored as xs; `masked`: a row that is padding (has_a, has_b) is
 * the other row, masked to 0 after centering. */
static ALWAYS_INLINE void pack_row(const conv_params *P, const void *a, const void *b, int has_a, int has_b, uint32_t *dst, v128_t zx, input_range_acc *m, int32_t xs, int masked, int check) {
  const v128_t keep_a = wasm_i16x8_splat(has_a ? -1 : 0), keep_b = wasm_i16x8_splat(has_b ? -1 : 0);
  const int32_t w = P->w;
  int32_t j = 0;
  for (; j + 8 <= w; j += 8) pack_lanes(raw8(a, j, xs), raw8(b, j, xs), keep_a, keep_b, dst + j, zx, m, 0, masked, check);
  if (j + 4 <= w) {
    pack_lanes(raw4(a, j, xs), raw4(b, j, xs), keep_a, keep_b, dst + j, zx, m, 1, masked, check);
    j += 4;
  }
  for (; j < w; j++) {
    const int32_t va = raw1(a, j, xs), vb = raw1(b, j, xs);
    if (check) {
      m->smn = va < m->smn ? va : m->smn;
      m->smx = va > m->smx ? va : m->smx;
      m->smn = vb < m->smn ? vb : m->smn;
      m->smx = vb > m->smx ? vb : m->smx;
    }
    dst[j] = ((uint32_t)(has_a ? va - P->zx : 0) & 0xffffu) | ((uint32_t)(has_b ? vb - P->zx : 0) << 16);
  }
}

/*
 * One input channel's pair plane (rows of P->l words at vp) from its raw input xc, stored as xs (int32 words, or the
 * bytes of a Uint8Array or Int8Array). Only the words of input columns are written: the padding columns and the pair
 * rows with no input row stay as the entry zeroed them. A row of a pair that is padding reads the other row (so the
 * running minimum and maximum see only input values) and is masked to 0 after centering. Without `check` (one-byte
 * input in its dtype's own array, a Uint8Array of quint8 or an Int8Array of qint8: P->xcheck 0) no range is taken.
 */
static ALWAYS_INLINE void pack_pair_plane(const conv_params *P, const void *xc, uint32_t *vp, input_range_acc *range, int32_t xs, int check) {
  input_range_acc acc = *range, *m = &acc; /* a local, in registers: dst's stores could alias *range */
  const v128_t zx = wasm_i16x8_splat((int16_t)P->zx);
  const int32_t nq = pair_rows(P), row = P->w * storage_bytes(xs);
  for (int32_t q = 0; q < nq; q++) {
    const int32_t ia = 2 * q - P->ph, ib = ia + 1;
    const int has_a = ia >= 0 && ia < P->h, has_b = ib >= 0 && ib < P->h;
    uint32_t *dst = vp + q * P->l + P->pw;
    const uint8_t *x = (const uint8_t *)xc;
    if (has_a && has_b) pack_row(P, x + ia * row, x + ib * row, 1, 1, dst, zx, m, xs, 0, check);
    else if (has_a || has_b) pack_row(P, x + (has_a ? ia : ib) * row, x + (has_b ? ib : ia) * row, has_a, has_b, dst, zx, m, xs, 1, check);
  }
  *range = acc;
}

#define PACK_OF(name, xs, check) \
  static __attribute__((noinline)) void name(const conv_params *P, const void *xc, uint32_t *vp, input_range_acc *m) { pack_pair_plane(P, xc, vp, m, xs, check); }
PACK_OF(pack_pair_plane_i32, STORAGE_I32, 1)
PACK_OF(pack_pair_plane_u8, STORAGE_U8, 1)
PACK_OF(pack_pair_plane_i8, STORAGE_I8, 1)
PACK_OF(pack_pair_plane_u8_in_range, STORAGE_U8, 0)
PACK_OF(pack_pair_plane_i8_in_range, STORAGE_I8, 0)

/* One output channel's weight pairs, splatted: p (first output row, pair row q), s (first row, q + 1), t and u (second
 * row, q and q + 1; stride 1 only). From the depthwise packing wc[b] = (w(0,b), w(1,b)), wc[3 + b] = (w(2,b), 0). */
typedef struct {
  v128_t p0, p1, p2, s0, s1, s2, t0, t1, t2, u0, u1, u2;
} weights_3x3;

static inline weights_3x3 weights_of(const uint32_t *wc) {
  weights_3x3 k;
  k.p0 = wasm_i32x4_splat((int32_t)wc[0]), k.p1 = wasm_i32x4_splat((int32_t)wc[1]), k.p2 = wasm_i32x4_splat((int32_t)wc[2]);
  k.s0 = wasm_i32x4_splat((int32_t)wc[3]), k.s1 = wasm_i32x4_splat((int32_t)wc[4]), k.s2 = wasm_i32x4_splat((int32_t)wc[5]);
  k.t0 = wasm_i32x4_splat((int32_t)(wc[0] << 16)), k.t1 = wasm_i32x4_splat((int32_t)(wc[1] << 16)), k.t2 = wasm_i32x4_splat((int32_t)(wc[2] << 16));
  k.u0 = wasm_i32x4_splat((int32_t)((wc[0] >> 16) | (wc[3] << 16)));
  k.u1 = wasm_i32x4_splat((int32_t)((wc[1] >> 16) | (wc[4] << 16)));
  k.u2 = wasm_i32x4_splat((int32_t)((wc[2] >> 16) | (wc[5] << 16)));
  return k;
}

/* The requantized (or, with REQUANT_NONE, raw) vector of 4 outputs from acc + bias (bias is 0 with REQUANT_NONE);
 * `narrowed`: REQUANT_FLOAT_SCALE or REQUANT_TFLITE_DOUBLE_BOUNDED whose clamp the byte stores' saturating narrows
 * apply (conv_params.narrow_clamps). */
static ALWAYS_INLINE v128_t finish(v128_t biased, const requant_consts *k, int32_t mode, int narrowed) {
  if (narrowed) return mode == REQUANT_FLOAT_SCALE ? float_scale_unclamped(biased, k) : tflite_double_bounded_unclamped(biased, k);
  return mode == REQUANT_NONE ? biased : requant4_biased(biased, k, mode);
}

/* 4 outputs of one row from pair rows a and b (both at the vector's column). */
static ALWAYS_INLINE v128_t one_row(const uint32_t *a, const uint32_t *b, const weights_3x3 *k, v128_t bias) {
  const v128_t a0 = wasm_v128_load(a), a1 = wasm_v128_load(a + 1), a2 = wasm_v128_load(a + 2);
  const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 1), b2 = wasm_v128_load(b + 2);
  v128_t y = wasm_i32x4_add(bias, wasm_i32x4_dot_i16x8(a0, k->p0));
  y = wasm_i32x4_add(y, wasm_i32x4_dot_i16x8(a1, k->p1));
  y = wasm_i32x4_add(y, wasm_i32x4_dot_i16x8(a2, k->p2));
  y = wasm_i32x4_add(y, wasm_i32x4_dot_i16x8(b0, k->s0));
  y = wasm_i32x4_add(y, wasm_i32x4_dot_i16x8(b1, k->s1));
  return wasm_i32x4_add(y, wasm_i32x4_dot_i16x8(b2, k->s2));
}

/* 4 outputs of rows r and r + 1 (stride 1) from pair rows a (q) and b (q + 1). */
static ALWAYS_INLINE void two_rows(const uint32_t *a, const uint32_t *b, const weights_3x3 *k, v128_t bias, v128_t *y0, v128_t *y1) {
  v128_t v = wasm_v128_load(a);
  v128_t s = wasm_i32x4_add(bias, wasm_i32x4_dot_i16x8(v, k->p0));
  v128_t t = wasm_i32x4_add(bias, wasm_i32x4_dot_i16x8(v, k->t0));
  v = wasm_v128_load(a + 1);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(v, k->p1));
  t = wasm_i32x4_add(t, wasm_i32x4_dot_i16x8(v, k->t1));
  v = wasm_v128_load(a + 2);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(v, k->p2));
  t = wasm_i32x4_add(t, wasm_i32x4_dot_i16x8(v, k->t2));
  v = wasm_v128_load(b);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(v, k->s0));
  t = wasm_i32x4_add(t, wasm_i32x4_dot_i16x8(v, k->u0));
  v = wasm_v128_load(b + 1);
  s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(v, k->s1));
  t = wasm_i32x4_add(t, wasm_i32x4_dot_i16x8(v, k->u1));
  v = wasm_v128_load(b + 2);
  *y0 = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(v, k->s2));
  *y1 = wasm_i32x4_add(t, wasm_i32x4_dot_i16x8(v, k->u2));
}

/* The 4 outputs of y0 as bytes 0..3 and those of y1 as bytes 4..7 (STORAGE_U8 or STORAGE_I8 as ob: requantized outputs,
 * within the byte's range, so the saturating narrows are exact). */
static ALWAYS_INLINE v128_t narrow_bytes(v128_t y0, v128_t y1, int32_t ob) {
  const v128_t n16 = wasm_i16x8_narrow_i32x4(y0, y1);
  return ob == STORAGE_U8 ? wasm_u8x16_narrow_i16x8(n16, n16) : wasm_i8x16_narrow_i16x8(n16, n16);
}

/* The 4 outputs v at element `at` of o, stored as int32 words or bytes (narrow_bytes); `count` < 4 stores the first
 * count lanes only. */
static ALWAYS_INLINE void store_out(void *o, int32_t at, v128_t v, int32_t count, int32_t ob) {
  if (ob == STORAGE_I32) {
    store_lanes((int32_t *)o + at, v, count);
    return;
  }
  const v128_t n8 = narrow_bytes(v, v, ob);
  uint8_t *d = (uint8_t *)o + at;
  if (count >= 4) {
    wasm_v128_store32_lane(d, n8, 0);
    return;
  }
  d[0] = (uint8_t)wasm_u8x16_extract_lane(n8, 0);
  if (count > 1) d[1] = (uint8_t)wasm_u8x16_extract_lane(n8, 1);
  if (count > 2) d[2] = (uint8_t)wasm_u8x16_extract_lane(n8, 2);
}

/* 4 outputs of each of two rows (elements at0 and at1 of o): with bytes, both narrowed together. */
static ALWAYS_INLINE void store_out_pair(void *o, int32_t at0, int32_t at1, v128_t y0, v128_t y1, int32_t ob) {
  if (ob == STORAGE_I32) {
    wasm_v128_store((int32_t *)o + at0, y0);
    wasm_v128_store((int32_t *)o + at1, y1);
    return;
  }
  const v128_t n8 = narrow_bytes(y0, y1, ob);
  wasm_v128_store32_lane((uint8_t *)o + at0, n8, 0);
  wasm_v128_store32_lane((uint8_t *)o + at1, n8, 1);
}

/* One output row (pair rows a and b) at element `at` of o, its last ow % 4 outputs stored lane by lane. */
static ALWAYS_INLINE void single_row(const conv_params *P, const uint32_t *a, const uint32_t *b, const weights_3x3 *w, v128_t bias, const requant_consts *k, int32_t mode, int narrowed, void *o, int32_t at, int32_t ob) {
  int32_t j = 0;
  for (; j + 4 <= P->ow; j += 4) store_out(o, at + j, finish(one_row(a + j, b + j, w, bias), k, mode, narrowed), 4, ob);
  if (j < P->ow) store_out(o, at + j, finish(one_row(a + j, b + j, w, bias), k, mode, narrowed), P->ow - j, ob);
}

/* One output channel's plane (at o, outputs stored as ob) from its input channel's pair plane vp; inlined into one
 * function per mode, storage and `narrowed` (finish; plane_3x3_of), so the requantization's branches and constants and
 * the store are resolved at compile time. */
static ALWAYS_INLINE void plane_3x3(const conv_params *P, const uint32_t *vp, const uint32_t *wc, const channel_params *cp, void *o, int32_t mode, int32_t ob, int narrowed) {
  const requant_consts k = requant_consts_of(cp, mode);
  const v128_t bias = mode == REQUANT_NONE ? wasm_i32x4_splat(0) : k.bias;
  const weights_3x3 w = weights_of(wc);
  const int32_t L = P->l, ow = P->ow, oh = P->oh;
  if (P->sh != 1) {
    for (int32_t r = 0; r < oh; r++) single_row(P, vp + r * L, vp + (r + 1) * L, &w, bias, &k, mode, narrowed, o, r * ow, ob);
    return;
  }
  int32_t r = 0;
  for (; r + 2 <= oh; r += 2) {
    const uint32_t *a = vp + (r / 2) * L, *b = a + L;
    const int32_t at0 = r * ow, at1 = at0 + ow;
    int32_t j = 0;
    for (; j + 4 <= ow; j += 4) {
      v128_t y0, y1;
      two_rows(a + j, b + j, &w, bias, &y0, &y1);
      store_out_pair(o, at0 + j, at1 + j, finish(y0, &k, mode, narrowed), finish(y1, &k, mode, narrowed), ob);
    }
    if (j < ow) {
      v128_t y0, y1;
      two_rows(a + j, b + j, &w, bias, &y0, &y1);
      store_out(o, at0 + j, finish(y0, &k, mode, narrowed), ow - j, ob);
      store_out(o, at1 + j, finish(y1, &k, mode, narrowed), ow - j, ob);
    }
  }
  if (r < oh) single_row(P, vp + (r / 2) * L, vp + (r / 2 + 1) * L, &w, bias, &k, mode, narrowed, o, r * ow, ob);
}

typedef void plane_fn(const conv_params *P, const uint32_t *vp, const uint32_t *wc, const channel_params *cp, void *o);
#define PLANE_3X3_OF(name, mode, ob, narrowed) \
  static __attribute__((noinline)) void name(const conv_params *P, const uint32_t *vp, const uint32_t *wc, const channel_params *cp, void *o) { plane_3x3(P, vp, wc, cp, o, mode, ob, narrowed); }
/* A requantizing mode's three: int32 words, uint8 and int8 outputs. */
#define PLANES_3X3_OF(name, mode) PLANE_3X3_OF(name, mode, STORAGE_I32, 0) PLANE_3X3_OF(name##_u8, mode, STORAGE_U8, 0) PLANE_3X3_OF(name##_i8, mode, STORAGE_I8, 0)
PLANE_3X3_OF(plane_3x3_none, REQUANT_NONE, STORAGE_I32, 0)
PLANES_3X3_OF(plane_3x3_float_scale, REQUANT_FLOAT_SCALE)
/* REQUANT_FLOAT_SCALE whose clamp the byte stores' saturating narrows apply (conv_params.narrow_clamps) */
PLANE_3X3_OF(plane_3x3_float_scale_u8_narrowed, REQUANT_FLOAT_SCALE, STORAGE_U8, 1)
PLANE_3X3_OF(plane_3x3_float_scale_i8_narrowed, REQUANT_FLOAT_SCALE, STORAGE_I8, 1)
PLANES_3X3_OF(plane_3x3_qnnpack, REQUANT_QNNPACK)
PLANES_3X3_OF(plane_3x3_tflite_double, REQUANT_TFLITE_DOUBLE)
PLANES_3X3_OF(plane_3x3_tflite_single, REQUANT_TFLITE_SINGLE)
PLANES_3X3_OF(plane_3x3_tflite_double_bounded, REQUANT_TFLITE_DOUBLE_BOUNDED)
/* REQUANT_TFLITE_DOUBLE_BOUNDED whose clamp the byte stores' saturating narrows apply (conv_params.narrow_clamps) */
PLANE_3X3_OF(plane_3x3_tflite_double_bounded_u8_narrowed, REQUANT_TFLITE_DOUBLE_BOUNDED, STORAGE_U8, 1)
PLANE_3X3_OF(plane_3x3_tflite_double_bounded_i8_narrowed, REQUANT_TFLITE_DOUBLE_BOUNDED, STORAGE_I8, 1)

/* The plane function of a mode and output storage (REQUANT_NONE stores int32 accumulators only), and of
 * conv_params.narrow_clamps (REQUANT_FLOAT_SCALE and REQUANT_TFLITE_DOUBLE_BOUNDED with one-byte outputs only). */
static plane_fn *plane_3x3_of(int32_t mode, int32_t ob, int32_t narrowed) {
  if (narrowed && mode == REQUANT_FLOAT_SCALE && ob != STORAGE_I32) return ob == STORAGE_U8 ? plane_3x3_float_scale_u8_narrowed : plane_3x3_float_scale_i8_narrowed;
  if (narrowed && mode == REQUANT_TFLITE_DOUBLE_BOUNDED && ob != STORAGE_I32) return ob == STORAGE_U8 ? plane_3x3_tflite_double_bounded_u8_narrowed : plane_3x3_tflite_double_bounded_i8_narrowed;
  static plane_fn *const by_mode[6][3] = {
      {plane_3x3_none, plane_3x3_none, plane_3x3_none},
      {plane_3x3_float_scale, plane_3x3_float_scale_u8, plane_3x3_float_scale_i8},
      {plane_3x3_qnnpack, plane_3x3_qnnpack_u8, plane_3x3_qnnpack_i8},
      {plane_3x3_tflite_double, plane_3x3_tflite_double_u8, plane_3x3_tflite_double_i8},
      {plane_3x3_tflite_single, plane_3x3_tflite_single_u8, plane_3x3_tflite_single_i8},
      {plane_3x3_tflite_double_bounded, plane_3x3_tflite_double_bounded_u8, plane_3x3_tflite_double_bounded_i8},
  };
  return by_mode[mode][mode == REQUANT_NONE ? STORAGE_I32 : ob];
}

/*
 * One batch element: P->x the raw input ([c][h][w], int32 words or, P->xstorage, bytes), P->xp the pair plane
 * (pair_rows(P) rows of P->l words, P->l >= ow + 2 >= pw + w), P->wp the depthwise
 * weight packing ([oc][2][3] words), P->out the [oc][oh][ow] outputs (int32 words or, P->ostorage with a requantizing
 * mode, bytes); writes the raw input's minimum and maximum to P->xmin and P->xmax (0 and 0 when one-byte input needs no
 * range, P->xcheck 0).
 */
EXPORT("conv_depthwise_3x3") void conv_depthwise_3x3_entry(conv_params *P) {
  uint32_t *vp = (uint32_t *)P->xp;
  const uint32_t *wbase = (const uint32_t *)P->wp;
  const channel_params *cp = (const channel_params *)P->cp;
  const int32_t xs = P->xstorage, ob = P->mode == REQUANT_NONE ? STORAGE_I32 : P->ostorage;
  const int32_t plane = P->oh * P->ow, words = pair_rows(P) * P->l, channel = P->h * P->w;
  plane_fn *const plane_of = plane_3x3_of(P->mode, ob, P->narrow_clamps);
  for (int32_t i = 0; i < words; i++) vp[i] = 0;
  input_range_acc m = {wasm_i16x8_splat(32767), wasm_i16x8_splat(-32768), INT32_MAX, INT32_MIN};
  for (int32_t c = 0; c < P->groups; c++) {
    const uint8_t *xc = (const uint8_t *)P->x + c * channel * storage_bytes(xs);
    if (xs == STORAGE_U8) P->xcheck ? pack_pair_plane_u8(P, xc, vp, &m) : pack_pair_plane_u8_in_range(P, xc, vp, &m);
    else if (xs == STORAGE_I8) P->xcheck ? pack_pair_plane_i8(P, xc, vp, &m) : pack_pair_plane_i8_in_range(P, xc, vp, &m);
    else pack_pair_plane_i32(P, xc, vp, &m);
    for (int32_t j = 0; j < P->ocg; j++) {
      const int32_t oc = c * P->ocg + j;
      plane_of(P, vp, wbase + oc * 6, cp + oc, (uint8_t *)P->out + oc * plane * storage_bytes(ob));
    }
  }
  if (xs != STORAGE_I32 && !P->xcheck) {
    P->xmin = P->xmax = 0; /* no range taken: 0 lies in both dtypes */
    return;
  }
  int32_t mn = m.smn, mx = m.smx;
  int16_t lanes_mn[8], lanes_mx[8];
  wasm_v128_store(lanes_mn, m.mn);
  wasm_v128_store(lanes_mx, m.mx);
  for (int32_t i = 0; i < 8; i++) {
    mn = lanes_mn[i] < mn ? lanes_mn[i] : mn;
    mx = lanes_mx[i] > mx ? lanes_mx[i] : mx;
  }
  P->xmin = mn;
  P->xmax = mx;
}
