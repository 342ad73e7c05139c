#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gongkai::server::store {

class Transaction;
class ReadSession;

// A node of the organisation unit tree (committee → branches).
struct OrgUnit {
  std::string code;         // ASCII: letters, digits, '-', '_', '.'; documents name it in org_unit
  std::string name;         // e.g. 孝德镇卫生院党支部
  std::string parent_code;  // "" for a root
  std::string created_at;   // RFC 3339
};

struct UserRole {
  std::string role;  // a role code of roles.json
  std::string unit;  // the unit a unit-bound role is held for, "" otherwise
  auto operator<=>(const UserRole&) const = default;
};

struct UserRecord {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string password_hash;  // core::hashPassword's encoding
  bool disabled = false;
  int failed_logins = 0;     // since the last successful login
  std::string locked_until;  // RFC 3339, "" when not locked
  std::string created_at;
  std::vector<UserRole> roles;  // sorted
};

struct TokenRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;  // "session" or "api"
  std::string name;
  std::string created_at, expires_at, revoked_at;  // RFC 3339; revoked_at "" while valid
};

// All SQL about units, users, roles and tokens. Throws Poco exceptions on database failure.
class AccountRepository {
 public:
  static std::vector<OrgUnit> units(ReadSession& rs);
  static std::vector<OrgUnit> units(Transaction& tx);
  static void insertUnit(Transaction& tx, const OrgUnit& unit);
  static void updateUnit(Transaction& tx, const OrgUnit& unit);  // name and parent, by code

  static std::int64_t userCount(Transaction& tx);
  // Enabled accounts holding `role`, other than `exceptId`.
  static std::int64_t enabledHoldersOf(Transaction& tx, const std::string& role,
                                       std::int64_t exceptId);
  static std::optional<UserRecord> userByName(ReadSession& rs, const std::string& username);
  static std::optional<UserRecord> userByName(Transaction& tx, const std::string& username);
  static std::optional<UserRecord> userById(ReadSession& rs, std::int64_t id);
  static std::optional<UserRecord> userById(Transaction& tx, std::int64_t id);
  static std::vector<UserRecord> users(ReadSession& rs);
  // Inserts the user and its roles; returns the new id.
  static std::int64_t insertUser(Transaction& tx, const UserRecord& user);
  // Writes every column of the user by id and replaces its roles.
  static void updateUser(Transaction& tx, const UserRecord& user);

  // Stores a token by its digest; returns the new token id.
  static std::int64_t insertToken(Transaction& tx, const std::string& digest,
                                  const TokenRecord& token);
  static std::optional<TokenRecord> tokenByDigest(ReadSession& rs, const std::string& digest);
  static std::optional<TokenRecord> tokenById(Transaction& tx, std::int64_t id);
  static std::optional<TokenRecord> tokenById(ReadSession& rs, std::int64_t id);
  static std::vector<TokenRecord> tokensOf(ReadSession& rs, std::int64_t userId);
  static void revokeToken(Transaction& tx, std::int64_t id, const std::string& when);
  // Revokes every token of a user still valid (a disabled account, a changed password).
  static void revokeTokensOf(Transaction& tx, std::int64_t userId, const std::string& when);
};

}  // namespace gongkai::server::store
