#include "gongkai/core/import_catalogue.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <utility>

#include "gongkai/core/sha256.h"
#include "gongkai/core/text.h"
#include "gongkai/core/time.h"

namespace gongkai::core {
namespace {

enum class Column {
  kTitle,
  kDocNumber,
  kCategory,
  kOrgUnit,
  kIssuedAt,
  kScope,
  kRetention,
  kReferenceCode,
  kFiles,
  kMode,
  kPeriod,
  kSummary
};

struct ColumnName {
  Column column;
  const char* field;  // the API's name, used in problems
  std::array<const char*, 6> headers;
  bool required;
};

constexpr ColumnName kColumns[] = {
    {Column::kTitle, "title", {"标题", "题名", "title", "文件标题"}, true},
    {Column::kDocNumber,
     "doc_number",
     {"文号", "文件编号", "document_number", "doc_number"},
     false},
    {Column::kCategory, "category", {"类别", "公开类别", "category"}, true},
    {Column::kOrgUnit, "org_unit", {"单位", "单位代码", "org_unit", "unit"}, true},
    {Column::kIssuedAt, "issued_at", {"日期", "成文日期", "发文日期", "issued_at", "date"}, false},
    {Column::kScope, "scope", {"公开范围", "范围", "scope"}, true},
    {Column::kRetention, "retention", {"保管期限", "retention"}, false},
    {Column::kReferenceCode, "reference_code", {"档号", "reference_code"}, false},
    {Column::kFiles, "files", {"文件", "文件名", "附件", "files", "file"}, false},
    {Column::kMode, "mode", {"公开方式", "mode"}, false},
    {Column::kPeriod, "period", {"公开时限", "period"}, false},
    {Column::kSummary, "summary", {"摘要", "summary"}, false},
};

// Values as legacy systems write them, to the API's codes.
const std::map<std::string, std::string, std::less<>> kScopes = {
    {"public", "public"},         {"公开", "public"},       {"党外公开", "public"},
    {"社会公开", "public"},       {"对外公开", "public"},   {"internal", "internal"},
    {"党内公开", "internal"},     {"内部", "internal"},     {"内部公开", "internal"},
    {"restricted", "restricted"}, {"不公开", "restricted"}, {"不宜公开", "restricted"},
    {"不予公开", "restricted"},   {"限制", "restricted"}};
const std::map<std::string, std::string, std::less<>> kRetentions = {
    {"Y", "Y"},      {"永久", "Y"},  {"D30", "D30"},      {"定期30年", "D30"},
    {"30年", "D30"}, {"D10", "D10"}, {"定期10年", "D10"}, {"10年", "D10"}};
const std::map<std::string, std::string, std::less<>> kModes = {
    {"statutory", "statutory"}, {"法定公开", "statutory"},    {"proactive", "proactive"},
    {"主动公开", "proactive"},  {"on_request", "on_request"}, {"依申请公开", "on_request"}};
const std::map<std::string, std::string, std::less<>> kPeriods = {
    {"standing", "standing"},   {"长期公开", "standing"}, {"periodic", "periodic"},
    {"定期公开", "periodic"},   {"staged", "staged"},     {"逐段公开", "staged"},
    {"immediate", "immediate"}, {"及时公开", "immediate"}};

// Spaces, tabs and the ideographic space around a cell are not part of it.
std::string trimmed(std::string_view text) {
  const auto isSpace = [&](std::size_t at) {
    if (text.substr(at, 3) == "\xE3\x80\x80") return 3;  // U+3000
    const char c = text[at];
    return (c == ' ' || c == '\t' || c == '\r' || c == '\n') ? 1 : 0;
  };
  std::size_t begin = 0;
  while (begin < text.size() && isSpace(begin) > 0) begin += isSpace(begin);
  std::size_t end = text.size();
  while (end > begin) {
    if (end >= begin + 3 && text.substr(end - 3, 3) == "\xE3\x80\x80") {
      end -= 3;
    } else if (const char c = text[end - 1]; c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      --end;
    } else {
      break;
    }
  }
  return std::string(text.substr(begin, end - begin));
}

std::string asciiLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::optional<Column> columnOf(const std::string& header) {
  const std::string key = asciiLower(header);
  for (const auto& column : kColumns) {
    for (const char* name : column.headers) {
      if (name != nullptr && key == name) return column.column;
    }
  }
  return std::nullopt;
}

const ColumnName& nameOf(Column column) {
  return *std::find_if(std::begin(kColumns), std::end(kColumns),
                       [&](const ColumnName& c) { return c.column == column; });
}

// The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
Date civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date{static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

// Digits only, as an int; nullopt for anything else.
std::optional<int> number(std::string_view text) {
  int value = 0;
  if (text.empty() || text.size() > 9) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::string> dateOf(const std::string& y, const std::string& m,
                                  const std::string& d) {
  const auto year = number(y), month = number(m), day = number(d);
  if (!year || !month || !day || y.size() != 4 || m.size() > 2 || d.size() > 2) {
    return std::nullopt;
  }
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", *year, *month, *day);
  if (!parseDate(text)) return std::nullopt;  // a day that does not exist
  return std::string(text);
}

RowProblem problem(std::int64_t line, Column column, std::string code, const std::string& zh,
                   const std::string& en) {
  const std::string prefix = "第 " + std::to_string(line) + " 行 " + nameOf(column).headers[0];
  return {line, nameOf(column).field, std::move(code),
          prefix + "：" + zh + " (line " + std::to_string(line) + ", " + nameOf(column).field +
              ": " + en + ")"};
}

}  // namespace

std::string importRowKey(const ImportRow& row) {
  Sha256 hash;
  for (const std::string* value :
       {&row.title, &row.doc_number, &row.category, &row.org_unit, &row.issued_at, &row.scope,
        &row.retention, &row.reference_code, &row.mode, &row.period, &row.summary}) {
    hash.update(*value);
    hash.update(std::string_view("\x1f", 1));  // a unit separator no value holds
  }
  for (const std::string& file : row.files) {
    hash.update(file);
    hash.update(std::string_view("\x1e", 1));
  }
  return toHex(hash.finish());
}

std::optional<std::string> normaliseImportDate(const ImportCell& cell) {
  const std::string text = trimmed(cell.text);
  if (cell.number) {
    // Excel's 1900 system: serial 61 is 1900-03-01 (it counts a 29 February 1900 that never was).
    double serial = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), serial);
    if (ec != std::errc() || end != text.data() + text.size() || serial < 61 || serial >= 2958466) {
      return std::nullopt;
    }
    const Date date = civilFromDays(static_cast<std::int64_t>(serial) - 25569);
    if (!parseDate(date.toString())) return std::nullopt;
    return date.toString();
  }
  if (text.size() == 8 && number(text)) {
    return dateOf(text.substr(0, 4), text.substr(4, 2), text.substr(6, 2));
  }
  // 2023年1月6日, or year, month and day separated by one of "-", "/", ".".
  std::string normal = text;
  for (const std::string_view unit : {"年", "月"}) {
    for (auto at = normal.find(unit); at != std::string::npos; at = normal.find(unit)) {
      normal.replace(at, unit.size(), "-");
    }
  }
  if (normal.ends_with("日")) normal.resize(normal.size() - std::string_view("日").size());
  std::replace(normal.begin(), normal.end(), '/', '-');
  std::replace(normal.begin(), normal.end(), '.', '-');
  const auto first = normal.find('-');
  const auto second = first == std::string::npos ? first : normal.find('-', first + 1);
  if (second == std::string::npos) return std::nullopt;
  return dateOf(normal.substr(0, first), normal.substr(first + 1, second - first - 1),
                normal.substr(second + 1));
}

std::vector<std::string> splitImportFiles(std::string_view cell) {
  std::vector<std::string> files;
  std::string current;
  const auto flush = [&] {
    std::string name = trimmed(current);
    if (!name.empty()) files.push_back(std::move(name));
    current.clear();
  };
  for (std::size_t i = 0; i < cell.size();) {
    if (cell.substr(i, 3) == "\xEF\xBC\x9B") {  // U+FF1B fullwidth semicolon
      flush();
      i += 3;
    } else if (cell[i] == ';' || cell[i] == '\n') {
      flush();
      ++i;
    } else {
      current += cell[i++];
    }
  }
  flush();
  return files;
}

const char* importPathProblem(std::string_view path) {
  if (path.empty()) return "空文件名 (an empty file name)";
  if (path.front() == '/') return "不能使用绝对路径 (an absolute path)";
  if (path.find('\\') != std::string_view::npos) {
    return "路径中不能有反斜杠，请用 / 分隔目录 (a backslash; separate folders with /)";
  }
  if (path.size() > 4096) return "路径过长 (the path is too long)";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, slash - start);
    if (part == "..") return "路径不能跳出导入目录 (the path leaves the import folder)";
    if (part.empty() || part == ".") return "路径中有空的或 \".\" 目录名 (an empty or \".\" part)";
    if (const char* why = fileNameProblem(part)) return why;
    start = slash + 1;
  }
  return nullptr;
}

Result<ImportCatalogue> readImportCatalogue(const ImportTable& table) {
  if (table.rows.empty()) {
    return Error::make(ErrorCode::kInvalidArgument, "catalogue_columns",
                       "目录为空，第一行须为表头 (the catalogue is empty; its first row must name "
                       "the columns)");
  }
  ImportCatalogue catalogue;
  std::map<Column, std::size_t> at;
  const ImportTableRow& header = table.rows.front();
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string name = trimmed(header.cells[i].text);
    if (name.empty()) continue;
    const auto column = columnOf(name);
    if (!column) {
      catalogue.unknown_columns.push_back(name);
      continue;
    }
    if (!at.emplace(*column, i).second) {
      return Error::make(
          ErrorCode::kInvalidArgument, "catalogue_columns",
          "表头中 \"" + name + "\" 列重复 (the column \"" + name + "\" is named twice)");
    }
  }
  for (const auto& column : kColumns) {
    if (column.required && !at.count(column.column)) {
      return Error::make(ErrorCode::kInvalidArgument, "catalogue_columns",
                         std::string("表头缺少 \"") + column.headers[0] + "\" 列 (the column " +
                             column.field + " is missing; headers in Chinese or English)");
    }
  }
  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    const ImportTableRow& source = table.rows[r];
    const std::int64_t line = source.line;
    ++catalogue.row_count;
    const ImportCell empty;
    const auto cell = [&](Column column) -> const ImportCell& {
      const auto found = at.find(column);
      if (found == at.end() || found->second >= source.cells.size()) return empty;
      return source.cells[found->second];
    };
    const auto text = [&](Column column) { return trimmed(cell(column).text); };
    std::vector<RowProblem> problems;
    ImportRow row;
    row.line = line;
    const auto required = [&](Column column, std::string& into) {
      into = text(column);
      if (into.empty())
        problems.push_back(problem(line, column, "missing_field", "不能为空", "empty"));
    };
    const auto coded = [&](Column column, const auto& codes, std::string& into, const char* zh,
                           const char* en) {
      const std::string given = text(column);
      if (given.empty()) return;
      const auto found = codes.find(given);
      const auto foundLower = codes.find(asciiLower(given));
      if (found != codes.end()) {
        into = found->second;
      } else if (foundLower != codes.end()) {
        into = foundLower->second;
      } else {
        problems.push_back(problem(line, column, "invalid_value", std::string(zh) + "：" + given,
                                   std::string(en) + ": " + given));
      }
    };
    required(Column::kTitle, row.title);
    required(Column::kCategory, row.category);
    required(Column::kOrgUnit, row.org_unit);
    row.doc_number = text(Column::kDocNumber);
    row.reference_code = text(Column::kReferenceCode);
    row.summary = text(Column::kSummary);
    if (text(Column::kScope).empty()) {
      problems.push_back(problem(line, Column::kScope, "missing_field", "不能为空", "empty"));
    }
    coded(Column::kScope, kScopes, row.scope, "公开范围须为 公开、党内公开 或 不公开",
          "scope must be public, internal or restricted");
    coded(Column::kRetention, kRetentions, row.retention, "保管期限须为 永久、定期30年 或 定期10年",
          "retention must be Y, D30 or D10");
    coded(Column::kMode, kModes, row.mode, "公开方式无效",
          "mode must be statutory, proactive or on_request");
    coded(Column::kPeriod, kPeriods, row.period, "公开时限无效",
          "period must be standing, periodic, staged or immediate");
    if (!text(Column::kIssuedAt).empty()) {
      if (auto date = normaliseImportDate(cell(Column::kIssuedAt))) {
        row.issued_at = *date;
      } else {
        problems.push_back(problem(
            line, Column::kIssuedAt, "invalid_date", "日期无法识别：" + text(Column::kIssuedAt),
            "not a date (2023-01-06, 2023年1月6日): " + text(Column::kIssuedAt)));
      }
    }
    std::set<std::string> seen;
    for (std::string& file : splitImportFiles(cell(Column::kFiles).text)) {
      if (const char* why = importPathProblem(file)) {
        problems.push_back(problem(line, Column::kFiles, "invalid_path",
                                   std::string(why) + "：" + file, "refused path: " + file));
      } else if (!seen.insert(file).second) {
        problems.push_back(problem(line, Column::kFiles, "duplicate_file",
                                   "同一文件列了两次：" + file, "a file named twice: " + file));
      } else {
        row.files.push_back(std::move(file));
      }
    }
    if (problems.empty()) {
      catalogue.rows.push_back(std::move(row));
    } else {
      for (auto& p : problems) catalogue.problems.push_back(std::move(p));
    }
  }
  return catalogue;
}

}  // namespace gongkai::core
