#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/field.h"
#include "gongkai/server/service/field_errors.h"

// The one place the members of a JSON body are read: each member as a service::Field (absent,
// null, of the expected type, or of another type), the members nobody asked for, and BodyReader
// over them for bodies whose shape alone is checked where they are read.
namespace gongkai::server::net {

// The value as an integer when it is one that fits in 64 bits; a boolean or a fraction is not.
std::optional<std::int64_t> integerOf(const Poco::Dynamic::Var& value);

// A member as a Field of T: absent and null as such, else `read` (Var -> std::optional<T>)
// gives the value, or nullopt for a value of another type.
template <typename T, typename Read>
service::Field<T> memberField(const Poco::JSON::Object::Ptr& json, const std::string& name,
                              Read read) {
  using State = typename service::Field<T>::State;
  service::Field<T> field;
  if (!json->has(name)) return field;
  const Poco::Dynamic::Var value = json->get(name);
  if (value.isEmpty()) {
    field.state = State::kNull;
    return field;
  }
  std::optional<T> read_value = read(value);
  if (!read_value) {
    field.state = State::kWrongType;
    return field;
  }
  field.state = State::kValue;
  field.value = std::move(*read_value);
  return field;
}

service::Field<std::string> textField(const Poco::JSON::Object::Ptr& json, const std::string& name);
// A member that is not an integer by integerOf() is of another type.
service::Field<std::int64_t> integerField(const Poco::JSON::Object::Ptr& json,
                                          const std::string& name);
service::Field<bool> booleanField(const Poco::JSON::Object::Ptr& json, const std::string& name);
// The array itself; its elements are the caller's to read.
service::Field<Poco::JSON::Array::Ptr> arrayField(const Poco::JSON::Object::Ptr& json,
                                                  const std::string& name);
// An array of strings, each element kept in its place: nullopt for one that is no string, which
// the service names by its index.
using TextElements = std::vector<std::optional<std::string>>;
service::Field<TextElements> textArrayField(const Poco::JSON::Object::Ptr& json,
                                            const std::string& name);

inline constexpr const char* kUnknownField = "未知字段 (unknown field)";
// A field error ({member, "unknown_field", kUnknownField}) for each member not among `known`, in
// the object's order.
std::vector<core::FieldError> unknownMembers(const Poco::JSON::Object::Ptr& json,
                                             std::initializer_list<std::string_view> known);
// The same, each message naming its member: "未知字段 (unknown field): <member>".
std::vector<core::FieldError> unknownMembersNamed(const Poco::JSON::Object::Ptr& json,
                                                  std::initializer_list<std::string_view> known);

// kInvalidArgument about one member: `code` is both the error's reason and the field's code.
core::Error fieldError(const std::string& field, const std::string& code,
                       const std::string& message);
// fieldError() "unknown_field" about the first member not among `known`, named in its message
// and prefixed by `path` ("roles[0]." for an object inside an array); ok when there is none.
core::Status refuseUnknownMembers(const Poco::JSON::Object::Ptr& json,
                                  std::initializer_list<std::string_view> known,
                                  const std::string& path = "");

// Reads the members of a JSON body one by one, collecting field errors: unknown members,
// wrong types, text that is not clean UTF-8 or is too long. What a body says, not whether it
// makes sense: that is the service's to judge. Absent and null members read alike.
class BodyReader {
 public:
  // Every member not among `known` is an error at once.
  BodyReader(const Poco::JSON::Object::Ptr& body, std::initializer_list<std::string_view> known);

  // A string member; "" when absent or null. Newlines and tabs are allowed in `multiline` text.
  std::string text(const std::string& field, bool required, std::size_t maxBytes,
                   bool multiline = false);
  // A string member as given ("" when absent or null), for a service that judges its length and
  // whether it may be blank itself.
  std::string anyText(const std::string& field, bool multiline = false);
  // A positive integer member; nullopt when absent, null or wrong.
  std::optional<std::int64_t> id(const std::string& field);
  // An array of positive integer ids, at most `maxCount`; empty when absent, null or wrong.
  std::vector<std::int64_t> ids(const std::string& field, std::size_t maxCount);

  // Present and not null.
  bool has(const std::string& field) const;
  void add(const std::string& field, const std::string& code, const std::string& message);
  // okStatus() when nothing was wrong, else kInvalidArgument with `reason` and every field.
  core::Status result(const std::string& reason, const std::string& message);

 private:
  Poco::JSON::Object::Ptr body_;
  service::FieldErrors errors_;
};

}  // namespace gongkai::server::net
