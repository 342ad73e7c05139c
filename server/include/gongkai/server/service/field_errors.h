#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::server::service {

// Collects what is wrong with the fields of one command, so a form learns every mistake at once
// rather than one per attempt.
class FieldErrors {
 public:
  void add(const std::string& field, const std::string& code, const std::string& message) {
    errors_.push_back({field, code, message});
  }
  bool empty() const { return errors_.empty(); }

  // Holds text to its limit: "too_long" past `maxBytes`, else "missing_field" when `required`
  // and blank. Whether it added nothing.
  bool checkText(const std::string& field, const std::string& value, std::size_t maxBytes,
                 bool required = false) {
    if (value.size() > maxBytes) {
      add(field, "too_long",
          "不超过 " + std::to_string(maxBytes) + " 字节 (at most " + std::to_string(maxBytes) +
              " bytes)");
      return false;
    }
    if (required && value.find_first_not_of(" \t\r\n") == std::string::npos) {
      add(field, "missing_field", "必填字段 (required field)");
      return false;
    }
    return true;
  }

  // okStatus() when nothing was added, else kInvalidArgument with `reason` and every field.
  core::Status result(const std::string& reason, const std::string& message) {
    if (errors_.empty()) return core::okStatus();
    core::Error error = core::Error::make(core::ErrorCode::kInvalidArgument, reason, message);
    error.fields = std::move(errors_);
    errors_.clear();
    return error;
  }

 private:
  std::vector<core::FieldError> errors_;
};

}  // namespace gongkai::server::service
