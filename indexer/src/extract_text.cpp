// Plain text in whatever encoding Chinese offices produce: UTF-8 (with or without BOM), UTF-16
// with BOM, and the GB family (GB2312 and GBK are subsets of GB18030).
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <memory>

#include "extract_detail.h"
#include "gongkai/core/text.h"

namespace gongkai::indexer::detail {
namespace {

struct Decoded {
  std::string utf8;
  std::size_t errors = 0;  // byte sequences replaced by U+FFFD
};

// Counts each illegal sequence, then substitutes U+FFFD as ICU would by default.
void countAndSubstitute(const void* context, UConverterToUnicodeArgs* args, const char* units,
                        int32_t length, UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR || reason == UCNV_UNASSIGNED) {
    ++*static_cast<std::size_t*>(const_cast<void*>(context));
    const UChar replacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, status);
  }
}

// Bytes in charset to UTF-8 with ICU; false only when ICU has no such converter.
bool convert(std::string_view bytes, const char* charset, Decoded& out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(charset, &status), ucnv_close);
  if (U_FAILURE(status)) return false;
  ucnv_setToUCallBack(conv.get(), countAndSubstitute, &out.errors, nullptr, nullptr, &status);
  // One UTF-16 unit per input byte is enough: no charset we use yields more (a four-byte GB18030
  // sequence makes at most a surrogate pair); replacements take one unit per bad byte at most.
  std::u16string units(bytes.size() + 1, u'\0');
  const int32_t length = ucnv_toUChars(conv.get(), units.data(), static_cast<int32_t>(units.size()),
                                       bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  int32_t needed = 0;
  if (U_SUCCESS(status)) u_strToUTF8(nullptr, 0, &needed, units.data(), length, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) status = U_ZERO_ERROR;  // the preflight's usual answer
  out.utf8.assign(static_cast<std::size_t>(needed), '\0');
  if (U_SUCCESS(status)) {
    u_strToUTF8WithSub(out.utf8.data(), needed, &needed, units.data(), length, 0xFFFD, nullptr,
                       &status);
  }
  if (U_FAILURE(status))
    fail("malformed",
         std::string("无法转换文本编码 (cannot convert text: ") + u_errorName(status) + ")");
  return true;
}

Decoded decodeAs(std::string_view bytes, const char* charset) {
  Decoded decoded;
  convert(bytes, charset, decoded);
  return decoded;
}

void checkSize(std::string_view bytes) {
  // ICU counts in int32_t.
  if (bytes.size() > 0x3FFFFFFF) fail("too_large", "文件过大 (file too large)");
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

void appendCodePoint(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  core::appendUtf8(out, cp);
}

std::string decodeCharset(std::string_view bytes, const char* charset) {
  checkSize(bytes);
  Decoded decoded;
  if (!convert(bytes, charset, decoded)) return decodeText(bytes);  // a charset ICU lacks
  return decoded.utf8;
}

std::string decodeText(std::string_view bytes) {
  checkSize(bytes);
  if (startsWith(bytes, "\xEF\xBB\xBF")) return decodeAs(bytes.substr(3), "UTF-8").utf8;
  if (startsWith(bytes, "\xFF\xFE")) return decodeAs(bytes.substr(2), "UTF-16LE").utf8;
  if (startsWith(bytes, "\xFE\xFF")) return decodeAs(bytes.substr(2), "UTF-16BE").utf8;
  Decoded utf8 = decodeAs(bytes, "UTF-8");
  // A stray bad byte in UTF-8 text stays a U+FFFD; GB text read as UTF-8 fails about once per
  // character, so many failures mean it is not UTF-8.
  const auto nonAscii = static_cast<std::size_t>(
      std::count_if(bytes.begin(), bytes.end(), [](char c) { return (c & 0x80) != 0; }));
  if (utf8.errors * 8 <= nonAscii) return utf8.utf8;
  // GB18030 decodes nearly any byte sequence, so it wins unless it does worse.
  Decoded gb = decodeAs(bytes, "GB18030");
  return gb.errors <= utf8.errors ? gb.utf8 : utf8.utf8;
}

}  // namespace gongkai::indexer::detail
