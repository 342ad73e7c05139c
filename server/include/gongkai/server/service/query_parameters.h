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

// kMalformed "invalid_query" naming the parameter and what it may be (`allowed`, Chinese).
core::Error invalidParameter(const std::string& name, const std::string& allowed);

// ?year= (1900-2999) when given: the year lists and reports take.
core::Result<std::optional<int>> yearParameter(const QueryParameters& query);

// ?`name`=true or false when given.
core::Result<std::optional<bool>> booleanParameter(const QueryParameters& query,
                                                   const std::string& name);

// Which page of a list: ?page= (1 to `maxPage`) and ?per_page= (1 to `maxPerPage`, 20 when not
// given).
struct PageRequest {
  std::int64_t page = 1;
  std::int64_t per_page = 20;
  std::int64_t offset() const { return (page - 1) * per_page; }
};
core::Result<PageRequest> pageParameters(const QueryParameters& query,
                                         std::int64_t maxPerPage = 100,
                                         std::int64_t maxPage = 100000);

}  // namespace gongkai::server::service
