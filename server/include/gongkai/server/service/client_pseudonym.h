#pragma once

#include <string>

#include "gongkai/server/service/subject.h"

namespace gongkai::server::service {

// The audit log is permanent and copied into every annual bundle, so it must not identify the
// public: an anonymous caller (an opinion or an application from the public, a failed login) is
// recorded not by its address but by a pseudonym, "anon-" and the first 16 hex digits of
// HMAC-SHA256(key, address) under a secret kept in DATA_DIR/keys/client-pseudonym.key. The same
// address keeps the same pseudonym, so repeated abuse stays visible to the unit; the address
// cannot be recovered from the log without the key. Signed-in callers keep their address.
// Until a key is set (tools and tests that use the services alone) anonymous callers are
// recorded as "anon", with nothing of the address.
void setClientPseudonymKey(std::string key);

// What the audit entry records as the client of `subject`.
std::string auditClientOf(const Subject& subject);

}  // namespace gongkai::server::service
