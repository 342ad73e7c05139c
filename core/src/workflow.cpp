#include "gongkai/core/workflow.h"

#include <algorithm>
#include <set>

#include "gongkai/core/text.h"

namespace gongkai::core {
namespace {

constexpr std::size_t kMaxTextBytes = 4000;

Error fieldError(const std::string& field, const std::string& code, const std::string& message) {
  Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_step", message);
  error.fields.push_back({field, code, message});
  return error;
}

Error wrongState(std::string_view step, DocumentStatus status) {
  return Error::make(ErrorCode::kConflict, "step_not_allowed",
                     "文档当前状态为 " + std::string(toString(status)) + "，不能执行 " +
                         std::string(step) + " (the document's status does not allow this step)");
}

// The fields each step accepts.
std::set<std::string> fieldsOf(std::string_view step) {
  if (step == "approve") return {"confidentiality_reviewed", "opinion"};
  if (step == "reject") return {"opinion"};
  if (step == "publish") return {"channels"};
  if (step == "withdraw") return {"reason"};
  if (step == "archive") return {"retention"};
  return {};
}

Result<std::string> text(const Field<std::string>& member, const std::string& field,
                         bool required) {
  if (!member.filled()) {
    if (required) return fieldError(field, "missing_field", "必填字段 (required field): " + field);
    return std::string();
  }
  if (!member.hasValue())
    return fieldError(field, "invalid_type", "须为字符串 (must be a string): " + field);
  const std::string& out = member.value;
  if (!isValidUtf8(out) || out.size() > kMaxTextBytes) {
    return fieldError(field, "invalid_text",
                      "须为不超过 4000 字节的文字 (text of at most 4000 bytes): " + field);
  }
  const bool blank = out.find_first_not_of(" \t\r\n") == std::string::npos;
  if (required && blank)
    return fieldError(field, "missing_field", "不能为空 (must not be empty): " + field);
  return out;
}

}  // namespace

bool isEditable(DocumentStatus status) { return status == DocumentStatus::kDraft; }

std::string_view visibleStatus(const DocumentVersion& v) {
  if (v.status == DocumentStatus::kArchived && v.disclosure.withdrawn)
    return toString(DocumentStatus::kWithdrawn);
  return toString(v.status);
}

Result<StepRequest> readStepRequest(std::string_view step, const StepBody& body) {
  if (std::find(std::begin(kSteps), std::end(kSteps), step) == std::end(kSteps)) {
    return Error::make(ErrorCode::kNotFound, "no_such_step",
                       "没有这个步骤 (no such step): " + std::string(step));
  }
  StepRequest request;
  request.step = std::string(step);
  const auto allowed = fieldsOf(step);
  for (const auto& key : body.members) {
    if (!allowed.count(key))
      return fieldError(key, "unknown_field",
                        "此步骤不接受该字段 (unknown field for this step): " + key);
  }
  if (step == "approve") {
    if (!body.confidentiality_reviewed.hasValue()) {
      return fieldError("confidentiality_reviewed", "missing_field",
                        "须确认已做保密审查 (confirm the confidentiality review: true)");
    }
    request.confidentiality_reviewed = body.confidentiality_reviewed.value;
    auto opinion = text(body.opinion, "opinion", false);
    if (!opinion.ok()) return opinion.error();
    request.opinion = std::move(opinion).value();
  } else if (step == "reject") {
    auto opinion = text(body.opinion, "opinion", true);
    if (!opinion.ok()) return opinion.error();
    request.opinion = std::move(opinion).value();
  } else if (step == "publish") {
    if (!body.channels.hasValue()) {
      return fieldError("channels", "missing_field", "须列出公开渠道 (channels: a list)");
    }
    const auto& channels = body.channels.value;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < channels.size(); ++i) {
      const std::string field = "channels[" + std::to_string(i) + "]";
      if (!channels[i]) return fieldError(field, "invalid_type", "须为字符串 (must be a string)");
      const std::string& channel = *channels[i];
      if (std::find(std::begin(kChannels), std::end(kChannels), channel) == std::end(kChannels)) {
        return fieldError(field, "unknown_channel",
                          "未知的公开渠道 (unknown channel): " + channel.substr(0, 64));
      }
      if (seen.insert(channel).second) request.channels.push_back(channel);
    }
    if (request.channels.empty())
      return fieldError("channels", "missing_field", "至少一个公开渠道 (at least one channel)");
  } else if (step == "withdraw") {
    auto reason = text(body.reason, "reason", true);
    if (!reason.ok()) return reason.error();
    request.reason = std::move(reason).value();
  } else if (step == "archive") {
    auto retention = text(body.retention, "retention", false);
    if (!retention.ok()) return retention.error();
    request.retention = std::move(retention).value();
    if (!request.retention.empty() && request.retention != "Y" && request.retention != "D30" &&
        request.retention != "D10") {
      return fieldError("retention", "invalid_value",
                        "保管期限须为 Y、D30 或 D10 (retention: Y, D30 or D10)");
    }
  }
  return request;
}

Result<DocumentVersion> applyStep(const DocumentVersion& current, const StepRequest& r) {
  DocumentVersion next = current;
  Disclosure& d = next.disclosure;
  const Step step{r.actor, r.at};
  const auto requireStatus = [&](std::initializer_list<DocumentStatus> from) -> Status {
    if (std::find(from.begin(), from.end(), current.status) != from.end()) return okStatus();
    return wrongState(r.step, current.status);
  };
  if (r.step == "submit") {
    if (auto ok = requireStatus({DocumentStatus::kDraft}); !ok.ok()) return ok.error();
    next.status = DocumentStatus::kSubmitted;
    d.submitted = step;
    d.reviewed.reset();
    d.confidentiality_reviewed = false;
    d.opinion.clear();
  } else if (r.step == "approve" || r.step == "reject") {
    if (auto ok = requireStatus({DocumentStatus::kSubmitted}); !ok.ok()) return ok.error();
    if (r.step == "approve") {
      if (d.submitted && d.submitted->by == r.actor) {
        return Error::make(
            ErrorCode::kForbidden, "self_approval",
            "不能审批自己提交的文件 (a reviewer cannot approve their own submission)");
      }
      if (!r.confidentiality_reviewed) {
        return fieldError("confidentiality_reviewed", "review_required",
                          "审批前须完成保密审查 (approval needs the confidentiality review)");
      }
    }
    next.status = r.step == "approve" ? DocumentStatus::kApproved : DocumentStatus::kDraft;
    d.reviewed = step;
    d.confidentiality_reviewed = r.step == "approve";
    d.opinion = r.opinion;
  } else if (r.step == "publish") {
    if (auto ok = requireStatus({DocumentStatus::kApproved}); !ok.ok()) return ok.error();
    if (current.metadata.scope == Scope::kRestricted) {
      return Error::make(ErrorCode::kInvalidArgument, "restricted_not_publishable",
                         "不宜公开的文件不能发布 (a restricted document is never published)");
    }
    next.status = DocumentStatus::kPublished;
    d.published = step;
    d.channels = r.channels;
  } else if (r.step == "withdraw") {
    if (auto ok = requireStatus({DocumentStatus::kPublished}); !ok.ok()) return ok.error();
    next.status = DocumentStatus::kWithdrawn;
    d.withdrawn = step;
    d.withdrawal_reason = r.reason;
  } else if (r.step == "archive") {
    // A restricted document is never published: once approved it goes to the archive directly.
    const bool restrictedApproved =
        current.metadata.scope == Scope::kRestricted && current.status == DocumentStatus::kApproved;
    if (auto ok = requireStatus({DocumentStatus::kPublished, DocumentStatus::kWithdrawn});
        !ok.ok() && !restrictedApproved) {
      return ok.error();
    }
    next.status = DocumentStatus::kArchived;
    d.archived = step;
    d.retention = r.retention;
    d.reference_code.clear();
  } else {
    return Error::make(ErrorCode::kNotFound, "no_such_step",
                       "没有这个步骤 (no such step): " + r.step);
  }
  return next;
}

}  // namespace gongkai::core
