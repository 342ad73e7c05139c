// What the unit, user, sign-in and token services share: their error answers, how a JSON body's
// members are read, and how their changes are audited. Private to those services.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"
#include "gongkai/server/service/account.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/account_repository.h"

namespace gongkai::server::service::account_support {

inline constexpr std::size_t kMaxNameBytes = 200;

// A unit, user, display or token name: 1-200 bytes of UTF-8.
bool isValidName(const std::string& name);

// What an audit entry about a user covers: everything but secrets and counters.
Poco::JSON::Object::Ptr auditedUser(const store::UserRecord& user);
// The revision of an account or unit, whose versions are not numbered: a digest of what the
// audit log records of it (`auditedState`: names, roles, disabled; never a password or a
// counter), so it follows what an editor sees and edits. A failed sign-in or a new password
// does not make an editor's copy stale, and a change undone again brings its revision back,
// which is right: the editor's copy is then the current state.
std::string revisionOf(const Poco::JSON::Object::Ptr& auditedState);
// The refusal of a change made against a revision that is no longer current (412).
core::Error staleRevision(const std::string& what);

// What callers are shown of an account and of a token.
Account accountOf(const store::UserRecord& user);
TokenInfo tokenInfoOf(const store::TokenRecord& token);

// kInvalidArgument about one field.
core::Error invalid(const std::string& reason, const std::string& field,
                    const std::string& message);
// kInvalidArgument carrying every field error at once.
core::Error withFields(const std::string& reason, const std::string& message,
                       std::vector<core::FieldError> errors);
core::Error userNotFound(const std::string& username);
// The same answer for a wrong password, an unknown name and a disabled account.
core::Error badCredentials();
core::Error badToken();
// kUnauthenticated for an anonymous caller of a use case that is about the caller's own account.
core::Error signInFirst();

// The string member `name` of `body`, if present; a field error when it is not a string.
std::optional<std::string> optionalString(const Poco::JSON::Object::Ptr& body,
                                          const std::string& name,
                                          std::vector<core::FieldError>& errors);
// A field error for each member of `json` not among `allowed`: typos must not pass silently.
void refuseUnknownFields(const Poco::JSON::Object::Ptr& json,
                         std::initializer_list<std::string_view> allowed,
                         std::vector<core::FieldError>& errors);

// Appends an audit entry whose content hash is that of `record`'s canonical JSON.
void audit(store::Transaction& tx, const Subject& subject, const std::string& action,
           const std::string& objectType, const std::string& objectId,
           const Poco::JSON::Object::Ptr& record);

}  // namespace gongkai::server::service::account_support
