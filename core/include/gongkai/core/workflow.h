#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/document.h"
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

// Reads a step's JSON body (may be null for steps without fields); kInvalidArgument naming the
// field for anything missing, unknown or of the wrong type.
Result<StepRequest> parseStepRequest(std::string_view step, const Poco::JSON::Object::Ptr& body,
                                     const std::string& actor, TimePoint at);

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
