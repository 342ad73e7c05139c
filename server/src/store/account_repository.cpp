#include "gongkai/server/store/account_repository.h"

#include <Poco/Data/Statement.h>

#include <algorithm>

#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

namespace {

std::vector<OrgUnit> selectUnits(SqlSession& session) {
  std::vector<std::string> codes, names, parents, created;
  session << "SELECT code, name, parent_code, created_at FROM org_units ORDER BY code", into(codes),
      into(names), into(parents), into(created), now;
  std::vector<OrgUnit> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    out.push_back(OrgUnit{codes[i], names[i], parents[i], created[i]});
  }
  return out;
}

// Every request's session check reads a token, its user and the user's roles: the three queries
// are kept prepared (SqlSession::query).
std::vector<UserRole> selectRoles(SqlSession& session, std::int64_t userId) {
  std::vector<UserRole> out;
  session.query("SELECT role, unit_code FROM user_roles WHERE user_id = ? ORDER BY role, unit_code",
                {KeptValue::integer(userId)}, [&out](const KeptRow& row) {
                  out.push_back(UserRole{row.text(0), row.text(1)});
                });
  return out;
}

// Users matching `where` (a fixed SQL condition with one parameter, `key`).
std::vector<UserRecord> selectUsers(SqlSession& session, const std::string& where, KeptValue key) {
  std::vector<UserRecord> out;
  session.query(
      "SELECT id, username, display_name, password_hash, disabled, failed_logins, "
      "locked_until, created_at FROM users " +
          where + " ORDER BY username",
      {key}, [&out](const KeptRow& row) {
        out.push_back(UserRecord{row.integer(0),
                                 row.text(1),
                                 row.text(2),
                                 row.text(3),
                                 row.integer(4) != 0,
                                 static_cast<int>(row.integer(5)),
                                 row.text(6),
                                 row.text(7),
                                 {}});
      });
  for (UserRecord& user : out) user.roles = selectRoles(session, user.id);
  return out;
}

std::optional<UserRecord> firstOf(std::vector<UserRecord> users) {
  if (users.empty()) return std::nullopt;
  return std::move(users.front());
}

void insertRoles(SqlSession& session, std::int64_t userId, std::vector<UserRole> roles) {
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  for (const auto& role : roles) {
    session << "INSERT INTO user_roles (user_id, role, unit_code) VALUES (?, ?, ?)",
        bind(static_cast<Poco::Int64>(userId)), bind(role.role), bind(role.unit), now;
  }
}

std::vector<TokenRecord> selectTokens(SqlSession& session, const std::string& where,
                                      KeptValue key) {
  std::vector<TokenRecord> out;
  session.query("SELECT id, user_id, kind, name, created_at, expires_at, revoked_at FROM tokens " +
                    where + " ORDER BY id",
                {key}, [&out](const KeptRow& row) {
                  out.push_back(TokenRecord{row.integer(0), row.integer(1), row.text(2),
                                            row.text(3), row.text(4), row.text(5), row.text(6)});
                });
  return out;
}

std::optional<TokenRecord> firstToken(std::vector<TokenRecord> tokens) {
  if (tokens.empty()) return std::nullopt;
  return std::move(tokens.front());
}

}  // namespace

std::vector<OrgUnit> AccountRepository::units(ReadSession& rs) { return selectUnits(rs.session()); }
std::vector<OrgUnit> AccountRepository::units(Transaction& tx) { return selectUnits(tx.session()); }

void AccountRepository::insertUnit(Transaction& tx, const OrgUnit& unit) {
  tx.session() << "INSERT INTO org_units (code, name, parent_code, created_at) VALUES (?, ?, ?, ?)",
      bind(unit.code), bind(unit.name), bind(unit.parent_code), bind(unit.created_at), now;
}

void AccountRepository::updateUnit(Transaction& tx, const OrgUnit& unit) {
  tx.session() << "UPDATE org_units SET name = ?, parent_code = ? WHERE code = ?", bind(unit.name),
      bind(unit.parent_code), bind(unit.code), now;
}

std::int64_t AccountRepository::userCount(Transaction& tx) {
  Poco::Int64 count = 0;
  tx.session() << "SELECT COUNT(*) FROM users", into(count), now;
  return count;
}

std::int64_t AccountRepository::enabledHoldersOf(Transaction& tx, const std::string& role,
                                                 std::int64_t exceptId) {
  Poco::Int64 count = 0;
  tx.session() << "SELECT COUNT(DISTINCT u.id) FROM users u JOIN user_roles r ON r.user_id = u.id "
                  "WHERE r.role = ? AND u.disabled = 0 AND u.id <> ?",
      bind(role), bind(static_cast<Poco::Int64>(exceptId)), into(count), now;
  return count;
}

std::optional<UserRecord> AccountRepository::userByName(ReadSession& rs,
                                                        const std::string& username) {
  return firstOf(selectUsers(rs.session(), "WHERE username = ?", KeptValue::text(username)));
}
std::optional<UserRecord> AccountRepository::userByName(Transaction& tx,
                                                        const std::string& username) {
  return firstOf(selectUsers(tx.session(), "WHERE username = ?", KeptValue::text(username)));
}
std::optional<UserRecord> AccountRepository::userById(ReadSession& rs, std::int64_t id) {
  return firstOf(selectUsers(rs.session(), "WHERE id = ?", KeptValue::integer(id)));
}
std::optional<UserRecord> AccountRepository::userById(Transaction& tx, std::int64_t id) {
  return firstOf(selectUsers(tx.session(), "WHERE id = ?", KeptValue::integer(id)));
}
std::vector<UserRecord> AccountRepository::users(ReadSession& rs) {
  return selectUsers(rs.session(), "WHERE id > ?", KeptValue::integer(0));
}

std::int64_t AccountRepository::insertUser(Transaction& tx, const UserRecord& user) {
  Poco::Int64 id = 0;
  tx.session()
      << "INSERT INTO users (username, display_name, password_hash, disabled, "
         "failed_logins, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      bind(user.username), bind(user.display_name), bind(user.password_hash),
      bind(user.disabled ? 1 : 0), bind(user.failed_logins), bind(user.locked_until),
      bind(user.created_at), into(id), now;
  insertRoles(tx.session(), id, user.roles);
  return id;
}

void AccountRepository::updateUser(Transaction& tx, const UserRecord& user) {
  const Poco::Int64 id = user.id;
  tx.session() << "UPDATE users SET display_name = ?, password_hash = ?, disabled = ?, "
                  "failed_logins = ?, locked_until = ? WHERE id = ?",
      bind(user.display_name), bind(user.password_hash), bind(user.disabled ? 1 : 0),
      bind(user.failed_logins), bind(user.locked_until), bind(id), now;
  tx.session() << "DELETE FROM user_roles WHERE user_id = ?", bind(id), now;
  insertRoles(tx.session(), user.id, user.roles);
}

std::int64_t AccountRepository::insertToken(Transaction& tx, const std::string& digest,
                                            const TokenRecord& token) {
  Poco::Int64 id = 0;
  tx.session() << "INSERT INTO tokens (digest, user_id, kind, name, created_at, expires_at, "
                  "revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      bind(digest), bind(static_cast<Poco::Int64>(token.user_id)), bind(token.kind),
      bind(token.name), bind(token.created_at), bind(token.expires_at), bind(token.revoked_at),
      into(id), now;
  return id;
}

std::optional<TokenRecord> AccountRepository::tokenByDigest(ReadSession& rs,
                                                            const std::string& digest) {
  return firstToken(selectTokens(rs.session(), "WHERE digest = ?", KeptValue::text(digest)));
}

std::optional<TokenRecord> AccountRepository::tokenById(Transaction& tx, std::int64_t id) {
  return firstToken(selectTokens(tx.session(), "WHERE id = ?", KeptValue::integer(id)));
}

std::optional<TokenRecord> AccountRepository::tokenById(ReadSession& rs, std::int64_t id) {
  return firstToken(selectTokens(rs.session(), "WHERE id = ?", KeptValue::integer(id)));
}

std::vector<TokenRecord> AccountRepository::tokensOf(ReadSession& rs, std::int64_t userId) {
  return selectTokens(rs.session(), "WHERE user_id = ?", KeptValue::integer(userId));
}

void AccountRepository::revokeToken(Transaction& tx, std::int64_t id, const std::string& when) {
  tx.session() << "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''", bind(when),
      bind(static_cast<Poco::Int64>(id)), now;
}

void AccountRepository::revokeTokensOf(Transaction& tx, std::int64_t userId,
                                       const std::string& when) {
  tx.session() << "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = ''",
      bind(when), bind(static_cast<Poco::Int64>(userId)), now;
}

}  // namespace gongkai::server::store
