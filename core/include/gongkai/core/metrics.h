#pragma once

// Counting what the server does, and writing it out in Prometheus' text exposition format
// (https://prometheus.io/docs/instrumenting/exposition_formats/). Pure: no HTTP, no clock.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace gongkai::core::metrics {

// Upper bounds (seconds) of the latency buckets: 1 ms to 10 s, enough to tell a cached read from
// an fsync from a bundle.
inline constexpr std::array<double, 13> kSecondsBuckets{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
// Upper bounds of count buckets (e.g. units of work per store batch).
inline constexpr std::array<double, 10> kCountBuckets{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

// A histogram with fixed bucket bounds; thread-safe, lock-free to observe.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;
  void observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf last
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<std::uint64_t>> counts_;  // per bucket (not cumulative), +Inf last
  std::atomic<std::uint64_t> sumMicros_{0};         // sum in millionths, kept as an integer
};

// Label names and values, in order, e.g. {{"route", "/api/v1/documents/{id}"}, {"status", "200"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

// Builds one exposition text: each family's HELP and TYPE once, then its samples.
class TextWriter {
 public:
  void gauge(const std::string& name, const std::string& help, double value,
             const Labels& labels = {});
  void counter(const std::string& name, const std::string& help, double value,
               const Labels& labels = {});
  void histogram(const std::string& name, const std::string& help,
                 const Histogram::Snapshot& snapshot, const Labels& labels = {});
  const std::string& text() const { return text_; }

 private:
  void family(const std::string& name, const std::string& help, const char* type);
  void sample(const std::string& name, const Labels& labels, double value);
  std::string text_;
  std::map<std::string, bool> declared_;
};

// A label value escaped as the format asks (backslash, double quote, newline).
std::string escapeLabelValue(const std::string& value);
// A sample value: integers without a fraction, +Inf/-Inf/NaN spelled as the format does.
std::string formatValue(double value);

}  // namespace gongkai::core::metrics
