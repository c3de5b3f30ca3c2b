// The qconform-eval/1 protocol (docs/protocol.md) for the native adapters: typed access to a request's
// attrs and inputs, response lines, and the serve loop (handshake, then one response line per request line).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "json_lines.hpp"

namespace qproto {

// A typed error response: `code` is one of spec/errors.ts (or backend_error / unknown_op).
struct Error {
  std::string code;
  std::string message;
};

inline void fail(const std::string& code, const std::string& message) { throw Error{code, message}; }
inline void malformed(const std::string& where, const std::string& what) { fail("malformed_request", where + ": " + what); }

// An integer tensor of the wire: {"dtype":D,"shape":[...],"values":[...]}.
struct IntTensor {
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<int64_t> values;
};

// A float64 tensor of the wire: 16 hex digits per element.
struct F64Tensor {
  std::vector<int64_t> shape;
  std::vector<double> values;
};

inline double hex_to_f64(const qjson::Value* v, const std::string& where) {
  if (!v || !v->is(qjson::Value::Kind::String) || v->text.size() != 16 || v->text.find_first_not_of("0123456789abcdef") != std::string::npos) {
    malformed(where, "a float64 as 16 lowercase hex digits");
  }
  uint64_t bits = std::stoull(v->text, nullptr, 16);
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

class Request {
 public:
  explicit Request(const qjson::Value& v) : v_(v) {
    const qjson::Value* id = v.get("id");
    const qjson::Value* op = v.get("op");
    if (!id || !id->is(qjson::Value::Kind::String)) malformed("request", "id must be a string");
    if (!op || !op->is(qjson::Value::Kind::String)) malformed("request", "op must be a string");
    id_ = id->text;
    op_ = op->text;
  }
  const std::string& id() const { return id_; }
  const std::string& op() const { return op_; }

  const qjson::Value* attr(const std::string& name) const { return section("attrs", name); }
  const qjson::Value* input(const std::string& name) const { return section("inputs", name); }
  // An attribute the op takes but the adapter does not pass to its library (the runner judges it, e.g. `scheme`):
  // looked up, so never refused as a field the op does not take.
  void takes(const std::string& name) const { attr(name); }

  // malformed_request for the first present (not null) field of the inputs, then of the attrs, that the op never
  // looked up: a field it does not take, refused instead of computed as if absent. The TypeScript protocol's check
  // (conformance/protocol/request_fields.ts refuseUnread), run once the op has answered. The built-in xnnpack and
  // gemmlowp backends refuse such a field before this process sees the request (conformance/backends/
  // unread_fields_first.ts); this is the fallback of the adapter run alone.
  void refuse_unread() const {
    const char* sections[][2] = {{"inputs", "input"}, {"attrs", "attribute"}};
    for (const auto& [which, noun] : sections) {
      const qjson::Value* s = v_.get(which);
      if (!s || !s->is(qjson::Value::Kind::Object)) continue;
      const std::vector<std::string>& looked = which == std::string("inputs") ? looked_inputs_ : looked_attrs_;
      for (const auto& [name, value] : s->fields) {
        if (value.is(qjson::Value::Kind::Null) || std::find(looked.begin(), looked.end(), name) != looked.end()) continue;
        std::string takes;
        for (const std::string& n : looked) takes += (takes.empty() ? "" : ", ") + n;
        malformed(op_ + ": " + which + "." + name, op_ + " takes no " + noun + " " + name + "; its " + which + ": " + (takes.empty() ? "none" : takes));
      }
    }
  }

  int64_t int_attr(const std::string& name) const {
    const qjson::Value* a = attr(name);
    if (!a || !a->is(qjson::Value::Kind::Int)) malformed(op_ + ": attrs." + name, "an integer");
    return a->integer;
  }
  bool bool_attr(const std::string& name, bool fallback) const {
    const qjson::Value* a = attr(name);
    if (!a || a->is(qjson::Value::Kind::Null)) return fallback;
    if (!a->is(qjson::Value::Kind::Bool)) malformed(op_ + ": attrs." + name, "a boolean");
    return a->boolean;
  }
  std::string str_attr(const std::string& name) const {
    const qjson::Value* a = attr(name);
    if (!a || !a->is(qjson::Value::Kind::String)) malformed(op_ + ": attrs." + name, "a string");
    return a->text;
  }
  double f64_attr(const std::string& name) const { return hex_to_f64(attr(name), op_ + ": attrs." + name); }
  std::pair<int64_t, int64_t> pair_attr(const std::string& name) const {
    const qjson::Value* a = attr(name);
    if (!a || !a->is(qjson::Value::Kind::Array) || a->items.size() != 2 || !a->items[0].is(qjson::Value::Kind::Int) || !a->items[1].is(qjson::Value::Kind::Int)) {
      malformed(op_ + ": attrs." + name, "a pair of integers");
    }
    return {a->items[0].integer, a->items[1].integer};
  }

  bool has_input(const std::string& name) const {
    const qjson::Value* t = input(name);
    return t && !t->is(qjson::Value::Kind::Null);
  }
  IntTensor int_input(const std::string& name) const {
    const std::string where = op_ + ": inputs." + name;
    const qjson::Value* t = input(name);
    IntTensor out;
    out.dtype = string_field(t, "dtype", where);
    out.shape = shape(t, where);
    const qjson::Value* values = t->get("values");
    if (!values || !values->is(qjson::Value::Kind::Array)) malformed(where, "an integer tensor has \"values\"");
    for (const qjson::Value& e : values->items) {
      if (!e.is(qjson::Value::Kind::Int)) malformed(where, "values are JSON integers");
      out.values.push_back(e.integer);
    }
    check_count(out.shape, out.values.size(), where);
    return out;
  }
  F64Tensor f64_input(const std::string& name) const {
    const std::string where = op_ + ": inputs." + name;
    const qjson::Value* t = input(name);
    if (string_field(t, "dtype", where) != "float64") malformed(where, "a float64 tensor");
    F64Tensor out;
    out.shape = shape(t, where);
    const qjson::Value* hex = t->get("hex");
    if (!hex || !hex->is(qjson::Value::Kind::Array)) malformed(where, "a float tensor has \"hex\"");
    for (const qjson::Value& e : hex->items) out.values.push_back(hex_to_f64(&e, where));
    check_count(out.shape, out.values.size(), where);
    return out;
  }
  // The dtype of an input tensor, or "" when it is absent.
  std::string input_dtype(const std::string& name) const {
    const qjson::Value* t = input(name);
    const qjson::Value* d = t ? t->get("dtype") : nullptr;
    return d && d->is(qjson::Value::Kind::String) ? d->text : "";
  }

 private:
  const qjson::Value& v_;
  std::string id_, op_;
  // the names looked up in each section, in order (refuse_unread)
  mutable std::vector<std::string> looked_attrs_, looked_inputs_;

  const qjson::Value* section(const char* which, const std::string& name) const {
    std::vector<std::string>& looked = which == std::string("inputs") ? looked_inputs_ : looked_attrs_;
    if (std::find(looked.begin(), looked.end(), name) == looked.end()) looked.push_back(name);
    const qjson::Value* s = v_.get(which);
    return s ? s->get(name) : nullptr;
  }
  static std::string string_field(const qjson::Value* t, const char* field, const std::string& where) {
    if (!t || !t->is(qjson::Value::Kind::Object)) malformed(where, "missing input");
    const qjson::Value* f = t->get(field);
    if (!f || !f->is(qjson::Value::Kind::String)) malformed(where, std::string("\"") + field + "\" must be a string");
    return f->text;
  }
  static std::vector<int64_t> shape(const qjson::Value* t, const std::string& where) {
    const qjson::Value* s = t->get("shape");
    if (!s || !s->is(qjson::Value::Kind::Array)) malformed(where, "\"shape\" must be an array");
    std::vector<int64_t> out;
    for (const qjson::Value& d : s->items) {
      if (!d.is(qjson::Value::Kind::Int) || d.integer < 0) malformed(where, "shape entries are integers >= 0");
      out.push_back(d.integer);
    }
    return out;
  }
  static void check_count(const std::vector<int64_t>& shape, size_t count, const std::string& where) {
    uint64_t n = 1;
    for (int64_t d : shape) n *= static_cast<uint64_t>(d);
    if (n != count) malformed(where, "the values do not fill the shape");
  }
};

// {"dtype":D,"shape":[...],"values":[...]}
template <typename T>
std::string int_tensor_json(const std::string& dtype, const std::vector<int64_t>& shape, const std::vector<T>& values) {
  std::string out = "{\"dtype\":" + qjson::quote(dtype) + ",\"shape\":[";
  for (size_t i = 0; i < shape.size(); i++) out += (i ? "," : "") + std::to_string(shape[i]);
  out += "],\"values\":[";
  for (size_t i = 0; i < values.size(); i++) out += (i ? "," : "") + std::to_string(static_cast<int64_t>(values[i]));
  return out + "]}";
}

// Answers one request: returns the JSON text of its "outputs" object, or throws Error.
using Handler = std::function<std::string(const Request&)>;

// Writes the handshake line, then answers each stdin line with one stdout line until end of input.
inline int serve(const std::string& handshake, const Handler& handle) {
  std::ios::sync_with_stdio(false);
  std::cout << handshake << '\n' << std::flush;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::string id;
    std::string response;
    try {
      qjson::Value v = qjson::parse(line);
      const qjson::Value* raw_id = v.get("id");
      if (raw_id && raw_id->is(qjson::Value::Kind::String)) id = raw_id->text;
      Request request(v);
      const std::string outputs = handle(request);
      request.refuse_unread();
      response = "{\"id\":" + qjson::quote(id) + ",\"outputs\":" + outputs + "}";
    } catch (const Error& e) {
      response = "{\"id\":" + qjson::quote(id) + ",\"error\":{\"code\":" + qjson::quote(e.code) + ",\"message\":" + qjson::quote(e.message) + "}}";
    } catch (const qjson::ParseError& e) {
      response = "{\"id\":" + qjson::quote(id) + ",\"error\":{\"code\":\"malformed_request\",\"message\":" + qjson::quote(e.what()) + "}}";
    } catch (const std::exception& e) {
      response = "{\"id\":" + qjson::quote(id) + ",\"error\":{\"code\":\"backend_error\",\"message\":" + qjson::quote(e.what()) + "}}";
    }
    std::cout << response << '\n' << std::flush;
  }
  return 0;
}

}  // namespace qproto
