#include "gongkai/server/service/job_service.h"

#include <Poco/Logger.h>

#include "gongkai/core/time.h"
#include "gongkai/server/service/lease_keeper.h"
#include "gongkai/server/store/storage_error.h"
#include "gongkai/server/thread_name.h"

namespace gongkai::server::service {

using core::Error;
using core::ErrorCode;
using store::ArchiveRepository;
using store::JobRow;

namespace {

Error notFound(std::int64_t id) {
  return Error::make(ErrorCode::kNotFound, "job_not_found",
                     "任务不存在 (no such job): " + std::to_string(id));
}

}  // namespace

JobService::JobService(store::Store& store, std::string owner)
    : store_(store), owner_(std::move(owner)) {}

JobService::~JobService() { stop(); }

void JobService::resumeWith(const std::string& kind, JobResume resume) {
  resumes_[kind] = std::move(resume);
}

core::Status JobService::start(std::chrono::milliseconds adoptEvery) {
  adoptEvery_ = adoptEvery;
  if (auto adopted = adoptOrphans(); !adopted.ok()) return adopted.error();
  worker_ = std::thread([this] {
    nameThisThread("gk-jobs");
    workerLoop();
  });
  return core::okStatus();
}

core::Result<int> JobService::adoptOrphans() {
  const std::string now = core::formatRfc3339(core::nowUtc());
  auto adopted = store_.write<std::vector<JobRow>>(
      [&](store::Transaction& tx) -> core::Result<std::vector<JobRow>> {
        return ArchiveRepository::adoptOrphanedJobs(tx, owner_, nowMs(), now);
      });
  if (!adopted.ok()) return adopted.error();
  for (const JobRow& row : adopted.value()) {
    const auto resume = resumes_.find(row.kind);
    core::Result<JobWork> work =
        Error::make(ErrorCode::kUnavailable, "interrupted",
                    "服务重启，任务中断，请重新提交 (the server restarted; submit the job again)");
    if (row.attempts > kMaxAttempts) {
      work = Error::make(ErrorCode::kUnavailable, "interrupted",
                         "任务已被中断 " + std::to_string(row.attempts - 1) +
                             " 次，不再重试，请检查服务器日志后重新提交 (the job was interrupted " +
                             std::to_string(row.attempts - 1) +
                             " times and is not retried; check the server log, then submit it "
                             "again)");
    } else if (resume != resumes_.end()) {
      work = resume->second(row);
    }
    if (!work.ok()) {
      (void)setState(row.id, "failed", "", &work.error());  // failing: adopted again later
      continue;
    }
    Poco::Logger::get("gongkai.jobs")
        .information("job %s (%s) adopted, attempt %s", std::to_string(row.id), row.kind,
                     std::to_string(row.attempts));
    enqueue({row.id, std::move(work).value(), std::make_shared<JobContext>(row.id), true});
  }
  return static_cast<int>(adopted.value().size());
}

void JobService::enqueue(Pending job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      live_[job.id] = job.context;
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  leave(job);  // stopping: not run here (outside the lock: leave writes to the store)
}

void JobService::leave(const Pending& job) {
  if (job.resumable) {
    const std::string now = core::formatRfc3339(core::nowUtc());
    (void)store_.write([&](store::Transaction& tx) -> core::Status {
      ArchiveRepository::handOverJob(tx, job.id, now);
      return core::okStatus();
    });  // failing: still ours, adopted once this server's lease has expired
    return;
  }
  const Error cancelled = Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
  (void)setState(job.id, "cancelled", "", &cancelled);  // failing: adopted and marked later
}

void JobService::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, context] : live_) context->requestCancel();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  // Whatever never started is left for the next server, or cancelled.
  for (const Pending& job : queue_) leave(job);
  queue_.clear();
}

core::Result<std::int64_t> JobService::submit(const std::string& kind,
                                              const std::string& paramsJson, const Subject& subject,
                                              JobWork work) {
  JobRow row;
  row.kind = kind;
  row.state = "queued";
  row.params = paramsJson;
  row.created_by = subject.id;
  row.created_at = row.updated_at = core::formatRfc3339(core::nowUtc());
  row.owner = owner_;
  auto id = store_.write<std::int64_t>([&](store::Transaction& tx) -> core::Result<std::int64_t> {
    return ArchiveRepository::insertJob(tx, row);
  });
  if (!id.ok()) return id.error();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return Error::make(ErrorCode::kUnavailable, "shutting_down",
                         "服务正在停止 (the server is shutting down)");
    }
    auto context = std::make_shared<JobContext>(id.value());
    live_[id.value()] = context;
    queue_.push_back({id.value(), std::move(work), context, resumes_.count(kind) > 0});
  }
  wake_.notify_one();
  return id.value();
}

core::Result<JobView> JobService::get(std::int64_t id) {
  std::optional<JobRow> row;
  try {
    auto session = store_.read();
    row = ArchiveRepository::job(*session, id);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  if (!row) return notFound(id);
  return viewOf(std::move(*row));
}

core::Result<std::vector<JobView>> JobService::list(const store::JobQuery& query) {
  std::vector<JobRow> rows;
  try {
    auto session = store_.read();
    rows = ArchiveRepository::jobs(*session, query);
  } catch (const std::exception& e) {
    return store::storageError(e);
  }
  std::vector<JobView> views;
  views.reserve(rows.size());
  for (auto& row : rows) views.push_back(viewOf(std::move(row)));
  return views;
}

JobView JobService::viewOf(JobRow&& row) {
  JobView view{row.id,
               std::move(row.kind),
               std::move(row.state),
               std::move(row.params),
               std::move(row.created_by),
               std::move(row.created_at),
               std::move(row.updated_at),
               std::move(row.result),
               std::move(row.error_code),
               std::move(row.error_message),
               {row.items_done, row.items_total, row.bytes_done, row.bytes_total}};
  std::lock_guard lock(mutex_);
  if (auto live = live_.find(view.id); live != live_.end())
    view.progress = live->second->progress();
  return view;
}

core::Result<JobView> JobService::cancel(std::int64_t id) {
  bool wasLive = false, wasQueued = false;
  {
    std::lock_guard lock(mutex_);
    if (auto live = live_.find(id); live != live_.end()) {
      wasLive = true;
      live->second->requestCancel();
      cancelledByUser_.insert(id);
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->id != id) continue;
        queue_.erase(it);
        live_.erase(live);
        cancelledByUser_.erase(id);
        wasQueued = true;
        break;
      }
    }
  }
  if (wasQueued) {
    const Error cancelled = Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
    if (auto set = setState(id, "cancelled", "", &cancelled); !set.ok()) return set.error();
  }
  auto view = get(id);
  if (!view.ok()) return view;
  const std::string& state = view.value().state;
  // Cancelling a cancelled job again is harmless; one that finished cannot be undone.
  if (!wasLive && (state == "done" || state == "failed")) {
    return Error::make(ErrorCode::kConflict, "job_finished",
                       "任务已结束，无法取消 (the job has already ended): " + state);
  }
  return view;
}

void JobService::workerLoop() {
  auto nextAdoption = std::chrono::steady_clock::now() + adoptEvery_;
  while (true) {
    Pending job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, nextAdoption, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      if (queue_.empty()) {
        lock.unlock();
        if (auto adopted = adoptOrphans(); !adopted.ok()) {
          Poco::Logger::get("gongkai.jobs")
              .warning("adopting jobs failed: " + adopted.error().message);
        }
        nextAdoption = std::chrono::steady_clock::now() + adoptEvery_;
        continue;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    run(job);
    std::lock_guard lock(mutex_);
    live_.erase(job.id);
    cancelledByUser_.erase(job.id);
  }
}

void JobService::run(Pending& job) {
  if (!setState(job.id, "running", "", nullptr).ok()) return;
  core::Result<std::string> result = Error::make(ErrorCode::kInternal, "job_failed", "");
  try {
    result = job.work(*job.context);
  } catch (const std::exception& e) {
    // What failed (a path, a library's words) goes to the log; the job's record says only that.
    Poco::Logger::get("gongkai.jobs")
        .error("job %s failed: %s", std::to_string(job.id), std::string(e.what()));
    result = Error::make(
        ErrorCode::kInternal, "job_failed",
        "任务出错，详情已记录在服务器日志中 (the job failed; details are in the server log)");
  }
  // When even this write fails the store is closing; the row stays "running" and the next
  // server to look adopts it once this one's lease has expired.
  const JobProgress progress = job.context->progress();
  // Stopped because this server stops, not by its user: the next server takes it on.
  const auto stoppedByServer = [&] {
    std::lock_guard lock(mutex_);
    return stopping_ && cancelledByUser_.count(job.id) == 0;
  };
  core::Status recorded = core::okStatus();
  if (result.ok()) {
    recorded = setState(job.id, "done", result.value(), nullptr, progress);
  } else if (result.error().reason == "cancelled" && stoppedByServer()) {
    leave(job);
  } else if (result.error().reason == "cancelled") {
    recorded = setState(job.id, "cancelled", "", &result.error(), progress);
  } else {
    recorded = setState(job.id, "failed", "", &result.error(), progress);
  }
  (void)recorded;
}

core::Status JobService::setState(std::int64_t id, const std::string& state,
                                  const std::string& result, const core::Error* error,
                                  const JobProgress& progress) {
  return store_.write([&](store::Transaction& tx) -> core::Status {
    JobRow row;
    row.id = id;
    row.state = state;
    row.items_done = progress.items_done;
    row.items_total = progress.items_total;
    row.bytes_done = progress.bytes_done;
    row.bytes_total = progress.bytes_total;
    row.updated_at = core::formatRfc3339(core::nowUtc());
    row.result = result;
    if (error != nullptr) {
      row.error_code = error->reason;
      row.error_message = error->message;
    }
    ArchiveRepository::updateJob(tx, row);
    return core::okStatus();
  });
}

}  // namespace gongkai::server::service
