#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "gongkai/core/result.h"
#include "gongkai/server/service/subject.h"
#include "gongkai/server/store/archive_repository.h"
#include "gongkai/server/store/store.h"

namespace gongkai::server::service {

// How far a running job has got: items and bytes done of the totals it announced.
struct JobProgress {
  std::int64_t items_done = 0;
  std::int64_t items_total = 0;
  std::int64_t bytes_done = 0;
  std::int64_t bytes_total = 0;
};

// What a job's work sees: where to report progress and whether it was asked to stop.
class JobContext {
 public:
  explicit JobContext(std::int64_t id) : id_(id) {}
  std::int64_t id() const { return id_; }
  void setTotals(std::int64_t items, std::int64_t bytes) {
    itemsTotal_ = items;
    bytesTotal_ = bytes;
  }
  void setItemsDone(std::int64_t items) { itemsDone_ = items; }
  void setBytesDone(std::int64_t bytes) { bytesDone_ = bytes; }
  bool cancelRequested() const { return cancel_; }
  JobProgress progress() const { return {itemsDone_, itemsTotal_, bytesDone_, bytesTotal_}; }
  void requestCancel() { cancel_ = true; }

 private:
  std::atomic<std::int64_t> itemsDone_{0}, itemsTotal_{0}, bytesDone_{0}, bytesTotal_{0};
  std::atomic<bool> cancel_{false};
  std::int64_t id_;
};

// A job as the API shows it.
struct JobView {
  std::int64_t id = 0;
  std::string kind;    // "archive.build"
  std::string state;   // queued, running, done, failed, cancelled
  std::string params;  // JSON
  std::string created_by;
  std::string created_at;  // RFC 3339
  std::string updated_at;
  std::string result;  // JSON, "" until done
  std::string error_code;
  std::string error_message;
  JobProgress progress;  // live while it runs, else as of the last state change
};

// The work of a job: returns the result as a JSON text, or the error that failed it (reason
// "cancelled" when it stopped because cancelRequested()).
using JobWork = std::function<core::Result<std::string>(JobContext&)>;
// The work of a job of one kind again, from its row (its params and who asked), for a server that
// takes over a job another one left unfinished.
using JobResume = std::function<core::Result<JobWork>(const store::JobRow& row)>;

// Runs background jobs one at a time, in the order submitted, on one worker thread (bundles are
// disk-bound; two at once would only halve each). The jobs table keeps each job's state and the
// server that owns it, so a job can be looked up after it ends and after a restart. A job left
// unfinished by a server that is gone (stopped, killed, or whose "server:" lease expired, see
// LeaseKeeper) is adopted by a live one and run again from the start, at most kMaxAttempts times
// in all; one of a kind no server knows how to resume is marked failed ("interrupted").
class JobService {
 public:
  static constexpr std::int64_t kMaxAttempts = 3;

  // `owner`: this server's id among those sharing the store ("" for a lone server in tests).
  explicit JobService(store::Store& store, std::string owner = "");
  ~JobService();
  JobService(const JobService&) = delete;
  JobService& operator=(const JobService&) = delete;

  // How to run jobs of `kind` again after another server left them; before start().
  void resumeWith(const std::string& kind, JobResume resume);
  // Adopts what a stopped server left, then starts the worker, which looks again every
  // `adopt_every`.
  core::Status start(std::chrono::milliseconds adoptEvery = std::chrono::seconds(5));
  // Stops the worker: the running job is asked to stop and waited for. Jobs of a resumable kind
  // (queued, or stopped midway) are handed over, unowned, to the next server to look; the rest
  // are cancelled.
  void stop();
  // Takes the jobs of servers that are gone; returns how many.
  core::Result<int> adoptOrphans();

  core::Result<std::int64_t> submit(const std::string& kind, const std::string& paramsJson,
                                    const Subject& subject, JobWork work);
  core::Result<JobView> get(std::int64_t id);
  // Newest first, as `query` narrows them; live progress for those still running.
  core::Result<std::vector<JobView>> list(const store::JobQuery& query);
  // A queued job is cancelled at once; a running one is asked to stop and ends "cancelled" when
  // its work notices. kConflict for a job that has already ended.
  core::Result<JobView> cancel(std::int64_t id);

 private:
  struct Pending {
    std::int64_t id = 0;
    JobWork work;
    std::shared_ptr<JobContext> context;
    bool resumable = false;
  };
  void enqueue(Pending job);
  // Leaves the job queued and unowned (resumable kinds) or marks it cancelled.
  void leave(const Pending& job);
  // The row as the API shows it, with the live progress of a job still queued or running.
  JobView viewOf(store::JobRow&& row);
  void workerLoop();
  void run(Pending& job);
  core::Status setState(std::int64_t id, const std::string& state, const std::string& result,
                        const core::Error* error, const JobProgress& progress = {});

  store::Store& store_;
  const std::string owner_;
  std::map<std::string, JobResume> resumes_;  // set before start(), read-only after
  std::chrono::milliseconds adoptEvery_{5000};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::map<std::int64_t, std::shared_ptr<JobContext>> live_;  // queued or running
  std::set<std::int64_t> cancelledByUser_;                    // of those in live_
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace gongkai::server::service
