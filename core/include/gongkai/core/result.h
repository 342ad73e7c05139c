#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gongkai::core {

// The fixed set of expected failures. Each module turns its own exceptions into one of these at
// its boundary; the HTTP layer maps each to one status and one problem type.
enum class ErrorCode {
  kInvalidArgument,     // the input is well-formed but its content is not acceptable
  kMalformed,           // the input could not be parsed at all (JSON, multipart, UTF-8)
  kNotFound,            // the object does not exist (or must not be revealed)
  kConflict,            // the request contradicts the object's current state
  kPreconditionFailed,  // an If-Match or similar condition did not hold
  kPreconditionRequired,
  kTooLarge,             // a configured size limit was exceeded
  kUnsupported,          // a media type or feature that is not supported
  kUnavailable,          // the service is shutting down or overloaded
  kUnauthenticated,      // no credentials, or credentials that are wrong, expired or revoked
  kForbidden,            // the caller is known but the policy does not allow the action
  kTooManyRequests,      // slowed down or locked out after repeated failures
  kCorrupt,              // stored data does not match what was recorded about it
  kIo,                   // the file system or database failed
  kInsufficientStorage,  // the disk is full: nothing was written; try again once there is room
  kGone,                 // it existed but was removed for good (a disposed record's files)
  kInternal,  // a bug: anything unexpected (keep it last: http/exchange.cpp counts on it)
};

// A field-level complaint, so a client can point at the offending field.
struct FieldError {
  std::string field;
  std::string code;     // stable, machine-readable, e.g. "unknown_category"
  std::string message;  // Chinese first, for people
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;   // stable machine-readable code, e.g. "malformed_json"
  std::string message;  // for people, Chinese first
  std::vector<FieldError> fields;

  static Error make(ErrorCode code, std::string reason, std::string message) {
    return Error{code, std::move(reason), std::move(message), {}};
  }
};

// A value or an Error. Callers must check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(data_));
  }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

}  // namespace gongkai::core
