#pragma once

// The store's insides, shared by the Store and the repositories, and by nothing else: the only
// place outside src/store that would need Poco/Data is a future PostgreSQL backend.

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>

#include "gongkai/core/time.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::store {

// Where the audit chain ends, as of the changes made so far in the current transaction.
struct AuditTail {
  std::int64_t seq = 0;
  std::string hash;       // entry hash of `seq`, or the genesis hash when seq == 0
  core::TimePoint time{};  // time of `seq`; later entries never carry an earlier time
};

class Transaction {
 public:
  Transaction(Poco::Data::Session& session, AuditTail& tail) : session_(session), tail_(tail) {}
  Poco::Data::Session& session() { return session_; }
  AuditTail& auditTail() { return tail_; }

 private:
  Poco::Data::Session& session_;
  AuditTail& tail_;
};

// Reads the end of the chain as stored (used at open and after a failed commit).
AuditTail loadAuditTail(Poco::Data::Session& session);

}  // namespace gongkai::server::store
