#pragma once

#include <string_view>
#include <vector>

// The detection items (检测项目) of DA/T 70-2018 (文书类电子档案检测一般要求) that a bundle's check
// reports on, numbered as the standard's table numbers them, with the property each belongs to.
// A bundle is what a unit transfers to the higher-level committee, so the table is the one for
// transfer and receipt (移交与接收环节); docs/archival.md says where each number comes from and
// what each check does.
namespace gongkai::archive {

// The four properties of DA/T 70's check of electronic records (四性检测).
enum class Property { kAuthenticity, kIntegrity, kUsability, kSafety };

std::string_view propertyCode(Property property);  // "authenticity", ...
std::string_view propertyName(Property property);  // "真实性", ...

struct DetectionItem {
  std::string_view number;  // "1-1": property, then the item within it
  std::string_view name;    // the standard's name, e.g. "固化信息有效性检测"
  Property property;
  // Why the item does not apply to a bundle checked offline (Chinese first, English in
  // parentheses); empty when the verifier checks it.
  std::string_view not_applicable;
};

// Every item, in the table's order.
const std::vector<DetectionItem>& detectionItems();
// The item numbered `number`; std::out_of_range for a number not in the table (a check naming
// one is a programming error).
const DetectionItem& detectionItem(std::string_view number);

}  // namespace gongkai::archive
