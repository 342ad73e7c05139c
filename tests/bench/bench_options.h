#pragma once
// Command-line options of the benchmark programs: each program declares its flags with a default
// and a line of help; `--help` prints them and exits 0, an unknown flag, a missing value or a
// value that is not a number exits 2 with the usage, so a typo never runs a long benchmark with
// the defaults.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace gongkai::bench {

class Options {
 public:
  Options(std::string program, std::string summary)
      : program_(std::move(program)), summary_(std::move(summary)) {}

  Options& add(const std::string& flag, std::string* target, const std::string& help) {
    return addFlag(flag, *target, help, [target](const std::string& v) {
      *target = v;
      return true;
    });
  }
  Options& add(const std::string& flag, int* target, const std::string& help) {
    return addNumber(flag, target, help);
  }
  Options& add(const std::string& flag, std::int64_t* target, const std::string& help) {
    return addNumber(flag, target, help);
  }
  Options& add(const std::string& flag, std::uint64_t* target, const std::string& help) {
    return addNumber(flag, target, help);
  }
  Options& add(const std::string& flag, unsigned* target, const std::string& help) {
    return addNumber(flag, target, help);
  }
  Options& add(const std::string& flag, double* target, const std::string& help) {
    return addFlag(flag, std::to_string(*target), help, [target](const std::string& v) {
      char* end = nullptr;
      *target = std::strtod(v.c_str(), &end);
      return !v.empty() && *end == '\0';
    });
  }

  // Reads argv; returns normally only when every flag was known and well-formed.
  void parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        printUsage(stdout);
        std::exit(0);
      }
      const Flag* flag = find(arg);
      if (!flag) fail("unknown option " + arg);
      if (i + 1 >= argc) fail(arg + " needs a value");
      if (!flag->set(argv[++i])) fail(arg + ": not a valid value: " + argv[i]);
    }
  }

 private:
  struct Flag {
    std::string name, defaultValue, help;
    std::function<bool(const std::string&)> set;
  };

  template <typename Number>
  Options& addNumber(const std::string& flag, Number* target, const std::string& help) {
    return addFlag(flag, std::to_string(*target), help, [target](const std::string& v) {
      char* end = nullptr;
      const long long value = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || value < 0) return false;
      *target = static_cast<Number>(value);
      return true;
    });
  }

  Options& addFlag(const std::string& flag, std::string defaultValue, const std::string& help,
                   std::function<bool(const std::string&)> set) {
    flags_.push_back({flag, std::move(defaultValue), help, std::move(set)});
    return *this;
  }

  const Flag* find(const std::string& name) const {
    for (const Flag& flag : flags_)
      if (flag.name == name) return &flag;
    return nullptr;
  }

  void printUsage(FILE* out) const {
    std::fprintf(out, "usage: %s [OPTION VALUE]...\n%s\n\noptions:\n", program_.c_str(),
                 summary_.c_str());
    for (const Flag& flag : flags_) {
      std::fprintf(out, "  %-22s %s", flag.name.c_str(), flag.help.c_str());
      if (!flag.defaultValue.empty()) std::fprintf(out, " (default %s)", flag.defaultValue.c_str());
      std::fprintf(out, "\n");
    }
    std::fprintf(out, "  %-22s %s\n", "--help", "this text");
  }

  [[noreturn]] void fail(const std::string& why) const {
    std::fprintf(stderr, "%s: %s\n", program_.c_str(), why.c_str());
    printUsage(stderr);
    std::exit(2);
  }

  std::string program_, summary_;
  std::vector<Flag> flags_;
};

}  // namespace gongkai::bench
