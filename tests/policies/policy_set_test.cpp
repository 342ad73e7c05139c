#include "gongkai/policies/policy_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/temp_dir.h"

namespace gongkai::policies {
namespace {

using gongkai::testing::readFile;
using gongkai::testing::TempDir;
using gongkai::testing::writeFile;

const std::string kPrefix = "策略文件错误 (policy error): policy file error: ";
constexpr const char* kFiles[] = {"categories.json", "roles.json",       "visibility.json",
                                  "archive.json",    "time_limits.json", "calendar.json"};

core::Date date(int year, int month, int day) { return core::Date{year, month, day}; }

int lineAt(const std::string& text, std::size_t pos) {
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

// A copy of the default policy folder in which a test breaks one thing.
class PolicyCopy {
 public:
  PolicyCopy() {
    for (const char* file : kFiles)
      writeFile(dir_ / file, readFile(std::string(GONGKAI_POLICY_DIR) + "/" + file));
  }
  const std::string& path() const { return dir_.path(); }
  std::string text(const std::string& file) const { return readFile(dir_ / file); }
  void write(const std::string& file, const std::string& text) { writeFile(dir_ / file, text); }

  // Replaces the first `from` after the first `anchor` in `file`; returns the line it is on.
  int replace(const std::string& file, const std::string& anchor, const std::string& from,
              const std::string& to) {
    std::string contents = text(file);
    const std::size_t start = contents.find(anchor);
    EXPECT_NE(start, std::string::npos) << anchor;
    const std::size_t pos = contents.find(from, start == std::string::npos ? 0 : start);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos == std::string::npos) return -1;
    contents.replace(pos, from.size(), to);
    write(file, contents);
    return lineAt(contents, pos);
  }
  int replace(const std::string& file, const std::string& from, const std::string& to) {
    return replace(file, from, from, to);
  }

  // The message loadFolder refuses the folder with ("" when it accepts it).
  std::string error() const {
    auto result = PolicySet::loadFolder(path());
    EXPECT_FALSE(result.ok()) << "accepted a broken folder";
    if (result.ok()) return {};
    EXPECT_EQ(result.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().reason, "policy_invalid");
    return result.error().message;
  }

 private:
  TempDir dir_;
};

// The message must start with the prefix, then exactly `file:line: field: ` and name `what`.
void expectError(const PolicyCopy& copy, const std::string& file, int line,
                 const std::string& field, const std::string& what) {
  const std::string message = copy.error();
  const std::string where =
      file + ":" + std::to_string(line) + ": " + (field.empty() ? "" : field + ": ");
  EXPECT_EQ(message.substr(0, kPrefix.size() + where.size()), kPrefix + where) << message;
  EXPECT_NE(message.find(what), std::string::npos) << message;
}

TEST(PolicySet, DefaultFolderLoads) {
  auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const PolicySet& set = loaded.value();
  EXPECT_EQ(set.folder, GONGKAI_POLICY_DIR);
  EXPECT_EQ(set.categories.all().size(), 8u);

  std::string codes;
  for (const auto& [code, role] : set.roles) codes += code + " ";
  EXPECT_EQ(codes, "admin archivist committee inspector member public reviewer ");
  using Set = std::set<std::string>;
  const Set all(std::begin(kPermissions), std::end(kPermissions));
  EXPECT_EQ(set.role("admin")->permissions, all);
  EXPECT_EQ(set.role("archivist")->permissions,
            (Set{"documents.create", "documents.update", "documents.archive", "feedback.handle",
                 "policies.read", "reports.read", "feedback.submit", "retention.read",
                 "retention.propose"}));
  EXPECT_EQ(set.role("reviewer")->permissions,
            (Set{"documents.review", "documents.publish", "feedback.handle", "policies.read",
                 "reports.read", "feedback.submit", "retention.read", "retention.approve"}));
  EXPECT_EQ(set.role("inspector")->permissions,
            (Set{"audit.read", "policies.read", "reports.read", "archives.read", "feedback.read",
                 "retention.read", "holds.manage"}));
  EXPECT_EQ(set.role("committee")->permissions,
            (Set{"audit.read", "archives.read", "archives.build", "archives.receive",
                 "policies.read", "reports.read", "feedback.read"}));
  EXPECT_EQ(set.role("member")->permissions, (Set{"feedback.submit", "policies.read"}));
  EXPECT_EQ(set.role("public")->permissions, (Set{"feedback.submit"}));
  EXPECT_EQ(set.role("archivist")->name, "档案员");
  EXPECT_EQ(set.role("archivist")->code, "archivist");
  for (const auto& [code, role] : set.roles) {
    EXPECT_EQ(role.unit_bound, code == "archivist" || code == "reviewer") << code;
    EXPECT_FALSE(role.name.empty());
  }
  EXPECT_EQ(set.role("nobody"), nullptr);

  ASSERT_EQ(set.visibility.size(), 7u);
  const Set allScopes(std::begin(kScopes), std::end(kScopes));
  const Set allStatuses(std::begin(kStatuses), std::end(kStatuses));
  const auto ruleFor = [&](const std::string& code) -> const VisibilityRule& {
    for (const auto& rule : set.visibility) {
      if (std::find(rule.roles.begin(), rule.roles.end(), code) != rule.roles.end()) return rule;
    }
    ADD_FAILURE() << "no rule for " << code;
    return set.visibility.front();
  };
  EXPECT_EQ(ruleFor("public").scopes, (Set{"public"}));
  EXPECT_EQ(ruleFor("public").statuses, (Set{"published", "archived"}));
  EXPECT_FALSE(ruleFor("public").units_own);
  EXPECT_EQ(ruleFor("member").scopes, (Set{"public", "internal"}));
  EXPECT_EQ(ruleFor("committee").statuses, (Set{"published", "archived"}));
  for (const char* code : {"archivist", "reviewer", "inspector", "admin"}) {
    EXPECT_EQ(ruleFor(code).scopes, allScopes) << code;
    EXPECT_EQ(ruleFor(code).statuses, allStatuses) << code;
    EXPECT_EQ(ruleFor(code).units_own,
              std::string(code) == "archivist" || std::string(code) == "reviewer");
  }

  EXPECT_EQ(set.archive.fonds_code, "J001");
  EXPECT_EQ(set.archive.receiving_organization, "中共连云港市卫生健康委员会委员会");
  EXPECT_EQ(set.archive.reference_code_pattern, "{fonds}-{year}-{retention}-{category}-{item:4}");
  EXPECT_EQ(set.time_limits.feedback_working_days, 10);
  EXPECT_EQ(set.time_limits.feedback_extension_working_days, 10);
  EXPECT_EQ(set.time_limits.request_acknowledge_working_days, 3);
  EXPECT_EQ(set.time_limits.request_working_days, 20);
  EXPECT_EQ(set.time_limits.request_extension_working_days, 20);
  EXPECT_EQ(set.time_limits.due_soon_working_days, 3);
  ASSERT_GE(set.time_limits.refusal_reasons.size(), 4u);
  EXPECT_EQ(set.time_limits.refusal_reasons[0], "涉及党和国家秘密");
  EXPECT_EQ(set.calendar.firstYear(), 2024);
  EXPECT_EQ(set.calendar.lastYear(), 2026);
}

TEST(PolicySet, ByteOrderMarkAndCrLfAreAccepted) {
  PolicyCopy copy;
  std::string roles = copy.text("roles.json");
  std::string crlf;
  for (char c : roles) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  copy.write("roles.json", "\xEF\xBB\xBF" + crlf);
  ASSERT_TRUE(PolicySet::loadFolder(copy.path()).ok()) << copy.error();
  // Lines still count right with CRLF.
  const int line =
      copy.replace("roles.json", "\"reviewer\"", "\"documents.publish\"", "\"documents.publsh\"");
  expectError(copy, "roles.json", line, "roles.reviewer.permissions[1]",
              "unknown permission) \"documents.publsh\"");
}

TEST(PolicySet, RefusesAnUnknownPermission) {
  PolicyCopy copy;
  const int line =
      copy.replace("roles.json", "\"archivist\"", "\"documents.archive\"", "\"documents.fly\"");
  expectError(copy, "roles.json", line, "roles.archivist.permissions[2]",
              "未知权限 (unknown permission) \"documents.fly\"");
}

TEST(PolicySet, RefusesAPermissionListedTwice) {
  PolicyCopy copy;
  const int line =
      copy.replace("roles.json", "\"member\"", "\"policies.read\"", "\"feedback.submit\"");
  expectError(copy, "roles.json", line, "roles.member.permissions[1]", "duplicate permission");
}

TEST(PolicySet, RefusesUnknownKeysWithASuggestion) {
  {
    PolicyCopy copy;
    const int line = copy.replace("roles.json", "\"reviewer\"", "\"unit_bound\"", "\"unit_bund\"");
    expectError(copy, "roles.json", line, "roles.reviewer.unit_bund",
                "未知字段 (unknown key) \"unit_bund\"；是否应为 (did you mean) \"unit_bound\"?");
  }
  {
    PolicyCopy copy;
    const int line =
        copy.replace("time_limits.json", "\"answer_working_days\"", "\"answer_workingdays\"");
    expectError(copy, "time_limits.json", line, "feedback.answer_workingdays",
                "\"answer_working_days\"");
  }
  {
    PolicyCopy copy;
    const int line =
        copy.replace("visibility.json", "\"units\": \"any\"", "\"units\": \"any\", \"colour\": 1");
    expectError(copy, "visibility.json", line, "rules[0].colour", "unknown key");
  }
  {
    PolicyCopy copy;  // categories.json: checked here, not by CategoryCatalogue
    const int line = copy.replace("categories.json", "\"items\"", "\"itmes\"");
    expectError(copy, "categories.json", line, "categories[0].itmes", "\"items\"");
  }
}

TEST(PolicySet, RefusesAMissingKeyOrRole) {
  {
    PolicyCopy copy;
    copy.replace("roles.json", "\"committee\": {", "\"committee_x\": {");
    const int rolesLine =
        lineAt(copy.text("roles.json"), copy.text("roles.json").find("\"roles\""));
    expectError(copy, "roles.json", rolesLine, "roles.committee", "required role missing");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("roles.json", "\"member\"", "\"name\": \"党员\",", "");
    expectError(copy, "roles.json", line - 1, "roles.member.name", "required key missing");
  }
}

TEST(PolicySet, RefusesAUnitBoundPublicRole) {
  PolicyCopy copy;
  const int line =
      copy.replace("roles.json", "\"public\": {", "\"unit_bound\": false", "\"unit_bound\": true");
  expectError(copy, "roles.json", line, "roles.public.unit_bound",
              "public role cannot be unit-bound");
}

TEST(PolicySet, RefusesABadRoleCodeOrName) {
  {
    PolicyCopy copy;
    const int line = copy.replace("roles.json", "\"member\": {", "\"Member\": {");
    expectError(copy, "roles.json", line, "roles.Member", "role code");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("roles.json", "\"name\": \"党员\"", "\"name\": \"\"");
    expectError(copy, "roles.json", line, "roles.member.name", "must not be empty");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("roles.json", "\"unit_bound\": false", "\"unit_bound\": \"no\"");
    expectError(copy, "roles.json", line, "roles.admin.unit_bound",
                "(must be true or false, not a string)");
  }
}

TEST(PolicySet, RefusesVisibilityNamingUnknownRolesScopesOrStatuses) {
  {
    PolicyCopy copy;
    const int line = copy.replace("visibility.json", "[\"committee\"]", "[\"committe\"]");
    expectError(copy, "visibility.json", line, "rules[2].roles[0]",
                "未知角色 (unknown role) \"committe\"");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("visibility.json", "[\"member\"]", "\"internal\"", "\"secret\"");
    expectError(copy, "visibility.json", line, "rules[1].scopes[1]", "unknown scope) \"secret\"");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("visibility.json", "\"archived\"", "\"archivd\"");
    expectError(copy, "visibility.json", line, "rules[0].statuses[1]",
                "unknown status) \"archivd\"");
  }
  {
    PolicyCopy copy;
    const int line =
        copy.replace("visibility.json", "[\"admin\"]", "[\"*\"]", "[\"*\", \"draft\"]");
    expectError(copy, "visibility.json", line, "rules[6].scopes[0]", "must stand alone");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("visibility.json", "\"units\": \"any\"", "\"units\": \"all\"");
    expectError(copy, "visibility.json", line, "rules[0].units", "\"any\" or \"own\"");
  }
  {
    PolicyCopy copy;
    const int line = copy.replace("visibility.json", "\"rules\": [", "\"rules\": [],\"x\": [");
    expectError(copy, "visibility.json", line, "x", "unknown key");
  }
}

TEST(PolicySet, RefusesOwnUnitsForARoleNotBoundToUnits) {
  PolicyCopy copy;
  const int line = copy.replace("visibility.json", "[\"inspector\"]", "\"units\": \"any\"",
                                "\"units\": \"own\"");
  expectError(copy, "visibility.json", line, "rules[5].units",
              "role \"inspector\" is not unit-bound");
}

TEST(PolicySet, RefusesABadFondsCodeOrPattern) {
  for (const char* fonds : {"j001", "", "J-001", "J0010000000000000"}) {
    PolicyCopy copy;
    const int line = copy.replace("archive.json", "\"J001\"", std::string("\"") + fonds + "\"");
    expectError(copy, "archive.json", line, "fonds_code", "fonds_code: ");
  }
  const std::pair<const char*, const char*> patterns[] = {
      {"{fonds}-{year}-{retention}-{category}", "placeholder missing) {item}"},
      {"{fonds}-{year}-{retention}-{category}-{item:7}", "width of {item} must be 1 to 6"},
      {"{fonds}-{year}-{retention}-{category}-{item:0}", "width of {item} must be 1 to 6"},
      {"{fonds}-{year}-{retention}-{category}-{item}-{item}", "more than once"},
      {"{fonds}-{year}-{retention}-{category}-{item}-{unit}", "unknown placeholder) {unit}"},
      {"{fonds}-{year:2}-{retention}-{category}-{item}", "only {item} takes a width"},
      {"{fonds}/{year}-{retention}-{category}-{item}", "only placeholders"},
      {"{fonds}-{year}-{retention}-{category}-{item", "'{' without '}'"},
  };
  for (const auto& [pattern, what] : patterns) {
    PolicyCopy copy;
    const int line =
        copy.replace("archive.json", "\"{fonds}-{year}-{retention}-{category}-{item:4}\"",
                     std::string("\"") + pattern + "\"");
    expectError(copy, "archive.json", line, "reference_code_pattern", what);
  }
  PolicyCopy copy;
  copy.replace("archive.json", "{item:4}", "{item:6}");
  EXPECT_TRUE(PolicySet::loadFolder(copy.path()).ok());
}

TEST(PolicySet, BundlesHandOverTheWholeRecordAndThePolicySaysSo) {
  auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().archive.bundle_contents, "whole_record");
  // Anything else (filtering by what the committee may see) is not what this system does:
  // refused at load rather than silently ignored.
  PolicyCopy copy;
  const int line = copy.replace("archive.json", "\"whole_record\"", "\"visible_only\"");
  expectError(copy, "archive.json", line, "bundle_contents", "whole_record");
  PolicyCopy missing;
  missing.replace("archive.json", "\"bundle_contents\": \"whole_record\"", "\"x_note\": \"\"");
  EXPECT_FALSE(PolicySet::loadFolder(missing.path()).ok());
}

TEST(PolicySet, RefusesBadTimeLimits) {
  const std::tuple<const char*, const char*, const char*, const char*> cases[] = {
      {"\"due_soon_working_days\": 3", "\"due_soon_working_days\": -1", "due_soon_working_days",
       "must be within 0 .. 365"},
      {"\"answer_working_days\": 10", "\"answer_working_days\": 0", "feedback.answer_working_days",
       "must be within 1 .. 365"},
      {"\"decide_working_days\": 20", "\"decide_working_days\": 366",
       "on_request.decide_working_days", "within 1 .. 365"},
      {"\"decide_working_days\": 20", "\"decide_working_days\": 1e40",
       "on_request.decide_working_days", "within 1 .. 365"},
      {"\"extension_working_days\": 20", "\"extension_working_days\": 2.5",
       "on_request.extension_working_days", "must be an integer, not a number"},
      {"\"acknowledge_working_days\": 3", "\"acknowledge_working_days\": \"3\"",
       "on_request.acknowledge_working_days", "must be an integer, not a string"},
      {"\"涉及个人隐私\"", "\"涉及党和国家秘密\"", "on_request.refusal_reasons[1]",
       "duplicate reason"},
      {"\"涉及个人隐私\"", "\"\"", "on_request.refusal_reasons[1]", "must not be empty"},
  };
  for (const auto& [from, to, field, what] : cases) {
    PolicyCopy copy;
    const int line = copy.replace("time_limits.json", from, to);
    expectError(copy, "time_limits.json", line, field, what);
  }
}

TEST(PolicySet, RefusesBadCalendarDates) {
  const std::tuple<const char*, const char*, const char*, const char*> cases[] = {
      {"\"2025-01-01\"", "\"2025-02-30\"", "years.2025.holidays[0]", "not a real date"},
      {"\"2025-01-01\"", "\"2025-1-1\"", "years.2025.holidays[0]", "not a real date"},
      {"\"2024-01-01\"", "\"2025-01-01\"", "years.2024.holidays[0]", "not in year 2024"},
      {"\"2025-01-26\"", "\"2025-01-27\"", "years.2025.workdays[0]",
       "must be a Saturday or Sunday"},
      {"\"2025-04-27\"", "\"2025-04-05\"", "years.2025.workdays[2]",
       "both as holiday and as working day"},
      {"\"2025-01-29\"", "\"2025-01-28\"", "years.2025.holidays[2]", "duplicate date"},
      {"\"2026\": {", "\"2O26\": {", "years.2O26", "four digits"},
  };
  for (const auto& [from, to, field, what] : cases) {
    PolicyCopy copy;
    const int line = copy.replace("calendar.json", from, to);
    expectError(copy, "calendar.json", line, field, what);
  }
  PolicyCopy copy;
  copy.write("calendar.json",
             "{\n  \"years\": {\n    \"2024\": {\"holidays\": [], \"workdays\": []},\n"
             "    \"2026\": {\"holidays\": [], \"workdays\": []}\n  }\n}\n");
  expectError(copy, "calendar.json", 2, "years.2025", "consecutive");
  copy.write("calendar.json", "{\"years\": {\"2025\": {\"holidays\": []}}}");
  expectError(copy, "calendar.json", 1, "years.2025.workdays", "required key missing");
}

TEST(PolicySet, SyntaxErrorsGiveTheLine) {
  const std::tuple<const char*, std::string, int, const char*> cases[] = {
      {"archive.json", "{\n  \"fonds_code\": \"J001\"\n  \"reference_code_pattern\": \"x\"\n}\n", 3,
       "expected ',' or '}'"},
      {"archive.json", "{\n  \"fonds_code\": \"J001\",\n}\n", 3, "trailing comma"},
      {"archive.json", "{\"fonds_code\": \"J001\"}\n\n{}", 3, "trailing characters"},
      {"archive.json", "{\n\"fonds_code\": \"J001\n\"}", 2, "control character in string"},
      {"archive.json", "{\n\"fonds_code\": 01}", 2, "leading zero"},
      {"archive.json", "{\n\"fonds_code\": tru}", 2, "expected a value, found 't'"},
      {"archive.json", "{\n\"fonds_code\": \"\\x\"}", 2, "invalid escape: \\ followed by 'x'"},
      {"archive.json", "// comment\n{}", 1, "syntax error"},
      {"archive.json", "{\"a\": \"\n", 1, "control character"},
      {"archive.json", "{\"a\": \"", 1, "unterminated string"},
      {"time_limits.json", "{\n  \"due_soon_working_days\": 3,\n  \"due_soon_working_days\": 4\n}",
       3, "重复的键 (duplicate key) \"due_soon_working_days\""},
      {"roles.json", "{\n  \"roles\": {\n    \"admin\": {\"name\": \"\xE7\xAE\xA1\xFF\"}\n  }\n}",
       3, "invalid UTF-8"},
      {"roles.json", "{\n\n \"x\": \"\xC0\xAF\"}", 3, "invalid UTF-8"},    // overlong '/'
      {"roles.json", "{\n \"x\": \"\xED\xA0\x80\"}", 2, "invalid UTF-8"},  // encoded surrogate
      {"roles.json", "{\n \"x\": \"\xE6\xA1\"}", 2, "invalid UTF-8"},      // cut short
      {"roles.json", "{\n \"x\": \"\\ud800\"}", 2, "lone surrogate"},
      {"roles.json", "{\n \"x\": \"\\udc00\\ud800\"}", 2, "lone surrogate"},
      {"visibility.json", "", 1, "file is empty"},
      {"visibility.json", "\n\n  \n", 4, "file is empty"},
      {"visibility.json", "[]", 1, "top level must be an object"},
      {"visibility.json", std::string(33, '[') + std::string(33, ']'), 1, "nested deeper than 32"},
  };
  for (const auto& [file, text, line, what] : cases) {
    PolicyCopy copy;
    copy.write(file, text);
    expectError(copy, file, line, "", what);
  }
  // 32 levels are fine as far as the parser is concerned (the layout check then refuses it).
  PolicyCopy copy;
  copy.write("visibility.json", "{\"rules\": " + std::string(31, '[') + std::string(31, ']') + "}");
  expectError(copy, "visibility.json", 1, "rules[0]", "must be an object, not an array");
}

TEST(PolicySet, StringsDecodeEscapes) {
  PolicyCopy copy;
  // "公众" written as escapes, and a surrogate pair that is valid.
  copy.replace("roles.json", "\"name\": \"公众\"", "\"name\": \"\\u516c\\u4f17\\ud83d\\ude00\"");
  auto loaded = PolicySet::loadFolder(copy.path());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded.value().role("public")->name, "公众\xF0\x9F\x98\x80");
}

TEST(PolicySet, RefusesMissingDirectoryOrHugeFiles) {
  {
    PolicyCopy copy;
    std::filesystem::remove(copy.path() + "/archive.json");
    const std::string message = copy.error();
    EXPECT_EQ(message.substr(0, kPrefix.size() + 14), kPrefix + "archive.json: ") << message;
    EXPECT_NE(message.find("file missing"), std::string::npos) << message;
  }
  {
    PolicyCopy copy;
    std::filesystem::remove(copy.path() + "/calendar.json");
    std::filesystem::create_directory(copy.path() + "/calendar.json");
    const std::string message = copy.error();
    EXPECT_EQ(message.substr(0, kPrefix.size() + 15), kPrefix + "calendar.json: ") << message;
    EXPECT_NE(message.find("is a directory"), std::string::npos) << message;
  }
  {
    PolicyCopy copy;
    copy.write("roles.json", std::string(1024 * 1024, ' ') + "{}");
    const std::string message = copy.error();
    EXPECT_NE(message.find("roles.json: "), std::string::npos) << message;
    EXPECT_NE(message.find("larger than 1 MiB"), std::string::npos) << message;
  }
  auto missing = PolicySet::loadFolder("/nonexistent/policies");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().reason, "policy_invalid");
  EXPECT_NE(missing.error().message.find("/nonexistent/policies"), std::string::npos);
}

TEST(PolicySet, CategoryErrorsAreMappedToLines) {
  PolicyCopy copy;
  const int line = copy.replace("categories.json", "\"SX\"", "\"default_retention\": \"D30\"",
                                "\"default_retention\": \"D31\"");
  expectError(copy, "categories.json", line, "categories[1].default_retention",
              "must be Y, D30 or D10");
  copy.write(
      "categories.json",
      "{\"categories\": [\n{\"code\": \"ZZ\", \"name\": \"x\", \"default_retention\": \"Y\"},\n"
      "{\"code\": \"ZZ\", \"name\": \"y\", \"default_retention\": \"Y\"}]}");
  expectError(copy, "categories.json", 3, "categories[1].code", "duplicate code");
}

// --- the working-day calendar -----------------------------------------------------------

class Calendar : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = PolicySet::loadFolder(GONGKAI_POLICY_DIR);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    calendar_ = new WorkingCalendar(loaded.value().calendar);
  }
  static void TearDownTestSuite() { delete calendar_; }
  static const WorkingCalendar& cal() { return *calendar_; }
  static WorkingCalendar* calendar_;
};
WorkingCalendar* Calendar::calendar_ = nullptr;

TEST_F(Calendar, SkipsTheWeekend) {
  EXPECT_TRUE(cal().isWorkingDay(date(2025, 3, 7)));   // Friday
  EXPECT_FALSE(cal().isWorkingDay(date(2025, 3, 8)));  // Saturday
  EXPECT_FALSE(cal().isWorkingDay(date(2025, 3, 9)));  // Sunday
  EXPECT_EQ(cal().addWorkingDays(date(2025, 3, 7), 1), date(2025, 3, 10));
  EXPECT_EQ(cal().addWorkingDays(date(2025, 3, 8), 1), date(2025, 3, 10));
  EXPECT_EQ(cal().addWorkingDays(date(2025, 3, 7), 6), date(2025, 3, 17));
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 3, 7), date(2025, 3, 10)), 1);
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 3, 7), date(2025, 3, 9)), 0);
}

TEST_F(Calendar, NationalDay2025WithItsAdjustedSaturday) {
  EXPECT_TRUE(cal().isWorkingDay(date(2025, 9, 28)));  // Sunday, 调休上班
  for (int day = 1; day <= 8; ++day) EXPECT_FALSE(cal().isWorkingDay(date(2025, 10, day))) << day;
  EXPECT_TRUE(cal().isWorkingDay(date(2025, 10, 11)));  // Saturday, 调休上班
  EXPECT_FALSE(cal().isWorkingDay(date(2025, 10, 12)));
  const core::Date friday = date(2025, 9, 26);
  const core::Date expected[] = {date(2025, 9, 28),  date(2025, 9, 29),  date(2025, 9, 30),
                                 date(2025, 10, 9),  date(2025, 10, 10), date(2025, 10, 11),
                                 date(2025, 10, 13), date(2025, 10, 14), date(2025, 10, 15),
                                 date(2025, 10, 16)};
  for (int n = 1; n <= 10; ++n) EXPECT_EQ(cal().addWorkingDays(friday, n), expected[n - 1]) << n;
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 9, 30), date(2025, 10, 9)), 1);
  EXPECT_EQ(cal().workingDaysBetween(friday, date(2025, 10, 13)), 7);
}

TEST_F(Calendar, AcrossNewYear2025To2026) {
  EXPECT_FALSE(cal().isWorkingDay(date(2026, 1, 1)));
  EXPECT_FALSE(cal().isWorkingDay(date(2026, 1, 2)));
  EXPECT_TRUE(cal().isWorkingDay(date(2026, 1, 4)));  // Sunday, 调休上班
  EXPECT_EQ(cal().addWorkingDays(date(2025, 12, 31), 1), date(2026, 1, 4));
  EXPECT_EQ(cal().addWorkingDays(date(2025, 12, 31), 2), date(2026, 1, 5));
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 12, 30), date(2026, 1, 5)), 3);
  EXPECT_EQ(cal().workingDaysBetween(date(2026, 1, 5), date(2025, 12, 30)), -3);
}

TEST_F(Calendar, ZeroDaysAndBothDirections) {
  for (const core::Date& day : {date(2025, 10, 1), date(2025, 3, 8), date(2025, 3, 7)}) {
    EXPECT_EQ(cal().addWorkingDays(day, 0), day);
    EXPECT_EQ(cal().workingDaysBetween(day, day), 0);
  }
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 9, 26), date(2025, 10, 13)), 7);
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 10, 13), date(2025, 9, 26)), -7);
  EXPECT_EQ(cal().addWorkingDays(date(2025, 10, 13), -7), date(2025, 9, 26));
}

TEST_F(Calendar, WholeYearsMatchTheNotices) {
  // 366 - 104 weekend days - 19 weekday holidays + 8 adjusted working days.
  EXPECT_EQ(cal().workingDaysBetween(date(2023, 12, 31), date(2024, 12, 31)), 251);
  EXPECT_EQ(cal().workingDaysBetween(date(2024, 12, 31), date(2025, 12, 31)), 248);
  EXPECT_EQ(cal().workingDaysBetween(date(2025, 12, 31), date(2026, 12, 31)), 248);
  // Outside the listed years only weekends are known.
  EXPECT_TRUE(cal().isWorkingDay(date(2030, 1, 1)));
  EXPECT_EQ(cal().workingDaysBetween(date(2029, 12, 31), date(2030, 12, 31)), 261);
}

TEST_F(Calendar, ArithmeticAgreesWithCountingDayByDay) {
  // Every pair of days from 2023-12-25 to 2027-01-10 a prime stride apart, counted by hand.
  std::vector<core::Date> days;
  for (int year = 2023; year <= 2027; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        if (const auto parsed = core::parseDate(date(year, month, day).toString())) {
          if (*parsed >= date(2023, 12, 25) && *parsed <= date(2027, 1, 10))
            days.push_back(*parsed);
        }
      }
    }
  }
  std::vector<int> prefix(days.size(), 0);  // working days in (days[0], days[i]]
  for (std::size_t i = 1; i < days.size(); ++i)
    prefix[i] = prefix[i - 1] + cal().isWorkingDay(days[i]);
  for (std::size_t i = 0; i < days.size(); i += 7) {
    for (std::size_t j = 0; j < days.size(); j += 13) {
      ASSERT_EQ(cal().workingDaysBetween(days[i], days[j]), prefix[j] - prefix[i])
          << days[i].toString() << " .. " << days[j].toString();
    }
  }
  for (std::size_t i = 0; i + 400 < days.size(); i += 11) {
    for (int n : {1, 2, 5, 10, 20, 40}) {
      const core::Date due = cal().addWorkingDays(days[i], n);
      EXPECT_TRUE(cal().isWorkingDay(due));
      EXPECT_EQ(cal().workingDaysBetween(days[i], due), n) << days[i].toString() << " + " << n;
    }
  }
}

TEST(WorkingCalendar, HandMadeAndDegenerate) {
  const WorkingCalendar calendar({date(2030, 1, 1)}, {date(2030, 1, 5)}, 2030, 2030);
  EXPECT_FALSE(calendar.isWorkingDay(date(2030, 1, 1)));  // Tuesday holiday
  EXPECT_TRUE(calendar.isWorkingDay(date(2030, 1, 5)));   // Saturday workday
  EXPECT_EQ(calendar.addWorkingDays(date(2029, 12, 31), 1), date(2030, 1, 2));
  EXPECT_EQ(calendar.workingDaysBetween(date(2029, 12, 31), date(2030, 1, 6)), 4);
  EXPECT_EQ(calendar.firstYear(), 2030);
  // Not a date: left alone rather than looping or crashing.
  EXPECT_EQ(calendar.addWorkingDays(core::Date{}, 5), core::Date{});
  EXPECT_EQ(calendar.workingDaysBetween(core::Date{}, date(2030, 1, 6)), 0);
  EXPECT_FALSE(calendar.isWorkingDay(date(2030, 2, 30)));
  // Capped at 3650 working days.
  const WorkingCalendar plain;
  EXPECT_EQ(plain.addWorkingDays(date(2030, 1, 1), 1000000),
            plain.addWorkingDays(date(2030, 1, 1), 3650));
  EXPECT_EQ(
      plain.workingDaysBetween(date(2030, 1, 1), plain.addWorkingDays(date(2030, 1, 1), 3650)),
      3650);
}

}  // namespace
}  // namespace gongkai::policies
