#pragma once

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
