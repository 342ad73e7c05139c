#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/document.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// An opinion raised by a member or the public (公开意见) — by hotline, suggestion box, letter,
// reception day, meeting or online — handled within a time limit and answered back (seed 001:
// 限时办结、反馈). Flow: received → assigned (to a handler in a unit) → in_progress → answered
// (the answer and any rectification) → closed (optionally the person's satisfaction).
enum class FeedbackStatus { kReceived, kAssigned, kInProgress, kAnswered, kClosed };

std::string_view toString(FeedbackStatus status);
std::optional<FeedbackStatus> parseFeedbackStatus(std::string_view text);

inline constexpr std::array<std::string_view, 6> kFeedbackChannels = {
    "hotline", "suggestion_box", "letter", "reception_day", "meeting", "online"};
bool isFeedbackChannel(std::string_view channel);

// How satisfied the person said they were when the case closed ("" when not asked or not said).
inline constexpr std::array<std::string_view, 3> kSatisfaction = {
    "satisfied", "basically_satisfied", "dissatisfied"};

struct FeedbackRecord {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::string channel;
  TimePoint received_at;
  std::string name;     // who raised it, "" when anonymous
  std::string contact;  // how to reach them; shown only to handlers and inspectors
  std::optional<std::int64_t> document_id;     // the document it concerns, if any
  std::optional<std::int64_t> catalogue_item;  // the catalogue item it concerns, if any
  std::string category;  // that of the document or item, else set by the handler
  std::string content;   // exactly as typed
  std::string org_unit;  // the unit handling it ("" until known)
  std::string handler;   // the username handling it ("" until assigned)
  FeedbackStatus status = FeedbackStatus::kReceived;
  Date deadline;  // answer by this day (China time), working days from the policy
  std::optional<Step> assigned, started, answered, closed, extended;
  std::string extension_reason;
  std::string answer;
  std::string rectification;  // what was put right, if anything
  std::string satisfaction;
  std::string receipt_sha256;  // SHA-256 of the receipt code; the code itself is never stored
  std::string created_by, updated_by, change;
  TimePoint created_at, updated_at;
};

// The canonical JSON record (RFC 8785) the store keeps and the audit entry hashes.
std::string canonicalRecord(const FeedbackRecord& record);
Result<FeedbackRecord> parseFeedbackRecord(std::string_view record);

}  // namespace gongkai::core
