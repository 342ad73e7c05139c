#include "gongkai/server/service/search_replication.h"

#include <Poco/Logger.h>

#include <filesystem>

#include "gongkai/server/thread_name.h"
#include "service/child_process.h"

namespace gongkai::server::service {
namespace {

namespace fs = std::filesystem;

// How often the role thread looks at the lease (which is renewed every 2 s) and the index.
constexpr std::chrono::milliseconds kLookEvery{250};
// Before a child that exited is started again (the writer may be away a while).
constexpr std::chrono::seconds kRestartAfter{1};

Poco::Logger& log() { return Poco::Logger::get("gongkai.search"); }

// "host:port" into its parts; the port is "" when there is none.
std::pair<std::string, std::string> splitAddress(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return {address, ""};
  std::string host = address.substr(0, colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:7101
  }
  return {host, address.substr(colon + 1)};
}

bool replicaReady(const std::string& path) {
  std::error_code error;
  return fs::exists(fs::path(path) / "XAPIANDB", error) &&
         !indexer::SearchIndex::lastCommitOf(path).empty();
}

}  // namespace

SearchReplication::SearchReplication(LeaseKeeper& leases, std::string indexFolder,
                                     ReplicationOptions options, IndexRoleHooks hooks)
    : leases_(leases),
      indexFolder_(std::move(indexFolder)),
      options_(std::move(options)),
      hooks_(std::move(hooks)),
      server_(std::make_unique<ChildProcess>()),
      client_(std::make_unique<ChildProcess>()) {}

SearchReplication::~SearchReplication() { stop(); }

core::Status SearchReplication::start() {
  for (std::string* program : {&options_.server_program, &options_.client_program}) {
    const std::string found = findProgram(*program);
    if (found.empty()) {
      return core::Error::make(core::ErrorCode::kUnavailable, "replication_tools_missing",
                               "找不到 " + *program + "，请安装 xapian-tools (" + *program +
                                   " not found: install the package xapian-tools)");
    }
    *program = found;
  }
  std::error_code error;
  fs::create_directories(options_.replica_folder, error);
  if (error) {
    return core::Error::make(core::ErrorCode::kIo, "replica_folder_unavailable",
                             "索引副本目录无法创建 (cannot create the replica folder): " +
                                 options_.replica_folder + ": " + error.message());
  }
  leases_.want(kSearchWriterLease);
  // Asked for now, not at the next round: the first server to start writes from its start.
  if (auto claimed = leases_.renew(); !claimed.ok()) return claimed;
  thread_ = std::thread([this] {
    nameThisThread("gk-search-repl");
    loop();
  });
  std::unique_lock lock(startMutex_);
  started_.wait(lock, [this] { return firstStep_.has_value(); });
  return *firstStep_;
}

void SearchReplication::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ReplicationState SearchReplication::state() const {
  ReplicationState state;
  {
    std::lock_guard lock(mutex_);
    state.writer = writing_;
    state.reading = readingReplica_ ? "replica" : "master";
  }
  if (const auto lease = leases_.lastSeen(kSearchWriterLease);
      lease && lease->expires_at_ms > nowMs()) {
    state.writer_id = lease->holder;
  }
  const std::string name = indexer::SearchIndex::currentName(indexFolder_);
  if (name.empty()) return state;
  state.writer_last_commit = indexer::SearchIndex::lastCommitOf((fs::path(indexFolder_) / name));
  if (state.reading == "replica") {
    state.replica = (fs::path(options_.replica_folder) / name).string();
    state.replica_last_commit = indexer::SearchIndex::lastCommitOf(state.replica);
  }
  return state;
}

void SearchReplication::loop() {
  {
    const core::Status first = step();
    std::lock_guard lock(startMutex_);
    firstStep_ = first;
  }
  started_.notify_all();
  if (!firstStep_->ok()) return;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kLookEvery, [this] { return stopping_; })) {
    lock.unlock();
    if (auto stepped = step(); !stepped.ok() && stepped.error().message != lastWarning_) {
      lastWarning_ = stepped.error().message;  // said once, not every pass
      log().warning("search index role: " + lastWarning_);
    }
    lock.lock();
  }
  lock.unlock();
  // Children first: they die with this thread anyway (PR_SET_PDEATHSIG), but not before the
  // server gives the index up.
  client_->stop();
  server_->stop();
  if (writing_) hooks_.stopWriting();
}

core::Status SearchReplication::step() {
  const bool holds = leases_.holds(kSearchWriterLease);
  if (holds && !writing_) {
    client_->stop();
    clientTarget_.clear();
    if (auto became = hooks_.becomeWriter(); !became.ok()) return became;
    {
      std::lock_guard lock(mutex_);
      writing_ = true;
      readingReplica_ = false;
    }
    readingPath_.clear();
    nextStart_ = {};
    lastWarning_.clear();
    log().information("this server now writes the search index and serves it on " +
                      options_.address);
  } else if (!holds && writing_) {
    // Lost (the store was out of reach for a lease's lifetime, say): another server may write
    // already, so not one more commit.
    hooks_.stopWriting();
    server_->stop();
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
    }
    readingPath_.clear();
    log().warning("this server no longer holds the search index lease: it stopped writing");
  }
  if (writing_) {
    keepServing();
  } else {
    follow();
  }
  return core::okStatus();
}

void SearchReplication::keepServing() {
  if (server_->running() || std::chrono::steady_clock::now() < nextStart_) return;
  if (!server_->lastExit().empty()) {
    log().error("xapian-replicate-server " + server_->lastExit() + "; starting it again");
  }
  const auto [host, port] = splitAddress(options_.address);
  server_->start({options_.server_program, "--interface=" + host, "--port=" + port, indexFolder_});
  nextStart_ = std::chrono::steady_clock::now() + kRestartAfter;
}

void SearchReplication::follow() {
  const std::string name = indexer::SearchIndex::currentName(indexFolder_);
  if (name.empty()) return;  // nothing written yet
  showReplicaWhenReady(name);
  keepReplicating(name);
}

void SearchReplication::showReplicaWhenReady(const std::string& name) {
  const std::string replica = (fs::path(options_.replica_folder) / name).string();
  const std::string master = (fs::path(indexFolder_) / name).string();
  if (readingPath_ == replica) return;
  const bool ready = replicaReady(replica);
  const std::string path = ready ? replica : master;
  if (readingPath_ == path) return;
  auto opened =
      indexer::SearchIndex::openReadOnly(path, indexer::SearchIndex::generationOfName(name));
  if (!opened.ok()) return;  // the master mid-rebuild, say: next pass
  hooks_.readFrom(std::move(opened).value());
  readingPath_ = path;
  {
    std::lock_guard lock(mutex_);
    readingReplica_ = ready;
  }
  if (!ready) return;
  log().information("searches read the replica " + replica);
  // Replicas of generations a rebuild replaced.
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(options_.replica_folder, error)) {
    if (entry.path().filename() != name) fs::remove_all(entry.path(), error);
  }
}

void SearchReplication::keepReplicating(const std::string& name) {
  const auto lease = leases_.lastSeen(kSearchWriterLease);
  const bool writerKnown = lease && lease->holder != leases_.serverId() && !lease->address.empty();
  const std::string target = writerKnown ? lease->address + " " + name : "";
  if (target != clientTarget_) {
    client_->stop();
    clientTarget_ = target;
    nextStart_ = {};
    if (!target.empty()) {
      log().information("replicating the search index " + name + " from " + lease->holder + " at " +
                        lease->address);
    }
  }
  if (target.empty() || client_->running() || std::chrono::steady_clock::now() < nextStart_) {
    return;
  }
  const auto [host, port] = splitAddress(lease->address);
  // -r 0: changesets are applied as soon as they arrive; a search whose reader they overtake is
  // retried on a fresh one (SearchIndex::search).
  client_->start({options_.client_program, "--host=" + host, "--port=" + port, "--master=" + name,
                  "--interval=1", "--reader-time=0", "--quiet",
                  (fs::path(options_.replica_folder) / name).string()});
  nextStart_ = std::chrono::steady_clock::now() + kRestartAfter;
}

}  // namespace gongkai::server::service
