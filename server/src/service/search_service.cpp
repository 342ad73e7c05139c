#include "gongkai/server/service/search_service.h"

#include <Poco/Logger.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <limits>
#include <set>

#include "gongkai/core/workflow.h"
#include "gongkai/server/free_memory.h"
#include "gongkai/server/service/search_query.h"
#include "gongkai/server/store/case_repository.h"
#include "gongkai/server/store/document_repository.h"
#include "gongkai/server/thread_name.h"

namespace gongkai::server::service {
namespace {

namespace fs = std::filesystem;
using store::SearchRepository;

constexpr std::int64_t kRebuildPage = 200;  // documents read per page during a rebuild
// Extracted text indexed between two commits of the outbox worker (see applyEntries).
constexpr std::size_t kCommitTextBytes = 8u << 20;
// Extracted text after which a pass hands the allocator's freed pages back (releaseFreedMemory):
// a pass over a few short texts leaves too little to be worth the page faults of taking it back.
constexpr std::size_t kReleaseTextBytes = 1u << 20;

core::Date dateOf(core::TimePoint time) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(time)};
  return core::Date{static_cast<int>(day.year()),
                    static_cast<int>(static_cast<unsigned>(day.month())),
                    static_cast<int>(static_cast<unsigned>(day.day()))};
}

// The details (index paths, Xapian's own words) go to the log, not to the client.
core::Error searchError(const std::string& what) {
  Poco::Logger::get("gongkai.search").error("search failed: %s", what);
  return core::Error::make(
      core::ErrorCode::kInternal, "search_failed",
      "搜索出错，详情已记录在服务器日志中 (search failed; details are in the server log)");
}

}  // namespace

indexer::IndexedVersion toIndexedVersion(const core::DocumentVersion& v, bool current,
                                         std::vector<std::string> fileTexts) {
  indexer::IndexedVersion out;
  out.document_id = v.document_id;
  out.version = v.version;
  out.current = current;
  out.title = v.metadata.title;
  out.doc_number = v.metadata.doc_number.value_or("");
  out.summary = v.metadata.summary.value_or("");
  out.file_texts = std::move(fileTexts);
  out.category = v.metadata.category;
  out.org_unit = v.metadata.org_unit;
  out.scope = std::string(core::toString(v.metadata.scope));
  // The status visibility judges by (core/workflow.h): a withdrawn document stays unseen once
  // archived.
  out.status = std::string(core::visibleStatus(v));
  out.mode = std::string(core::toString(v.metadata.mode));
  out.period = std::string(core::toString(v.metadata.period));
  out.year = core::disclosureYear(v.metadata, v.created_at);
  out.date = v.metadata.issued_at ? *v.metadata.issued_at : dateOf(v.created_at);
  return out;
}

namespace {

// A title for a record that has none: its first line, cut to a readable length.
std::string titleFrom(std::string_view label, std::int64_t id, const std::string& content) {
  std::string line = content.substr(0, content.find('\n'));
  std::string cut;
  int characters = 0;
  for (std::size_t i = 0; i < line.size() && characters < 40; ++characters) {
    std::size_t length = 1;
    const auto lead = static_cast<unsigned char>(line[i]);
    if (lead >= 0xF0)
      length = 4;
    else if (lead >= 0xE0)
      length = 3;
    else if (lead >= 0xC0)
      length = 2;
    cut += line.substr(i, length);
    i += length;
  }
  if (cut.size() < line.size()) cut += "…";
  return std::string(label) + " #" + std::to_string(id) + "：" + cut;
}

}  // namespace

indexer::IndexedVersion toIndexedFeedback(const core::FeedbackRecord& r) {
  indexer::IndexedVersion out;
  out.type = std::string(indexer::kTypeFeedback);
  out.document_id = r.id;
  out.version = 0;  // one entry per record, replaced as it changes
  out.title = titleFrom("公开意见", r.id, r.content);
  out.summary = r.content;
  out.file_texts = {r.answer, r.rectification};
  out.category = r.category;
  out.org_unit = r.org_unit;
  out.scope = std::string(indexer::kTypeFeedback);
  out.status = std::string(core::toString(r.status));
  out.mode = r.channel;
  const core::Date received = core::chinaDate(r.received_at);
  out.year = received.year;
  out.date = received;
  return out;
}

indexer::IndexedVersion toIndexedRequest(const core::DisclosureRequest& r) {
  indexer::IndexedVersion out;
  out.type = std::string(indexer::kTypeRequest);
  out.document_id = r.id;
  out.version = 0;
  out.title = titleFrom("依申请公开", r.id, r.content);
  out.summary = r.content;
  out.file_texts = {r.answer};
  out.category = r.category;
  out.org_unit = r.org_unit;
  out.scope = std::string(indexer::kTypeRequest);
  out.status = std::string(core::toString(r.status));
  out.mode = r.outcome;
  const core::Date received = core::chinaDate(r.received_at);
  out.year = received.year;
  out.date = received;
  return out;
}

namespace {

// Puts the current state of these feedback records and applications into `target` (the live
// index or a rebuild).
template <typename Target>
void putRecords(store::ReadSession& rs, Target& target, const std::set<std::int64_t>& feedback,
                const std::set<std::int64_t>& requests) {
  for (std::int64_t id : feedback) {
    if (auto record = store::FeedbackRepository::current(rs, id))
      target.put(toIndexedFeedback(*record));
  }
  for (std::int64_t id : requests) {
    if (auto request = store::RequestRepository::current(rs, id))
      target.put(toIndexedRequest(*request));
  }
}

template <typename Target>
void putAllRecords(store::ReadSession& rs, Target& target) {
  store::CaseFilter all;
  all.limit = INT64_MAX;
  for (const auto& record : store::FeedbackRepository::list(rs, all)) {
    target.put(toIndexedFeedback(record));
  }
  for (const auto& request : store::RequestRepository::list(rs, all)) {
    target.put(toIndexedRequest(request));
  }
}

}  // namespace

SearchService::SearchService(store::Store& store, SearchOptions options,
                             AuthorizerSource authorizer)
    : store_(store), options_(std::move(options)), authorizer_(std::move(authorizer)) {}

SearchService::~SearchService() { stop(); }

core::Status SearchService::start() {
  if (!options_.shared) {
    if (auto opened = openAsWriter(); !opened.ok()) return opened;
  } else {
    replication_ = std::make_unique<SearchReplication>(
        *options_.shared, options_.folder, options_.replication,
        IndexRoleHooks{
            [this] { return openAsWriter(); }, [this] { stopWriting(); },
            [this](std::shared_ptr<indexer::SearchIndex> index) { readFrom(std::move(index)); }});
    if (auto started = replication_->start(); !started.ok()) return started;
  }
  worker_ = std::thread([this] {
    nameThisThread("gk-search-index");
    workerLoop();
  });
  // This server's writes wake the worker at once; the poll (idle_wait) remains for those of
  // other servers sharing a PostgreSQL database.
  if (options_.follow_writes)
    store_.setCommitListener([this] {
      {
        std::lock_guard lock(wakeMutex_);
        written_ = true;
      }
      wake_.notify_all();
    });
  return core::okStatus();
}

std::shared_ptr<indexer::SearchIndex> SearchService::index() const {
  std::lock_guard lock(indexMutex_);
  return index_;
}

void SearchService::readFrom(std::shared_ptr<indexer::SearchIndex> index) {
  if (index) {
    index->setSplitSearchFrom(options_.split_search_from > 0
                                  ? options_.split_search_from
                                  : std::numeric_limits<std::int64_t>::max());
  }
  std::lock_guard lock(indexMutex_);
  index_ = std::move(index);
}

void SearchService::stopWriting() {
  {
    std::lock_guard lock(applyMutex_);
    writing_ = false;
  }
  if (auto index = this->index()) index->releaseWriter();
}

core::Error SearchService::notIndexWriter() const {
  const std::string writer = replication_ ? replication_->state().writer_id : "";
  return core::Error::make(
      core::ErrorCode::kConflict, "not_index_writer",
      "本服务器不写入搜索索引，请向写入索引的服务器 " + (writer.empty() ? "(暂无)" : writer) +
          " 提出重建 (this server does not write the search index; ask the server that does: " +
          (writer.empty() ? "none just now" : writer) + ")");
}

core::Status SearchService::openAsWriter() {
  std::error_code missing;
  bool fresh = !fs::exists(options_.folder, missing);
  auto opened = indexer::SearchIndex::open(options_.folder);
  if (!opened.ok() && opened.error().reason != "search_index_locked") {
    // A broken index is only a cache of the store: start a fresh one and rebuild it. (A locked
    // one is still written by a server that lost the lease and is about to let go of it.)
    std::error_code error;
    fs::remove_all(options_.folder, error);
    fresh = true;
    opened = indexer::SearchIndex::open(options_.folder);
  }
  if (!opened.ok()) return opened.error();
  readFrom(std::move(opened).value());
  writing_ = true;
  const auto index = this->index();
  try {
    auto rs = store_.read();
    const std::int64_t stored = SearchRepository::versionCount(*rs);
    const std::int64_t pending = SearchRepository::pendingCount(*rs);
    // An index missing what neither it nor the outbox holds (deleted, or a fresh folder beside an
    // old store), or one written in an older layout, is rebuilt before the server takes searches.
    // The counts alone do not tell a new index beside a store with content (a restored backup,
    // whose outbox still lists what the old index lagged behind, feedback included): that one
    // is rebuilt whatever they say. Any audit entry counts as content; a store with accounts
    // only rebuilds an empty index, which costs nothing.
    const bool storeHasContent = SearchRepository::lastAuditSeq(*rs) > 0;
    if (index->stats().versions + pending < stored || !index->hasCurrentFormat() ||
        (fresh && storeHasContent)) {
      if (auto rebuilt = rebuildNow(); !rebuilt.ok()) return rebuilt;
    }
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
  return core::okStatus();
}

void SearchService::stop() {
  store_.setCommitListener(nullptr);
  {
    std::lock_guard lock(wakeMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (rebuilder_.joinable()) rebuilder_.join();
  if (replication_) replication_->stop();
}

// The outbox worker gives way to requests: in a burst of filings the clients' writes and their
// 201s come first and the index catches up in the idle time between them. At nice +5 the worker
// still gets about a quarter of a request thread's share of a busy core, so it is never starved
// (freshness under a steady load is unchanged: the cores are not both busy then). Linux keeps a
// nice value per thread, and only for this one is it raised.
namespace {
void yieldToRequests() {
  const auto self = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, self);
  if (errno == 0) setpriority(PRIO_PROCESS, self, std::min(current + 5, 19));
}
}  // namespace

void SearchService::workerLoop() {
  yieldToRequests();
  while (true) {
    {
      std::lock_guard lock(wakeMutex_);
      if (stopping_) return;
    }
    const auto passStarted = std::chrono::steady_clock::now();
    auto applied = applyBatch();
    {
      std::lock_guard lock(stateMutex_);
      lastError_ = applied.ok() ? "" : applied.error().message;
    }
    if (applied.ok() && applied.value() >= options_.batch_size) continue;  // more are waiting
    std::unique_lock lock(wakeMutex_);
    if (applied.ok() && applied.value() > 1) {
      // Filings come faster than passes: what the next commits queue meanwhile goes in one pass.
      wake_.wait_until(lock, passStarted + options_.commit_spacing, [this] { return stopping_; });
    }
    wake_.wait_for(lock, options_.idle_wait, [this] { return stopping_ || written_; });
    written_ = false;
  }
}

core::Status SearchService::drain() {
  while (true) {
    auto applied = applyBatch();
    if (!applied.ok()) return applied.error();
    if (applied.value() == 0) return core::okStatus();
  }
}

core::Result<int> SearchService::applyBatch() {
  std::lock_guard lock(applyMutex_);
  if (!writing_) return 0;  // another server writes the index
  try {
    auto rs = store_.read();
    const auto entries = SearchRepository::pending(*rs, options_.batch_size);
    if (entries.empty()) return 0;
    auto applied = applyEntries(*rs, entries);
    if (!applied.ok()) return applyOneByOne(*rs, entries, applied.error());
    const std::int64_t lastId = entries.back().id;
    auto acknowledged = store_.write([lastId](store::Transaction& tx) -> core::Status {
      SearchRepository::acknowledge(tx, lastId);
      return core::okStatus();
    });
    if (!acknowledged.ok()) return acknowledged.error();
    return static_cast<int>(entries.size());
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
}

core::Status SearchService::applyEntries(store::ReadSession& rs,
                                         const std::vector<store::OutboxEntry>& entries) {
  const auto index = this->index();
  try {
    // Each new version, and the one before it, which is no longer current. Feedback and
    // applications are indexed as they are now, one entry each.
    std::set<std::pair<std::int64_t, std::int64_t>> versions;
    std::set<std::int64_t> feedback, requests;
    for (const auto& entry : entries) {
      if (entry.kind == "feedback") {
        feedback.insert(entry.document_id);
        continue;
      }
      if (entry.kind == "request") {
        requests.insert(entry.document_id);
        continue;
      }
      versions.insert({entry.document_id, entry.version});
      if (entry.version > 1) versions.insert({entry.document_id, entry.version - 1});
    }
    putRecords(rs, *index, feedback, requests);
    std::map<std::int64_t, std::int64_t> currentOf;
    std::size_t uncommittedText = 0;
    std::vector<store::FileText> extracted;
    for (const auto& [id, version] : versions) {
      if (!currentOf.count(id)) {
        currentOf[id] = store::DocumentRepository::currentVersion(rs, id).value_or(0);
      }
      auto indexed = indexedVersion(rs, id, version, currentOf[id] == version, extracted);
      if (!indexed.ok()) return indexed.error();
      index->put(indexed.value());
      for (const auto& text : indexed.value().file_texts) uncommittedText += text.size();
      // Xapian holds a batch's postings in memory until the commit, and the texts extracted
      // wait for their one store write: a batch of long texts commits and saves them as it
      // goes, so the server's memory stays bounded however large the files filed meanwhile
      // (the outbox entries leave only after the whole batch; applying a version again is
      // harmless).
      if (uncommittedText >= kCommitTextBytes) {
        saveExtracted(extracted);
        index->commit();
        releaseFreedMemory();
        uncommittedText = 0;
      }
    }
    saveExtracted(extracted);
    index->commit();
    if (uncommittedText >= kReleaseTextBytes) releaseFreedMemory();
    return core::okStatus();
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
}

core::Result<int> SearchService::applyOneByOne(store::ReadSession& rs,
                                               const std::vector<store::OutboxEntry>& entries,
                                               const core::Error& batchError) {
  std::vector<std::int64_t> done, failed;
  std::string firstFailure;
  for (const auto& entry : entries) {
    auto applied = applyEntries(rs, {entry});
    if (applied.ok()) {
      done.push_back(entry.id);
    } else {
      failed.push_back(entry.id);
      if (firstFailure.empty()) firstFailure = applied.error().message;
    }
  }
  if (done.empty()) return batchError;  // the index or the disk, not the entries: retry later
  auto acknowledged = store_.write([&](store::Transaction& tx) -> core::Status {
    for (const std::int64_t id : done) SearchRepository::acknowledgeOne(tx, id);
    for (const std::int64_t id : failed) SearchRepository::acknowledgeOne(tx, id);
    return core::okStatus();
  });
  if (!acknowledged.ok()) return acknowledged.error();
  if (!failed.empty()) {
    // Set aside so the rest is not held up; a rebuild (POST /search/rebuild) indexes the store
    // afresh once the cause is mended. Said in /search/status and the log.
    const std::string message =
        "已跳过 " + std::to_string(failed.size()) +
        " 条无法索引的更新 (set aside updates that cannot be indexed): " + firstFailure;
    Poco::Logger::get("gongkai.search").error(message);
    std::lock_guard lock(stateMutex_);
    lastSetAside_ = message;
  }
  return static_cast<int>(entries.size());
}

core::Result<indexer::IndexedVersion> SearchService::indexedVersion(
    store::ReadSession& rs, std::int64_t documentId, std::int64_t version, bool current,
    std::vector<store::FileText>& extracted) {
  auto stored = store::DocumentRepository::version(rs, documentId, version);
  if (!stored) {
    return core::Error::make(core::ErrorCode::kCorrupt, "version_missing",
                             "索引队列指向不存在的版本 (queued version missing): " +
                                 std::to_string(documentId) + " v" + std::to_string(version));
  }
  // A disposed document's files are gone, and so must their words be: none of its versions,
  // the earlier ones included, is indexed with the text they held.
  const auto row = store::DocumentRepository::projections(rs, documentId - 1, 1);
  const bool disposed = !row.empty() && row.front().id == documentId &&
                        row.front().status == core::toString(core::DocumentStatus::kDisposed);
  std::vector<std::string> texts;
  for (const auto& file : stored->files) {
    texts.push_back(disposed ? "" : fileText(rs, file, extracted));
  }
  return toIndexedVersion(*stored, current, std::move(texts));
}

std::string SearchService::fileText(store::ReadSession& rs, const core::FileRecord& file,
                                    std::vector<store::FileText>& extracted) {
  for (const auto& text : extracted) {
    if (text.sha256 == file.sha256) return text.ok ? text.text : std::string();
  }
  if (auto known = SearchRepository::fileText(rs, file.sha256)) return known->text;
  const indexer::Extraction extraction =
      indexer::extractIsolated(options_.extractor_binary, store_.blobs().pathOf(file.sha256),
                               file.media_type, file.name, options_.limits);
  extracted.push_back(store::FileText{
      file.sha256, extraction.ok, extraction.format, extraction.error_code, extraction.message,
      extraction.truncated, extraction.text, core::formatRfc3339(core::nowUtc())});
  return extraction.ok ? extraction.text : std::string();
}

// The verdicts are kept so a failing file is not retried on every index pass (a rebuild after
// the extractor improves can clear file_texts to try again). One write for all a pass extracted:
// a write per file, each waiting for its own fsync, was most of what a new document waited for
// under a steady stream of filings.
void SearchService::saveExtracted(std::vector<store::FileText>& extracted) {
  if (extracted.empty()) return;
  auto saved = store_.write([&extracted](store::Transaction& tx) -> core::Status {
    for (const auto& text : extracted) SearchRepository::saveFileText(tx, text);
    return core::okStatus();
  });
  (void)saved;  // not saved: extracted again next time, nothing lost
  extracted.clear();
}

core::Result<SearchAnswer> SearchService::search(const Subject& subject,
                                                 indexer::SearchRequest request) const {
  const policies::Authorizer authorizer = authorizer_();
  indexer::Viewer viewer;
  viewer.sees_everything = subject.system;
  if (!subject.system) viewer = viewerOf(authorizer.searchVisibility(subject.principal));
  // Superseded versions are judged by their own scope and status, not the document's current
  // ones (a withdrawn document's earlier published version, say), so only a caller who sees
  // everything searches them.
  SearchAnswer answer;
  answer.history_refused = request.history && !viewer.sees_everything;
  if (answer.history_refused) request.history = false;
  const auto index = this->index();
  if (!index) {
    return core::Error::make(
        core::ErrorCode::kUnavailable, "search_not_ready",
        "搜索索引尚未就绪，请稍后再试 (the search index is not ready yet; try again shortly)");
  }
  auto found = index->search(request, viewer);
  if (!found.ok()) return found.error();
  answer.result = std::move(found).value();
  if (!viewer.sees_everything) dropHitsNoLongerVisible(subject, authorizer, answer.result);
  answer.notice = searchNotice(answer.result, answer.history_refused, request.query);
  return answer;
}

// The index follows the store a moment behind (the outbox worker), so a document withdrawn or
// made internal a moment ago may still be indexed as the caller saw it. Each document hit is
// checked against the store's current version before it is shown: one the caller may no
// longer see is left out, snippet and all. (Totals and facet counts stay the index's until it
// catches up; they name no content.)
void SearchService::dropHitsNoLongerVisible(const Subject& subject,
                                            const policies::Authorizer& authorizer,
                                            indexer::SearchResult& result) const {
  auto rs = store_.read();
  std::erase_if(result.hits, [&](const indexer::SearchHit& hit) {
    if (hit.type != indexer::kTypeDocument) return false;
    const auto current = store::DocumentRepository::current(*rs, hit.document_id);
    return !current || !authorizer.maySee(subject.principal, *current);
  });
}

indexer::Viewer viewerOf(const policies::SearchVisibility& visible) {
  indexer::Viewer viewer;
  // Documents as the visibility rules say; feedback and applications as the case rules say.
  // Seeing every document is not seeing every case.
  viewer.sees_everything = visible.documents.everything && visible.cases.all;
  if (viewer.sees_everything) return viewer;
  if (visible.documents.everything) {
    indexer::ViewerClause all;
    all.scopes.assign(std::begin(policies::kScopes), std::end(policies::kScopes));
    all.statuses.assign(std::begin(policies::kStatuses), std::end(policies::kStatuses));
    viewer.clauses.push_back(std::move(all));
  }
  for (const auto& clause : visible.documents.clauses) {
    indexer::ViewerClause out;
    out.scopes.assign(clause.scopes.begin(), clause.scopes.end());
    out.statuses.assign(clause.statuses.begin(), clause.statuses.end());
    if (clause.units)
      out.org_units = std::vector<std::string>(clause.units->begin(), clause.units->end());
    viewer.clauses.push_back(std::move(out));
  }
  if (!visible.cases.all && visible.cases.units.empty()) return viewer;
  std::vector<std::string> feedbackStatuses, requestStatuses;
  for (auto status : {core::FeedbackStatus::kReceived, core::FeedbackStatus::kAssigned,
                      core::FeedbackStatus::kInProgress, core::FeedbackStatus::kAnswered,
                      core::FeedbackStatus::kClosed}) {
    feedbackStatuses.emplace_back(core::toString(status));
  }
  for (auto status : {core::RequestStatus::kReceived, core::RequestStatus::kAcknowledged,
                      core::RequestStatus::kDecided}) {
    requestStatuses.emplace_back(core::toString(status));
  }
  const auto units = visible.cases.filter();
  viewer.clauses.push_back({{std::string(indexer::kTypeFeedback)}, feedbackStatuses, units});
  viewer.clauses.push_back({{std::string(indexer::kTypeRequest)}, requestStatuses, units});
  return viewer;
}

core::Result<SearchStatus> SearchService::status(const Subject& subject) const {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  return status();
}

core::Status SearchService::startRebuild(const Subject& subject) {
  if (auto allowed = mayManage(subject); !allowed.ok()) return allowed.error();
  return startRebuild();
}

core::Status SearchService::mayManage(const Subject& subject) const {
  if (subject.system) return core::okStatus();
  return authorizer_().require(subject.principal, "search.manage");
}

core::Result<SearchStatus> SearchService::status() const {
  SearchStatus status;
  try {
    auto rs = store_.read();
    status.pending = SearchRepository::pendingCount(*rs);
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
  if (const auto index = this->index()) status.index = index->stats();
  status.rebuilding = rebuilding_;
  status.role = writing_ ? "writer" : "replica";
  status.reading = "master";
  if (replication_) {
    const ReplicationState state = replication_->state();
    status.writer = state.writer_id;
    status.reading = state.reading;
    if (state.reading == "replica") {
      status.writer_last_commit = state.writer_last_commit;
      const auto master = core::parseRfc3339(state.writer_last_commit);
      const auto replica = core::parseRfc3339(state.replica_last_commit);
      if (master && replica) {
        status.replica_lag_seconds =
            std::max<double>(0, std::chrono::duration<double>(*master - *replica).count());
      }
    }
  } else {
    status.writer = options_.server_id;
  }
  std::lock_guard lock(stateMutex_);
  status.last_rebuild = lastRebuild_;
  status.last_error = lastError_;
  status.set_aside = lastSetAside_;
  return status;
}

core::Status SearchService::startRebuild() {
  if (!writing_) return notIndexWriter();
  bool expected = false;
  if (!rebuilding_.compare_exchange_strong(expected, true)) {
    return core::Error::make(core::ErrorCode::kConflict, "rebuild_running",
                             "索引重建正在进行 (a rebuild is already running)");
  }
  if (rebuilder_.joinable()) rebuilder_.join();  // the previous one, finished
  rebuilder_ = std::thread([this] {
    nameThisThread("gk-search-build");
    auto rebuilt = rebuildMarked();
    if (!rebuilt.ok()) {
      std::lock_guard lock(stateMutex_);
      lastError_ = rebuilt.error().message;
    }
  });
  return core::okStatus();
}

core::Status SearchService::rebuildNow() {
  bool expected = false;
  if (!rebuilding_.compare_exchange_strong(expected, true)) {
    return core::Error::make(core::ErrorCode::kConflict, "rebuild_running",
                             "索引重建正在进行 (a rebuild is already running)");
  }
  return rebuildMarked();
}

core::Status SearchService::rebuildMarked() {
  struct Done {
    std::atomic<bool>& flag;
    ~Done() { flag = false; }
  } done{rebuilding_};
  const auto index = this->index();
  if (!writing_ || !index) return notIndexWriter();
  try {
    auto rs = store_.read();
    const std::int64_t seenUpTo = SearchRepository::lastAuditSeq(*rs);
    auto rebuild = index->startRebuild();
    for (std::int64_t after = 0;;) {
      const auto page = SearchRepository::versionsAfter(*rs, after, kRebuildPage);
      if (page.empty()) break;
      std::vector<store::FileText> extracted;
      for (const auto& ref : page) {
        auto indexed = indexedVersion(*rs, ref.document_id, ref.version, ref.current, extracted);
        if (!indexed.ok()) return indexed.error();
        rebuild->put(indexed.value());
      }
      saveExtracted(extracted);
      after = page.back().document_id;
    }
    putAllRecords(*rs, *rebuild);
    rebuild->catchUp();  // merges the first pass; the worker goes on meanwhile
    // Versions stored while the rebuild read, and the versions they superseded, are put again
    // with the worker held back; then the new index takes over.
    std::lock_guard lock(applyMutex_);
    // The lease lost meanwhile: the new writer's index stays as it is.
    if (!writing_ || index != this->index()) return notIndexWriter();
    auto fresh = store_.read();
    std::vector<store::FileText> extracted;
    for (const auto& ref : SearchRepository::versionsSince(*fresh, seenUpTo)) {
      auto indexed = indexedVersion(*fresh, ref.document_id, ref.version, ref.current, extracted);
      if (!indexed.ok()) return indexed.error();
      rebuild->put(indexed.value());
      if (ref.version > 1) {
        auto before = indexedVersion(*fresh, ref.document_id, ref.version - 1, false, extracted);
        if (!before.ok()) return before.error();
        rebuild->put(before.value());
      }
    }
    saveExtracted(extracted);
    // Feedback and applications are few: all of them again, as they are now.
    putAllRecords(*fresh, *rebuild);
    index->swapIn(std::move(rebuild));
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
  std::lock_guard lock(stateMutex_);
  lastRebuild_ = core::formatRfc3339(core::nowUtc());
  return core::okStatus();
}

core::Result<std::vector<TextExtraction>> SearchService::extractionStatus(
    std::int64_t documentId) const {
  try {
    auto rs = store_.read();
    std::vector<TextExtraction> out;
    for (auto& t : SearchRepository::fileTextStatus(*rs, documentId)) {
      out.push_back(TextExtraction{std::move(t.sha256), t.ok, std::move(t.format),
                                   std::move(t.error_code), std::move(t.message), t.truncated,
                                   std::move(t.extracted_at)});
    }
    return out;
  } catch (const std::exception& e) {
    return searchError(e.what());
  }
}

}  // namespace gongkai::server::service
