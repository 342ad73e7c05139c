#pragma once

// A step ({by, at} or null) as every versioned record (documents, cases) writes and reads it;
// private to core's record codecs.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "gongkai/core/document.h"

namespace gongkai::core {

Poco::Dynamic::Var stepJson(const std::optional<Step>& step);
// Absent or null is no step; throws Poco::DataFormatException when it is malformed.
std::optional<Step> parseStep(const Poco::JSON::Object::Ptr& o, const std::string& name);

}  // namespace gongkai::core
