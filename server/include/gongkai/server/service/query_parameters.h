#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "gongkai/core/result.h"

// A request's query string as name → value pairs (a name may repeat), and the two ways every
// reader of it takes a value: as given, or as an integer within bounds.
namespace gongkai::server::service {

using QueryParameters = std::multimap<std::string, std::string>;

// The parameter's value, if given (the first when repeated).
std::optional<std::string> firstValue(const QueryParameters& query, const std::string& name);

// The parameter as an integer in [min, max], nullopt when not given; kMalformed "invalid_query"
// naming it otherwise.
core::Result<std::optional<std::int64_t>> integerParameter(const QueryParameters& query,
                                                           const std::string& name,
                                                           std::int64_t min, std::int64_t max);

}  // namespace gongkai::server::service
