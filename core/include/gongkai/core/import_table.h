#pragma once

// The table of a legacy catalogue as a unit exports it from its old system, before any column
// means anything: CSV (RFC 4180) in UTF-8, with or without a byte order mark, or in GB18030 (which
// includes GBK and GB2312: what Chinese Excel writes by default). XLSX sheets are read into the
// same table by the indexer (indexer/spreadsheet.h), which has the zip and XML readers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::core {

struct ImportCell {
  std::string text;     // UTF-8, as written (a number cell: its decimal text, e.g. "45291")
  bool number = false;  // a spreadsheet number cell (a date there is an Excel serial)
};

struct ImportTableRow {
  std::int64_t line = 0;  // where it starts in the file: CSV line or spreadsheet row, from 1
  std::vector<ImportCell> cells;
};

// The first row is the header. Rows whose cells are all empty are left out.
struct ImportTable {
  std::vector<ImportTableRow> rows;
};

// What a catalogue may hold; more is refused (kTooLarge, reason "catalogue_too_large") before it
// costs more memory.
struct ImportTableLimits {
  std::size_t max_rows = 1'000'000;
  std::size_t max_columns = 64;
  std::size_t max_cell_bytes = 64 * 1024;
};

// The bytes of a CSV file as UTF-8: a UTF-8 BOM is dropped; valid UTF-8 is taken as it is;
// anything else must be valid GB18030, converted strictly by glibc's iconv. kMalformed (reason
// "catalogue_encoding") names the line of the first byte neither accepts, and says that other
// encodings (UTF-16, Big5) must be saved as UTF-8 or GBK first.
Result<std::string> decodeCatalogueText(std::string_view bytes);

// RFC 4180 records from UTF-8 text: fields separated by commas, records by CRLF or LF, double
// quotes around fields that hold commas, quotes or line breaks ("" for a quote). Lenient where
// exports are (a missing line break at the end, spaces kept as they are); strict where a
// misreading would shift columns: kMalformed (reason "catalogue_csv") for a quote inside an
// unquoted field, text after a closing quote, or a quoted field still open at the end, naming
// the line.
Result<ImportTable> parseCsvTable(std::string_view text, const ImportTableLimits& limits = {});

// The error a reader gives when a cell, a row or the table passes `limits` (kTooLarge, reason
// "catalogue_too_large"), naming the line; shared by the CSV and spreadsheet readers.
Error tableTooLarge(std::int64_t line, const std::string& what);

}  // namespace gongkai::core
