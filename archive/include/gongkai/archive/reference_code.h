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

// Parses exactly what toString() writes; nullopt for anything else.
std::optional<ReferenceCode> parseReferenceCode(std::string_view text);

}  // namespace gongkai::archive
