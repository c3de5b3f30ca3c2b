/*
 * impl's quantize_per_tensor loop in WebAssembly SIMD128, linked into the same module as conv_kernels.c
 * (impl/conv/wasm/build.sh); the JavaScript side is impl/quantize_wasm.ts. It mirrors torch 1.13's
 * quantize_val (aten/src/ATen/native/quantized/AffineQuantizerBase.cpp) as impl/quantize.ts quantizeValue does:
 *   q = clamp(trunc64(f32(zp + nearbyint(f32(x * inv)))), qmin, qmax)
 * Domains: f32x4.mul and f32x4.add are IEEE binary32 round-to-nearest-even (subnormals kept), as Math.fround
 * of the exact double result; f32x4.nearest is nearbyint (half to even). The sum of two integral floats is
 * integral, so trunc64 is the identity except where it gives INT64_MIN (NaN, +-inf, |s| >= 2^63), which the
 * clamp turns into qmin; elsewhere i32x4.trunc_sat_f32x4 saturates to int32, which the clamp to a range inside
 * int32 cannot tell from the int64 value.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

static inline v128_t quantize4(v128_t x, v128_t inv, v128_t zp, v128_t qmin, v128_t qmax) {
  const v128_t s = wasm_f32x4_add(zp, wasm_f32x4_nearest(wasm_f32x4_mul(x, inv)));
  const v128_t finite = wasm_f32x4_lt(wasm_f32x4_abs(s), wasm_f32x4_splat(9223372036854775808.0f)); /* false for NaN */
  const v128_t q = wasm_i32x4_min(wasm_i32x4_max(wasm_i32x4_trunc_sat_f32x4(s), qmin), qmax);
  return wasm_v128_bitselect(q, qmin, finite);
}

/* out[i] = quantize_val(x[i]) for i < n; x and out may be unaligned, the tail is read and written lane by lane. */
EXPORT("quantize_per_tensor_f32")
void quantize_per_tensor_f32(const float *x, int32_t n, int32_t *out, float inv, float zp, int32_t qmin, int32_t qmax) {
  const v128_t vinv = wasm_f32x4_splat(inv), vzp = wasm_f32x4_splat(zp), vmin = wasm_i32x4_splat(qmin), vmax = wasm_i32x4_splat(qmax);
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    wasm_v128_store(out + i, quantize4(wasm_v128_load(x + i), vinv, vzp, vmin, vmax));
    wasm_v128_store(out + i + 4, quantize4(wasm_v128_load(x + i + 4), vinv, vzp, vmin, vmax));
  }
  for (; i < n; i++) {
    const v128_t q = quantize4(wasm_f32x4_splat(x[i]), vinv, vzp, vmin, vmax);
    out[i] = wasm_i32x4_extract_lane(q, 0);
  }
}
