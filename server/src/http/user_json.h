#pragma once

#include <Poco/JSON/Object.h>

#include "gongkai/server/service/account.h"

namespace gongkai::server::http {

// The API's representation of an account (the service never hands out its password hash).
Poco::JSON::Object::Ptr userJson(const service::Account& user);
// A token as its owner lists it; revoked_at null while it is valid.
Poco::JSON::Object::Ptr tokenJson(const service::TokenInfo& token);

}  // namespace gongkai::server::http
