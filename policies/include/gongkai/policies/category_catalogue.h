#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gongkai/core/result.h"

namespace gongkai::policies {

// 保管期限 codes used in archival reference codes.
inline constexpr std::string_view kRetentionCodes[] = {"Y", "D30", "D10"};

// One disclosure content category (公开内容) with its numbered sub-items.
struct Category {
  std::string code;                // two upper-case letters, e.g. "ZZ"
  std::string name;                // e.g. 党的组织管理
  std::string default_retention;   // "Y", "D30" or "D10"
  std::vector<std::string> items;  // sub-item 1 is items[0]
};

// The categories in force, read from a policy file. Immutable once loaded; safe to share.
class CategoryCatalogue {
 public:
  // Reads and validates a catalogue file; errors name the file and the offending field.
  static core::Result<CategoryCatalogue> loadFile(const std::string& path);
  static core::Result<CategoryCatalogue> parse(std::string_view json, const std::string& origin);

  // nullptr when `code` is not a category in force.
  const Category* find(std::string_view code) const;
  const std::vector<Category>& all() const { return categories_; }

 private:
  std::vector<Category> categories_;
};

}  // namespace gongkai::policies
