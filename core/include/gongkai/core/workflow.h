#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/document.h"
#include "gongkai/core/field.h"
#include "gongkai/core/result.h"

// The disclosure procedure (提出 → 审核/保密审查 → 审批 → 实施公开 → 撤回 → 归档) as pure rules:
// which step may follow which state, what each step must carry, and the version it makes.
// Who may take a step is the policy's business (documents.update, .review, .publish, .archive).
namespace gongkai::core {

// The steps, as they appear in POST /api/v1/documents/{id}/{step}.
inline constexpr std::string_view kSteps[] = {"submit",  "approve",  "reject",
                                              "publish", "withdraw", "archive"};
// Where a publication may go out.
inline constexpr std::string_view kChannels[] = {"website", "intranet", "meeting", "printed_notice",
                                                 "bulletin_board"};

struct StepRequest {
  std::string step;  // one of kSteps
  std::string actor;
  TimePoint at;
  bool confidentiality_reviewed = false;  // approve: the reviewer confirms 保密审查
  std::string opinion;                    // approve (optional), reject (required)
  std::vector<std::string> channels;      // publish: one or more of kChannels
  std::string reason;                     // withdraw (required)
  std::string retention;                  // archive: Y, D30 or D10; "" for the category default
};

// A step's body as the transport read it, before anything is judged: the names of its members in
// the body's order, and each member a step knows. An element of `channels` that is no string is
// nullopt. No body at all reads as the default.
struct StepBody {
  std::vector<std::string> members;
  Field<bool> confidentiality_reviewed;
  Field<std::string> opinion;
  Field<std::vector<std::optional<std::string>>> channels;
  Field<std::string> reason;
  Field<std::string> retention;
};

// Judges a step's body: kNotFound for an unknown step; kInvalidArgument (reason "invalid_step")
// naming the field for a member the step does not take, one missing or of the wrong type, text
// that is not clean UTF-8 of at most 4000 bytes, an unknown channel or retention. Members are
// judged in a fixed order, so the first refusal is always the same one. Actor and time are left
// for the caller to set.
Result<StepRequest> readStepRequest(std::string_view step, const StepBody& body);

// The next version's status and disclosure record after `request` on `current`. kConflict when
// the document's status does not allow the step; kInvalidArgument when a guard refuses it (a
// restricted document is never published; approval needs the confidentiality review); kForbidden
// when a reviewer would approve their own submission. An archive step leaves reference_code
// empty (and retention too when the request names none): the store assigns them.
Result<DocumentVersion> applyStep(const DocumentVersion& current, const StepRequest& request);

// Whether metadata and files may still change: only drafts are edited.
bool isEditable(DocumentStatus status);

// The status visibility rules judge a version by: its status, except that a document archived
// after it was withdrawn counts as withdrawn, so archiving never makes it public again.
std::string_view visibleStatus(const DocumentVersion& version);

}  // namespace gongkai::core
