#include "gongkai/policies/policy_set.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "gongkai/core/json_reader.h"
#include "gongkai/core/text.h"

namespace gongkai::policies {
namespace {

using core::JsonMember;
using core::JsonValue;
namespace fs = std::filesystem;

// People edit these files by hand, often on Windows, whose editors may write a byte order mark.
constexpr core::JsonReadOptions kPolicyJson{
    .maxDepth = 32, .maxBytes = 1024 * 1024, .allowByteOrderMark = true};

// The roles code relies on; a roles file must define each of them.
constexpr std::string_view kRequiredRoles[] = {"admin",     "archivist", "reviewer", "inspector",
                                               "committee", "member",    "public"};
constexpr std::string_view kPlaceholders[] = {"fonds", "year", "retention", "category", "item"};
constexpr int kMaxWorkingDaysStep = 3650;

// Thrown inside this file only; loadFolder turns it into a core::Error.
struct PolicyFailure {
  std::string file;
  int line = 0;       // 0: the file as a whole
  std::string field;  // empty: no particular field
  std::string what;
};

core::Error toError(const PolicyFailure& failure) {
  std::string message = "策略文件错误 (policy error): policy file error: " + failure.file;
  if (failure.line > 0) message += ":" + std::to_string(failure.line);
  message += ": ";
  if (!failure.field.empty()) message += failure.field + ": ";
  message += failure.what;
  return core::Error::make(core::ErrorCode::kInvalidArgument, "policy_invalid", std::move(message));
}

std::string inQuotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

template <std::size_t N>
bool isOneOf(std::string_view value, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), value) != std::end(list);
}

// Levenshtein distance, for "did you mean" on unknown keys.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Typed access to one parsed policy file; every complaint carries the file, line and field.
class Checker {
 public:
  explicit Checker(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(int line, const std::string& field, const std::string& what) const {
    throw PolicyFailure{file_, line, field, what};
  }

  const JsonValue& object(const JsonValue& value, const std::string& path) const {
    if (!value.isObject()) expected(value, path, "对象", "an object");
    return value;
  }

  // `object` must be an object holding every key of `required` and no key outside `required`
  // and `optional`.
  const JsonValue& keys(const JsonValue& value, const std::string& path,
                        std::initializer_list<std::string_view> required,
                        std::initializer_list<std::string_view> optional = {}) const {
    object(value, path);
    for (const JsonMember& member : value.members) {
      const auto known = [&](std::string_view key) { return key == member.key; };
      if (std::any_of(required.begin(), required.end(), known) ||
          std::any_of(optional.begin(), optional.end(), known)) {
        continue;
      }
      std::string what = "未知字段 (unknown key) " + inQuotes(member.key);
      std::string_view best;
      std::size_t bestDistance = 3;
      for (const auto list : {required, optional}) {
        for (std::string_view candidate : list) {
          const std::size_t distance = editDistance(member.key, candidate);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
          }
        }
      }
      if (!best.empty()) what += "；是否应为 (did you mean) " + inQuotes(best) + "?";
      fail(member.line, join(path, member.key), what);
    }
    for (std::string_view key : required) {
      if (!value.member(key)) {
        fail(value.line, join(path, key), "缺少必填字段 (required key missing)");
      }
    }
    return value;
  }

  const JsonValue& array(const JsonValue& value, const std::string& path, bool nonEmpty) const {
    if (!value.isArray()) expected(value, path, "数组", "an array");
    if (nonEmpty && value.items.empty()) {
      fail(value.line, path, "不能是空数组 (must not be empty)");
    }
    return value;
  }

  // A string without control characters; `maxCodePoints` 0 means no limit.
  const std::string& string(const JsonValue& value, const std::string& path, bool nonEmpty,
                            std::size_t maxCodePoints = 0) const {
    if (!value.isString()) expected(value, path, "字符串", "a string");
    if (nonEmpty && value.text.empty())
      fail(value.line, path, "不能是空字符串 (must not be empty)");
    if (core::hasControlCharacters(value.text, false)) {
      fail(value.line, path, "不能含控制字符 (must not hold control characters)");
    }
    if (maxCodePoints > 0 && core::codePointCount(value.text) > maxCodePoints) {
      fail(value.line, path,
           "不能超过 " + std::to_string(maxCodePoints) + " 个字符 (longer than " +
               std::to_string(maxCodePoints) + " characters)");
    }
    return value.text;
  }

  bool boolean(const JsonValue& value, const std::string& path) const {
    if (value.kind != JsonValue::Kind::kBool)
      expected(value, path, "true 或 false", "true or false");
    return value.boolean;
  }

  int integer(const JsonValue& value, const std::string& path, int min, int max) const {
    if (value.kind != JsonValue::Kind::kNumber || !value.integer) {
      // Whole but too large for an integer, e.g. 1e30: say so rather than "not an integer".
      if (value.kind == JsonValue::Kind::kNumber && std::trunc(value.number) == value.number &&
          (value.number < min || value.number > max)) {
        outOfRange(value, path, min, max);
      }
      expected(value, path, "整数", "an integer");
    }
    if (*value.integer < min || *value.integer > max) outOfRange(value, path, min, max);
    return static_cast<int>(*value.integer);
  }

  // Member `key` of an object already checked with keys().
  static const JsonValue& get(const JsonValue& object, std::string_view key) {
    return object.member(key)->value;
  }

 private:
  // `chinese` and `english` name the kind wanted, e.g. "整数", "an integer".
  [[noreturn]] void expected(const JsonValue& value, const std::string& path,
                             const std::string& chinese, const std::string& english) const {
    fail(value.line, path,
         "必须是" + chinese + "，却是" + core::kindName(value.kind, false) + " (must be " +
             english + ", not " + core::kindName(value.kind, true) + ")");
  }

  [[noreturn]] void outOfRange(const JsonValue& value, const std::string& path, int min,
                               int max) const {
    const std::string range = std::to_string(min) + " .. " + std::to_string(max);
    fail(value.line, path, "必须在 " + range + " 之间 (must be within " + range + ")");
  }

  std::string file_;
};

struct PolicyFile {
  std::string name;  // e.g. roles.json
  std::string text;  // without a leading byte order mark
  JsonValue root;
};

PolicyFile readPolicyFile(const std::string& folder, const std::string& name) {
  const fs::path path = fs::path(folder) / name;
  const auto failFile = [&](const std::string& what) -> PolicyFailure {
    return PolicyFailure{name, 0, "", what + ": " + path.string()};
  };
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw failFile("文件不存在 (file missing)");
  if (fs::is_directory(status)) throw failFile("是文件夹而不是文件 (is a directory, not a file)");
  if (!fs::is_regular_file(status)) throw failFile("不是普通文件 (not a regular file)");
  const auto tooLarge = PolicyFailure{name, 0, "", "文件超过 1 MiB (file larger than 1 MiB)"};
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kPolicyJson.maxBytes) throw tooLarge;

  std::ifstream in(path, std::ios::binary);
  if (!in) throw failFile("无法读取 (cannot read)");
  PolicyFile file;
  file.name = name;
  file.text.resize(kPolicyJson.maxBytes + 1);
  in.read(file.text.data(), static_cast<std::streamsize>(file.text.size()));
  if (in.bad()) throw failFile("无法读取 (cannot read)");
  file.text.resize(static_cast<std::size_t>(in.gcount()));
  if (file.text.size() > kPolicyJson.maxBytes) throw tooLarge;

  core::JsonSyntaxError syntax;
  auto root = core::parseJsonWithLines(file.text, syntax, kPolicyJson);
  if (!root) throw PolicyFailure{name, syntax.line, "", syntax.message};
  if (!root->isObject()) {
    throw PolicyFailure{name, root->line, "", "顶层必须是对象 (the top level must be an object)"};
  }
  file.root = std::move(*root);
  if (file.text.compare(0, 3, "\xEF\xBB\xBF") == 0) file.text.erase(0, 3);
  return file;
}

// The line of the value at `path` (e.g. "categories[1].code"), or of the nearest enclosing
// value found; for messages from CategoryCatalogue, which knows fields but not lines.
int lineOfPath(const JsonValue& root, std::string_view path) {
  const JsonValue* node = &root;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || !node->isArray()) break;
      std::size_t index = 0;
      for (std::size_t k = i + 1; k < close; ++k) index = index * 10 + (path[k] - '0');
      if (index >= node->items.size()) break;
      node = &node->items[index];
      i = close + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", i);
    const std::string_view key =
        path.substr(i, end == std::string_view::npos ? path.npos : end - i);
    const JsonMember* member = node->isObject() ? node->member(key) : nullptr;
    if (!member) break;
    node = &member->value;
    i = end == std::string_view::npos ? path.size() : end;
  }
  return node->line;
}

// categories.json: the layout is checked here (unknown keys, types, lines), the content by
// CategoryCatalogue::parse, whose "origin: field: message" is mapped back to a line.
CategoryCatalogue loadCategories(const PolicyFile& file) {
  const Checker check(file.name);
  const JsonValue& root = check.keys(file.root, "", {"categories"}, {"source"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  const JsonValue& list = check.array(Checker::get(root, "categories"), "categories", true);
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    check.keys(list.items[i], at("categories", i), {"code", "name", "default_retention"},
               {"items"});
  }
  auto parsed = CategoryCatalogue::parse(file.text, file.name);
  if (parsed.ok()) return std::move(parsed).value();
  std::string_view rest = parsed.error().message;
  const std::string prefix = file.name + ": ";
  if (rest.substr(0, prefix.size()) == prefix) rest.remove_prefix(prefix.size());
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) check.fail(0, "", std::string(rest));
  const std::string field(rest.substr(0, colon));
  check.fail(lineOfPath(file.root, field), field, std::string(rest.substr(colon + 2)));
}

bool isRoleCode(std::string_view code) {
  if (code.empty() || code.size() > 32 || code[0] < 'a' || code[0] > 'z') return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::map<std::string, Role> loadRoles(const PolicyFile& file) {
  const Checker check(file.name);
  const JsonValue& root = check.keys(file.root, "", {"roles"}, {"source"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  const JsonValue& list = check.object(Checker::get(root, "roles"), "roles");
  std::map<std::string, Role> roles;
  for (const JsonMember& member : list.members) {
    const std::string path = join("roles", member.key);
    if (!isRoleCode(member.key)) {
      check.fail(member.line, path,
                 "角色代码须为小写字母开头的 1-32 位小写字母、数字、'_' 或 '-' "
                 "(role code must be 1-32 lower-case letters, digits, '_' or '-', starting with a "
                 "letter)");
    }
    const JsonValue& entry = check.keys(member.value, path, {"name", "unit_bound", "permissions"});
    Role role;
    role.code = member.key;
    role.name = check.string(Checker::get(entry, "name"), join(path, "name"), true, 64);
    role.unit_bound = check.boolean(Checker::get(entry, "unit_bound"), join(path, "unit_bound"));
    const std::string permissionsPath = join(path, "permissions");
    const JsonValue& permissions =
        check.array(Checker::get(entry, "permissions"), permissionsPath, false);
    for (std::size_t i = 0; i < permissions.items.size(); ++i) {
      const std::string& permission =
          check.string(permissions.items[i], at(permissionsPath, i), true);
      if (!isOneOf(permission, kPermissions)) {
        check.fail(permissions.items[i].line, at(permissionsPath, i),
                   "未知权限 (unknown permission) " + inQuotes(permission));
      }
      if (!role.permissions.insert(permission).second) {
        check.fail(permissions.items[i].line, at(permissionsPath, i),
                   "重复的权限 (duplicate permission) " + inQuotes(permission));
      }
    }
    if (role.code == kPublicRole && role.unit_bound) {
      check.fail(Checker::get(entry, "unit_bound").line, join(path, "unit_bound"),
                 "公众角色不能绑定单位 (the public role cannot be unit-bound)");
    }
    roles.emplace(role.code, std::move(role));
  }
  for (std::string_view required : kRequiredRoles) {
    if (!roles.count(std::string(required))) {
      check.fail(list.line, join("roles", required), "缺少必需的角色 (required role missing)");
    }
  }
  return roles;
}

// A list of names from `known`, or ["*"] for all of them.
template <std::size_t N>
std::set<std::string> nameList(const Checker& check, const JsonValue& value,
                               const std::string& path, const std::string_view (&known)[N],
                               const std::string& kind) {
  check.array(value, path, true);
  std::set<std::string> names;
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const std::string& name = check.string(value.items[i], at(path, i), true);
    if (name == "*") {
      if (value.items.size() != 1) {
        check.fail(value.items[i].line, at(path, i),
                   "\"*\" 表示全部，只能单独使用 (\"*\" means all and must stand alone)");
      }
      return std::set<std::string>(std::begin(known), std::end(known));
    }
    if (!isOneOf(name, known)) {
      check.fail(value.items[i].line, at(path, i), "未知的" + kind + " " + inQuotes(name));
    }
    if (!names.insert(name).second) {
      check.fail(value.items[i].line, at(path, i), "重复 (duplicate) " + inQuotes(name));
    }
  }
  return names;
}

std::vector<VisibilityRule> loadVisibility(const PolicyFile& file,
                                           const std::map<std::string, Role>& roles) {
  const Checker check(file.name);
  const JsonValue& root = check.keys(file.root, "", {"rules"}, {"source"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  const JsonValue& list = check.array(Checker::get(root, "rules"), "rules", true);
  std::vector<VisibilityRule> rules;
  for (std::size_t r = 0; r < list.items.size(); ++r) {
    const std::string path = at("rules", r);
    const JsonValue& entry =
        check.keys(list.items[r], path, {"roles", "scopes", "statuses", "units"});
    VisibilityRule rule;

    const std::string rolesPath = join(path, "roles");
    const JsonValue& roleList = check.array(Checker::get(entry, "roles"), rolesPath, true);
    for (std::size_t i = 0; i < roleList.items.size(); ++i) {
      const std::string& code = check.string(roleList.items[i], at(rolesPath, i), true);
      if (!roles.count(code)) {
        check.fail(roleList.items[i].line, at(rolesPath, i),
                   "未知角色 (unknown role) " + inQuotes(code) +
                       "，roles.json 中没有 (not in roles.json)");
      }
      if (std::find(rule.roles.begin(), rule.roles.end(), code) != rule.roles.end()) {
        check.fail(roleList.items[i].line, at(rolesPath, i),
                   "重复的角色 (duplicate role) " + inQuotes(code));
      }
      rule.roles.push_back(code);
    }
    rule.scopes = nameList(check, Checker::get(entry, "scopes"), join(path, "scopes"), kScopes,
                           "公开范围 (unknown scope)");
    rule.statuses = nameList(check, Checker::get(entry, "statuses"), join(path, "statuses"),
                             kStatuses, "状态 (unknown status)");

    const JsonValue& units = Checker::get(entry, "units");
    const std::string unitsPath = join(path, "units");
    const std::string& unitsText = check.string(units, unitsPath, true);
    if (unitsText != "any" && unitsText != "own") {
      check.fail(units.line, unitsPath, "必须是 \"any\" 或 \"own\" (must be \"any\" or \"own\")");
    }
    rule.units_own = unitsText == "own";
    if (rule.units_own) {
      for (const std::string& code : rule.roles) {
        if (!roles.at(code).unit_bound) {
          check.fail(units.line, unitsPath,
                     "角色 " + inQuotes(code) + " 不绑定单位，不能限于本单位 (role " +
                         inQuotes(code) + " is not unit-bound, so units cannot be \"own\")");
        }
      }
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

bool isPatternChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// Why a 档号 pattern is refused, or empty.
std::string patternProblem(std::string_view pattern) {
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '{') {
      const std::size_t close = pattern.find('}', i);
      if (close == std::string_view::npos) return "'{' 没有对应的 '}' ('{' without '}')";
      std::string_view inside = pattern.substr(i + 1, close - i - 1);
      std::string_view width;
      if (const std::size_t colon = inside.find(':'); colon != std::string_view::npos) {
        width = inside.substr(colon + 1);
        inside = inside.substr(0, colon);
        if (inside != "item") {
          return "只有 {item} 可以指定宽度 (only {item} takes a width): {" +
                 std::string(pattern.substr(i + 1, close - i - 1)) + "}";
        }
        if (width.size() != 1 || width[0] < '1' || width[0] > '6') {
          return "{item} 的宽度必须是 1 到 6 (the width of {item} must be 1 to 6)";
        }
      }
      if (!isOneOf(inside, kPlaceholders)) {
        return "未知占位符 (unknown placeholder) {" + std::string(inside) + "}";
      }
      if (++seen[std::string(inside)] > 1) {
        return "占位符 {" + std::string(inside) + "} 出现多次 (placeholder used more than once)";
      }
      i = close + 1;
      continue;
    }
    if (!isPatternChar(c)) {
      return "只能含占位符、ASCII 字母、数字和 '-' '_' '.' (only placeholders, ASCII letters, "
             "digits, '-', '_' and '.' are allowed)";
    }
    ++i;
  }
  for (std::string_view placeholder : kPlaceholders) {
    if (!seen.count(std::string(placeholder))) {
      return "缺少占位符 (placeholder missing) {" + std::string(placeholder) + "}";
    }
  }
  return {};
}

ArchivePolicy loadArchive(const PolicyFile& file) {
  const Checker check(file.name);
  const JsonValue& root =
      check.keys(file.root, "", {"fonds_code", "reference_code_pattern", "bundle_contents"},
                 {"source", "organization", "receiving_organization", "bundle_contents_about"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  ArchivePolicy archive;
  if (const JsonMember* about = root.member("bundle_contents_about"))
    check.string(about->value, "bundle_contents_about", false);
  const JsonValue& contents = Checker::get(root, "bundle_contents");
  archive.bundle_contents = check.string(contents, "bundle_contents", true);
  if (archive.bundle_contents != "whole_record") {
    check.fail(contents.line, "bundle_contents",
               "归档包只能移交完整档案，须为 \"whole_record\" (bundles hand over the whole record: "
               "must be \"whole_record\") " +
                   inQuotes(archive.bundle_contents));
  }
  if (const JsonMember* organization = root.member("organization")) {
    archive.organization = check.string(organization->value, "organization", true, 200);
  }
  if (const JsonMember* receiver = root.member("receiving_organization")) {
    archive.receiving_organization =
        check.string(receiver->value, "receiving_organization", true, 200);
  }
  const JsonValue& fonds = Checker::get(root, "fonds_code");
  archive.fonds_code = check.string(fonds, "fonds_code", true);
  if (archive.fonds_code.size() > 16 ||
      !std::all_of(archive.fonds_code.begin(), archive.fonds_code.end(),
                   [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); })) {
    check.fail(fonds.line, "fonds_code",
               "全宗号须为 1-16 位大写字母或数字 (must be 1-16 upper-case letters or digits) " +
                   inQuotes(archive.fonds_code));
  }
  const JsonValue& pattern = Checker::get(root, "reference_code_pattern");
  archive.reference_code_pattern = check.string(pattern, "reference_code_pattern", true);
  if (const std::string problem = patternProblem(archive.reference_code_pattern);
      !problem.empty()) {
    check.fail(pattern.line, "reference_code_pattern", problem);
  }
  return archive;
}

TimeLimits loadTimeLimits(const PolicyFile& file) {
  const Checker check(file.name);
  const JsonValue& root =
      check.keys(file.root, "", {"feedback", "on_request", "due_soon_working_days"}, {"source"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  TimeLimits limits;
  const JsonValue& feedback = check.keys(Checker::get(root, "feedback"), "feedback",
                                         {"answer_working_days", "extension_working_days"});
  limits.feedback_working_days = check.integer(Checker::get(feedback, "answer_working_days"),
                                               "feedback.answer_working_days", 1, 365);
  limits.feedback_extension_working_days = check.integer(
      Checker::get(feedback, "extension_working_days"), "feedback.extension_working_days", 0, 365);

  const JsonValue& request = check.keys(Checker::get(root, "on_request"), "on_request",
                                        {"acknowledge_working_days", "decide_working_days",
                                         "extension_working_days", "refusal_reasons"});
  limits.request_acknowledge_working_days =
      check.integer(Checker::get(request, "acknowledge_working_days"),
                    "on_request.acknowledge_working_days", 0, 365);
  limits.request_working_days = check.integer(Checker::get(request, "decide_working_days"),
                                              "on_request.decide_working_days", 1, 365);
  limits.request_extension_working_days = check.integer(
      Checker::get(request, "extension_working_days"), "on_request.extension_working_days", 0, 365);
  const std::string reasonsPath = "on_request.refusal_reasons";
  const JsonValue& reasons =
      check.array(Checker::get(request, "refusal_reasons"), reasonsPath, true);
  for (std::size_t i = 0; i < reasons.items.size(); ++i) {
    const std::string& reason = check.string(reasons.items[i], at(reasonsPath, i), true, 200);
    if (std::find(limits.refusal_reasons.begin(), limits.refusal_reasons.end(), reason) !=
        limits.refusal_reasons.end()) {
      check.fail(reasons.items[i].line, at(reasonsPath, i), "重复的理由 (duplicate reason)");
    }
    limits.refusal_reasons.push_back(reason);
  }
  limits.due_soon_working_days =
      check.integer(Checker::get(root, "due_soon_working_days"), "due_soon_working_days", 0, 365);
  return limits;
}

std::optional<std::chrono::sys_days> toDays(const core::Date& date) {
  const std::chrono::year_month_day ymd{std::chrono::year{date.year},
                                        std::chrono::month{static_cast<unsigned>(date.month)},
                                        std::chrono::day{static_cast<unsigned>(date.day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

core::Date fromDays(std::chrono::sys_days days) {
  const std::chrono::year_month_day ymd{days};
  return core::Date{static_cast<int>(ymd.year()),
                    static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

bool isWeekend(std::chrono::sys_days days) {
  const std::chrono::weekday weekday{days};
  return weekday == std::chrono::Saturday || weekday == std::chrono::Sunday;
}

WorkingCalendar loadCalendar(const PolicyFile& file) {
  const Checker check(file.name);
  const JsonValue& root = check.keys(file.root, "", {"years"}, {"source"});
  if (const JsonMember* source = root.member("source"))
    check.string(source->value, "source", false);
  const JsonValue& years = check.object(Checker::get(root, "years"), "years");
  if (years.members.empty())
    check.fail(years.line, "years", "至少要有一年 (must list at least one year)");

  std::set<core::Date> holidays, workdays;
  std::set<int> listedYears;
  for (const JsonMember& member : years.members) {
    const std::string path = join("years", member.key);
    const bool fourDigits =
        member.key.size() == 4 && std::all_of(member.key.begin(), member.key.end(),
                                              [](char c) { return c >= '0' && c <= '9'; });
    const int year = fourDigits ? std::stoi(member.key) : 0;
    if (year < 1900 || year > 2999) {
      check.fail(member.line, path,
                 "年份须为 1900 到 2999 的四位数字 (year must be four digits, 1900-2999)");
    }
    listedYears.insert(year);
    const JsonValue& entry = check.keys(member.value, path, {"holidays", "workdays"});

    const auto readDates = [&](const char* key, std::set<core::Date>& into, bool workday) {
      const std::string listPath = join(path, key);
      const JsonValue& list = check.array(Checker::get(entry, key), listPath, false);
      for (std::size_t i = 0; i < list.items.size(); ++i) {
        const JsonValue& item = list.items[i];
        const std::string itemPath = at(listPath, i);
        const std::string& text = check.string(item, itemPath, true);
        const auto date = core::parseDate(text);
        if (!date) {
          check.fail(item.line, itemPath,
                     "不是真实的日期，须为 YYYY-MM-DD (not a real date, want YYYY-MM-DD) " +
                         inQuotes(text));
        }
        if (date->year != year) {
          check.fail(item.line, itemPath,
                     "日期不在 " + member.key + " 年 (date not in year " + member.key + ") " +
                         inQuotes(text));
        }
        if (into.count(*date))
          check.fail(item.line, itemPath, "重复的日期 (duplicate date) " + inQuotes(text));
        if (workday) {
          if (holidays.count(*date)) {
            check.fail(item.line, itemPath,
                       "同时列为假日和调休上班日 (listed both as holiday and as working day) " +
                           inQuotes(text));
          }
          if (!isWeekend(*toDays(*date))) {
            check.fail(item.line, itemPath,
                       "调休上班日必须是周六或周日 (an adjusted working day must be a Saturday or "
                       "Sunday) " +
                           inQuotes(text));
          }
        }
        into.insert(*date);
      }
    };
    readDates("holidays", holidays, false);
    readDates("workdays", workdays, true);
  }
  const int first = *listedYears.begin(), last = *listedYears.rbegin();
  for (int year = first; year <= last; ++year) {
    if (!listedYears.count(year)) {
      check.fail(years.line, join("years", std::to_string(year)),
                 "年份须连续，缺少这一年 (years must be consecutive; this one is missing)");
    }
  }
  return WorkingCalendar(std::move(holidays), std::move(workdays), first, last);
}

// Weekdays (Monday to Friday) in (epoch - a few days, days], by arithmetic.
long long weekdaysUpTo(std::chrono::sys_days days) {
  const long long n = days.time_since_epoch().count() + 3;  // 1970-01-01 was a Thursday: Monday = 0
  const long long weeks = n >= 0 ? n / 7 : -((-n + 6) / 7);
  const long long rest = n - weeks * 7;  // 0 (Monday) .. 6 (Sunday)
  return weeks * 5 + std::min(rest + 1, 5LL);
}

}  // namespace

WorkingCalendar::WorkingCalendar(std::set<core::Date> holidays, std::set<core::Date> workdays,
                                 int firstYear, int lastYear)
    : holidays_(std::move(holidays)),
      workdays_(std::move(workdays)),
      firstYear_(firstYear),
      lastYear_(lastYear) {}

bool WorkingCalendar::isWorkingDay(const core::Date& date) const {
  if (holidays_.count(date)) return false;
  const auto days = toDays(date);
  if (!days) return false;
  return workdays_.count(date) || !isWeekend(*days);
}

core::Date WorkingCalendar::addWorkingDays(const core::Date& start, int days) const {
  auto day = toDays(start);
  if (!day || days == 0) return start;
  const int step = days > 0 ? 1 : -1;
  int remaining = std::min(std::abs(days), kMaxWorkingDaysStep);
  core::Date date = start;
  while (remaining > 0) {
    *day += std::chrono::days{step};
    date = fromDays(*day);
    if (isWorkingDay(date)) --remaining;
  }
  return date;
}

int WorkingCalendar::workingDaysBetween(const core::Date& from, const core::Date& to) const {
  if (to < from) return -workingDaysBetween(to, from);
  const auto first = toDays(from), last = toDays(to);
  if (!first || !last) return 0;
  long long count = weekdaysUpTo(*last) - weekdaysUpTo(*first);
  // Listed days in (from, to] that change a weekday into a day off or a weekend day into work.
  for (auto it = holidays_.upper_bound(from), end = holidays_.upper_bound(to); it != end; ++it) {
    const auto days = toDays(*it);
    if (days && !isWeekend(*days)) --count;
  }
  for (auto it = workdays_.upper_bound(from), end = workdays_.upper_bound(to); it != end; ++it) {
    const auto days = toDays(*it);
    if (days && isWeekend(*days) && !holidays_.count(*it)) ++count;
  }
  return static_cast<int>(count);
}

core::Result<PolicySet> PolicySet::loadFolder(const std::string& folder) {
  try {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
      throw PolicyFailure{folder, 0, "",
                          "策略文件夹不存在或不是文件夹 (policy folder missing or not a folder)"};
    }
    PolicySet set;
    set.folder = folder;
    set.categories = loadCategories(readPolicyFile(folder, "categories.json"));
    set.roles = loadRoles(readPolicyFile(folder, "roles.json"));
    set.visibility = loadVisibility(readPolicyFile(folder, "visibility.json"), set.roles);
    set.archive = loadArchive(readPolicyFile(folder, "archive.json"));
    set.time_limits = loadTimeLimits(readPolicyFile(folder, "time_limits.json"));
    set.calendar = loadCalendar(readPolicyFile(folder, "calendar.json"));
    return set;
  } catch (const PolicyFailure& failure) {
    return toError(failure);
  } catch (const std::exception& e) {
    return core::Error::make(
        core::ErrorCode::kInternal, "policy_load_failed",
        "读取策略文件失败 (loading the policy files failed): " + folder + ": " + e.what());
  }
}

const Role* PolicySet::role(std::string_view code) const {
  const auto it = roles.find(std::string(code));
  return it == roles.end() ? nullptr : &it->second;
}

}  // namespace gongkai::policies
