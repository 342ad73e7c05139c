#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>

#include "gongkai/server/service/field_errors.h"

// What the text fields of a case (feedback, an application, their steps) may hold, in bytes.
// The services judge them, so every caller is held to them: the API and the demo data alike.
namespace gongkai::server::service::case_limits {

inline constexpr std::size_t kContent = 10000;
inline constexpr std::size_t kPerson = 200;  // a name, an applicant, a contact
inline constexpr std::size_t kNote = 2000;   // a purpose, a reason, a notice, a summary
inline constexpr std::size_t kAnswer = 20000;
inline constexpr std::size_t kUnit = 64;
inline constexpr std::size_t kUser = 64;
inline constexpr std::size_t kCategory = 8;
inline constexpr std::size_t kWord = 32;  // a word from a fixed list: a channel, an outcome
inline constexpr std::size_t kTime = 40;  // an RFC 3339 time

// One text field of a command and its limit.
struct Text {
  const char* field;
  const std::string& value;
  std::size_t max_bytes;
  bool required = false;
};

// Holds each text to its limit (FieldErrors::checkText), in the order given.
inline void checkTexts(FieldErrors& errors, std::initializer_list<Text> texts) {
  for (const Text& text : texts) {
    errors.checkText(text.field, text.value, text.max_bytes, text.required);
  }
}

}  // namespace gongkai::server::service::case_limits
