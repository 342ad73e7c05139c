#include "gongkai/server/store/audit_log_scan.h"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include <cstring>
#include <mutex>

#include "gongkai/server/store/audit_repository.h"
#include "gongkai/server/store/merkle_repository.h"
#include "store_internal.h"

namespace gongkai::server::store {
namespace {

// Node ids below this are leaves (level 0; see merkle_repository.cpp).
constexpr std::int64_t kFirstInnerNode = std::int64_t{1} << 48;

const char* const kLastSeqSql = "SELECT COALESCE(MAX(seq), 0) FROM audit_log";
const char* const kEntriesSql =
    "SELECT seq, entry, entry_hash FROM audit_log WHERE seq <= ?1 ORDER BY seq";
const char* const kLeavesSql = "SELECT id, hash FROM merkle_nodes WHERE id < ?1 ORDER BY id";

std::string_view columnText(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  const int size = sqlite3_column_bytes(statement, column);
  return text == nullptr ? std::string_view()
                         : std::string_view(text, static_cast<std::size_t>(size));
}

void execute(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(db, rc, sql);
}

// SQLite caps mmap_size at its compile-time limit (2 GiB by default); past the mapped part it
// reads as usual.
const char* const kWholeReadsSql = "PRAGMA mmap_size = 2147418112; PRAGMA cache_size = -65536";

}  // namespace

void prepareForWholeReads(ReadSession& rs) {
  sqlite3* db = rs.session().sqlite();
  if (db != nullptr) execute(db, kWholeReadsSql);
}

struct AuditLogScan::Impl {
  ReadSession& rs;
  sqlite3* session = nullptr;  // the caller's connection (SQLite)
  sqlite3* db = nullptr;       // the scan's own connection (SQLite)
  sqlite3_stmt* entries = nullptr;
  sqlite3_stmt* leaves = nullptr;
  bool entriesDone = false;
  bool leavesDone = false;
  bool haveLeaf = false;
  std::int64_t leafId = -1;
  core::merkle::Hash leafHash{};
  std::int64_t after = 0;  // PostgreSQL: the last seq read
  std::mutex spareMutex;
  std::vector<core::LogVerifier::Batch> spares;  // verified batches, their memory kept

  core::LogVerifier::Batch emptyBatch() {
    std::lock_guard lock(spareMutex);
    if (spares.empty()) return {};
    core::LogVerifier::Batch batch = std::move(spares.back());
    spares.pop_back();
    batch.clear();
    return batch;
  }

  explicit Impl(ReadSession& s) : rs(s), session(s.session().sqlite()) {}

  ~Impl() {
    sqlite3_finalize(entries);
    sqlite3_finalize(leaves);
    if (db != nullptr) sqlite3_close(db);  // ends its read transaction
  }

  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(statement);
      Poco::Data::SQLite::Utility::throwException(db, rc, sql);
    }
    return statement;
  }

  // The last seq in the caller's snapshot.
  std::int64_t lastSeqOfSession() {
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v2(session, kLastSeqSql, -1, &statement, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(statement);
    const std::int64_t last = rc == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : 0;
    sqlite3_finalize(statement);
    if (rc != SQLITE_ROW) Poco::Data::SQLite::Utility::throwException(session, rc, kLastSeqSql);
    return last;
  }

  // The scan reads on a read-only connection of its own, opened without SQLite's per-call
  // mutex (a tenth of the reading time went to locking it): only one thread uses it at a time
  // (the one calling next(); construction and destruction happen-before and -after). Its read
  // transaction starts after the caller's, so it stops at the caller's last entry: the log
  // only grows (rows are inserted, never changed), so up to there both see the same rows.
  void start() {
    const std::int64_t lastSeq = lastSeqOfSession();
    const char* path = sqlite3_db_filename(session, "main");
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      // sqlite3_open_v2 leaves a handle to report the error with, or none without memory.
      if (db == nullptr) throw Poco::Exception("cannot open the database to read the audit log");
      Poco::Data::SQLite::Utility::throwException(db, rc, path);
    }
    sqlite3_busy_timeout(db, 5000);
    execute(db, kWholeReadsSql);
    execute(db, "BEGIN");
    entries = prepare(kEntriesSql);
    leaves = prepare(kLeavesSql);
    rc = sqlite3_bind_int64(entries, 1, lastSeq);
    if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(db, rc, kEntriesSql);
    rc = sqlite3_bind_int64(leaves, 1, kFirstInnerNode);
    if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(db, rc, kLeavesSql);
  }

  // The stored leaf at `index`, or the zero hash when there is none. Indexes come in increasing
  // order, so the leaves are read once, alongside the entries.
  core::merkle::Hash leafAt(std::int64_t index) {
    while (!leavesDone && (!haveLeaf || leafId < index)) {
      const int rc = sqlite3_step(leaves);
      if (rc == SQLITE_DONE) {
        leavesDone = true;
        haveLeaf = false;
        break;
      }
      if (rc != SQLITE_ROW) Poco::Data::SQLite::Utility::throwException(db, rc, kLeavesSql);
      leafId = sqlite3_column_int64(leaves, 0);
      // A hash of the wrong size reads as zero, as MerkleRepository::leaves reads it.
      leafHash = {};
      if (sqlite3_column_bytes(leaves, 1) == static_cast<int>(leafHash.size())) {
        std::memcpy(leafHash.data(), sqlite3_column_blob(leaves, 1), leafHash.size());
      }
      haveLeaf = true;
    }
    return haveLeaf && leafId == index ? leafHash : core::merkle::Hash{};
  }

  core::LogVerifier::Batch nextSqlite(std::size_t limit) {
    core::LogVerifier::Batch batch = emptyBatch();
    // An entry is a few hundred bytes, its hash 64: one buffer for the batch, grown rarely.
    batch.reserve(limit, limit * 512);
    while (batch.size() < limit && !entriesDone) {
      const int rc = sqlite3_step(entries);
      if (rc == SQLITE_DONE) {
        entriesDone = true;
        break;
      }
      if (rc != SQLITE_ROW) Poco::Data::SQLite::Utility::throwException(db, rc, kEntriesSql);
      const std::int64_t seq = sqlite3_column_int64(entries, 0);
      // The column texts stay valid until the statement steps again: copied into the batch now.
      batch.add(seq, columnText(entries, 1), columnText(entries, 2), leafAt(seq - 1));
    }
    return batch;
  }

  // PostgreSQL: a page of entries and the leaves at the same positions.
  core::LogVerifier::Batch nextPaged(std::size_t limit) {
    const auto count = static_cast<std::int64_t>(limit);
    auto page = AuditRepository::list(rs, after, count);
    core::LogVerifier::Batch batch;
    if (page.empty()) return batch;
    const auto stored = MerkleRepository::leaves(rs, static_cast<std::uint64_t>(after),
                                                 static_cast<std::uint64_t>(count));
    batch.reserve(page.size(), 0);
    for (std::size_t i = 0; i < page.size(); ++i) {
      // A leaf missing from the tree shows as a mismatch against the zero hash.
      batch.add(page[i].seq, page[i].bytes, page[i].hash,
                i < stored.size() ? stored[i] : core::merkle::Hash{});
    }
    after = page.back().seq;
    return batch;
  }
};

AuditLogScan::AuditLogScan(ReadSession& rs) : impl_(std::make_unique<Impl>(rs)) {
  if (impl_->session != nullptr) impl_->start();
}

AuditLogScan::~AuditLogScan() = default;

void AuditLogScan::recycle(core::LogVerifier::Batch batch) {
  std::lock_guard lock(impl_->spareMutex);
  impl_->spares.push_back(std::move(batch));
}

core::LogVerifier::Batch AuditLogScan::next(std::size_t limit) {
  return impl_->db != nullptr ? impl_->nextSqlite(limit) : impl_->nextPaged(limit);
}

}  // namespace gongkai::server::store
