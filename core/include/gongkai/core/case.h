#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gongkai/core/document.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// What every case has, whatever its kind: an opinion raised (feedback.h) or an application for
// disclosure on request (disclosure_request.h). Each is received, followed by a receipt code,
// handled by a unit within a deadline that may be extended once, answered, and kept version by
// version. The kinds differ in who raised it, their steps and what a decision records.
struct Case {
  std::int64_t id = 0;
  std::int64_t version = 0;
  TimePoint received_at;
  std::string contact;  // how to reach who raised it; never shown to the public
  std::string content;  // what was raised or asked for, exactly as typed
  // The disclosure category it belongs to ("" until known): the annual bundle of that category
  // and year takes it in.
  std::string category;
  std::string org_unit;          // the unit handling it ("" until known)
  std::optional<Step> extended;  // the one extension of its deadline
  std::string answer;            // as given to who raised it
  std::string receipt_sha256;    // SHA-256 of the receipt code; the code itself is never stored
  std::string created_by, updated_by, change;
  TimePoint created_at, updated_at;
};

}  // namespace gongkai::core
