// A step's JSON body as http reads it (http/document_json.h) and core judges it: every hostile
// body is refused with the field it is about.
#include <gtest/gtest.h>

#include "document_json.h"
#include "gongkai/core/json.h"
#include "gongkai/core/workflow.h"

namespace gongkai::server {
namespace {

// The refusal as "code field", or "accepted".
std::string refusal(const std::string& step, const std::string& json) {
  auto parsed = core::parseJsonObject(json);
  EXPECT_TRUE(parsed.ok()) << json;
  if (!parsed.ok()) return "unparsed";
  auto request = core::readStepRequest(step, http::readStepBody(parsed.value()));
  if (request.ok()) return "accepted";
  const auto& e = request.error();
  return e.fields.empty() ? e.reason : e.fields[0].code + " " + e.fields[0].field;
}

TEST(StepBody, HostileBodiesGetFieldErrors) {
  EXPECT_EQ(refusal("submit", R"({"anything":1})"), "unknown_field anything");
  EXPECT_EQ(refusal("approve", R"({"confidentiality_reviewed":"yes"})"),
            "missing_field confidentiality_reviewed");
  EXPECT_EQ(refusal("approve", R"({"confidentiality_reviewed":null})"),
            "missing_field confidentiality_reviewed");
  EXPECT_EQ(refusal("approve", R"({"confidentiality_reviewed":true,"opinion":5})"),
            "invalid_type opinion");
  EXPECT_EQ(refusal("publish", R"({"channels":"website"})"), "missing_field channels");
  EXPECT_EQ(refusal("publish", R"({"channels":[]})"), "missing_field channels");
  EXPECT_EQ(refusal("publish", R"({"channels":["tv"]})"), "unknown_channel channels[0]");
  EXPECT_EQ(refusal("publish", R"({"channels":["website",1]})"), "invalid_type channels[1]");
  EXPECT_EQ(refusal("publish", R"({"channels":[null]})"), "invalid_type channels[0]");
  EXPECT_EQ(refusal("withdraw", R"({"reason":")" + std::string(5000, 'x') + R"("})"),
            "invalid_text reason");
  EXPECT_EQ(refusal("withdraw", R"({"reason":null})"), "missing_field reason");
  EXPECT_EQ(refusal("archive", R"({"retention":"D99"})"), "invalid_value retention");
  EXPECT_EQ(refusal("fly", R"({})"), "no_such_step");
}

TEST(StepBody, WellFormedBodiesCarryTheirValues) {
  auto parsed = core::parseJsonObject(R"({"channels":["intranet","website","intranet"]})");
  ASSERT_TRUE(parsed.ok());
  auto request = core::readStepRequest("publish", http::readStepBody(parsed.value()));
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request.value().channels, (std::vector<std::string>{"intranet", "website"}));
  auto bodiless = core::readStepRequest("submit", http::readStepBody(nullptr));
  ASSERT_TRUE(bodiless.ok());
  EXPECT_EQ(bodiless.value().step, "submit");
}

}  // namespace
}  // namespace gongkai::server
