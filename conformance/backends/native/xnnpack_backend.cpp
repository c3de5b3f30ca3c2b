// qconform backend over XNNPACK's int8 convolution operators (Debian libxnnpack-dev), speaking the
// qconform-eval/1 protocol (docs/protocol.md) on stdin/stdout. Built by scripts/native/build.sh.
//
// quantized_conv2d@1 (NCHW, qint8 weights) is mapped onto XNNPACK's NHWC operators:
//   - qint8 activations, per-tensor weights (zero point 0)  -> xnn_create_convolution2d_nhwc_qs8
//   - qint8 activations, per-channel weights (zero points 0) -> xnn_create_convolution2d_nhwc_qc8
//   - quint8 activations, per-tensor weights                -> xnn_create_convolution2d_nhwc_qu8, with the
//     weights moved to uint8 exactly: w + 128 with kernel zero point z + 128 gives the same (w - z).
// XNNPACK has no operator for asymmetric int8 weights or per-channel uint8 weights: such requests are
// answered `unknown_op` (the runner's `unsupported`), never approximated. What XNNPACK refuses (a scale whose float32 is
// not normal, an output range of one value, a requantization scale >= 256, C = 0, an input of height or width 0) is
// answered with the xnnpack schemes' refusal of the first such cause in XNNPACK's order, which is the contract's
// (refuse_as_create_does, fail_create, fail_setup); its other xnn_status_invalid_parameter causes are enumerated there.
// Two inputs are not given to XNNPACK: a per-tensor requantization scale below 2^-32 (params-init.c asserts it and
// aborts; contract/xnnpack_scale.ts), answered with the contract's refusal, and a stride, padding, dilation or groups
// wider than XNNPACK's uint32_t parameters (refuse_before_create). Layouts are converted here; the weights go in
// XNNPACK's [groups][group OC][KH][KW][group IC] order, with no XNN_FLAG_DEPTHWISE_CONVOLUTION (XNNPACK itself picks its
// depthwise kernels when each group has one input and one output channel).
// Scales arrive as float64 and are rounded to float32, the type of XNNPACK's parameters.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <cpuinfo.h>
#include <xnnpack.h>

#include "protocol.hpp"

#ifndef QCONFORM_XNNPACK_PACKAGE
#define QCONFORM_XNNPACK_PACKAGE "unknown"
#endif

namespace {

using qproto::fail;

// The schemes XNNPACK's qs8/qc8/qu8 conv micro-kernels requantize with, per architecture (src/init.c picks the
// params initializer with the micro-kernels): on x86 all three use fp32 (float multiply, lrintf); on arm64
// (NEON) qs8 and qu8 use rndnu (xnn_init_qs8/qu8_conv_minmax_rndnu_neon_params: SQSHL, SQDMULH, SRSHL) and
// qc8 uses fp32 (xnn_init_qs8_minmax_neonv8_params), measured under qemu-aarch64 (vectors/xnnpack-2022-arm64).
// The handshake claims them all; the runner checks each case's scheme against what the adapter computes.
#if defined(__aarch64__)
const char* const kArch = "arm64";
const char* const kSchemes = "[\"xnnpack-rndnu@1\",\"xnnpack-fp32@1\"]";
const char* const kSchemesByOperator = "{\"qs8\":\"xnnpack-rndnu@1\",\"qc8\":\"xnnpack-fp32@1\",\"qu8\":\"xnnpack-rndnu@1\"}";
// the field the contract names in the per-tensor operators' refusal of a scale below 2^-32 (contract/xnnpack_scale.ts)
const char* const kPerTensorScaleField = "XNNPACK rndnu scale";
#else
const char* const kArch = "x86_64";
const char* const kSchemes = "[\"xnnpack-fp32@1\"]";
const char* const kSchemesByOperator = "{\"qs8\":\"xnnpack-fp32@1\",\"qc8\":\"xnnpack-fp32@1\",\"qu8\":\"xnnpack-fp32@1\"}";
const char* const kPerTensorScaleField = "XNNPACK requantization scale";
#endif
const char* const kOp = "quantized_conv2d@1";

const char* status_name(xnn_status s) {
  switch (s) {
    case xnn_status_success: return "success";
    case xnn_status_uninitialized: return "uninitialized";
    case xnn_status_invalid_parameter: return "invalid_parameter";
    case xnn_status_invalid_state: return "invalid_state";
    case xnn_status_unsupported_parameter: return "unsupported_parameter";
    case xnn_status_unsupported_hardware: return "unsupported_hardware";
    case xnn_status_out_of_memory: return "out_of_memory";
  }
  return "unknown";
}

struct Range {
  int64_t min, max;
};
Range dtype_range(const std::string& dtype) { return dtype == "quint8" ? Range{0, 255} : Range{-128, 127}; }

void check_scale(double s, const std::string& name) {
  if (!std::isfinite(s)) fail("scale_not_finite", "quantized_conv2d: " + name + " must be finite");
  if (!(s > 0)) fail("scale_not_positive", "quantized_conv2d: " + name + " must be > 0");
}

void check_zero_point(int64_t z, Range r, const std::string& name) {
  if (z < r.min || z > r.max) fail("zero_point_out_of_range", "quantized_conv2d: " + name + " = " + std::to_string(z) + " is outside the dtype range");
}

void check_values(const qproto::IntTensor& t, Range r, const std::string& name) {
  for (int64_t v : t.values) {
    if (v < r.min || v > r.max) fail("invalid_integer", "quantized_conv2d: " + name + " holds " + std::to_string(v) + ", outside its dtype");
  }
}

int64_t out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation) {
  int64_t span = in + 2 * pad - dilation * (k - 1) - 1;
  return (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;  // floor division
}

// One conv request, validated in the order of spec/conv_checks.ts, then run through XNNPACK.
struct Conv {
  qproto::IntTensor x, weight, weight_zero_points, bias;
  qproto::F64Tensor weight_scales;
  bool has_bias = false, per_channel = false, relu = false;
  double x_scale = 0, y_scale = 0;
  int64_t x_zero_point = 0, y_zero_point = 0, groups = 1;
  std::pair<int64_t, int64_t> stride, padding, dilation;
  int64_t n = 0, c = 0, h = 0, w = 0, oc = 0, icg = 0, kh = 0, kw = 0, oh = 0, ow = 0;
  std::string dtype;

  explicit Conv(const qproto::Request& r) {
    if (r.str_attr("accumulator") != "int32_wrap") fail("unknown_op", "the XNNPACK adapter runs XNNPACK's wrapping int32 accumulator only (accumulator int32_wrap)");
    r.takes("scheme");  // the kernels' own requantization: the runner judges the case's scheme (kSchemesByOperator)
    x = r.int_input("x");
    weight = r.int_input("weight");
    dtype = x.dtype;
    if (dtype != "quint8" && dtype != "qint8") fail("invalid_dtype", "quantized_conv2d: activations are quint8 or qint8");
    if (weight.dtype != "qint8") fail("invalid_dtype", "quantized_conv2d: weights are qint8");
    if (x.shape.size() != 4) fail("shape_mismatch", "quantized_conv2d: x is [N, C, H, W]");
    if (weight.shape.size() != 4) fail("shape_mismatch", "quantized_conv2d: weight is [OC, C / groups, KH, KW]");
    check_values(x, dtype_range(dtype), "x");
    check_values(weight, dtype_range("qint8"), "weight");
    n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
    oc = weight.shape[0], icg = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3];

    x_scale = r.f64_attr("x_scale");
    x_zero_point = r.int_attr("x_zero_point");
    y_scale = r.f64_attr("y_scale");
    y_zero_point = r.int_attr("y_zero_point");
    check_scale(x_scale, "x_scale");
    check_zero_point(x_zero_point, dtype_range(dtype), "x_zero_point");
    check_scale(y_scale, "y_scale");
    check_zero_point(y_zero_point, dtype_range(dtype), "y_zero_point");
    std::string wq = r.str_attr("weight_quantization");
    if (wq != "per_tensor" && wq != "per_channel") fail("invalid_qscheme", "quantized_conv2d: weight_quantization is per_tensor or per_channel");
    per_channel = wq == "per_channel";
    weight_scales = r.f64_input("weight_scales");
    weight_zero_points = r.int_input("weight_zero_points");
    size_t k = per_channel ? static_cast<size_t>(oc) : 1;
    if (weight_scales.shape.size() != 1 || weight_scales.values.size() != k) fail("shape_mismatch", "quantized_conv2d: weight_scales takes [" + std::to_string(k) + "]");
    if (weight_zero_points.shape.size() != 1 || weight_zero_points.values.size() != k) fail("shape_mismatch", "quantized_conv2d: weight_zero_points takes [" + std::to_string(k) + "]");
    for (double s : weight_scales.values) check_scale(s, "weight_scales");
    for (int64_t z : weight_zero_points.values) check_zero_point(z, dtype_range("qint8"), "weight_zero_points");

    has_bias = r.has_input("bias");
    if (has_bias) {
      std::string bias_dtype = r.input_dtype("bias");
      if (bias_dtype != "int32" && bias_dtype != "float32") fail("malformed_request", "quantized_conv2d: bias is float32 or int32");
      if (bias_dtype == "float32") {
        // XNNPACK takes an int32 bias only; the float bias is checked for shape first, as the contract does
        const qjson::Value* shape = r.input("bias")->get("shape");
        if (!shape || shape->items.size() != 1 || shape->items[0].integer != oc) fail("shape_mismatch", "quantized_conv2d: bias is [OC]");
        fail("unsupported_by_scheme", "quantized_conv2d: XNNPACK takes an int32 bias");
      }
      bias = r.int_input("bias");
      if (bias.shape.size() != 1 || bias.values.size() != static_cast<size_t>(oc)) fail("shape_mismatch", "quantized_conv2d: bias is [" + std::to_string(oc) + "]");
    }

    groups = r.int_attr("groups");
    if (groups < 1) fail("invalid_geometry", "quantized_conv2d: groups >= 1");
    if (c % groups != 0 || oc % groups != 0) fail("invalid_geometry", "quantized_conv2d: groups must divide the input and output channel counts");
    if (icg != c / groups || kh < 1 || kw < 1 || oc < 1) fail("shape_mismatch", "quantized_conv2d: weight is [OC >= 1, C / groups, KH >= 1, KW >= 1]");
    stride = r.pair_attr("stride");
    padding = r.pair_attr("padding");
    dilation = r.pair_attr("dilation");
    if (stride.first < 1 || stride.second < 1) fail("invalid_geometry", "quantized_conv2d: stride >= 1");
    if (padding.first < 0 || padding.second < 0) fail("invalid_geometry", "quantized_conv2d: padding >= 0");
    if (dilation.first < 1 || dilation.second < 1) fail("invalid_geometry", "quantized_conv2d: dilation >= 1");
    oh = out_size(h, kh, stride.first, padding.first, dilation.first);
    ow = out_size(w, kw, stride.second, padding.second, dilation.second);
    if (oh < 1 || ow < 1 || n < 1) fail("empty_output", "quantized_conv2d: every output dimension must be >= 1");
    relu = r.bool_attr("relu", false);
  }

  // x [N, C, H, W] -> [N, H, W, C], moved by `offset` (128 for the uint8 weights of qu8, 0 otherwise).
  template <typename T>
  std::vector<T> nhwc_input() const {
    std::vector<T> out(x.values.size() + XNN_EXTRA_BYTES);
    for (int64_t b = 0; b < n; b++)
      for (int64_t ch = 0; ch < c; ch++)
        for (int64_t y = 0; y < h; y++)
          for (int64_t xx = 0; xx < w; xx++) out[((b * h + y) * w + xx) * c + ch] = static_cast<T>(x.values[((b * c + ch) * h + y) * w + xx]);
    return out;
  }

  // weight [OC, ICG, KH, KW] -> [OC, KH, KW, ICG] (= XNNPACK's [groups][group OC][KH][KW][group IC]).
  template <typename T>
  std::vector<T> ohwi_weight(int64_t offset) const {
    std::vector<T> out(weight.values.size());
    for (int64_t o = 0; o < oc; o++)
      for (int64_t i = 0; i < icg; i++)
        for (int64_t y = 0; y < kh; y++)
          for (int64_t xx = 0; xx < kw; xx++) out[((o * kh + y) * kw + xx) * icg + i] = static_cast<T>(weight.values[((o * icg + i) * kh + y) * kw + xx] + offset);
    return out;
  }

  std::vector<int32_t> int32_bias() const {
    std::vector<int32_t> out(static_cast<size_t>(oc), 0);
    if (has_bias)
      for (int64_t o = 0; o < oc; o++) out[o] = static_cast<int32_t>(bias.values[o]);
    return out;
  }

  // The contract's output clamp: the dtype range, raised to the zero point with relu.
  Range output_range() const {
    Range r = dtype_range(dtype);
    if (relu && y_zero_point > r.min) r.min = y_zero_point;
    return r;
  }

  std::string run() const {
    std::vector<int64_t> out_nhwc(static_cast<size_t>(n * oh * ow * oc));
    if (dtype == "qint8") run_signed(out_nhwc);
    else run_unsigned(out_nhwc);
    std::vector<int64_t> y(out_nhwc.size());
    for (int64_t b = 0; b < n; b++)
      for (int64_t o = 0; o < oc; o++)
        for (int64_t r = 0; r < oh; r++)
          for (int64_t s = 0; s < ow; s++) y[((b * oc + o) * oh + r) * ow + s] = out_nhwc[((b * oh + r) * ow + s) * oc + o];
    return "{\"y\":" + qproto::int_tensor_json(dtype, {n, oc, oh, ow}, y) + "}";
  }

  // The float32 requantization scale of kernel scale `kernel_scale`, as convolution-nhwc.c computes it:
  // input_scale * kernel_scale / output_scale, each the float32 passed.
  float requantization_scale(double kernel_scale) const {
    return static_cast<float>(x_scale) * static_cast<float>(kernel_scale) / static_cast<float>(y_scale);
  }

  // What xnn_create_convolution2d_nhwc_qs8/qc8/qu8 (Debian's XNNPACK 0.0~git20220216.ae108ef,
  // src/operators/convolution-nhwc.c) check before the convolution's geometry, in their order, each answered with the
  // xnnpack schemes' refusal of it, unsupported_by_scheme (1 and 2 naming the field the contract names: contract/
  // xnnpack_scale.ts, contract/conv_checks.ts outputRangeRefusal), so that a conv with several of them gets the contract's first:
  //   1. the input scale, the kernel scale (qc8: each output channel's), the output scale, each the float32 passed:
  //      `scale <= 0.0f || !isnormal(scale)` is xnn_status_invalid_parameter;
  //   2. output_min >= output_max (relu with y_zero_point at the dtype's maximum): xnn_status_invalid_parameter;
  //   3. a requantization scale >= 256 (qc8: each channel's): xnn_status_unsupported_parameter, the message XNNPACK's
  //      status (as vectors/xnnpack-2022 records it).
  // Returns when none holds.
  void refuse_as_create_does(Range range, const char* call) const {
    auto refuse_scale = [&](double s, const std::string& field) {
      const float f = static_cast<float>(s);
      if (f > 0.0f && std::isnormal(f)) return;
      char value[32];
      std::snprintf(value, sizeof value, "%.9g", static_cast<double>(f));
      fail("unsupported_by_scheme", "quantized_conv2d: " + field + ": XNNPACK takes scales whose float32 is normal and positive; this one's is " + value + " (" + call +
                                        ": scale <= 0.0f || !isnormal(scale) is xnn_status_invalid_parameter)");
    };
    refuse_scale(x_scale, "x_scale");
    for (size_t i = 0; i < weight_scales.values.size(); i++) refuse_scale(weight_scales.values[i], "weight_scales[" + std::to_string(i) + "]");
    refuse_scale(y_scale, "y_scale");
    if (range.min >= range.max)
      fail("unsupported_by_scheme", "quantized_conv2d: y_zero_point: relu with y_zero_point at the " + dtype + " maximum leaves the output one value, which XNNPACK refuses (" + call +
                                        ": output_min >= output_max is xnn_status_invalid_parameter)");
    for (double kernel_scale : weight_scales.values)
      if (!(requantization_scale(kernel_scale) < 256.0f))
        fail("unsupported_by_scheme", std::string(call) + ": xnn_status_unsupported_parameter");
  }

  // The first of stride, padding, dilation and groups that does not fit the uint32_t parameter XNNPACK takes it as, or "".
  std::string wider_than_uint32() const {
    const std::pair<const char*, int64_t> params[] = {{"stride[0]", stride.first},     {"stride[1]", stride.second},     {"padding[0]", padding.first}, {"padding[1]", padding.second},
                                                      {"dilation[0]", dilation.first}, {"dilation[1]", dilation.second}, {"groups", groups}};
    for (const auto& [name, value] : params)
      if (value > static_cast<int64_t>(UINT32_MAX)) return std::string(name) + " = " + std::to_string(value);
    return "";
  }

  // Before xnn_create_convolution2d_nhwc_*: what cannot be handed to it. Its stride, padding, dilation and groups are
  // uint32_t parameters, which a larger value reaches wrapped (a stride of 2^32 as 0, which it refuses; 2^32 + 1 as 1,
  // another convolution, whose output overruns the adapter's buffer): not given to XNNPACK, backend_error (the xnnpack
  // schemes compute these convs). And the per-tensor operators (qs8, qu8) hand the requantization scale to a params
  // initializer (src/params-init.c; x86: xnn_init_qs8/qu8_conv_minmax_fp32_*_params, arm64:
  // xnn_init_qs8/qu8_conv_minmax_rndnu_neon_params) that asserts scale >= 0x1.0p-32f, and Debian's build keeps
  // assertions: the process aborts; the contract refuses it (contract/xnnpack_scale.ts). XNNPACK reaches the initializer
  // after refuse_as_create_does's checks and the geometry after the initializer, so those come first, in that order.
  void refuse_before_create(Range range, const char* call, bool per_tensor) const {
    const bool asserts = per_tensor && !(requantization_scale(weight_scales.values[0]) >= 0x1.0p-32f);
    const std::string wide = wider_than_uint32();
    if (!asserts && wide.empty()) return;
    refuse_as_create_does(range, call);
    if (asserts)
      fail("unsupported_by_scheme", std::string("quantized_conv2d: ") + kPerTensorScaleField + ": XNNPACK's per-tensor convolutions take requantization scales >= 2^-32 (params-init.c asserts scale >= 0x1.0p-32f and aborts); f32(f32(x_scale * w_scale) / y_scale) is below it");
    fail("backend_error", std::string("not given to XNNPACK: ") + call + " takes stride, padding, dilation and groups as uint32_t, and " + wide + " does not fit (it would reach XNNPACK wrapped)");
  }

  // xnn_create_convolution2d_nhwc_*'s refusal `s`, explained in its order: refuse_as_create_does's checks, then
  // create_convolution2d_nhwc's (convolution-nhwc.c), each xnn_status_invalid_parameter:
  //   - kernel height or width 0, subsampling (stride) 0, dilation 0, groups 0, group output channels 0: not reached (the
  //     adapter refuses a weight other than [OC >= 1, C / groups, KH >= 1, KW >= 1] and a stride, dilation or groups
  //     below 1 first, as the contract does: shape_mismatch, invalid_geometry; a value wider than uint32_t is not given,
  //     refuse_before_create);
  //   - group input channels 0: C = 0, which the xnnpack schemes refuse (contract/conv_input_extents.ts):
  //     unsupported_by_scheme naming the contract's field (x);
  //   - an input / output channel stride below the channel count, XNN_FLAG_DEPTHWISE_CONVOLUTION with more than one input
  //     channel per group, XNN_FLAG_TENSORFLOW_SAME_PADDING with padding: not reached (the strides are the channel
  //     counts; no flags).
  // Anything else (another status, or a cause not listed) is backend_error with the status.
  void fail_create(xnn_status s, const char* call, Range range) const {
    refuse_as_create_does(range, call);
    if (s == xnn_status_invalid_parameter && icg == 0)
      fail("unsupported_by_scheme", std::string("quantized_conv2d: x: XNNPACK refuses 0 input channels per group (C = 0; convolution-nhwc.c create_convolution2d_nhwc: ") + call + " returned xnn_status_invalid_parameter)");
    fail("backend_error", std::string(call) + ": xnn_status_" + status_name(s));
  }

  // xnn_setup_convolution2d_nhwc_* / xnn_run_operator's refusal `s`. setup_convolution2d_nhwc (convolution-nhwc.c)
  // returns xnn_status_invalid_parameter for an input of height or width 0 (x [N, C, 0, W] or [N, C, H, 0] whose padding
  // gives an output >= 1, which the xnnpack schemes refuse, contract/conv_input_extents.ts: unsupported_by_scheme naming
  // the contract's field, x) and for an operator
  // of another type (not reached: each setup is its create's); it skips a batch of 0 (refused before, empty_output, as the
  // contract does). Anything else is backend_error with the status.
  void fail_setup(xnn_status s) const {
    if (s == xnn_status_invalid_parameter && (h == 0 || w == 0))
      fail("unsupported_by_scheme", "quantized_conv2d: x: XNNPACK refuses an input of height or width 0 (H = " + std::to_string(h) + ", W = " + std::to_string(w) +
                                        "; convolution-nhwc.c setup_convolution2d_nhwc: xnn_setup_convolution2d_nhwc returned xnn_status_invalid_parameter)");
    fail("backend_error", std::string("xnn_setup/run_operator: xnn_status_") + status_name(s));
  }

  void create_and_run(xnn_status created, xnn_operator_t op, const char* create_call, Range range, const std::function<xnn_status(xnn_operator_t)>& setup) const {
    if (created != xnn_status_success) fail_create(created, create_call, range);
    xnn_status s = setup(op);
    if (s == xnn_status_success) s = xnn_run_operator(op, nullptr);
    xnn_delete_operator(op);
    if (s != xnn_status_success) fail_setup(s);
  }

  void run_signed(std::vector<int64_t>& out) const {
    for (int64_t z : weight_zero_points.values) {
      if (z != 0) fail("unknown_op", "XNNPACK's qs8/qc8 convolutions take symmetric int8 weights (zero point 0)");
    }
    Range range = output_range();
    const char* call = per_channel ? "xnn_create_convolution2d_nhwc_qc8" : "xnn_create_convolution2d_nhwc_qs8";
    refuse_before_create(range, call, !per_channel);
    std::vector<int8_t> input = nhwc_input<int8_t>();
    std::vector<int8_t> kernel = ohwi_weight<int8_t>(0);
    std::vector<int32_t> b = int32_bias();
    std::vector<int8_t> output(out.size() + XNN_EXTRA_BYTES);
    xnn_operator_t op = nullptr;
    const int8_t xz = static_cast<int8_t>(x_zero_point), yz = static_cast<int8_t>(y_zero_point);
    const int8_t lo = static_cast<int8_t>(range.min), hi = static_cast<int8_t>(range.max);
    if (per_channel) {
      std::vector<float> scales(weight_scales.values.begin(), weight_scales.values.end());
      xnn_status s = xnn_create_convolution2d_nhwc_qc8(padding.first, padding.second, padding.first, padding.second, kh, kw, stride.first, stride.second, dilation.first, dilation.second, groups, icg, oc / groups, c, oc,
                                                       xz, static_cast<float>(x_scale), scales.data(), kernel.data(), b.data(), yz, static_cast<float>(y_scale), lo, hi, 0, &op);
      create_and_run(s, op, call, range, [&](xnn_operator_t o) { return xnn_setup_convolution2d_nhwc_qc8(o, n, h, w, input.data(), output.data(), nullptr); });
    } else {
      xnn_status s = xnn_create_convolution2d_nhwc_qs8(padding.first, padding.second, padding.first, padding.second, kh, kw, stride.first, stride.second, dilation.first, dilation.second, groups, icg, oc / groups, c, oc,
                                                       xz, static_cast<float>(x_scale), static_cast<float>(weight_scales.values[0]), kernel.data(), b.data(), yz, static_cast<float>(y_scale), lo, hi, 0, &op);
      create_and_run(s, op, call, range, [&](xnn_operator_t o) { return xnn_setup_convolution2d_nhwc_qs8(o, n, h, w, input.data(), output.data(), nullptr); });
    }
    for (size_t i = 0; i < out.size(); i++) out[i] = output[i];
  }

  void run_unsigned(std::vector<int64_t>& out) const {
    if (per_channel) fail("unknown_op", "XNNPACK's qu8 convolution takes one kernel scale and zero point (per_tensor weights)");
    Range range = output_range();
    const char* call = "xnn_create_convolution2d_nhwc_qu8";
    refuse_before_create(range, call, true);
    std::vector<uint8_t> input = nhwc_input<uint8_t>();
    std::vector<uint8_t> kernel = ohwi_weight<uint8_t>(128);
    std::vector<int32_t> b = int32_bias();
    std::vector<uint8_t> output(out.size() + XNN_EXTRA_BYTES);
    xnn_operator_t op = nullptr;
    xnn_status s = xnn_create_convolution2d_nhwc_qu8(padding.first, padding.second, padding.first, padding.second, kh, kw, stride.first, stride.second, dilation.first, dilation.second, groups, icg, oc / groups, c, oc,
                                                     static_cast<uint8_t>(x_zero_point), static_cast<float>(x_scale), static_cast<uint8_t>(weight_zero_points.values[0] + 128), static_cast<float>(weight_scales.values[0]), kernel.data(), b.data(),
                                                     static_cast<uint8_t>(y_zero_point), static_cast<float>(y_scale), static_cast<uint8_t>(range.min), static_cast<uint8_t>(range.max), 0, &op);
    create_and_run(s, op, call, range, [&](xnn_operator_t o) { return xnn_setup_convolution2d_nhwc_qu8(o, n, h, w, input.data(), output.data(), nullptr); });
    for (size_t i = 0; i < out.size(); i++) out[i] = output[i];
  }
};

// The features XNNPACK's dispatch looks at when it picks the qs8/qu8 micro-kernels (src/init.c), through cpuinfo:
// CPUID on x86; on arm64 Linux the kernel's AT_HWCAP, which qemu-aarch64 fills from the emulated core.
std::vector<std::string> cpu_flags() {
  std::vector<std::string> flags;
  if (!cpuinfo_initialize()) return flags;
#if defined(__aarch64__)
  const std::pair<const char*, bool> known[] = {
      {"neon", cpuinfo_has_arm_neon()}, {"neon_fma", cpuinfo_has_arm_neon_fma()}, {"neon_rdm", cpuinfo_has_arm_neon_rdm()},
      {"neon_fp16_arith", cpuinfo_has_arm_neon_fp16_arith()}, {"neon_dot", cpuinfo_has_arm_neon_dot()}, {"sve", cpuinfo_has_arm_sve()},
  };
#else
  const std::pair<const char*, bool> known[] = {
      {"sse2", cpuinfo_has_x86_sse2()}, {"ssse3", cpuinfo_has_x86_ssse3()},       {"sse4_1", cpuinfo_has_x86_sse4_1()},     {"avx", cpuinfo_has_x86_avx()},
      {"xop", cpuinfo_has_x86_xop()},   {"fma3", cpuinfo_has_x86_fma3()},         {"avx2", cpuinfo_has_x86_avx2()},         {"avx512f", cpuinfo_has_x86_avx512f()},
      {"avx512bw", cpuinfo_has_x86_avx512bw()}, {"avx512vnni", cpuinfo_has_x86_avx512vnni()},
  };
#endif
  for (const auto& [name, present] : known)
    if (present) flags.push_back(name);
  return flags;
}

std::string handshake() {
  return std::string("{\"protocol\":\"qconform-eval/1\",\"backend\":\"xnnpack\",\"version\":") + qjson::quote(QCONFORM_XNNPACK_PACKAGE) + ",\"ops\":[" + qjson::quote(kOp) +
         "],\"capabilities\":{\"schemes\":" + kSchemes + ",\"dtypes\":[\"quint8\",\"qint8\"],\"accumulator\":\"int32_wrap\"}" +
         ",\"info\":{\"package\":\"libxnnpack-dev\",\"package_version\":" + qjson::quote(QCONFORM_XNNPACK_PACKAGE) + ",\"arch\":" + qjson::quote(kArch) +
         ",\"schemes_by_operator\":" + kSchemesByOperator + ",\"cpu_flags\":" + qjson::string_array(cpu_flags()) +
         ",\"operators\":[\"xnn_create_convolution2d_nhwc_qs8\",\"xnn_create_convolution2d_nhwc_qc8\",\"xnn_create_convolution2d_nhwc_qu8\"],\"threads\":1}}";
}

}  // namespace

int main() {
  xnn_status init = xnn_initialize(nullptr);
  if (init != xnn_status_success) {
    std::fprintf(stderr, "xnnpack_backend: xnn_initialize failed: xnn_status_%s\n", status_name(init));
    return 1;
  }
  return qproto::serve(handshake(), [](const qproto::Request& r) -> std::string {
    if (r.op() != kOp) qproto::fail("unknown_op", "the XNNPACK adapter runs " + std::string(kOp) + " only, not " + r.op());
    return Conv(r).run();
  });
}
