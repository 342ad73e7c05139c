#pragma once

// The first worksheet of an XLSX workbook (ECMA-376 SpreadsheetML) as a table of cells, for the
// import of legacy catalogues. It lives beside the office text extractors because it reads the
// same way: core's zip directory, libarchive to inflate within the extraction limits, and the
// indexer's XML scanner (no DTD, bounded nesting).

#include <string_view>

#include "gongkai/core/import_table.h"
#include "gongkai/core/result.h"

namespace gongkai::indexer {

// Cells of the workbook's first sheet: shared strings, inline strings, rich text (phonetic runs
// left out), booleans and numbers (number = true; a date cell is its serial day, moved to the
// 1900 system when the workbook counts from 1904). Rows keep the sheet's row numbers as `line`.
// kMalformed (reason "catalogue_xlsx") for a file that is no readable workbook, kTooLarge
// ("catalogue_too_large") past `limits` or when the zip expands too far (256 MiB, or 200 times an
// entry's compressed size).
core::Result<core::ImportTable> readXlsxTable(std::string_view bytes,
                                              const core::ImportTableLimits& limits = {});

}  // namespace gongkai::indexer
