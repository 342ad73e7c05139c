#pragma once

#include <Poco/Formatter.h>

namespace gongkai::server::app {

// Writes each log message as one JSON object on one line: time (RFC 3339 UTC), level, logger,
// message, and the id of the request being served when there is one (net::currentRequestId), so a
// log store can index the fields and one request can be followed from the access log to its errors.
// Text that is not valid UTF-8 has the offending bytes replaced by U+FFFD: a line stays JSON.
class JsonLineFormatter : public Poco::Formatter {
 public:
  void format(const Poco::Message& message, std::string& text) override;
};

// Sends every logger's messages (but the access log's, set up apart) to standard error as JSON
// lines.
void useJsonLogLines();

}  // namespace gongkai::server::app
