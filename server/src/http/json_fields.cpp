#include "json_fields.h"

#include <Poco/Exception.h>

#include <algorithm>

namespace gongkai::server::http {

using State = service::Field<std::string>::State;

namespace {

// Absent or null, as both kinds of field say it.
template <typename T>
bool readEmpty(const Poco::JSON::Object::Ptr& json, const std::string& name,
               service::Field<T>& field) {
  if (!json->has(name)) return true;
  if (json->get(name).isEmpty()) {
    field.state = service::Field<T>::State::kNull;
    return true;
  }
  return false;
}

}  // namespace

service::Field<std::string> textField(const Poco::JSON::Object::Ptr& json,
                                      const std::string& name) {
  service::Field<std::string> field;
  if (readEmpty(json, name, field)) return field;
  const auto value = json->get(name);
  if (!value.isString()) {
    field.state = State::kWrongType;
    return field;
  }
  field.state = State::kValue;
  field.value = value.extract<std::string>();
  return field;
}

service::Field<std::int64_t> integerField(const Poco::JSON::Object::Ptr& json,
                                          const std::string& name) {
  using IntState = service::Field<std::int64_t>::State;
  service::Field<std::int64_t> field;
  if (readEmpty(json, name, field)) return field;
  const auto value = json->get(name);
  field.state = IntState::kWrongType;
  try {
    if (value.isInteger() && !value.isBoolean()) {
      field.value = value.convert<Poco::Int64>();
      field.state = IntState::kValue;
    }
  } catch (const Poco::Exception&) {
    // beyond 64 bits: of another type
  }
  return field;
}

core::Error fieldError(const std::string& field, const std::string& code,
                       const std::string& message) {
  return core::Error{core::ErrorCode::kInvalidArgument, code, message, {{field, code, message}}};
}

std::vector<core::FieldError> unknownMembers(const Poco::JSON::Object::Ptr& json,
                                             std::initializer_list<std::string_view> known,
                                             const std::string& message) {
  std::vector<core::FieldError> errors;
  for (const auto& [key, ignored] : *json) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      errors.push_back({key, "unknown_field", message});
  }
  return errors;
}

}  // namespace gongkai::server::http
