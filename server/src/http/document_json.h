#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

#include "gongkai/core/document.h"
#include "gongkai/server/store/search_repository.h"

namespace gongkai::server::http {

// A version's strong entity tag, e.g. "\"v3\"".
std::string versionEtag(std::int64_t version);
// Text extraction verdicts by content hash, for the files of a document.
using ExtractionByHash = std::map<std::string, store::FileText>;
// The API's representation of a document as of `version`. With `extraction`, each file also
// says whether its text could be extracted for search (ok, failed with a code and message, or
// pending).
Poco::JSON::Object::Ptr documentJson(const core::DocumentVersion& version,
                                     const ExtractionByHash* extraction = nullptr);
// One line of a version history.
Poco::JSON::Object::Ptr versionSummaryJson(const core::DocumentVersion& version);

}  // namespace gongkai::server::http
