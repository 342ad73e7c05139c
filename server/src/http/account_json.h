#pragma once

#include <Poco/JSON/Object.h>

#include "gongkai/server/service/account.h"
#include "gongkai/server/service/unit_service.h"

// Accounts, their tokens and the organisation units as the API reads and shows them.
namespace gongkai::server::http {

// The API's representation of an account (the service never hands out its password hash).
Poco::JSON::Object::Ptr userJson(const service::Account& user);
// A token as its owner lists it; revoked_at null while it is valid.
Poco::JSON::Object::Ptr tokenJson(const service::TokenInfo& token);
Poco::JSON::Object::Ptr unitJson(const service::Unit& unit);

// The commands of the account and unit routes, read from their JSON bodies. A member the command
// does not know or of the wrong type becomes one of its form errors (the service reports them);
// an unreadable "roles" member is kept as the error it is.
service::NewUnit readNewUnit(const Poco::JSON::Object::Ptr& body);
service::UnitChange readUnitChange(const Poco::JSON::Object::Ptr& body);
service::NewAccount readNewAccount(const Poco::JSON::Object::Ptr& body);
service::AccountChange readAccountChange(const Poco::JSON::Object::Ptr& body);

}  // namespace gongkai::server::http
