#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gongkai/core/case.h"
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

// The case part (case.h) with what feedback adds: how it came in, who raised it, what it
// concerns, who handles it, and how it was answered and closed.
struct FeedbackRecord : Case {
  std::string channel;
  std::string name;                            // who raised it, "" when anonymous
  std::optional<std::int64_t> document_id;     // the document it concerns, if any
  std::optional<std::int64_t> catalogue_item;  // the catalogue item it concerns, if any
  std::string handler;                         // the username handling it ("" until assigned)
  FeedbackStatus status = FeedbackStatus::kReceived;
  Date deadline;  // answer by this day (China time), working days from the policy
  std::optional<Step> assigned, started, answered, closed;
  std::string extension_reason;
  std::string rectification;  // what was put right, if anything
  std::string satisfaction;
};

// The canonical JSON record (RFC 8785) the store keeps and the audit entry hashes.
std::string canonicalRecord(const FeedbackRecord& record);
Result<FeedbackRecord> parseFeedbackRecord(std::string_view record);

}  // namespace gongkai::core
