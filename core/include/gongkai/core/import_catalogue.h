#pragma once

// The rows of a legacy catalogue (what a unit's old system exported beside its files): columns
// found by their Chinese or English headers in any order, each row's cells checked for what can
// be judged from the row alone. What needs the server's state (units, categories, the 档号
// already given, the files in the folder) is the importer's (server/service/import_service.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gongkai/core/import_table.h"
#include "gongkai/core/result.h"

namespace gongkai::core {

// One catalogue row as given, trimmed, with its values in the API's vocabulary: scope public /
// internal / restricted, retention Y / D30 / D10, dates YYYY-MM-DD. An optional column that is
// absent or empty stays empty.
struct ImportRow {
  std::int64_t line = 0;
  std::string title;
  std::string doc_number;  // 文号
  std::string category;
  std::string org_unit;
  std::string issued_at;
  std::string scope;
  std::string retention;
  std::string reference_code;  // 档号
  std::string mode;
  std::string period;
  std::string summary;
  std::vector<std::string> files;  // relative paths inside the import folder
};

// Why a row cannot be imported; `field` is the API's name of the column.
struct RowProblem {
  std::int64_t line = 0;
  std::string field;
  std::string code;
  std::string message;  // Chinese first
};

struct ImportCatalogue {
  std::vector<ImportRow> rows;               // the rows without a problem, in file order
  std::vector<RowProblem> problems;          // every problem of the other rows, in file order
  std::vector<std::string> unknown_columns;  // headers no column is known by, as written
  std::int64_t row_count = 0;                // data rows in all (good and bad)
};

// The columns and the headers each is known by (case and surrounding spaces ignored): 标题/title,
// 文号/document_number/doc_number, 类别/category, 单位/org_unit, 日期/issued_at, 公开范围/scope,
// 保管期限/retention, 档号/reference_code, 文件/files, and optionally 公开方式/mode,
// 公开时限/period, 摘要/summary. kInvalidArgument (reason "catalogue_columns") when a required
// column is missing or one is named twice.
Result<ImportCatalogue> readImportCatalogue(const ImportTable& table);

// What identifies a row across runs of an import: the SHA-256 of its values as read (so
// "2023/1/6" and "2023年1月6日" are one date), whatever its line. The same row in a catalogue
// corrected elsewhere, or reordered, has the same key; two rows with the same values have one.
std::string importRowKey(const ImportRow& row);

// A date as exports write it: 2023-01-06, 2023/1/6, 2023.1.6, 2023年1月6日, 20230106, or (from a
// spreadsheet number cell) an Excel serial day in the 1900 system; nullopt otherwise.
std::optional<std::string> normaliseImportDate(const ImportCell& cell);

// The file names of a files cell: separated by ";" "；" or a line break, each trimmed.
std::vector<std::string> splitImportFiles(std::string_view cell);

// Why a file path of a catalogue is refused, nullptr when it is a relative path that stays inside
// the import folder: no absolute path, no "..", "." or empty component, no backslash, and each
// component a valid file name (core::fileNameProblem).
const char* importPathProblem(std::string_view path);

}  // namespace gongkai::core
