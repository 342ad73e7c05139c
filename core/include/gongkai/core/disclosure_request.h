#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/case.h"
#include "gongkai/core/result.h"
#include "gongkai/core/time.h"

namespace gongkai::core {

// Disclosure on request (依申请公开, seed 000's third mode): an application is acknowledged within
// a few working days and decided within more, once extendable with notice, with a decision from a
// fixed list and, where something is withheld, a reason from the policy's list.
enum class RequestStatus { kReceived, kAcknowledged, kDecided };

std::string_view toString(RequestStatus status);
std::optional<RequestStatus> parseRequestStatus(std::string_view text);

// disclosed, partly disclosed, not disclosed (reason required), does not exist, not held by
// this unit, repeat application.
inline constexpr std::array<std::string_view, 6> kRequestOutcomes = {
    "disclosed", "partly_disclosed", "not_disclosed", "does_not_exist", "not_held", "repeat"};
bool isRequestOutcome(std::string_view outcome);
// The outcomes that withhold something and so need a reason from the policy's list.
bool outcomeWithholds(std::string_view outcome);
// The outcomes that release documents, which must then be named.
bool outcomeReleases(std::string_view outcome);

// The case part (case.h) with what an application adds: the applicant and purpose, the two
// deadlines, and the decision. Its unit is named by the applicant or on acknowledgement; while it
// has none only roles bound to no unit may handle it, and the record carries org_unit only when
// set, so records from before units were kept read back byte for byte.
struct DisclosureRequest : Case {
  std::string applicant;  // never shown in the public log
  std::string purpose;
  RequestStatus status = RequestStatus::kReceived;
  Date acknowledge_by;  // China time, working days from the policy
  Date decide_by;
  std::optional<Step> acknowledged, decided;
  std::string extension_notice;  // why more time is needed, as told to the applicant
  std::string outcome;
  std::string reason;  // one of the policy's refusal reasons, where the outcome withholds
  // What the public log shows of the application instead of its text, when the handler writes
  // one (the text may name the applicant).
  std::string public_summary;
  std::vector<std::int64_t> document_ids;  // released
};

std::string canonicalRecord(const DisclosureRequest& request);
Result<DisclosureRequest> parseDisclosureRequest(std::string_view record);

}  // namespace gongkai::core
