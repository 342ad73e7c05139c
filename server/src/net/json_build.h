#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "gongkai/core/time.h"

// How the API's answers are built: an object from a list of members written "name"_f = value
// (json::object({"id"_f = v.id, "title"_f = v.title})), an array from a range and a function.
// Values convert as the API writes them everywhere: integers as 64-bit, std::optional as null
// when empty, times as RFC 3339, dates as YYYY-MM-DD.
namespace gongkai::server::net::json {

using Poco::Dynamic::Var;

inline Var toVar(const Var& value) { return value; }
inline Var toVar(const std::string& text) { return text; }
inline Var toVar(const char* text) { return std::string(text); }
inline Var toVar(std::string_view text) { return std::string(text); }
inline Var toVar(bool value) { return value; }
inline Var toVar(double value) { return value; }
// Integers, not characters: a char member is a mistake to catch at compile time, not a number.
template <std::integral Integer>
requires(!std::same_as<Integer, bool> && !std::same_as<Integer, char> &&
         !std::same_as<Integer, char8_t> && !std::same_as<Integer, char16_t> &&
         !std::same_as<Integer, char32_t> && !std::same_as<Integer, wchar_t>) Var
    toVar(Integer value) {
  if constexpr (std::is_signed_v<Integer>) return static_cast<Poco::Int64>(value);
  return static_cast<Poco::UInt64>(value);
}
inline Var toVar(core::TimePoint time) { return core::formatRfc3339(time); }
inline Var toVar(const core::Date& date) { return date.toString(); }
inline Var toVar(const Poco::JSON::Object::Ptr& object) { return object; }
inline Var toVar(const Poco::JSON::Array::Ptr& array) { return array; }
template <typename T>
Var toVar(const std::optional<T>& value) {
  return value ? toVar(*value) : Var();
}

// One value of an answer, converted by toVar.
class Value {
 public:
  template <typename T>
  requires(!std::same_as<T, Value>) Value(const T& value)
      : var_(toVar(value)) {}  // NOLINT: implicit, for braced member lists
  const Var& var() const { return var_; }

 private:
  Var var_;
};

using Member = std::pair<std::string, Value>;
using Members = std::initializer_list<Member>;

// The name of a member about to be given its value: "name"_f = value.
struct MemberName {
  std::string name;
  template <typename T>
  Member operator=(const T& value) && {
    return {std::move(name), Value(value)};
  }
};
inline MemberName operator""_f(const char* name, std::size_t size) { return {{name, size}}; }

// Adds `members` to `out` (for members only some answers have).
inline void set(Poco::JSON::Object::Ptr out, Members members) {
  for (const auto& [name, value] : members) out->set(name, value.var());
}

inline Poco::JSON::Object::Ptr object(Members members) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  set(out, members);
  return out;
}

// Each item of `items` as `render` shows it; the items themselves without `render`.
template <typename Range, typename Render>
Poco::JSON::Array::Ptr array(const Range& items, Render render) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  for (const auto& item : items) out->add(toVar(render(item)));
  return out;
}
template <typename Range>
Poco::JSON::Array::Ptr array(const Range& items) {
  return array(items, [](const auto& item) { return item; });
}

// Text that means "none" when empty, as null.
inline Var textOrNull(const std::string& text) { return text.empty() ? Var() : Var(text); }

// A JSON text the server wrote itself (a job's parameters, a stored receipt), as the value it is;
// null when empty or, should it ever happen, unreadable.
inline Var parsedOrNull(const std::string& text) {
  if (text.empty()) return Var();
  try {
    return Poco::JSON::Parser().parse(text);
  } catch (const std::exception&) {
    return Var();
  }
}

}  // namespace gongkai::server::net::json

namespace gongkai::server::net {
using json::operator""_f;  // every renderer writes its members so
}  // namespace gongkai::server::net
