#include "body_reader.h"

#include <Poco/Exception.h>

#include <algorithm>

#include "gongkai/core/text.h"

namespace gongkai::server::net {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

// The member's value as T when that is what it holds.
template <typename T>
std::optional<T> holding(const Var& value) {
  if (value.type() != typeid(T)) return std::nullopt;
  return value.extract<T>();
}

}  // namespace

std::optional<std::int64_t> integerOf(const Var& value) {
  if (!value.isInteger() || value.isBoolean()) return std::nullopt;
  try {
    return value.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return std::nullopt;  // beyond 64 bits
  }
}

service::Field<std::string> textField(const Object::Ptr& json, const std::string& name) {
  return memberField<std::string>(json, name, [](const Var& value) -> std::optional<std::string> {
    if (!value.isString()) return std::nullopt;
    return value.extract<std::string>();
  });
}

service::Field<std::int64_t> integerField(const Object::Ptr& json, const std::string& name) {
  return memberField<std::int64_t>(json, name, integerOf);
}

service::Field<bool> booleanField(const Object::Ptr& json, const std::string& name) {
  return memberField<bool>(json, name, holding<bool>);
}

service::Field<Poco::JSON::Array::Ptr> arrayField(const Object::Ptr& json,
                                                  const std::string& name) {
  return memberField<Poco::JSON::Array::Ptr>(json, name, holding<Poco::JSON::Array::Ptr>);
}

service::Field<TextElements> textArrayField(const Object::Ptr& json, const std::string& name) {
  return memberField<TextElements>(json, name, [](const Var& value) {
    std::optional<TextElements> elements;
    const auto array = holding<Poco::JSON::Array::Ptr>(value);
    if (!array) return elements;
    elements.emplace();
    for (unsigned i = 0; i < (*array)->size(); ++i) {
      const Var element = (*array)->get(i);
      elements->push_back(element.isString() ? std::optional(element.extract<std::string>())
                                             : std::nullopt);
    }
    return elements;
  });
}

std::vector<core::FieldError> unknownMembers(const Object::Ptr& json,
                                             std::initializer_list<std::string_view> known) {
  std::vector<core::FieldError> errors;
  for (const auto& [key, ignored] : *json) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.push_back({key, "unknown_field", kUnknownField});
  }
  return errors;
}

std::vector<core::FieldError> unknownMembersNamed(const Object::Ptr& json,
                                                  std::initializer_list<std::string_view> known) {
  auto errors = unknownMembers(json, known);
  for (auto& error : errors) error.message += ": " + error.field;
  return errors;
}

core::Error fieldError(const std::string& field, const std::string& code,
                       const std::string& message) {
  return core::Error{core::ErrorCode::kInvalidArgument, code, message, {{field, code, message}}};
}

core::Status refuseUnknownMembers(const Object::Ptr& json,
                                  std::initializer_list<std::string_view> known,
                                  const std::string& path) {
  const auto unknown = unknownMembersNamed(json, known);
  if (unknown.empty()) return core::okStatus();
  return fieldError(path + unknown.front().field, "unknown_field", unknown.front().message);
}

BodyReader::BodyReader(const Object::Ptr& body, std::initializer_list<std::string_view> known)
    : body_(body) {
  for (auto& error : unknownMembers(body, known)) {
    add(error.field, error.code, error.message);
  }
}

std::string BodyReader::text(const std::string& field, bool required, std::size_t maxBytes,
                             bool multiline) {
  auto read = textField(body_, field);  // "" when absent or null
  if (read.state == service::Field<std::string>::State::kWrongType) {
    add(field, "wrong_type", "必须是字符串 (must be a string)");
    return "";
  }
  const std::string& out = read.value;
  if (!core::isValidUtf8(out) || core::hasControlCharacters(out, multiline)) {
    add(field, "invalid_text", "含有控制字符或无效 UTF-8 (control characters or invalid UTF-8)");
  } else {
    errors_.checkText(field, out, maxBytes, required);
  }
  return std::move(read.value);
}

std::string BodyReader::anyText(const std::string& field, bool multiline) {
  return text(field, false, std::string::npos, multiline);
}

std::optional<std::int64_t> BodyReader::id(const std::string& field) {
  const auto read = integerField(body_, field);
  if (!read.filled()) return std::nullopt;
  if (!read.hasValue() || read.value <= 0) {
    add(field, "wrong_type", "必须是正整数 (must be a positive integer)");
    return std::nullopt;
  }
  return read.value;
}

std::vector<std::int64_t> BodyReader::ids(const std::string& field, std::size_t maxCount) {
  const auto read = arrayField(body_, field);
  if (!read.filled()) return {};
  if (!read.hasValue() || read.value->size() > maxCount) {
    add(field, "wrong_type",
        "必须是不超过 " + std::to_string(maxCount) +
            " 个正整数的数组 (must be an array of at most " + std::to_string(maxCount) +
            " positive integers)");
    return {};
  }
  std::vector<std::int64_t> out;
  for (unsigned i = 0; i < read.value->size(); ++i) {
    const auto id = integerOf(read.value->get(i));
    if (!id || *id <= 0) {
      add(field, "wrong_type", "必须是正整数 (must be positive integers)");
      return {};
    }
    out.push_back(*id);
  }
  return out;
}

bool BodyReader::has(const std::string& field) const {
  return body_->has(field) && !body_->isNull(field);
}

void BodyReader::add(const std::string& field, const std::string& code,
                     const std::string& message) {
  errors_.add(field, code, message);
}

core::Status BodyReader::result(const std::string& reason, const std::string& message) {
  return errors_.result(reason, message);
}

}  // namespace gongkai::server::net
