#include "pdf_inspection.h"

#include <cstring>

#include "inspector_basics.h"

namespace gongkai::archive::inspect {

void PdfNameScanner::feed(const unsigned char* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    // Outside a name only '/' matters: skip to it (most of a PDF is stream data).
    if (!inName_) {
      const void* slash = std::memchr(p + i, '/', n - i);
      if (slash == nullptr) return;
      i = static_cast<std::size_t>(static_cast<const unsigned char*>(slash) - p);
    }
    feedByte(p[i++]);
  }
}

bool PdfNameScanner::isDelimiter(unsigned char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

bool PdfNameScanner::isPdfSpace(unsigned char c) {
  return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

int PdfNameScanner::hexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void PdfNameScanner::feedByte(unsigned char c) {
  if (!inName_) {
    if (c == '/') startName();
    return;
  }
  if (escape_ > 0) {
    const int value = hexValue(c);
    if (value >= 0 && escape_ == 1) {
      escapeHigh_ = static_cast<unsigned char>(c);
      escape_ = 2;
      return;
    }
    if (value >= 0) {
      nameByte(static_cast<unsigned char>(hexValue(escapeHigh_) * 16 + value));
      escape_ = 0;
      return;
    }
    flushEscape();  // not an escape after all: the '#' (and digit) are literal
  }
  if (isPdfSpace(c) || isDelimiter(c)) {
    endName();
    if (c == '/') startName();
    return;
  }
  if (c == '#') {
    escape_ = 1;
    return;
  }
  nameByte(c);
}

void PdfNameScanner::startName() {
  inName_ = true;
  length_ = 0;
  tooLong_ = false;
  escape_ = 0;
}

void PdfNameScanner::nameByte(unsigned char c) {
  if (length_ == name_.size()) {
    tooLong_ = true;
    return;
  }
  name_[length_++] = static_cast<char>(c);
}

void PdfNameScanner::flushEscape() {
  nameByte('#');
  if (escape_ == 2) nameByte(escapeHigh_);
  escape_ = 0;
}

void PdfNameScanner::endName() {
  if (!inName_) return;
  if (escape_ > 0) flushEscape();
  inName_ = false;
  if (tooLong_) return;
  const std::string_view name(name_.data(), length_);
  if (name == "JavaScript" || name == "JS") javascript = true;
  if (name == "Launch") launch = true;
  if (name == "EmbeddedFile" || name == "EmbeddedFiles" || name == "FileAttachment" ||
      name == "RichMedia") {
    embeddedFile = true;
  }
  if (name == "Encrypt") encrypt = true;
}

void checkPdf(FileFindings& out, std::string_view tail, const PdfNameScanner& names) {
  if (tail.find("%%EOF") == std::string_view::npos) {
    addOnce(out.usability, "truncated",
            "PDF 末尾缺少 %%EOF，文件可能不完整 (PDF has no %%EOF near its end; the file may be "
            "truncated)");
  }
  if (names.javascript) {
    addOnce(out.safety, "javascript", "PDF 含有 JavaScript (PDF contains JavaScript)");
  }
  if (names.launch) {
    addOnce(out.safety, "launch",
            "PDF 含有启动外部程序的动作 (PDF contains a Launch action that runs programs)");
  }
  if (names.embeddedFile) {
    addOnce(out.safety, "embedded_file",
            "PDF 含有嵌入文件或富媒体 (PDF contains embedded files or rich media)");
  }
  if (names.encrypt) {
    addOnce(out.safety, "encrypted", "PDF 已加密 (PDF is encrypted)");
  }
}

}  // namespace gongkai::archive::inspect
