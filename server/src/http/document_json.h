#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "gongkai/core/document.h"
#include "gongkai/core/workflow.h"
#include "gongkai/server/service/metadata_validator.h"
#include "gongkai/server/service/search_service.h"

namespace gongkai::server::http {

// A version's strong entity tag, e.g. "\"v3\"".
std::string versionEtag(std::int64_t version);
// Text extraction verdicts by content hash, for the files of a document.
using ExtractionByHash = std::map<std::string, service::TextExtraction>;
// The API's representation of a document as of `version`. With `extraction`, each file also
// says whether its text could be extracted for search (ok, failed with a code and message, or
// pending).
Poco::JSON::Object::Ptr documentJson(const core::DocumentVersion& version,
                                     const ExtractionByHash* extraction = nullptr);
// The metadata members of a request body (a new document's metadata, or a merge patch); members
// that are no editable field are its form errors.
service::DocumentMetadataFields readMetadataFields(const Poco::JSON::Object::Ptr& json);
// A step's body (POST /documents/{id}/{step}) as core judges it: its members' names and what
// each holds; a null body is no body.
core::StepBody readStepBody(const Poco::JSON::Object::Ptr& body);
// One line of a version history.
Poco::JSON::Object::Ptr versionSummaryJson(const core::DocumentVersion& version);

}  // namespace gongkai::server::http
