#include "gongkai/core/import_table.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "gongkai/core/text.h"

namespace gongkai::core {
namespace {

std::int64_t lineAt(std::string_view bytes, std::size_t offset) {
  return 1 + std::count(bytes.begin(), bytes.begin() + std::min(offset, bytes.size()), '\n');
}

Error encodingError(std::string_view bytes, std::size_t offset) {
  return Error::make(ErrorCode::kMalformed, "catalogue_encoding",
                     "第 " + std::to_string(lineAt(bytes, offset)) +
                         " 行：目录文件既不是 UTF-8 也不是 GB18030/GBK 编码，请另存为 UTF-8 或 GBK "
                         "(line " +
                         std::to_string(lineAt(bytes, offset)) +
                         ": the catalogue is neither UTF-8 nor GB18030/GBK; save it as UTF-8 or "
                         "GBK, e.g. from Excel as \"CSV UTF-8\")");
}

// GB18030 to UTF-8, refusing the first invalid or incomplete sequence (iconv's EILSEQ/EINVAL)
// instead of replacing it, so a file in a third encoding is not imported as mojibake.
Result<std::string> fromGb18030(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Error::make(ErrorCode::kInternal, "iconv", "GB18030 conversion is not available");
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t inLeft = bytes.size();
  std::size_t written = 0;
  while (inLeft > 0) {
    char* outPtr = out.data() + written;
    std::size_t outLeft = out.size() - written;
    const std::size_t done = iconv(cd, &in, &inLeft, &outPtr, &outLeft);
    written = out.size() - outLeft;
    if (done != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    iconv_close(cd);
    return encodingError(bytes, bytes.size() - inLeft);
  }
  iconv_close(cd);
  out.resize(written);
  return out;
}

}  // namespace

Error tableTooLarge(std::int64_t line, const std::string& what) {
  return Error::make(ErrorCode::kTooLarge, "catalogue_too_large",
                     "第 " + std::to_string(line) + " 行：" + what);
}

Result<std::string> decodeCatalogueText(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return encodingError(bytes, 0);  // UTF-16 would "convert" as GB18030 into nonsense
  }
  if (isValidUtf8(bytes)) return std::string(bytes);
  return fromGb18030(bytes);
}

Result<ImportTable> parseCsvTable(std::string_view text, const ImportTableLimits& limits) {
  ImportTable table;
  ImportTableRow row;
  std::string field;
  std::int64_t line = 1;
  row.line = 1;
  std::size_t i = 0;
  const auto malformed = [&](const std::string& what) {
    return Error::make(ErrorCode::kMalformed, "catalogue_csv",
                       "第 " + std::to_string(line) + " 行：CSV 格式错误 (line " +
                           std::to_string(line) + ": malformed CSV: " + what + ")");
  };
  // Ends the field; false when it takes the row past the limits.
  const auto endField = [&]() -> bool {
    row.cells.push_back({std::move(field), false});
    field.clear();
    return row.cells.size() <= limits.max_columns;
  };
  const auto endRow = [&]() -> bool {
    const bool blank = std::all_of(row.cells.begin(), row.cells.end(),
                                   [](const ImportCell& c) { return c.text.empty(); });
    if (!blank) table.rows.push_back(std::move(row));
    row = ImportTableRow{};
    row.line = line;
    return table.rows.size() <= limits.max_rows;
  };
  while (i <= text.size()) {
    if (i < text.size() && text[i] == '"' && field.empty()) {
      // A quoted field: up to the quote that is not doubled.
      const std::int64_t opened = line;
      ++i;
      while (true) {
        if (i >= text.size()) {
          line = opened;
          return malformed("引号未闭合 (a quoted field is never closed)");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
        if (field.size() > limits.max_cell_bytes) {
          return tableTooLarge(opened, "单元格超过 " + std::to_string(limits.max_cell_bytes) +
                                           " 字节 (a cell is larger than the limit)");
        }
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return malformed("引号后还有内容 (text after a closing quote)");
      }
      continue;
    }
    if (i == text.size() || text[i] == '\n' ||
        (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      const bool atEnd = i == text.size();
      if (!atEnd || !field.empty() || !row.cells.empty()) {
        if (!endField()) return tableTooLarge(row.line, "列数超过上限 (too many columns)");
      }
      i += atEnd ? 1 : (text[i] == '\r' ? 2 : 1);
      if (!atEnd) ++line;
      if (!endRow()) return tableTooLarge(line, "行数超过上限 (too many rows)");
      continue;
    }
    if (text[i] == ',') {
      if (!endField()) return tableTooLarge(row.line, "列数超过上限 (too many columns)");
      ++i;
      continue;
    }
    if (text[i] == '"') return malformed("字段中间有引号 (a quote inside an unquoted field)");
    field += text[i++];
    if (field.size() > limits.max_cell_bytes) {
      return tableTooLarge(line, "单元格超过 " + std::to_string(limits.max_cell_bytes) +
                                     " 字节 (a cell is larger than the limit)");
    }
  }
  return table;
}

}  // namespace gongkai::core
