#include "user_json.h"

#include <Poco/JSON/Array.h>

#include "gongkai/server/http/exchange.h"

namespace gongkai::server::http {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr userJson(const service::Account& user) {
  Object::Ptr out = new Object;
  out->set("username", user.username);
  out->set("display_name", user.display_name);
  out->set("disabled", user.disabled);
  Array::Ptr roles = new Array;
  for (const auto& role : user.roles) {
    Object::Ptr item = new Object;
    item->set("role", role.role);
    if (!role.unit.empty()) item->set("unit", role.unit);
    roles->add(item);
  }
  out->set("roles", roles);
  out->set("created_at", user.created_at);
  if (!user.locked_until.empty()) out->set("locked_until", user.locked_until);
  out->set("failed_logins", user.failed_logins);
  out->set("etag", revisionEtag(user.revision));
  return out;
}

Object::Ptr tokenJson(const service::TokenInfo& token) {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(token.id));
  out->set("kind", token.kind);
  out->set("name", token.name);
  out->set("created_at", token.created_at);
  out->set("expires_at", token.expires_at);
  if (token.revoked_at.empty()) {
    out->set("revoked_at", Poco::Dynamic::Var());
  } else {
    out->set("revoked_at", token.revoked_at);
  }
  return out;
}

}  // namespace gongkai::server::http
