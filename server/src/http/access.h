#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/policies/authorizer.h"
#include "gongkai/server/http/exchange.h"
#include "gongkai/server/http/router.h"
#include "gongkai/server/service/authorization.h"

namespace gongkai::server::http {

// The routes whose services do not yet decide for themselves ask here: each call is one
// question to the policies::Authorizer about the exchange's caller (the documents, search and
// report services already ask it themselves).
class Access {
 public:
  explicit Access(service::AuthorizerSource authorizer) : authorizer_(std::move(authorizer)) {}

  policies::Authorizer authorizer() const { return authorizer_(); }

  core::Status require(const Exchange& ex, std::string_view permission) const {
    return authorizer().require(ex.subject.principal, permission);
  }
  core::Status requireForUnit(const Exchange& ex, std::string_view permission,
                              const std::string& unit, const std::string& scope) const {
    return authorizer().requireForUnit(ex.subject.principal, permission, unit, scope);
  }
  bool may(const Exchange& ex, std::string_view permission) const {
    return authorizer().may(ex.subject.principal, permission);
  }
  bool mayInUnit(const Exchange& ex, std::string_view permission, const std::string& unit) const {
    return authorizer().mayInUnit(ex.subject.principal, permission, unit);
  }
  bool maySee(const Exchange& ex, const core::CatalogueItem& item) const {
    return authorizer().maySee(ex.subject.principal, item);
  }

  // A handler that runs only when the caller may `permission`.
  Handler guarded(std::string permission, Handler handler) const;

 private:
  service::AuthorizerSource authorizer_;
};

}  // namespace gongkai::server::http
