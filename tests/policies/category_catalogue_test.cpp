#include "gongkai/policies/category_catalogue.h"

#include <gtest/gtest.h>

namespace gongkai::policies {
namespace {

TEST(CategoryCatalogue, LoadsTheEightCategoriesOfSeed001) {
  auto catalogue =
      CategoryCatalogue::loadFile(std::string(GONGKAI_POLICY_DIR) + "/categories.json");
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().message;
  std::string codes;
  for (const auto& category : catalogue.value().all()) codes += category.code + " ";
  EXPECT_EQ(codes, "QJ SX ZZ LD GB DF LX QT ");
  const Category* zz = catalogue.value().find("ZZ");
  ASSERT_NE(zz, nullptr);
  EXPECT_EQ(zz->name, "党的组织管理");
  EXPECT_EQ(zz->items.size(), 6u);
  EXPECT_EQ(catalogue.value().find("DF")->items.size(), 7u);
  EXPECT_EQ(catalogue.value().find("XX"), nullptr);
}

TEST(CategoryCatalogue, ErrorsNameTheFileAndTheField) {
  const auto error = [](const std::string& json) {
    auto result = CategoryCatalogue::parse(json, "cats.json");
    EXPECT_FALSE(result.ok()) << json;
    return result.ok() ? std::string() : result.error().message;
  };
  EXPECT_NE(error(R"({"categories":[{"code":"zz","name":"x","default_retention":"Y"}]})")
                .find("cats.json: categories[0].code"),
            std::string::npos);
  EXPECT_NE(error(R"({"categories":[{"code":"ZZ","name":"x","default_retention":"Y"},{"code":"ZZ",)"
                  R"("name":"y","default_retention":"Y"}]})")
                .find("categories[1].code"),
            std::string::npos);
  EXPECT_NE(error(R"({"categories":[{"code":"ZZ","name":"x","default_retention":"X"}]})")
                .find("default_retention"),
            std::string::npos);
  EXPECT_NE(
      error(R"({"categories":[{"code":"ZZ","name":"x","default_retention":"Y","items":[1]}]})")
          .find("items[0]"),
      std::string::npos);
  EXPECT_NE(error(R"({"categories":[]})").find("categories"), std::string::npos);
  EXPECT_NE(error("{").find("cats.json"), std::string::npos);
  EXPECT_EQ(CategoryCatalogue::loadFile("/nonexistent/cats.json").error().code,
            core::ErrorCode::kIo);
}

}  // namespace
}  // namespace gongkai::policies
