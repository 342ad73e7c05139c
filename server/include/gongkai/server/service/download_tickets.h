#pragma once

#include <array>
#include <chrono>
#include <string>

#include "gongkai/core/result.h"
#include "gongkai/core/time.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/service/token_service.h"

namespace gongkai::server::service {

// Lets a plain link, which cannot carry an Authorization header, GET one path for a minute as
// the session that asked for it, so the browser streams a download to disk itself (a bundle may
// be gigabytes; fetching it into the page would hold it all in memory). A ticket is the session
// token's id, an expiry and an HMAC-SHA256 over both and the path, under a key made at start:
// it holds no secret of the session, opens nothing but that path, and is void once the minute
// passes, the session ends or is revoked, its account is disabled, or the server restarts.
class DownloadTickets {
 public:
  static constexpr std::chrono::seconds kLifetime{60};

  explicit DownloadTickets(TokenService& tokens);

  struct Ticket {
    std::string value;
    core::TimePoint expires;
  };
  // A ticket for `path` (a path under /api/v1/, no query) for the caller's session; API tokens
  // and sessions alike, never the anonymous.
  core::Result<Ticket> issue(const Subject& subject, const std::string& path) const;
  // The subject a ticket stands for on `path`; kUnauthenticated for anything else.
  core::Result<Subject> authenticate(const std::string& ticket, const std::string& path,
                                     const std::string& address) const;

 private:
  std::string mac(std::int64_t tokenId, std::int64_t expires, const std::string& path) const;

  TokenService& tokens_;
  std::array<unsigned char, 32> key_{};
};

}  // namespace gongkai::server::service
