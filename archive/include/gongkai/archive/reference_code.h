#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gongkai::archive {

// 档号: FONDS-YEAR-RETENTION-CATEGORY-NNNN, e.g. J001-2023-Y-ZZ-0007.
struct ReferenceCode {
  std::string fonds;      // 1-16 upper-case letters and digits
  int year = 0;           // 1900-2999
  std::string retention;  // "Y", "D30" or "D10"
  std::string category;   // two upper-case letters
  int item = 0;           // 1-9999 within fonds/year/retention/category

  std::string toString() const;
  bool operator==(const ReferenceCode&) const = default;
};

// The code written by a policy pattern (archive.json): {fonds} {year} {retention} {category}
// {item} and {item:N} (zero-padded to N digits) are replaced, everything else is kept. The
// policy loader has checked the pattern; an unknown placeholder is kept as written.
std::string formatReferenceCode(std::string_view pattern, const ReferenceCode& code);

// Parses exactly what toString() writes; nullopt for anything else.
std::optional<ReferenceCode> parseReferenceCode(std::string_view text);

}  // namespace gongkai::archive
