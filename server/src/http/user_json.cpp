#include "user_json.h"

#include "gongkai/server/http/exchange.h"
#include "json_build.h"

namespace gongkai::server::http {

using Poco::JSON::Object;

Object::Ptr userJson(const service::Account& user) {
  const auto role = [](const service::AccountRole& role) {
    auto out = json::object({"role"_f = role.role});
    if (!role.unit.empty()) out->set("unit", role.unit);
    return out;
  };
  auto out = json::object({"username"_f = user.username, "display_name"_f = user.display_name,
                           "disabled"_f = user.disabled, "roles"_f = json::array(user.roles, role),
                           "created_at"_f = user.created_at, "failed_logins"_f = user.failed_logins,
                           "etag"_f = revisionEtag(user.revision)});
  if (!user.locked_until.empty()) out->set("locked_until", user.locked_until);
  return out;
}

Object::Ptr tokenJson(const service::TokenInfo& token) {
  return json::object({"id"_f = token.id, "kind"_f = token.kind, "name"_f = token.name,
                       "created_at"_f = token.created_at, "expires_at"_f = token.expires_at,
                       "revoked_at"_f = json::textOrNull(token.revoked_at)});
}

}  // namespace gongkai::server::http
