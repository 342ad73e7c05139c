#pragma once
// How long a new document takes to show up in search: a probe word per document, and a watcher
// thread that searches for each word written until it is found. Shared by the replica-lag and
// freshness benchmarks.

#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_stats.h"
#include "support/http_client.h"

namespace gongkai::bench {

using testing::HttpClient;

// A word no other document holds: "lagprobe" and the number in letters (the index splits words
// at digits).
std::string probeWord(int i) {
  std::string word = "lagprobe";
  do {
    word += static_cast<char>('a' + i % 26);
    i /= 26;
  } while (i > 0);
  return word + "z";
}

bool found(const HttpClient& on, const std::string& word) {
  std::string encoded;
  Poco::URI::encode(word, "&=+#%?/", encoded);
  const auto response = on.get("/api/v1/search?q=" + encoded);
  return response.status == 200 && response.json()->getValue<Poco::Int64>("total") > 0;
}

std::string readingOf(const HttpClient& on) {
  const auto response = on.get("/api/v1/search/status");
  if (response.status != 200) return "";
  return response.json()->getValue<std::string>("reading");
}

// Seconds from each write's answer until a search on `on` found it, written by its own thread.
class LagWatcher {
 public:
  explicit LagWatcher(HttpClient on) : on_(std::move(on)) {
    thread_ = std::thread([this] { run(); });
  }
  ~LagWatcher() { finish(); }
  void written(const std::string& word, Clock::time_point at) {
    std::lock_guard lock(mutex_);
    waiting_[word] = at;
  }
  // Waits (at most 30 s) for the documents still unfound; returns the lags.
  std::vector<double> finish() {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        if (waiting_.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return lags_;
  }
  std::size_t lost() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }

 private:
  void run() {
    while (!stop_) {
      std::map<std::string, Clock::time_point> waiting;
      {
        std::lock_guard lock(mutex_);
        waiting = waiting_;
      }
      for (const auto& [word, at] : waiting) {
        if (!found(on_, word)) continue;
        const double lag = seconds(at);
        std::lock_guard lock(mutex_);
        lags_.push_back(lag);
        waiting_.erase(word);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  HttpClient on_;
  std::mutex mutex_;
  std::map<std::string, Clock::time_point> waiting_;
  std::vector<double> lags_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void report(const char* where, std::vector<double> lags, std::size_t lost) {
  if (lags.empty()) {
    std::printf("%-28s nothing found (%zu lost)\n", where, lost);
    return;
  }
  std::printf("%-28s median %.3f s   p99 %.3f s   max %.3f s   (%zu found, %zu not in 30 s)\n",
              where, median(lags), percentile(lags, 0.99),
              *std::max_element(lags.begin(), lags.end()), lags.size(), lost);
}

}  // namespace gongkai::bench
