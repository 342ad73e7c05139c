// The background job runner over a real store: order, progress, results and failures kept in
// the jobs table, cancelling queued and running jobs, and jobs a stopped server left unfinished:
// adopted and run again when their server is gone, left alone while it lives.
#include "gongkai/server/service/job_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gongkai/server/service/lease_keeper.h"
#include "gongkai/server/store/archive_repository.h"
#include "gongkai/server/store/lease_repository.h"
#include "gongkai/server/store/store.h"
#include "support/temp_dir.h"
#include "support/test_store.h"

namespace gongkai::server {
namespace {

using gongkai::testing::TempDir;
using service::JobContext;
using service::JobService;

// Waits (polling; bounded) until the job's state is one that ended.
service::JobView waitForEnd(JobService& jobs, std::int64_t id) {
  for (int i = 0; i < 2000; ++i) {
    auto view = jobs.get(id);
    if (view.ok() && view.value().state != "queued" && view.value().state != "running") {
      return view.value();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "job " << id << " did not end";
  return {};
}

// A gate a job's work waits at until the test opens it.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  bool reached = false;
  std::condition_variable arrived;
  void wait() {
    std::unique_lock lock(mutex);
    reached = true;
    arrived.notify_all();
    opened.wait(lock, [&] { return open; });
  }
  void waitUntilReached() {
    std::unique_lock lock(mutex);
    arrived.wait(lock, [&] { return reached; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    opened.notify_all();
  }
};

class JobServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened =
        store::Store::open(temp_ / "data", gongkai::testing::testStoreOptions(temp_ / "data"));
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
  }
  // A job as a server that has stopped left it.
  std::int64_t leftBehind(const std::string& state, const std::string& owner, int attempts = 1) {
    std::int64_t id = 0;
    EXPECT_TRUE(store_
                    ->write([&](store::Transaction& tx) -> core::Status {
                      store::JobRow row;
                      row.kind = "test";
                      row.state = state;
                      row.params = "{\"n\":7}";
                      row.created_by = "archivist";
                      row.created_at = row.updated_at = "2026-11-23T00:00:00Z";
                      row.owner = owner;
                      id = store::ArchiveRepository::insertJob(tx, row);
                      for (int i = 1; i < attempts; ++i) {
                        store::ArchiveRepository::handOverJob(tx, id, row.updated_at);
                        store::ArchiveRepository::adoptOrphanedJobs(tx, owner, 0, row.updated_at);
                      }
                      return core::okStatus();
                    })
                    .ok());
    return id;
  }
  // Says `server` is alive until `untilMs`.
  void leaseFor(const std::string& server, std::int64_t untilMs) {
    ASSERT_TRUE(store_
                    ->write([&](store::Transaction& tx) -> core::Status {
                      store::LeaseRepository::claim(tx, "server:" + server, server, "", 0, untilMs);
                      return core::okStatus();
                    })
                    .ok());
  }
  // Resumes "test" jobs with work that returns their params.
  static void resumeTests(JobService& jobs) {
    jobs.resumeWith("test", [](const store::JobRow& row) -> core::Result<service::JobWork> {
      return service::JobWork(
          [params = row.params](JobContext&) -> core::Result<std::string> { return params; });
    });
  }

  TempDir temp_;
  std::unique_ptr<store::Store> store_;
  service::Subject subject_{"archivist", "127.0.0.1", {}, 0};
};

TEST_F(JobServiceTest, RunsJobsInOrderAndKeepsTheirResultsAndProgress) {
  JobService jobs(*store_);
  ASSERT_TRUE(jobs.start().ok());
  std::vector<int> order;
  std::mutex orderMutex;
  std::vector<std::int64_t> ids;
  for (int n = 0; n < 3; ++n) {
    auto id = jobs.submit("test", "{\"n\":" + std::to_string(n) + "}", subject_,
                          [&, n](JobContext& context) -> core::Result<std::string> {
                            context.setTotals(10, 1000);
                            context.setItemsDone(10);
                            context.setBytesDone(1000);
                            std::lock_guard lock(orderMutex);
                            order.push_back(n);
                            return std::string("{\"made\":") + std::to_string(n) + "}";
                          });
    ASSERT_TRUE(id.ok());
    ids.push_back(id.value());
  }
  for (std::size_t n = 0; n < ids.size(); ++n) {
    const auto view = waitForEnd(jobs, ids[n]);
    EXPECT_EQ(view.state, "done");
    EXPECT_EQ(view.result, "{\"made\":" + std::to_string(n) + "}");
    EXPECT_EQ(view.params, "{\"n\":" + std::to_string(n) + "}");
    EXPECT_EQ(view.created_by, "archivist");
    EXPECT_EQ(view.progress.items_done, 10);
    EXPECT_EQ(view.progress.bytes_total, 1000);
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(jobs.get(9999).error().reason, "job_not_found");
}

TEST_F(JobServiceTest, AFailureOrAnExceptionFailsTheJobWithItsReason) {
  JobService jobs(*store_);
  ASSERT_TRUE(jobs.start().ok());
  auto failing = jobs.submit("test", "{}", subject_, [](JobContext&) -> core::Result<std::string> {
    return core::Error::make(core::ErrorCode::kInvalidArgument, "nothing_to_archive", "无 (none)");
  });
  auto throwing = jobs.submit("test", "{}", subject_, [](JobContext&) -> core::Result<std::string> {
    throw std::runtime_error("disk on fire");
  });
  const auto failed = waitForEnd(jobs, failing.value());
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.error_code, "nothing_to_archive");
  const auto thrown = waitForEnd(jobs, throwing.value());
  EXPECT_EQ(thrown.state, "failed");
  EXPECT_EQ(thrown.error_code, "job_failed");
  // What broke (a path, a library's words) is for the server log, not for whoever reads the job.
  EXPECT_EQ(thrown.error_message.find("disk on fire"), std::string::npos);
  EXPECT_NE(thrown.error_message.find("server log"), std::string::npos);
  // A job that ended cannot be cancelled.
  EXPECT_EQ(jobs.cancel(failing.value()).error().reason, "job_finished");
}

TEST_F(JobServiceTest, CancelsQueuedJobsAtOnceAndRunningOnesWhenTheyNotice) {
  JobService jobs(*store_);
  ASSERT_TRUE(jobs.start().ok());
  Gate gate;
  bool queuedRan = false;
  auto running =
      jobs.submit("test", "{}", subject_, [&](JobContext& context) -> core::Result<std::string> {
        gate.wait();
        if (context.cancelRequested()) {
          return core::Error::make(core::ErrorCode::kUnavailable, "cancelled",
                                   "已取消 (cancelled)");
        }
        return std::string("{}");
      });
  auto queued = jobs.submit("test", "{}", subject_, [&](JobContext&) -> core::Result<std::string> {
    queuedRan = true;
    return std::string("{}");
  });
  gate.waitUntilReached();
  EXPECT_EQ(jobs.get(running.value()).value().state, "running");
  EXPECT_EQ(jobs.get(queued.value()).value().state, "queued");

  auto cancelledQueued = jobs.cancel(queued.value());
  ASSERT_TRUE(cancelledQueued.ok());
  EXPECT_EQ(cancelledQueued.value().state, "cancelled");
  auto asked = jobs.cancel(running.value());
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked.value().state, "running");  // until its work notices
  gate.release();
  EXPECT_EQ(waitForEnd(jobs, running.value()).state, "cancelled");
  EXPECT_TRUE(jobs.cancel(queued.value()).ok());  // cancelling again is harmless
  jobs.stop();
  EXPECT_FALSE(queuedRan);
}

TEST_F(JobServiceTest, JobsAStoppedServerLeftUnfinishedAreMarkedInterruptedAtStart) {
  // As a server killed mid-build leaves them: one running, one queued.
  std::int64_t runningId = 0, queuedId = 0;
  ASSERT_TRUE(store_
                  ->write([&](store::Transaction& tx) -> core::Status {
                    store::JobRow row;
                    row.kind = "archive.build";
                    row.state = "running";
                    row.params = "{}";
                    row.created_by = "admin";
                    row.created_at = row.updated_at = "2026-11-23T00:00:00Z";
                    runningId = store::ArchiveRepository::insertJob(tx, row);
                    row.state = "queued";
                    queuedId = store::ArchiveRepository::insertJob(tx, row);
                    return core::okStatus();
                  })
                  .ok());
  JobService jobs(*store_);
  ASSERT_TRUE(jobs.start().ok());
  for (std::int64_t id : {runningId, queuedId}) {
    const auto view = jobs.get(id);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view.value().state, "failed");
    EXPECT_EQ(view.value().error_code, "interrupted");
  }
}

TEST_F(JobServiceTest, AJobOfAServerThatIsGoneIsAdoptedAndRunAgainFromItsParams) {
  const std::int64_t running = leftBehind("running", "gone-server");
  const std::int64_t queued = leftBehind("queued", "");  // handed over at a clean stop
  JobService jobs(*store_, "me");
  resumeTests(jobs);
  ASSERT_TRUE(jobs.start().ok());
  for (std::int64_t id : {running, queued}) {
    const auto view = waitForEnd(jobs, id);
    EXPECT_EQ(view.state, "done");
    EXPECT_EQ(view.result, "{\"n\":7}");
  }
  auto session = store_->read();
  const auto row = store::ArchiveRepository::job(*session, running);
  EXPECT_EQ(row->owner, "me");
  EXPECT_EQ(row->attempts, 2);
}

TEST_F(JobServiceTest, AJobOfALiveServerIsLeftAloneUntilItsLeaseExpires) {
  leaseFor("busy-server", service::nowMs() + 60000);
  const std::int64_t id = leftBehind("running", "busy-server");
  JobService jobs(*store_, "me");
  resumeTests(jobs);
  ASSERT_TRUE(jobs.start().ok());
  EXPECT_EQ(jobs.adoptOrphans().value(), 0);
  EXPECT_EQ(jobs.get(id).value().state, "running");
  leaseFor("busy-server", service::nowMs() - 1);  // it stopped renewing
  EXPECT_EQ(jobs.adoptOrphans().value(), 1);
  EXPECT_EQ(waitForEnd(jobs, id).state, "done");
}

TEST_F(JobServiceTest, AJobInterruptedTooOftenFailsInsteadOfLooping) {
  const std::int64_t id = leftBehind("running", "gone-server", JobService::kMaxAttempts);
  JobService jobs(*store_, "me");
  resumeTests(jobs);
  ASSERT_TRUE(jobs.start().ok());
  const auto view = waitForEnd(jobs, id);
  EXPECT_EQ(view.state, "failed");
  EXPECT_EQ(view.error_code, "interrupted");
  EXPECT_NE(view.error_message.find("3"), std::string::npos);
}

TEST_F(JobServiceTest, AStoppingServerHandsItsResumableJobsToTheNext) {
  std::int64_t running = 0, queued = 0;
  {
    JobService jobs(*store_, "first");
    resumeTests(jobs);
    ASSERT_TRUE(jobs.start().ok());
    Gate gate;
    const auto stopAtGate = [&](JobContext& context) -> core::Result<std::string> {
      gate.wait();
      if (context.cancelRequested())
        return core::Error::make(core::ErrorCode::kUnavailable, "cancelled", "已取消 (cancelled)");
      return std::string("{}");
    };
    running = jobs.submit("test", "{\"n\":1}", subject_, stopAtGate).value();
    queued = jobs.submit("test", "{\"n\":2}", subject_, stopAtGate).value();
    gate.waitUntilReached();
    std::thread stopper([&] { jobs.stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gate.release();
    stopper.join();
    for (std::int64_t id : {running, queued}) {
      const auto view = jobs.get(id).value();
      EXPECT_EQ(view.state, "queued") << id;
    }
  }
  JobService next(*store_, "second");
  resumeTests(next);
  ASSERT_TRUE(next.start().ok());
  EXPECT_EQ(waitForEnd(next, running).result, "{\"n\":1}");
  EXPECT_EQ(waitForEnd(next, queued).result, "{\"n\":2}");
}

TEST_F(JobServiceTest, LeasesAreTakenWhenFreeOrExpiredAndHeldOtherwise) {
  service::LeaseTiming shortLived{std::chrono::milliseconds(300), std::chrono::milliseconds(50)};
  service::LeaseKeeper first(*store_, "first", "10.0.0.1:7101", shortLived, false);
  service::LeaseKeeper second(*store_, "second", "10.0.0.2:7101", shortLived, false);
  first.want("search.writer");
  second.want("search.writer");
  ASSERT_TRUE(first.renew().ok());
  ASSERT_TRUE(second.renew().ok());
  EXPECT_TRUE(first.holds("search.writer"));
  EXPECT_FALSE(second.holds("search.writer"));
  EXPECT_EQ(second.lastSeen("search.writer")->address, "10.0.0.1:7101");
  // The holder stops renewing (as a killed server does): once the lease expires it is taken.
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  EXPECT_FALSE(first.holds("search.writer"));
  ASSERT_TRUE(second.renew().ok());
  EXPECT_TRUE(second.holds("search.writer"));
  ASSERT_TRUE(first.renew().ok());
  EXPECT_FALSE(first.holds("search.writer"));
  // A clean stop gives the lease up at once.
  second.stop();
  ASSERT_TRUE(first.renew().ok());
  EXPECT_TRUE(first.holds("search.writer"));
}

}  // namespace
}  // namespace gongkai::server
