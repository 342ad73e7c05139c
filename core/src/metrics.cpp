#include "gongkai/core/metrics.h"

#include <cmath>
#include <cstdio>

namespace gongkai::core::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}

void Histogram::observe(double value) {
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  const double micros = std::max(0.0, value) * 1e6;
  sumMicros_.fetch_add(static_cast<std::uint64_t>(std::llround(micros)), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  out.bounds = bounds_;
  std::uint64_t running = 0;
  for (const auto& count : counts_) {
    running += count.load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum = static_cast<double>(sumMicros_.load(std::memory_order_relaxed)) / 1e6;
  return out;
}

std::string escapeLabelValue(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

void TextWriter::family(const std::string& name, const std::string& help, const char* type) {
  if (declared_[name]) return;
  declared_[name] = true;
  text_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void TextWriter::sample(const std::string& name, const Labels& labels, double value) {
  text_ += name;
  if (!labels.empty()) {
    text_ += "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
      text_ += (i ? "," : "") + labels[i].first + "=\"" + escapeLabelValue(labels[i].second) + "\"";
    }
    text_ += "}";
  }
  text_ += " " + formatValue(value) + "\n";
}

void TextWriter::gauge(const std::string& name, const std::string& help, double value,
                       const Labels& labels) {
  family(name, help, "gauge");
  sample(name, labels, value);
}

void TextWriter::counter(const std::string& name, const std::string& help, double value,
                         const Labels& labels) {
  family(name, help, "counter");
  sample(name, labels, value);
}

void TextWriter::histogram(const std::string& name, const std::string& help,
                           const Histogram::Snapshot& snapshot, const Labels& labels) {
  family(name, help, "histogram");
  for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    Labels withBound = labels;
    withBound.emplace_back(
        "le", i < snapshot.bounds.size() ? formatValue(snapshot.bounds[i]) : std::string("+Inf"));
    sample(name + "_bucket", withBound, static_cast<double>(snapshot.cumulative[i]));
  }
  sample(name + "_sum", labels, snapshot.sum);
  sample(name + "_count", labels, static_cast<double>(snapshot.count));
}

}  // namespace gongkai::core::metrics
