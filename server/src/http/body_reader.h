#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/core/text.h"
#include "gongkai/server/service/field_errors.h"

namespace gongkai::server::http {

// Reads the members of a JSON body one by one, collecting field errors: unknown members,
// wrong types, text that is not clean UTF-8 or is too long. What a body says, not whether it
// makes sense: that is the service's to judge.
class BodyReader {
 public:
  BodyReader(const Poco::JSON::Object::Ptr& body, std::initializer_list<std::string_view> known)
      : body_(body) {
    for (const auto& [key, ignored] : *body) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        add(key, "unknown_field", "未知字段 (unknown field)");
      }
    }
  }

  // A string member; "" when absent or null. Newlines and tabs are allowed in `multiline` text.
  std::string text(const std::string& field, bool required, std::size_t maxBytes,
                   bool multiline = false) {
    if (!has(field)) {
      if (required) add(field, "missing_field", "必填字段 (required field)");
      return "";
    }
    const auto value = body_->get(field);
    if (!value.isString()) {
      add(field, "wrong_type", "必须是字符串 (must be a string)");
      return "";
    }
    std::string out = value.extract<std::string>();
    if (!core::isValidUtf8(out) || core::hasControlCharacters(out, multiline)) {
      add(field, "invalid_text", "含有控制字符或无效 UTF-8 (control characters or invalid UTF-8)");
    } else if (out.size() > maxBytes) {
      add(field, "too_long",
          "不超过 " + std::to_string(maxBytes) + " 字节 (at most " + std::to_string(maxBytes) +
              " bytes)");
    } else if (required && out.find_first_not_of(" \t\r\n") == std::string::npos) {
      add(field, "missing_field", "必填字段 (required field)");
    }
    return out;
  }

  std::optional<std::int64_t> id(const std::string& field) {
    if (!has(field)) return std::nullopt;
    const std::int64_t out = positive(body_->get(field));
    if (out <= 0) {
      add(field, "wrong_type", "必须是正整数 (must be a positive integer)");
      return std::nullopt;
    }
    return out;
  }

  // An array of positive integer ids, at most `maxCount`; empty when absent or null.
  std::vector<std::int64_t> ids(const std::string& field, std::size_t maxCount) {
    std::vector<std::int64_t> out;
    if (!has(field)) return out;
    const auto array = body_->getArray(field);
    if (!array || array->size() > maxCount) {
      add(field, "wrong_type",
          "必须是不超过 " + std::to_string(maxCount) +
              " 个正整数的数组 (must be an array of at most " + std::to_string(maxCount) +
              " positive integers)");
      return out;
    }
    for (unsigned i = 0; i < array->size(); ++i) {
      const std::int64_t id = positive(array->get(i));
      if (id <= 0) {
        add(field, "wrong_type", "必须是正整数 (must be positive integers)");
        return {};
      }
      out.push_back(id);
    }
    return out;
  }

  bool has(const std::string& field) const { return body_->has(field) && !body_->isNull(field); }

  void add(const std::string& field, const std::string& code, const std::string& message) {
    errors_.add(field, code, message);
  }

  core::Status result(const std::string& reason, const std::string& message) {
    return errors_.result(reason, message);
  }

 private:
  // The value as an integer when it is one that fits, else 0 (which no id is).
  static std::int64_t positive(const Poco::Dynamic::Var& value) {
    try {
      if (value.isInteger()) return value.convert<Poco::Int64>();
    } catch (const std::exception&) {
    }
    return 0;
  }

  const Poco::JSON::Object::Ptr& body_;
  service::FieldErrors errors_;
};

}  // namespace gongkai::server::http
