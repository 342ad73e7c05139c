// Hostile, malformed, oversized and truncated input: each gets a clear 4xx problem, nothing is
// written, and the server keeps serving.
#include <filesystem>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class BadInputTest : public ServerTest {
 protected:
  void SetUp() override {
    writeFile(temp_ / "small.properties",
              "gongkai.limits.max_json_bytes = 4096\n"
              "gongkai.limits.max_upload_bytes = 1048576\n"
              "gongkai.limits.max_files_per_request = 3\n");
    start({"--config", temp_ / "small.properties"});
    // One good document to aim at.
    auto created = client().postJson("/api/v1/documents", sampleMetadata("靶子"));
    ASSERT_EQ(created.status, 201);
    target_ = "/api/v1/documents/" + std::to_string(created.json()->getValue<Poco::Int64>("id"));
    auditBefore_ = auditSize();
  }

  // Asserts a problem response with `status` and `code`, and that nothing was written.
  void expectRefused(const HttpResponse& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.header("Content-Type"), "application/problem+json; charset=utf-8")
        << response.body;
    if (response.header("Content-Type").find("problem+json") != std::string::npos) {
      auto problem = response.json();
      EXPECT_EQ(problem->getValue<std::string>("code"), code) << response.body;
      EXPECT_EQ(problem->getValue<int>("status"), status);
      EXPECT_FALSE(problem->getValue<std::string>("title").empty());
      EXPECT_EQ(problem->getValue<std::string>("type"), "urn:gongkai:problem:" + code);
    }
    EXPECT_EQ(auditSize(), auditBefore_) << "a refused request changed the audit log";
    EXPECT_EQ(documentCount(), 1) << "a refused request created a document";
  }

  std::string fieldCode(const HttpResponse& response, const std::string& field) {
    auto errors = response.json()->getArray("errors");
    if (!errors) return "";
    for (unsigned i = 0; i < errors->size(); ++i) {
      if (errors->getObject(i)->getValue<std::string>("field") == field) {
        return errors->getObject(i)->getValue<std::string>("code");
      }
    }
    return "";
  }

  std::string target_;
  std::int64_t auditBefore_ = 0;
};

TEST_F(BadInputTest, MalformedAndTruncatedJson) {
  expectRefused(client().postJson("/api/v1/documents", "{\"title\": \"党务"), 400,
                "malformed_json");
  expectRefused(client().postJson("/api/v1/documents", "not json"), 400, "malformed_json");
  expectRefused(client().postJson("/api/v1/documents", sampleMetadata("x") + " trailing"), 400,
                "malformed_json");
  expectRefused(client().postJson("/api/v1/documents", "[1,2]"), 400, "malformed_json");
  expectRefused(client().postJson("/api/v1/documents", ""), 400, "malformed_json");
  expectRefused(
      client().postJson("/api/v1/documents", std::string(100, '[') + std::string(100, ']')), 400,
      "malformed_json");
}

TEST_F(BadInputTest, InvalidUtf8IsRefused) {
  expectRefused(client().postJson("/api/v1/documents", "{\"title\":\"\xff\xfe\"}"), 400,
                "invalid_utf8");
  expectRefused(client().postJson("/api/v1/documents", "{\"title\":\"\xe5\x85\"}"), 400,
                "invalid_utf8");
  auto surrogate = sampleMetadata("x");
  surrogate.replace(surrogate.find("\"x\""), 3, "\"\\ud800\"");
  // A lone surrogate escape is refused by the JSON parser itself.
  expectRefused(client().postJson("/api/v1/documents", surrogate), 400, "malformed_json");
}

TEST_F(BadInputTest, WrongTypesMissingUnknownAndReadOnlyFields) {
  auto wrong = client().postJson(
      "/api/v1/documents",
      R"({"title":42,"category":"ZZ","org_unit":"b","scope":"public","mode":"proactive",)"
      R"("period":"standing"})");
  expectRefused(wrong, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(wrong, "title"), "wrong_type");

  auto missing = client().postJson("/api/v1/documents", R"({"title":"缺字段"})");
  expectRefused(missing, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(missing, "category"), "missing_field");
  EXPECT_EQ(fieldCode(missing, "scope"), "missing_field");

  auto unknown =
      client().postJson("/api/v1/documents", sampleMetadata("x").insert(1, R"("colour":"red",)"));
  expectRefused(unknown, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(unknown, "colour"), "unknown_field");

  auto readOnly = client().postJson("/api/v1/documents",
                                    sampleMetadata("x").insert(1, R"("status":"published",)"));
  expectRefused(readOnly, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(readOnly, "status"), "read_only_field");

  auto category = client().postJson("/api/v1/documents", sampleMetadata("x", "XX"));
  expectRefused(category, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(category, "category"), "unknown_category");

  auto badEnum = client().postJson(
      "/api/v1/documents",
      R"({"title":"t","category":"ZZ","org_unit":"b","scope":"secret","mode":"proactive",)"
      R"("period":"standing","issued_at":"2023-02-30"})");
  expectRefused(badEnum, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(badEnum, "scope"), "invalid_value");
  EXPECT_EQ(fieldCode(badEnum, "issued_at"), "invalid_value");

  auto control = client().postJson("/api/v1/documents", sampleMetadata("标题\\u0007"));
  expectRefused(control, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(control, "title"), "control_characters");

  auto patchNull = client().request("PATCH", target_, R"({"title":null})", "application/json",
                                    {{"If-Match", "*"}});
  expectRefused(patchNull, 422, "invalid_metadata");
  EXPECT_EQ(fieldCode(patchNull, "title"), "missing_field");
}

TEST_F(BadInputTest, BodiesOverTheLimitGet413) {
  std::string big = sampleMetadata("x");
  big.insert(big.size() - 1, ",\"summary2\":\"" + std::string(5000, 'a') + "\"");
  expectRefused(client().postJson("/api/v1/documents", big), 413, "payload_too_large");

  auto upload = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("大文件"), ""},
       {"file", "big.bin", "application/octet-stream", std::string(1100000, 'z'), ""}});
  expectRefused(upload, 413, "payload_too_large");

  auto many = client().postMultipart(
      "/api/v1/documents", {{"metadata", "", "application/json", sampleMetadata("多文件"), ""},
                            {"file", "1.txt", "", "1", ""},
                            {"file", "2.txt", "", "2", ""},
                            {"file", "3.txt", "", "3", ""},
                            {"file", "4.txt", "", "4", ""}});
  expectRefused(many, 413, "too_many_files");
  // Nothing of the refused uploads is left in the blob store's staging area.
  EXPECT_TRUE(std::filesystem::is_empty(dataDir() + "/tmp"));
}

TEST_F(BadInputTest, HostileFileNamesAreRefused) {
  const std::vector<std::string> names = {"../../etc/passwd", "a/b.pdf",       "..",
                                          "报告\x01.pdf",     "tab\tname.pdf", "name\x7f.pdf"};
  for (const auto& name : names) {
    auto response = client().postMultipart(
        "/api/v1/documents", {{"metadata", "", "application/json", sampleMetadata("文件名"), ""},
                              {"file", name, "text/plain", "x", ""}});
    expectRefused(response, 422, "invalid_files");
    EXPECT_EQ(fieldCode(response, "files[0].name"), "invalid_file_name") << name;
  }
  // In a quoted-string a backslash must itself be escaped to arrive (RFC 7578, RFC 9110).
  auto backslash = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("文件名"), ""},
       {"file", "", "", "x", "form-data; name=\"file\"; filename=\"a\\\\b.pdf\""}});
  expectRefused(backslash, 422, "invalid_files");
  auto backslashStar = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("文件名"), ""},
       {"file", "", "", "x", "form-data; name=\"file\"; filename*=UTF-8''a%5Cb.pdf"}});
  expectRefused(backslashStar, 422, "invalid_files");
  // NUL arrives through RFC 5987 encoding, which is the only way to put one in a header.
  auto nul = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("文件名"), ""},
       {"file", "", "", "x", "form-data; name=\"file\"; filename*=UTF-8''a%00b.pdf"}});
  expectRefused(nul, 422, "invalid_files");
  auto invalidUtf8 = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json", sampleMetadata("文件名"), ""},
       {"file", "", "", "x", "form-data; name=\"file\"; filename*=UTF-8''%FF%FE.pdf"}});
  expectRefused(invalidUtf8, 422, "invalid_files");
  auto addToExisting = client().postMultipart(target_ + "/files", {{"file", "../x", "", "x", ""}});
  expectRefused(addToExisting, 422, "invalid_files");
}

TEST_F(BadInputTest, BrokenMultipartBodies) {
  std::string body;
  const std::string type =
      buildMultipart({{"metadata", "", "application/json", sampleMetadata("截断"), ""},
                      {"file", "a.txt", "text/plain", std::string(20000, 'q'), ""}},
                     body);
  // Cut short: the connection closes before the declared length arrives.
  const std::string head = "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\n" + authLine() +
                           "Content-Type: " + type +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const std::string reply = client().raw(head + body.substr(0, body.size() / 2));
  EXPECT_TRUE(reply.empty() || reply.find(" 400 ") != std::string::npos) << reply;
  // Complete length but no closing boundary.
  const std::string noClose = body.substr(0, body.rfind("--gongkai"));
  expectRefused(client().request("POST", "/api/v1/documents", noClose, type), 400,
                "malformed_multipart");
  expectRefused(client().request("POST", "/api/v1/documents", "garbage", type), 400,
                "malformed_multipart");
  expectRefused(client().request("POST", "/api/v1/documents", body, "multipart/form-data"), 400,
                "malformed_multipart");
  auto noMetadata = client().postMultipart("/api/v1/documents", {{"file", "a.txt", "", "x", ""}});
  expectRefused(noMetadata, 422, "missing_metadata");
  auto strayField = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "", sampleMetadata("x"), ""}, {"other", "", "", "x", ""}});
  expectRefused(strayField, 422, "unknown_part");
  expectRefused(
      client().request("POST", "/api/v1/documents", "title=x", "application/x-www-form-urlencoded"),
      415, "unsupported_media_type");
  EXPECT_EQ(auditSize(), auditBefore_);
  EXPECT_TRUE(std::filesystem::is_empty(dataDir() + "/tmp"));
}

TEST_F(BadInputTest, UnknownIdsPathsAndMethods) {
  expectRefused(client().get("/api/v1/documents/999"), 404, "document_not_found");
  expectRefused(client().get("/api/v1/documents/abc"), 404, "not_found");
  expectRefused(client().get("/api/v1/documents/-1"), 404, "not_found");
  expectRefused(client().get("/api/v1/documents/99999999999999999999999"), 404, "not_found");
  expectRefused(client().get(target_ + "/files/77"), 404, "file_not_found");
  expectRefused(client().get(target_ + "/versions/0"), 404, "not_found");
  expectRefused(
      client().postMultipart("/api/v1/documents/999/files", {{"file", "a.txt", "", "x", ""}}), 404,
      "document_not_found");
  expectRefused(client().get("/api/v1/nope"), 404, "not_found");
  auto method = client().request("PUT", "/api/v1/documents", "{}", "application/json");
  expectRefused(method, 405, "method_not_allowed");
  EXPECT_EQ(method.header("Allow"), "POST, GET, HEAD");
  expectRefused(client().get("/api/v1/documents?page=%zz"), 400, "malformed_uri");
}

TEST_F(BadInputTest, ServerKeepsServingAfterAbuse) {
  // Garbage that is not HTTP at all, then a request line of absurd length.
  client().raw("\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
  client().raw("GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  client().raw("POST /api/v1/documents HTTP/1.1\r\nHost: x\r\n" + authLine() +
               "Transfer-Encoding: chunked\r\n"
               "Content-Type: application/json\r\n\r\nzz\r\n");
  EXPECT_EQ(client().get("/healthz").status, 200);
  EXPECT_EQ(auditSize(), auditBefore_);
  auto good = client().postJson("/api/v1/documents", sampleMetadata("之后"));
  EXPECT_EQ(good.status, 201);
}

}  // namespace
}  // namespace gongkai::testing
