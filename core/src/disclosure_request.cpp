#include "gongkai/core/disclosure_request.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

#include "gongkai/core/json.h"

namespace gongkai::core {
namespace {

constexpr std::array<std::pair<RequestStatus, std::string_view>, 3> kStatuses = {{
    {RequestStatus::kReceived, "received"},
    {RequestStatus::kAcknowledged, "acknowledged"},
    {RequestStatus::kDecided, "decided"},
}};

}  // namespace

std::string_view toString(RequestStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "";
}

std::optional<RequestStatus> parseRequestStatus(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (name == text) return value;
  }
  return std::nullopt;
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
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("request_id", static_cast<Poco::Int64>(r.id));
  root->set("version", static_cast<Poco::Int64>(r.version));
  root->set("applicant", r.applicant);
  root->set("contact", r.contact);
  root->set("content", r.content);
  root->set("purpose", r.purpose);
  root->set("category", r.category);
  if (!r.org_unit.empty()) root->set("org_unit", r.org_unit);
  root->set("received_at", formatRfc3339(r.received_at));
  root->set("status", std::string(toString(r.status)));
  root->set("acknowledge_by", r.acknowledge_by.toString());
  root->set("decide_by", r.decide_by.toString());
  root->set("acknowledged", stepJson(r.acknowledged));
  root->set("extended", stepJson(r.extended));
  root->set("decided", stepJson(r.decided));
  root->set("extension_notice", r.extension_notice);
  root->set("outcome", r.outcome);
  root->set("reason", r.reason);
  root->set("answer", r.answer);
  root->set("public_summary", r.public_summary);
  Poco::JSON::Array::Ptr documents = new Poco::JSON::Array;
  for (std::int64_t id : r.document_ids) documents->add(static_cast<Poco::Int64>(id));
  root->set("document_ids", documents);
  root->set("receipt_sha256", r.receipt_sha256);
  root->set("created_by", r.created_by);
  root->set("created_at", formatRfc3339(r.created_at));
  root->set("updated_by", r.updated_by);
  root->set("updated_at", formatRfc3339(r.updated_at));
  root->set("change", r.change);
  return canonicalJson(root);
}

Result<DisclosureRequest> parseDisclosureRequest(std::string_view record) {
  const auto corrupt = [](const std::string& what) {
    return Error::make(ErrorCode::kCorrupt, "corrupt_record",
                       "申请记录损坏 (corrupt request record): " + what);
  };
  auto parsed = parseJsonObject(record);
  if (!parsed.ok()) return corrupt(parsed.error().message);
  const auto& o = parsed.value();
  try {
    DisclosureRequest r;
    r.id = o->getValue<Poco::Int64>("request_id");
    r.version = o->getValue<Poco::Int64>("version");
    r.applicant = o->getValue<std::string>("applicant");
    r.contact = o->getValue<std::string>("contact");
    r.content = o->getValue<std::string>("content");
    r.purpose = o->getValue<std::string>("purpose");
    r.category = o->getValue<std::string>("category");
    if (o->has("org_unit")) r.org_unit = o->getValue<std::string>("org_unit");
    const auto status = parseRequestStatus(o->getValue<std::string>("status"));
    const auto acknowledgeBy = parseDate(o->getValue<std::string>("acknowledge_by"));
    const auto decideBy = parseDate(o->getValue<std::string>("decide_by"));
    if (!status || !acknowledgeBy || !decideBy) return corrupt("status or dates");
    r.status = *status;
    r.acknowledge_by = *acknowledgeBy;
    r.decide_by = *decideBy;
    r.acknowledged = parseStep(o, "acknowledged");
    r.extended = parseStep(o, "extended");
    r.decided = parseStep(o, "decided");
    r.extension_notice = o->getValue<std::string>("extension_notice");
    r.outcome = o->getValue<std::string>("outcome");
    r.reason = o->getValue<std::string>("reason");
    r.answer = o->getValue<std::string>("answer");
    r.public_summary = o->getValue<std::string>("public_summary");
    const auto documents = o->getArray("document_ids");
    if (!documents) return corrupt("document_ids");
    for (unsigned i = 0; i < documents->size(); ++i) {
      r.document_ids.push_back(documents->getElement<Poco::Int64>(i));
    }
    r.receipt_sha256 = o->getValue<std::string>("receipt_sha256");
    r.created_by = o->getValue<std::string>("created_by");
    r.updated_by = o->getValue<std::string>("updated_by");
    r.change = o->getValue<std::string>("change");
    const auto received = parseRfc3339(o->getValue<std::string>("received_at"));
    const auto created = parseRfc3339(o->getValue<std::string>("created_at"));
    const auto updated = parseRfc3339(o->getValue<std::string>("updated_at"));
    if (!received || !created || !updated) return corrupt("timestamps");
    r.received_at = *received;
    r.created_at = *created;
    r.updated_at = *updated;
    return r;
  } catch (const Poco::Exception& e) {
    return corrupt(e.displayText());
  }
}

}  // namespace gongkai::core
