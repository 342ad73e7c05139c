#include "access.h"

namespace gongkai::server::http {

Handler Access::guarded(std::string permission, Handler handler) const {
  return [this, permission = std::move(permission), handler = std::move(handler)](Exchange& ex) {
    if (auto allowed = require(ex, permission); !allowed.ok())
      return ex.sendProblem(allowed.error());
    handler(ex);
  };
}

}  // namespace gongkai::server::http
