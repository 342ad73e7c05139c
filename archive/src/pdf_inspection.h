#pragma once

// PDF: the names of its objects read as the bytes stream past, then what they and the file's end
// say.

#include <array>
#include <cstddef>
#include <string_view>

#include "gongkai/archive/file_inspector.h"

namespace gongkai::archive::inspect {

// Reads every PDF name (/Name, with #xx escapes decoded) in the raw bytes and notes the dangerous
// ones. Strings and streams are not told apart from dictionaries on purpose: an unbalanced '(' in
// stream data would otherwise let a later /JavaScript hide, and a false alarm costs less.
class PdfNameScanner {
 public:
  void feed(const unsigned char* p, std::size_t n);
  void finish() { endName(); }

  bool javascript = false;
  bool launch = false;
  bool embeddedFile = false;
  bool encrypt = false;

 private:
  static bool isDelimiter(unsigned char c);
  static bool isPdfSpace(unsigned char c);
  static int hexValue(unsigned char c);

  void feedByte(unsigned char c);
  void startName();
  void nameByte(unsigned char c);
  void flushEscape();
  void endName();

  bool inName_ = false;
  int escape_ = 0;  // 1 after '#', 2 after '#' and one hex digit
  unsigned char escapeHigh_ = 0;
  std::array<char, 16> name_{};  // longer than any name looked for
  std::size_t length_ = 0;
  bool tooLong_ = false;
};

// A PDF ends with %%EOF (within `tail`); JavaScript, Launch actions, embedded files and
// encryption are safety problems.
void checkPdf(FileFindings& out, std::string_view tail, const PdfNameScanner& names);

}  // namespace gongkai::archive::inspect
