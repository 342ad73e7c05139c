#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/field.h"

namespace gongkai::server::http {

// A member of a JSON object as a service::Field: absent, null, a string, or of another type.
service::Field<std::string> textField(const Poco::JSON::Object::Ptr& json, const std::string& name);
// The same for an integer: a boolean, a fraction or one beyond 64 bits is of another type.
service::Field<std::int64_t> integerField(const Poco::JSON::Object::Ptr& json,
                                          const std::string& name);
// kInvalidArgument about one member: `code` is both the error's reason and the field's code.
core::Error fieldError(const std::string& field, const std::string& code,
                       const std::string& message);
// A field error ({member, "unknown_field", message}) for each member not among `known`.
std::vector<core::FieldError> unknownMembers(const Poco::JSON::Object::Ptr& json,
                                             std::initializer_list<std::string_view> known,
                                             const std::string& message);

}  // namespace gongkai::server::http
