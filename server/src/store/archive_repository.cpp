#include "gongkai/server/store/archive_repository.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

#include <algorithm>
#include <climits>

#include "sql_conditions.h"
#include "store_internal.h"

namespace gongkai::server::store {
using namespace Poco::Data::Keywords;

using Poco::Data::Statement;

namespace {

std::string orEmpty(const Poco::Nullable<std::string>& value) {
  return value.isNull() ? std::string() : value.value();
}

// The jobs `where` admits, newest first, at most `limit`.
std::vector<JobRow> selectJobs(SqlSession& session, const SqlPart& where, Poco::Int64 limit) {
  std::vector<Poco::Int64> ids, itemsDone, itemsTotal, bytesDone, bytesTotal, attempts;
  std::vector<std::string> kinds, states, params, by, created, updated;
  std::vector<Poco::Nullable<std::string>> results, codes, messages, owners;
  std::vector<SqlValue> values = where.values;
  values.push_back(limit);
  runSelect(session,
            "SELECT id, kind, state, params, created_by, created_at, updated_at, items_done, "
            "items_total, bytes_done, bytes_total, result, error_code, error_message, owner, "
            "attempts FROM jobs" +
                where.sql + " ORDER BY id DESC LIMIT ?",
            values, ids, kinds, states, params, by, created, updated, itemsDone, itemsTotal,
            bytesDone, bytesTotal, results, codes, messages, owners, attempts);
  std::vector<JobRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], kinds[i], states[i], params[i], by[i], created[i], updated[i],
                   itemsDone[i], itemsTotal[i], bytesDone[i], bytesTotal[i], orEmpty(results[i]),
                   orEmpty(codes[i]), orEmpty(messages[i]), orEmpty(owners[i]), attempts[i]});
  }
  return out;
}

// The archives `where` admits (only the filters given, see sql_conditions.h), newest first.
std::vector<ArchiveRow> selectArchives(SqlSession& session, const SqlPart& where) {
  std::vector<Poco::Int64> ids, items, entries, sizes, checkpoints, jobs;
  std::vector<std::string> names, fonds, categories, hashes, signers, by, created;
  std::vector<int> years, sm2;
  runSelect(
      session,
      "SELECT id, name, fonds, category, year, item_count, audit_entry_count, size, sha256, "
      "signer_key, sm2_signed, checkpoint_size, job_id, created_by, created_at FROM archives" +
          where.sql + " ORDER BY id DESC",
      where.values, ids, names, fonds, categories, years, items, entries, sizes, hashes, signers,
      sm2, checkpoints, jobs, by, created);
  std::vector<ArchiveRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], names[i], fonds[i], categories[i], years[i], items[i], entries[i],
                   sizes[i], hashes[i], signers[i], sm2[i] != 0, checkpoints[i], jobs[i], by[i],
                   created[i]});
  }
  return out;
}

}  // namespace

std::int64_t ArchiveRepository::insertJob(Transaction& tx, const JobRow& job) {
  Poco::Int64 id = 0;
  const auto owner =
      job.owner.empty() ? Poco::Nullable<std::string>() : Poco::Nullable<std::string>(job.owner);
  tx.session() << "INSERT INTO jobs (kind, state, params, created_by, created_at, updated_at, "
                  "owner) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      bind(job.kind), bind(job.state), bind(job.params), bind(job.created_by), bind(job.created_at),
      bind(job.updated_at), bind(owner), into(id), now;
  return id;
}

void ArchiveRepository::updateJob(Transaction& tx, const JobRow& job) {
  const auto nullable = [](const std::string& text) {
    return text.empty() ? Poco::Nullable<std::string>() : Poco::Nullable<std::string>(text);
  };
  Poco::Int64 id = job.id, itemsDone = job.items_done, itemsTotal = job.items_total,
              bytesDone = job.bytes_done, bytesTotal = job.bytes_total;
  tx.session() << "UPDATE jobs SET state = ?, updated_at = ?, items_done = ?, items_total = ?, "
                  "bytes_done = ?, bytes_total = ?, result = ?, error_code = ?, "
                  "error_message = ? WHERE id = ?",
      bind(job.state), bind(job.updated_at), use(itemsDone), use(itemsTotal), use(bytesDone),
      use(bytesTotal), bind(nullable(job.result)), bind(nullable(job.error_code)),
      bind(nullable(job.error_message)), use(id), now;
}

std::optional<JobRow> ArchiveRepository::job(ReadSession& rs, std::int64_t id) {
  SqlConditions byId;
  byId.add("id = ?", {Poco::Int64{id}});
  auto rows = selectJobs(rs.session(), byId.where(), 1);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<JobRow> ArchiveRepository::jobs(ReadSession& rs, const JobQuery& query) {
  SqlConditions conditions;
  if (!query.states.empty()) conditions.add(inList(rs.session().dialect(), "state", query.states));
  if (query.created_by) conditions.add("created_by = ?", {*query.created_by});
  if (query.before) conditions.add("id < ?", {Poco::Int64{*query.before}});
  return selectJobs(rs.session(), conditions.where(), query.limit);
}

std::map<std::string, std::int64_t> ArchiveRepository::jobCounts(ReadSession& rs) {
  std::vector<std::string> states;
  std::vector<Poco::Int64> counts;
  rs.session() << "SELECT state, COUNT(*) FROM jobs GROUP BY state", into(states), into(counts),
      now;
  std::map<std::string, std::int64_t> out;
  for (std::size_t i = 0; i < states.size(); ++i) out[states[i]] = counts[i];
  return out;
}

std::vector<JobRow> ArchiveRepository::adoptOrphanedJobs(Transaction& tx, const std::string& owner,
                                                         std::int64_t nowMs,
                                                         const std::string& now_) {
  SqlConditions orphaned;
  orphaned.add("state IN ('queued', 'running')");
  orphaned.add(
      "(owner IS NULL OR (owner <> ? AND NOT EXISTS (SELECT 1 FROM leases WHERE leases.name = "
      "'server:' || jobs.owner AND leases.expires_at_ms > ?)))",
      {owner, Poco::Int64{nowMs}});
  std::vector<JobRow> jobs = selectJobs(tx.session(), orphaned.where(), INT64_MAX);
  for (JobRow& job : jobs) {
    Poco::Int64 id = job.id;
    tx.session() << "UPDATE jobs SET owner = ?, state = 'queued', attempts = attempts + 1, "
                    "updated_at = ? WHERE id = ?",
        bind(owner), bind(now_), use(id), now;
    job.owner = owner;
    job.state = "queued";
    job.attempts += 1;
    job.updated_at = now_;
  }
  std::reverse(jobs.begin(), jobs.end());  // oldest first, the order they were submitted in
  return jobs;
}

void ArchiveRepository::handOverJob(Transaction& tx, std::int64_t id, const std::string& now_) {
  Poco::Int64 jobId = id;
  tx.session() << "UPDATE jobs SET owner = NULL, state = 'queued', updated_at = ? WHERE id = ?",
      bind(now_), use(jobId), now;
}

std::int64_t ArchiveRepository::insertArchive(Transaction& tx, const ArchiveRow& a) {
  const Poco::Int64 items = a.item_count, entries = a.audit_entry_count, size = a.size,
                    checkpoint = a.checkpoint_size, job = a.job_id;
  const int sm2 = a.sm2_signed ? 1 : 0;
  Poco::Int64 id = 0;
  tx.session()
      << "INSERT INTO archives (name, fonds, category, year, item_count, "
         "audit_entry_count, size, sha256, signer_key, sm2_signed, checkpoint_size, "
         "job_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "RETURNING id",
      bind(a.name), bind(a.fonds), bind(a.category), bind(a.year), bind(items), bind(entries),
      bind(size), bind(a.sha256), bind(a.signer_key), bind(sm2), bind(checkpoint), bind(job),
      bind(a.created_by), bind(a.created_at), into(id), now;
  return id;
}

std::optional<ArchiveRow> ArchiveRepository::archive(ReadSession& rs, std::int64_t id) {
  SqlConditions byId;
  byId.add("id = ?", {Poco::Int64{id}});
  auto rows = selectArchives(rs.session(), byId.where());
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<ArchiveRow> ArchiveRepository::archiveOfJob(ReadSession& rs, std::int64_t jobId) {
  SqlConditions byJob;
  byJob.add("job_id = ?", {Poco::Int64{jobId}});
  auto rows = selectArchives(rs.session(), byJob.where());
  if (rows.empty()) return std::nullopt;
  return std::move(rows.back());  // the first it recorded
}

std::vector<ArchiveRow> ArchiveRepository::archives(ReadSession& rs,
                                                    const std::optional<std::string>& category,
                                                    const std::optional<int>& year) {
  SqlConditions conditions;
  if (category) conditions.add("category = ?", {*category});
  if (year) conditions.add("year = ?", {Poco::Int64{*year}});
  return selectArchives(rs.session(), conditions.where());
}

std::int64_t ArchiveRepository::insertReceipt(Transaction& tx, const ReceiptRow& r) {
  const Poco::Int64 archive = r.archive_id, number = r.number, seq = r.audit_seq;
  Poco::Int64 id = 0;
  tx.session() << "INSERT INTO archive_receipts (archive_id, number, decision, record, "
                  "record_sha256, audit_seq) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      bind(archive), bind(number), bind(r.decision), bind(r.record), bind(r.record_sha256),
      bind(seq), into(id), now;
  return id;
}

namespace {

std::vector<ReceiptRow> selectReceipts(SqlSession& session, std::int64_t archiveId) {
  std::vector<Poco::Int64> ids, archives, numbers, seqs;
  std::vector<std::string> decisions, records, hashes;
  SqlConditions byArchive;
  byArchive.add("archive_id = ?", {Poco::Int64{archiveId}});
  runSelect(session,
            "SELECT id, archive_id, number, decision, record, record_sha256, audit_seq FROM "
            "archive_receipts" +
                byArchive.where().sql + " ORDER BY number",
            byArchive.where().values, ids, archives, numbers, decisions, records, hashes, seqs);
  std::vector<ReceiptRow> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back({ids[i], archives[i], numbers[i], decisions[i], records[i], hashes[i], seqs[i]});
  }
  return out;
}

}  // namespace

std::vector<ReceiptRow> ArchiveRepository::receipts(ReadSession& rs, std::int64_t archiveId) {
  return selectReceipts(rs.session(), archiveId);
}

std::vector<ReceiptRow> ArchiveRepository::receipts(Transaction& tx, std::int64_t archiveId) {
  return selectReceipts(tx.session(), archiveId);
}

std::vector<ReferenceRow> ArchiveRepository::referenceCodes(ReadSession& rs,
                                                            const std::string& fonds, int year,
                                                            const std::string& category) {
  std::vector<std::string> codes, retentions;
  std::vector<Poco::Int64> documents;
  std::vector<int> items;
  std::string f = fonds, c = category;
  int y = year;
  rs.session() << "SELECT code, document_id, retention, item FROM reference_codes "
                  "WHERE fonds = ? AND year = ? AND category = ? ORDER BY retention, item",
      use(f), use(y), use(c), into(codes), into(documents), into(retentions), into(items), now;
  std::vector<ReferenceRow> out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    out.push_back({codes[i], documents[i], retentions[i], items[i]});
  }
  return out;
}

namespace {

std::vector<std::pair<std::int64_t, std::string>> receivedIn(SqlSession& session,
                                                             const std::string& table) {
  std::vector<Poco::Int64> ids;
  std::vector<std::string> received;
  session << "SELECT id, received_at FROM " + table + " ORDER BY id", into(ids), into(received),
      now;
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out.emplace_back(ids[i], received[i]);
  return out;
}

}  // namespace

std::vector<std::pair<std::int64_t, std::string>> ArchiveRepository::feedbackReceived(
    ReadSession& rs) {
  return receivedIn(rs.session(), "feedback");
}

std::vector<std::pair<std::int64_t, std::string>> ArchiveRepository::requestsReceived(
    ReadSession& rs) {
  return receivedIn(rs.session(), "disclosure_requests");
}

std::vector<StoredAuditEntry> ArchiveRepository::auditEntriesAbout(ReadSession& rs,
                                                                   const std::string& objectType,
                                                                   const std::string& objectId,
                                                                   std::int64_t maxSeq) {
  std::vector<Poco::Int64> seqs;
  std::vector<std::string> entries, hashes;
  std::string type = objectType, id = objectId;
  Poco::Int64 limit = maxSeq;
  rs.session() << "SELECT seq, entry, entry_hash FROM audit_log "
                  "WHERE object_type = ? AND object_id = ? AND seq <= ? ORDER BY seq",
      use(type), use(id), use(limit), into(seqs), into(entries), into(hashes), now;
  std::vector<StoredAuditEntry> out;
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    out.push_back({seqs[i], std::move(entries[i]), std::move(hashes[i])});
  }
  return out;
}

bool ArchiveRepository::hasAuditEntryAbout(Transaction& tx, const std::string& objectType,
                                           const std::string& objectId) {
  std::string type = objectType, id = objectId;
  Poco::Int64 count = 0;
  tx.session() << "SELECT COUNT(*) FROM audit_log WHERE object_type = ? AND object_id = ?",
      use(type), use(id), into(count), now;
  return count > 0;
}

}  // namespace gongkai::server::store
