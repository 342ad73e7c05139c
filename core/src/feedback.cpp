#include "gongkai/core/feedback.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "case_record.h"
#include "gongkai/core/json.h"
#include "step_record.h"

namespace gongkai::core {
namespace {

constexpr std::array<std::pair<FeedbackStatus, std::string_view>, 5> kStatuses = {{
    {FeedbackStatus::kReceived, "received"},
    {FeedbackStatus::kAssigned, "assigned"},
    {FeedbackStatus::kInProgress, "in_progress"},
    {FeedbackStatus::kAnswered, "answered"},
    {FeedbackStatus::kClosed, "closed"},
}};

constexpr case_record::Spelling kSpelling{"feedback_id", false,
                                          "意见记录损坏 (corrupt feedback record)"};

Poco::Dynamic::Var idOrNull(const std::optional<std::int64_t>& id) {
  return id ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*id)) : Poco::Dynamic::Var();
}

std::optional<std::int64_t> optionalId(const Poco::JSON::Object::Ptr& o, const std::string& name) {
  if (!o->has(name) || o->isNull(name)) return std::nullopt;
  return o->getValue<Poco::Int64>(name);
}

// Feedback's own fields of a stored record: "" or what is corrupt.
std::string readOwn(const Poco::JSON::Object::Ptr& o, FeedbackRecord& r) {
  r.channel = o->getValue<std::string>("channel");
  r.name = o->getValue<std::string>("name");
  r.document_id = optionalId(o, "document_id");
  r.catalogue_item = optionalId(o, "catalogue_item");
  r.handler = o->getValue<std::string>("handler");
  const auto status = parseFeedbackStatus(o->getValue<std::string>("status"));
  const auto deadline = parseDate(o->getValue<std::string>("deadline"));
  if (!status || !deadline) return "status or deadline";
  r.status = *status;
  r.deadline = *deadline;
  r.assigned = parseStep(o, "assigned");
  r.started = parseStep(o, "started");
  r.answered = parseStep(o, "answered");
  r.closed = parseStep(o, "closed");
  r.extension_reason = o->getValue<std::string>("extension_reason");
  r.rectification = o->getValue<std::string>("rectification");
  r.satisfaction = o->getValue<std::string>("satisfaction");
  return "";
}

}  // namespace

std::string_view toString(FeedbackStatus status) { return case_record::nameOf(kStatuses, status); }

std::optional<FeedbackStatus> parseFeedbackStatus(std::string_view text) {
  return case_record::valueOf(kStatuses, text);
}

bool isFeedbackChannel(std::string_view channel) {
  return std::find(kFeedbackChannels.begin(), kFeedbackChannels.end(), channel) !=
         kFeedbackChannels.end();
}

std::string canonicalRecord(const FeedbackRecord& r) {
  auto root = case_record::write(r, kSpelling);
  root->set("channel", r.channel);
  root->set("name", r.name);
  root->set("document_id", idOrNull(r.document_id));
  root->set("catalogue_item", idOrNull(r.catalogue_item));
  root->set("handler", r.handler);
  root->set("status", std::string(toString(r.status)));
  root->set("deadline", r.deadline.toString());
  root->set("assigned", stepJson(r.assigned));
  root->set("started", stepJson(r.started));
  root->set("answered", stepJson(r.answered));
  root->set("closed", stepJson(r.closed));
  root->set("extension_reason", r.extension_reason);
  root->set("rectification", r.rectification);
  root->set("satisfaction", r.satisfaction);
  return canonicalJson(root);
}

Result<FeedbackRecord> parseFeedbackRecord(std::string_view record) {
  return case_record::parse<FeedbackRecord>(record, kSpelling, readOwn);
}

}  // namespace gongkai::core
