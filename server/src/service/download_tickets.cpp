#include "gongkai/server/service/download_tickets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <string_view>

namespace gongkai::server::service {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kMaxPathBytes = 512;

Error badTicket() {
  return Error::make(
      ErrorCode::kUnauthenticated, "invalid_ticket",
      "下载凭据无效或已过期，请重新下载 (the download ticket is invalid or expired)");
}

bool isTicketPath(const std::string& path) {
  if (path.size() > kMaxPathBytes || path.rfind("/api/v1/", 0) != 0) return false;
  return path.find_first_of("?#\\ \r\n") == std::string::npos &&
         path.find("/..") == std::string::npos;
}

std::int64_t unixSeconds(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool parseInt(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out > 0;
}

}  // namespace

DownloadTickets::DownloadTickets(TokenService& tokens) : tokens_(tokens) {
  if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed for the download ticket key");
  }
}

std::string DownloadTickets::mac(std::int64_t tokenId, std::int64_t expires,
                                 const std::string& path) const {
  const std::string message =
      std::to_string(tokenId) + "\n" + std::to_string(expires) + "\n" + path;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

core::Result<DownloadTickets::Ticket> DownloadTickets::issue(const Subject& subject,
                                                             const std::string& path) const {
  if (subject.token_id == 0) {
    return Error::make(ErrorCode::kUnauthenticated, "not_signed_in", "请先登录 (sign in first)");
  }
  if (!isTicketPath(path)) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "invalid_path",
                              "须为 /api/v1/ 下不带查询的路径 (a path under /api/v1/, no query)");
    error.fields.push_back({"path", "invalid_value", error.message});
    return error;
  }
  const core::TimePoint expires = core::nowUtc() + kLifetime;
  const std::int64_t expiresAt = unixSeconds(expires);
  return Ticket{std::to_string(subject.token_id) + "-" + std::to_string(expiresAt) + "-" +
                    mac(subject.token_id, expiresAt, path),
                expires};
}

core::Result<Subject> DownloadTickets::authenticate(const std::string& ticket,
                                                    const std::string& path,
                                                    const std::string& address) const {
  const auto first = ticket.find('-');
  const auto second = first == std::string::npos ? std::string::npos : ticket.find('-', first + 1);
  if (second == std::string::npos || ticket.size() - second - 1 != 64) return badTicket();
  std::int64_t tokenId = 0, expiresAt = 0;
  if (!parseInt(std::string_view(ticket).substr(0, first), tokenId) ||
      !parseInt(std::string_view(ticket).substr(first + 1, second - first - 1), expiresAt)) {
    return badTicket();
  }
  const std::string expected = mac(tokenId, expiresAt, path);
  if (CRYPTO_memcmp(expected.data(), ticket.data() + second + 1, expected.size()) != 0) {
    return badTicket();
  }
  if (expiresAt < unixSeconds(core::nowUtc())) return badTicket();
  // The session must still be good: not revoked, not expired, its account not disabled.
  auto subject = tokens_.authenticateSession(tokenId, address);
  if (!subject.ok()) return badTicket();
  return subject;
}

}  // namespace gongkai::server::service
