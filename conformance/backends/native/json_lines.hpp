// A small JSON reader and writer for the qconform-eval/1 protocol (docs/protocol.md), shared by the native
// adapters. Requests are one JSON object per line; only what the protocol uses is supported: objects, arrays,
// strings (with \" \\ \/ \b \f \n \r \t and \uXXXX below 0x80), integers, true/false/null. A number with a
// fraction or an exponent is refused: the protocol carries floats as hex bit patterns.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace qjson {

// A request the adapter cannot read: answered with `malformed_request`.
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Value {
  enum class Kind { Null, Bool, Int, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  int64_t integer = 0;
  std::string text;
  std::vector<Value> items;
  std::map<std::string, Value> fields;

  bool is(Kind k) const { return kind == k; }
  // The field `name` of an object, or nullptr when this is not an object or has no such field.
  const Value* get(const std::string& name) const {
    if (kind != Kind::Object) return nullptr;
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  }
};

class Reader {
 public:
  explicit Reader(const std::string& s) : s_(s) {}

  Value document() {
    Value v = value();
    skip_space();
    if (pos_ != s_.size()) fail("trailing characters");
    return v;
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;

  [[noreturn]] void fail(const char* what) const { throw ParseError(std::string("JSON: ") + what + " at offset " + std::to_string(pos_)); }

  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) pos_++;
  }

  bool take(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      pos_++;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!take(c)) fail("unexpected character");
  }

  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }

  Value value() {
    skip_space();
    if (pos_ >= s_.size()) fail("unexpected end");
    Value v;
    char c = s_[pos_];
    if (c == '{') {
      pos_++;
      v.kind = Value::Kind::Object;
      if (take('}')) return v;
      do {
        skip_space();
        std::string key = string();
        expect(':');
        v.fields[key] = value();
      } while (take(','));
      expect('}');
    } else if (c == '[') {
      pos_++;
      v.kind = Value::Kind::Array;
      if (take(']')) return v;
      do v.items.push_back(value());
      while (take(','));
      expect(']');
    } else if (c == '"') {
      v.kind = Value::Kind::String;
      v.text = string();
    } else if (literal("true")) {
      v.kind = Value::Kind::Bool;
      v.boolean = true;
    } else if (literal("false")) {
      v.kind = Value::Kind::Bool;
    } else if (literal("null")) {
      v.kind = Value::Kind::Null;
    } else {
      v.kind = Value::Kind::Int;
      v.integer = integer();
    }
    return v;
  }

  std::string string() {
    if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string");
    pos_++;
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': out.push_back(e); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (pos_ + 4 > s_.size()) fail("short \\u escape");
          unsigned long code = std::stoul(s_.substr(pos_, 4), nullptr, 16);
          pos_ += 4;
          if (code >= 0x80) fail("\\u escape beyond ASCII");
          out.push_back(static_cast<char>(code));
          break;
        }
        default: fail("unknown escape");
      }
    }
  }

  // A JSON integer that fits int64 (the protocol's integers are JSON integers).
  int64_t integer() {
    bool negative = take('-');
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail("expected a value");
    uint64_t magnitude = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      uint64_t digit = static_cast<uint64_t>(s_[pos_++] - '0');
      if (magnitude > (UINT64_C(9223372036854775808) - digit) / 10) fail("integer out of int64 range");
      magnitude = magnitude * 10 + digit;
    }
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) fail("non-integer number (floats travel as hex bit patterns)");
    if (!negative && magnitude > UINT64_C(9223372036854775807)) fail("integer out of int64 range");
    return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }
};

inline Value parse(const std::string& line) { return Reader(line).document(); }

// A JSON string literal for `s` (ASCII control characters escaped).
inline std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

// ["a","b",...]
inline std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) out += (i ? "," : "") + quote(items[i]);
  return out + "]";
}

}  // namespace qjson
