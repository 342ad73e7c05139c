#include "gongkai/core/feedback.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

#include "gongkai/core/json.h"

namespace gongkai::core {
namespace {

constexpr std::array<std::pair<FeedbackStatus, std::string_view>, 5> kStatuses = {{
    {FeedbackStatus::kReceived, "received"},
    {FeedbackStatus::kAssigned, "assigned"},
    {FeedbackStatus::kInProgress, "in_progress"},
    {FeedbackStatus::kAnswered, "answered"},
    {FeedbackStatus::kClosed, "closed"},
}};

Poco::Dynamic::Var idOrNull(const std::optional<std::int64_t>& id) {
  return id ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*id)) : Poco::Dynamic::Var();
}

std::optional<std::int64_t> optionalId(const Poco::JSON::Object::Ptr& o, const std::string& name) {
  if (!o->has(name) || o->isNull(name)) return std::nullopt;
  return o->getValue<Poco::Int64>(name);
}

}  // namespace

std::string_view toString(FeedbackStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "";
}

std::optional<FeedbackStatus> parseFeedbackStatus(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool isFeedbackChannel(std::string_view channel) {
  return std::find(kFeedbackChannels.begin(), kFeedbackChannels.end(), channel) !=
         kFeedbackChannels.end();
}

std::string canonicalRecord(const FeedbackRecord& r) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("feedback_id", static_cast<Poco::Int64>(r.id));
  root->set("version", static_cast<Poco::Int64>(r.version));
  root->set("channel", r.channel);
  root->set("received_at", formatRfc3339(r.received_at));
  root->set("name", r.name);
  root->set("contact", r.contact);
  root->set("document_id", idOrNull(r.document_id));
  root->set("catalogue_item", idOrNull(r.catalogue_item));
  root->set("category", r.category);
  root->set("content", r.content);
  root->set("org_unit", r.org_unit);
  root->set("handler", r.handler);
  root->set("status", std::string(toString(r.status)));
  root->set("deadline", r.deadline.toString());
  root->set("assigned", stepJson(r.assigned));
  root->set("started", stepJson(r.started));
  root->set("answered", stepJson(r.answered));
  root->set("closed", stepJson(r.closed));
  root->set("extended", stepJson(r.extended));
  root->set("extension_reason", r.extension_reason);
  root->set("answer", r.answer);
  root->set("rectification", r.rectification);
  root->set("satisfaction", r.satisfaction);
  root->set("receipt_sha256", r.receipt_sha256);
  root->set("created_by", r.created_by);
  root->set("created_at", formatRfc3339(r.created_at));
  root->set("updated_by", r.updated_by);
  root->set("updated_at", formatRfc3339(r.updated_at));
  root->set("change", r.change);
  return canonicalJson(root);
}

Result<FeedbackRecord> parseFeedbackRecord(std::string_view record) {
  const auto corrupt = [](const std::string& what) {
    return Error::make(ErrorCode::kCorrupt, "corrupt_record",
                       "意见记录损坏 (corrupt feedback record): " + what);
  };
  auto parsed = parseJsonObject(record);
  if (!parsed.ok()) return corrupt(parsed.error().message);
  const auto& o = parsed.value();
  try {
    FeedbackRecord r;
    r.id = o->getValue<Poco::Int64>("feedback_id");
    r.version = o->getValue<Poco::Int64>("version");
    r.channel = o->getValue<std::string>("channel");
    r.name = o->getValue<std::string>("name");
    r.contact = o->getValue<std::string>("contact");
    r.document_id = optionalId(o, "document_id");
    r.catalogue_item = optionalId(o, "catalogue_item");
    r.category = o->getValue<std::string>("category");
    r.content = o->getValue<std::string>("content");
    r.org_unit = o->getValue<std::string>("org_unit");
    r.handler = o->getValue<std::string>("handler");
    const auto status = parseFeedbackStatus(o->getValue<std::string>("status"));
    const auto deadline = parseDate(o->getValue<std::string>("deadline"));
    if (!status || !deadline) return corrupt("status or deadline");
    r.status = *status;
    r.deadline = *deadline;
    r.assigned = parseStep(o, "assigned");
    r.started = parseStep(o, "started");
    r.answered = parseStep(o, "answered");
    r.closed = parseStep(o, "closed");
    r.extended = parseStep(o, "extended");
    r.extension_reason = o->getValue<std::string>("extension_reason");
    r.answer = o->getValue<std::string>("answer");
    r.rectification = o->getValue<std::string>("rectification");
    r.satisfaction = o->getValue<std::string>("satisfaction");
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
