#include "gongkai/core/disclosure_request.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "case_record.h"
#include "gongkai/core/json.h"
#include "step_record.h"

namespace gongkai::core {
namespace {

constexpr std::array<std::pair<RequestStatus, std::string_view>, 3> kStatuses = {{
    {RequestStatus::kReceived, "received"},
    {RequestStatus::kAcknowledged, "acknowledged"},
    {RequestStatus::kDecided, "decided"},
}};

constexpr case_record::Spelling kSpelling{"request_id", true,
                                          "申请记录损坏 (corrupt request record)"};

// An application's own fields of a stored record: "" or what is corrupt.
std::string readOwn(const Poco::JSON::Object::Ptr& o, DisclosureRequest& r) {
  r.applicant = o->getValue<std::string>("applicant");
  r.purpose = o->getValue<std::string>("purpose");
  const auto status = parseRequestStatus(o->getValue<std::string>("status"));
  const auto acknowledgeBy = parseDate(o->getValue<std::string>("acknowledge_by"));
  const auto decideBy = parseDate(o->getValue<std::string>("decide_by"));
  if (!status || !acknowledgeBy || !decideBy) return "status or dates";
  r.status = *status;
  r.acknowledge_by = *acknowledgeBy;
  r.decide_by = *decideBy;
  r.acknowledged = parseStep(o, "acknowledged");
  r.decided = parseStep(o, "decided");
  r.extension_notice = o->getValue<std::string>("extension_notice");
  r.outcome = o->getValue<std::string>("outcome");
  r.reason = o->getValue<std::string>("reason");
  r.public_summary = o->getValue<std::string>("public_summary");
  const auto documents = o->getArray("document_ids");
  if (!documents) return "document_ids";
  for (unsigned i = 0; i < documents->size(); ++i) {
    r.document_ids.push_back(documents->getElement<Poco::Int64>(i));
  }
  return "";
}

}  // namespace

std::string_view toString(RequestStatus status) { return case_record::nameOf(kStatuses, status); }

std::optional<RequestStatus> parseRequestStatus(std::string_view text) {
  return case_record::valueOf(kStatuses, text);
}

bool isRequestOutcome(std::string_view outcome) {
  return std::find(kRequestOutcomes.begin(), kRequestOutcomes.end(), outcome) !=
         kRequestOutcomes.end();
}

bool outcomeWithholds(std::string_view outcome) {
  return outcome == "partly_disclosed" || outcome == "not_disclosed";
}

bool outcomeReleases(std::string_view outcome) {
  return outcome == "disclosed" || outcome == "partly_disclosed";
}

std::string canonicalRecord(const DisclosureRequest& r) {
  auto root = case_record::write(r, kSpelling);
  root->set("applicant", r.applicant);
  root->set("purpose", r.purpose);
  root->set("status", std::string(toString(r.status)));
  root->set("acknowledge_by", r.acknowledge_by.toString());
  root->set("decide_by", r.decide_by.toString());
  root->set("acknowledged", stepJson(r.acknowledged));
  root->set("decided", stepJson(r.decided));
  root->set("extension_notice", r.extension_notice);
  root->set("outcome", r.outcome);
  root->set("reason", r.reason);
  root->set("public_summary", r.public_summary);
  Poco::JSON::Array::Ptr documents = new Poco::JSON::Array;
  for (std::int64_t id : r.document_ids) documents->add(static_cast<Poco::Int64>(id));
  root->set("document_ids", documents);
  return canonicalJson(root);
}

Result<DisclosureRequest> parseDisclosureRequest(std::string_view record) {
  return case_record::parse<DisclosureRequest>(record, kSpelling, readOwn);
}

}  // namespace gongkai::core
