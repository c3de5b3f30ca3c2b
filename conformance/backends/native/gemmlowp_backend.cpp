// qconform backend over gemmlowp's fixed-point primitives (Debian libgemmlowp-dev, header-only), speaking
// the qconform-eval/1 protocol (docs/protocol.md). Built by scripts/native/build.sh.
//
// requantize@1 (spec/requantize.ts) with scheme tflite-double-rounding@1: TFLite's default
// MultiplyByQuantizedMultiplier (tensorflow/lite/kernels/internal/common.h), composed of gemmlowp's
// SaturatingRoundingDoublingHighMul and RoundingDivideByPOT exactly as TFLite composes them:
//
//   int left_shift = shift > 0 ? shift : 0;
//   int right_shift = shift > 0 ? 0 : -shift;
//   return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * (1 << left_shift), quantized_multiplier), right_shift);
//
// then `acc += output_offset` (an int32 add: it wraps) and the clamp to [output_min, output_max]. Every accumulator
// goes through gemmlowp's scalar int32 overloads, with the zero point added as a wrapping int32 add, and, when built
// with SSE4.1 (GEMMLOWP_SSE4), through gemmlowp's own output stage OutputStageScaleInt32ByFixedPointAndExponent
// (internal/output.h) on __m128i registers: ShiftLeft (_mm_slli_epi32, which wraps as TFLite's `x * (1 << left_shift)`
// does), SaturatingRoundingDoublingHighMul, RoundingDivideByPOT and Add(result, result_offset_after_shift)
// (_mm_add_epi32), what gemmlowp's output pipeline runs on x86. The two must agree or the case fails. (gemmlowp's
// scalar ShiftLeft saturates instead of wrapping, so its scalar output stage is not TFLite's composition and is not
// used.)
#include <cstdint>
#include <string>
#include <vector>

#include <fixedpoint/fixedpoint.h>
#ifdef GEMMLOWP_SSE4
#include <public/map.h>  // internal/output.h uses MapOrder and VectorShape without including them
#include <internal/output.h>
#endif

#include "protocol.hpp"

#ifndef QCONFORM_GEMMLOWP_PACKAGE
#define QCONFORM_GEMMLOWP_PACKAGE "unknown"
#endif

namespace {

using qproto::fail;

const char* const kOp = "requantize@1";
const char* const kScheme = "tflite-double-rounding@1";

// TFLite writes `x * (1 << left_shift)`, an int32 multiply that wraps on x86 (signed overflow in C++);
// spelled out on uint32 here so the wrap is defined.
int32_t shift_left_wrapping(int32_t x, int left_shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) * (UINT32_C(1) << left_shift));
}

int32_t multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  return gemmlowp::RoundingDivideByPOT(gemmlowp::SaturatingRoundingDoublingHighMul(shift_left_wrapping(x, left_shift), multiplier), right_shift);
}

// TFLite's `acc += output_offset` on int32 (signed overflow in C++; x86 wraps), spelled out on uint32 so the wrap is defined.
int32_t add_wrapping(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }

#ifdef GEMMLOWP_SSE4
// gemmlowp's output stage (multiplier, exponent, offset after the shift) on four accumulators at a time.
void output_stage_sse4(const int32_t* x, int32_t* out, int32_t multiplier, int shift, int32_t zero_point) {
  using Stage = gemmlowp::OutputStageScaleInt32ByFixedPointAndExponent;
  using Buffer = gemmlowp::RegisterBuffer<std::int32_t, 4>;
  static_assert(Buffer::kRegisterCount == 1 && sizeof(Buffer::RegisterType) == 16, "four int32 lanes in one __m128i");
  Stage stage;
  stage.result_fixedpoint_multiplier = multiplier;
  stage.result_exponent = shift;
  stage.result_offset_after_shift = zero_point;
  const gemmlowp::OutputStageEvalBufferImpl<Stage, Buffer> eval(stage);
  Buffer in;
  in.reg[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), eval.Eval(in).reg[0]);
}
const bool kSse4 = true;
#else
const bool kSse4 = false;
#endif

const int64_t kInt32Min = INT32_MIN, kInt32Max = INT32_MAX;

int64_t int32_attr(const qproto::Request& r, const char* name) {
  int64_t v = r.int_attr(name);
  if (v < kInt32Min || v > kInt32Max) fail("requant_precondition", std::string("requantize: ") + name + " must be an int32");
  return v;
}

// requantize@1, with the contract checks of spec/requantize.ts in the same order.
std::string requantize(const qproto::Request& r) {
  const std::string scheme = r.str_attr("scheme");
  if (scheme != kScheme) fail("unsupported_by_scheme", "the gemmlowp adapter runs " + std::string(kScheme) + " only, not " + scheme);
  qproto::IntTensor acc = r.int_input("acc");
  if (acc.dtype != "int32") fail("invalid_dtype", "requantize: accumulators are int32");
  for (int64_t v : acc.values) {
    if (v < kInt32Min || v > kInt32Max) fail("malformed_request", "requantize: acc values must fit int32");
  }
  const int64_t multiplier = r.int_attr("multiplier");
  if (multiplier < 0 || multiplier > kInt32Max) fail("requant_precondition", "requantize: multiplier is a Q31 value in [0, 2^31 - 1]");
  const int64_t shift = r.int_attr("shift");
  if (shift < -31 || shift > 30) fail("requant_precondition", "requantize: TFLite shifts lie in [-31, 30]");
  const int64_t zero_point = int32_attr(r, "zero_point");
  const int64_t output_min = int32_attr(r, "output_min");
  const int64_t output_max = int32_attr(r, "output_max");
  if (output_min > output_max) fail("requant_precondition", "requantize: output_min <= output_max");

  const size_t n = acc.values.size();
  std::vector<int32_t> x(n + 3), scalar(n), y(n);  // 3 spare lanes for the last SSE load
  for (size_t i = 0; i < n; i++) x[i] = static_cast<int32_t>(acc.values[i]);
  const int32_t zp = static_cast<int32_t>(zero_point);
  for (size_t i = 0; i < n; i++) scalar[i] = add_wrapping(multiply_by_quantized_multiplier(x[i], static_cast<int32_t>(multiplier), static_cast<int>(shift)), zp);
#ifdef GEMMLOWP_SSE4
  std::vector<int32_t> simd(n + 3);
  for (size_t i = 0; i < n; i += 4) output_stage_sse4(&x[i], &simd[i], static_cast<int32_t>(multiplier), static_cast<int>(shift), zp);
  for (size_t i = 0; i < n; i++) {
    if (simd[i] != scalar[i]) fail("backend_error", "gemmlowp's scalar primitives and its SSE4.1 output stage disagree at acc[" + std::to_string(i) + "]: " + std::to_string(scalar[i]) + " vs " + std::to_string(simd[i]));
  }
#endif
  for (size_t i = 0; i < n; i++) {
    // the clamp of acc + output_offset (already added, wrapping, above)
    const int64_t v = scalar[i];
    y[i] = static_cast<int32_t>(v < output_min ? output_min : v > output_max ? output_max : v);
  }
  return "{\"y\":" + qproto::int_tensor_json("int32", acc.shape, y) + "}";
}

std::string handshake() {
  const std::string paths = kSse4 ? "[\"int32 scalar\",\"sse4.1 OutputStageScaleInt32ByFixedPointAndExponent\"]" : "[\"int32 scalar\"]";
  return std::string("{\"protocol\":\"qconform-eval/1\",\"backend\":\"gemmlowp\",\"version\":") + qjson::quote(QCONFORM_GEMMLOWP_PACKAGE) + ",\"ops\":[" + qjson::quote(kOp) +
         "],\"capabilities\":{\"schemes\":[" + qjson::quote(kScheme) + "]},\"info\":{\"package\":\"libgemmlowp-dev\",\"package_version\":" + qjson::quote(QCONFORM_GEMMLOWP_PACKAGE) +
         ",\"primitives\":[\"SaturatingRoundingDoublingHighMul\",\"RoundingDivideByPOT\"],\"composition\":\"TFLite MultiplyByQuantizedMultiplier (double rounding)\",\"paths\":" + paths + "}}";
}

}  // namespace

int main() {
  return qproto::serve(handshake(), [](const qproto::Request& r) -> std::string {
    if (r.op() != kOp) fail("unknown_op", "the gemmlowp adapter runs " + std::string(kOp) + " only, not " + r.op());
    return requantize(r);
  });
}
