#include "gongkai/indexer/spreadsheet.h"

#include <charconv>
#include <functional>
#include <map>
#include <optional>

#include "extract_detail.h"
#include "extract_xml.h"
#include "extract_zip.h"

namespace gongkai::indexer {
namespace {

using detail::Deadline;
using detail::XmlScanner;

// A workbook counting days from 1904 (old Mac Excel) is this many days behind the 1900 system.
constexpr int kDays1904 = 1462;

struct Workbook {
  std::string sheetPath;  // of the first sheet, inside the zip
  bool date1904 = false;
};

// The first <sheet> of xl/workbook.xml and where its relationship points.
Workbook findFirstSheet(const std::map<std::string, std::string>& parts, const Deadline& deadline) {
  Workbook book;
  const auto workbook = parts.find("xl/workbook.xml");
  if (workbook == parts.end()) detail::fail("malformed", "xl/workbook.xml missing");
  std::string relationId;
  XmlScanner xml(workbook->second, deadline);
  for (auto event = xml.next(); event != XmlScanner::Event::Done; event = xml.next()) {
    if (event != XmlScanner::Event::Start) continue;
    if (xml.name() == "workbookPr") {
      const std::string flag = xml.attribute("date1904");
      book.date1904 = flag == "1" || flag == "true";
    } else if (xml.name() == "sheet" && relationId.empty()) {
      relationId = xml.attribute("id");
    }
  }
  book.sheetPath = "xl/worksheets/sheet1.xml";
  const auto rels = parts.find("xl/_rels/workbook.xml.rels");
  if (relationId.empty() || rels == parts.end()) return book;
  XmlScanner relations(rels->second, deadline);
  for (auto event = relations.next(); event != XmlScanner::Event::Done; event = relations.next()) {
    if (event != XmlScanner::Event::Start || relations.name() != "Relationship" ||
        relations.attribute("Id") != relationId) {
      continue;
    }
    const std::string target = relations.attribute("Target");
    book.sheetPath = target.starts_with("/") ? target.substr(1) : "xl/" + target;
  }
  return book;
}

std::vector<std::string> readSharedStrings(std::string_view xmlText, const Deadline& deadline,
                                           const core::ImportTableLimits& limits) {
  std::vector<std::string> strings;
  if (xmlText.empty()) return strings;
  XmlScanner xml(xmlText, deadline);
  std::string current;
  int phonetic = 0;
  bool inText = false;
  for (auto event = xml.next(); event != XmlScanner::Event::Done; event = xml.next()) {
    if (event == XmlScanner::Event::Start) {
      if (xml.name() == "si") current.clear();
      if (xml.name() == "rPh") ++phonetic;
      if (xml.name() == "t") inText = phonetic == 0;
    } else if (event == XmlScanner::Event::End) {
      if (xml.name() == "si") strings.push_back(std::move(current));
      if (xml.name() == "rPh") --phonetic;
      if (xml.name() == "t") inText = false;
    } else if (inText) {
      current += xml.text();
      if (current.size() > limits.max_cell_bytes) {
        throw core::tableTooLarge(0,
                                  "共享字符串超过单元格上限 (a shared string is larger than "
                                  "the cell limit)");
      }
    }
  }
  return strings;
}

// "BC12" → 54 (0-based column); nullopt when the reference has no letters.
std::optional<std::size_t> columnOf(std::string_view reference) {
  std::size_t column = 0, letters = 0;
  for (const char c : reference) {
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + static_cast<std::size_t>(c - 'A' + 1);
    if (++letters > 3) return std::nullopt;
  }
  if (letters == 0) return std::nullopt;
  return column - 1;
}

std::int64_t numberOr(std::string_view text, std::int64_t otherwise) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value > 0 ? value : otherwise;
}

std::string toSerial1900(const std::string& number) {
  double serial = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), serial);
  if (ec != std::errc() || end != number.data() + number.size()) return number;
  return std::to_string(static_cast<std::int64_t>(serial) + kDays1904);
}

core::ImportTable readSheet(std::string_view xmlText, const std::vector<std::string>& shared,
                            bool date1904, const Deadline& deadline,
                            const core::ImportTableLimits& limits) {
  core::ImportTable table;
  XmlScanner xml(xmlText, deadline);
  core::ImportTableRow row;
  std::int64_t lastRow = 0;
  std::size_t nextColumn = 0;
  std::string type, value;
  std::optional<std::size_t> column;
  bool inValue = false, inInline = false;
  for (auto event = xml.next(); event != XmlScanner::Event::Done; event = xml.next()) {
    if (event == XmlScanner::Event::Start) {
      const std::string_view name = xml.name();
      if (name == "row") {
        row = core::ImportTableRow{};
        row.line = numberOr(xml.attribute("r"), lastRow + 1);
        lastRow = row.line;
        nextColumn = 0;
      } else if (name == "c") {
        type = xml.attribute("t");
        column = columnOf(xml.attribute("r"));
        if (!column) column = nextColumn;
        nextColumn = *column + 1;
        value.clear();
      } else if (name == "v") {
        inValue = true;
      } else if (name == "t" && type == "inlineStr") {
        inInline = true;
      }
      continue;
    }
    if (event == XmlScanner::Event::Text) {
      if (inValue || inInline) value += xml.text();
      if (value.size() > limits.max_cell_bytes) {
        throw core::tableTooLarge(row.line, "单元格超过 " + std::to_string(limits.max_cell_bytes) +
                                                " 字节 (a cell is larger than the limit)");
      }
      continue;
    }
    const std::string_view name = xml.name();
    if (name == "v") inValue = false;
    if (name == "t") inInline = false;
    if (name == "c" && column) {
      core::ImportCell cell;
      if (type == "s") {
        std::size_t at = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), at);
        if (ec != std::errc() || end != value.data() + value.size() || at >= shared.size()) {
          detail::fail("malformed", "shared string index out of range");
        }
        cell.text = shared[at];
      } else if (type == "b") {
        cell.text = value == "1" ? "TRUE" : "FALSE";
      } else if (type == "inlineStr" || type == "str" || type == "e") {
        cell.text = value;
      } else {
        cell.number = !value.empty();
        cell.text = date1904 && cell.number ? toSerial1900(value) : value;
      }
      if (cell.text.empty()) continue;
      if (*column >= limits.max_columns) {
        throw core::tableTooLarge(row.line, "列数超过上限 (too many columns)");
      }
      if (row.cells.size() <= *column) row.cells.resize(*column + 1);
      row.cells[*column] = std::move(cell);
    } else if (name == "row" && !row.cells.empty()) {
      table.rows.push_back(std::move(row));
      row = core::ImportTableRow{};
      if (table.rows.size() > limits.max_rows) {
        throw core::tableTooLarge(lastRow, "行数超过上限 (too many rows)");
      }
    }
  }
  return table;
}

}  // namespace

core::Result<core::ImportTable> readXlsxTable(std::string_view bytes,
                                              const core::ImportTableLimits& limits) {
  ExtractionLimits zipLimits;
  zipLimits.time_limit = std::chrono::seconds(60);
  const Deadline deadline(zipLimits.time_limit);
  try {
    std::map<std::string, std::string> parts;
    const auto keep = [&](const std::function<bool(const std::string&)>& wanted) {
      for (auto& [name, content] : detail::readZipEntries(bytes, wanted, zipLimits, deadline)) {
        parts[name] = std::move(content);
      }
    };
    keep([](const std::string& name) {
      return name == "xl/workbook.xml" || name == "xl/_rels/workbook.xml.rels" ||
             name == "xl/sharedStrings.xml";
    });
    const Workbook book = findFirstSheet(parts, deadline);
    keep([&](const std::string& name) { return name == book.sheetPath; });
    if (!parts.count(book.sheetPath)) {
      detail::fail("malformed", "the first worksheet (" + book.sheetPath + ") is missing");
    }
    const auto shared = readSharedStrings(parts["xl/sharedStrings.xml"], deadline, limits);
    return readSheet(parts[book.sheetPath], shared, book.date1904, deadline, limits);
  } catch (const core::Error& error) {
    return error;
  } catch (const detail::ExtractError& e) {
    const bool tooLarge = e.code() == "zip_bomb" || e.code() == "too_many_entries";
    return core::Error::make(
        tooLarge ? core::ErrorCode::kTooLarge : core::ErrorCode::kMalformed,
        tooLarge ? "catalogue_too_large" : "catalogue_xlsx",
        "XLSX 目录文件无法读取，请用 Excel 另存为 .xlsx 或 CSV (the XLSX catalogue cannot be "
        "read; save it again from Excel as .xlsx or CSV): " +
            std::string(e.what()));
  }
}

}  // namespace gongkai::indexer
