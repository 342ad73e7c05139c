#include "gongkai/server/service/job_service.h"

#include <Poco/Logger.h>

#include "gongkai/core/time.h"
#include "gongkai/server/store/storage_error.h"

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

JobService::JobService(store::Store& store) : store_(store) {}

JobService::~JobService() { stop(); }

core::Status JobService::start() {
  const std::string now = core::formatRfc3339(core::nowUtc());
  core::Status marked = store_.write([&](store::Transaction& tx) -> core::Status {
    ArchiveRepository::failUnfinishedJobs(tx, now);
    return core::okStatus();
  });
  if (!marked.ok()) return marked;
  worker_ = std::thread([this] { workerLoop(); });
  return core::okStatus();
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
  // Whatever never started is cancelled, so its row does not wait for a worker that is gone.
  for (const Pending& job : queue_) {
    const Error cancelled = Error::make(ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
    (void)setState(job.id, "cancelled", "", &cancelled);  // failing: marked interrupted at start
  }
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
    queue_.push_back({id.value(), std::move(work), context});
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
      for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it->id != id) continue;
        queue_.erase(it);
        live_.erase(live);
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
  while (true) {
    Pending job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    run(job);
    std::lock_guard lock(mutex_);
    live_.erase(job.id);
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
  // start marks it interrupted.
  const JobProgress progress = job.context->progress();
  core::Status recorded = core::okStatus();
  if (result.ok()) {
    recorded = setState(job.id, "done", result.value(), nullptr, progress);
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
