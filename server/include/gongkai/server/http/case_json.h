#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "gongkai/core/disclosure_request.h"
#include "gongkai/core/feedback.h"
#include "gongkai/core/result.h"
#include "gongkai/server/service/feedback_service.h"
#include "gongkai/server/service/request_service.h"

// Cases (feedback and applications for disclosure on request) as the API reads and shows them:
// the bodies of submissions and steps read into the services' commands, and records rendered
// for each audience. Reading checks what a body says (known members, types, clean text within
// its limits), each mistake a field error under one kInvalidArgument; whether it makes sense is
// the service's to judge.
namespace gongkai::server::http {

// channel, content, optional name, contact, document_id, catalogue_item, received_at
// ("invalid_feedback"). The ids are what the submission says it concerns; the service finds
// them as the submitter may see them.
core::Result<service::FeedbackSubmission> parseFeedbackSubmission(
    const Poco::JSON::Object::Ptr& body);
// What a step of the feedback flow carries (service::FeedbackStep), "invalid_step".
core::Result<service::FeedbackStep> parseFeedbackStep(const std::string& name,
                                                      const Poco::JSON::Object::Ptr& body);

// applicant, content, contact, optional purpose and org_unit ("invalid_request").
core::Result<service::ApplicationSubmission> parseApplicationSubmission(
    const Poco::JSON::Object::Ptr& body);
// What a step of an application carries (service::RequestStep), "invalid_step"; a unit only on
// acknowledgement.
core::Result<service::RequestStep> parseApplicationStep(const std::string& name,
                                                        const Poco::JSON::Object::Ptr& body);

// kHandler: everything, for handlers and inspectors; kReceipt: what whoever raised it follows,
// without who raised it or who handles it.
enum class FeedbackView { kHandler, kReceipt };
Poco::JSON::Object::Ptr feedbackJson(const core::FeedbackRecord& record,
                                     const service::Timeliness& timeliness, FeedbackView view);

// kHandler: everything; kReceipt: what the applicant follows; kLog: the public log entry,
// without applicant, contact, purpose or answer, and the handler's summary for its text.
enum class ApplicationView { kHandler, kReceipt, kLog };
Poco::JSON::Object::Ptr applicationJson(const core::DisclosureRequest& request,
                                        const service::Timeliness& timeliness,
                                        ApplicationView view);

}  // namespace gongkai::server::http
