#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gongkai::testing {

// A strict reader of Prometheus' text exposition format (version 0.0.4), so the tests check what
// a Prometheus server would accept rather than look for substrings: names and label syntax, HELP
// and TYPE before a family's samples and once only, no series twice, and histograms whole
// (cumulative buckets, a +Inf bucket equal to _count, _sum present). Throws ParseError naming the
// line otherwise.
class PrometheusText {
 public:
  struct ParseError : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  explicit PrometheusText(const std::string& text);

  // The family's TYPE (counter, gauge, histogram, ...), "" when it was not declared.
  std::string typeOf(const std::string& family) const;
  // The sample with exactly these labels (in any order); throws std::out_of_range when absent.
  double value(const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const;
  bool has(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
  // The label sets `name` has samples for.
  std::vector<std::map<std::string, std::string>> series(const std::string& name) const;

 private:
  std::map<std::string, std::string> types_;
  std::map<std::string, std::map<std::map<std::string, std::string>, double>> samples_;
};

}  // namespace gongkai::testing
