#include "gongkai/policies/category_catalogue.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "gongkai/core/json.h"

namespace gongkai::policies {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;

Error invalid(const std::string& origin, const std::string& field, const std::string& message) {
  return Error::make(ErrorCode::kInvalidArgument, "invalid_policy",
                     origin + ": " + field + ": " + message);
}

bool isCategoryCode(const std::string& code) {
  return code.size() == 2 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

core::Result<CategoryCatalogue> CategoryCatalogue::loadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error::make(ErrorCode::kIo, "policy_unreadable", path + ": 无法读取 (cannot read)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

core::Result<CategoryCatalogue> CategoryCatalogue::parse(std::string_view json,
                                                         const std::string& origin) {
  auto parsed = core::parseJsonObject(json);
  if (!parsed.ok()) return invalid(origin, "(file)", parsed.error().message);
  const Object::Ptr root = parsed.value();
  const Array::Ptr list = root->getArray("categories");
  if (!list || list->size() == 0)
    return invalid(origin, "categories", "必须是非空数组 (must be a non-empty array)");

  CategoryCatalogue catalogue;
  for (unsigned i = 0; i < list->size(); ++i) {
    const std::string at = "categories[" + std::to_string(i) + "]";
    const Object::Ptr entry = list->getObject(i);
    if (!entry) return invalid(origin, at, "必须是对象 (must be an object)");
    Category category;
    if (!entry->has("code") || !entry->get("code").isString() ||
        !isCategoryCode(category.code = entry->getValue<std::string>("code"))) {
      return invalid(origin, at + ".code", "必须是两个大写字母 (must be two upper-case letters)");
    }
    if (catalogue.find(category.code))
      return invalid(origin, at + ".code", "重复的类别代码 (duplicate code)");
    if (!entry->has("name") || !entry->get("name").isString() ||
        (category.name = entry->getValue<std::string>("name")).empty()) {
      return invalid(origin, at + ".name", "必须是非空字符串 (must be a non-empty string)");
    }
    category.default_retention = entry->optValue<std::string>("default_retention", "");
    if (std::find(std::begin(kRetentionCodes), std::end(kRetentionCodes),
                  category.default_retention) == std::end(kRetentionCodes)) {
      return invalid(origin, at + ".default_retention",
                     "必须是 Y、D30 或 D10 (must be Y, D30 or D10)");
    }
    if (const Array::Ptr items = entry->getArray("items")) {
      for (unsigned k = 0; k < items->size(); ++k) {
        if (!items->get(k).isString()) {
          return invalid(origin, at + ".items[" + std::to_string(k) + "]",
                         "必须是字符串 (must be a string)");
        }
        category.items.push_back(items->get(k).extract<std::string>());
      }
    }
    catalogue.categories_.push_back(std::move(category));
  }
  return catalogue;
}

const Category* CategoryCatalogue::find(std::string_view code) const {
  for (const auto& category : categories_) {
    if (category.code == code) return &category;
  }
  return nullptr;
}

}  // namespace gongkai::policies
