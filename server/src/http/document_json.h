#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "gongkai/core/document.h"

namespace gongkai::server::http {

// A version's strong entity tag, e.g. "\"v3\"".
std::string versionEtag(std::int64_t version);
// The API's representation of a document as of `version`.
Poco::JSON::Object::Ptr documentJson(const core::DocumentVersion& version);
// One line of a version history.
Poco::JSON::Object::Ptr versionSummaryJson(const core::DocumentVersion& version);

}  // namespace gongkai::server::http
