// Accounts, roles and policies against the real server: the endpoint × role table, logins,
// lockout, tokens, users and units, what each caller can see, and the policy files.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

using namespace Poco::Data::Keywords;

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, '\t')) out.push_back(cell);
  return out;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class AccountsApiTest : public ServerTest {
 protected:
  // Edits the database behind the server's back.
  void sql(const std::string& statement) { *openTestDatabase(dataDir()) << statement, now; }

  HttpResponse loginResponse(const std::string& username, const std::string& password) {
    return anonymous().postJson("/api/v1/auth/login", R"({"username":")" + username +
                                                          R"(","password":")" + password + R"("})");
  }

  // Audit actions recorded after `after`, in order.
  std::vector<std::string> auditActionsAfter(std::int64_t after) {
    std::vector<std::string> out;
    auto entries = client()
                       .get("/api/v1/audit?after=" + std::to_string(after) + "&limit=100")
                       .json()
                       ->getArray("entries");
    for (unsigned i = 0; i < entries->size(); ++i) {
      out.push_back(entries->getObject(i)->getObject("entry")->getValue<std::string>("action"));
    }
    return out;
  }
};

TEST_F(AccountsApiTest, EveryEndpointAnswersEveryRoleAsTheTableSays) {
  addUnit("branch-1a", "第一支部第一小组", "branch-1");
  const std::vector<std::string> roles = {"anonymous", "member",    "archivist", "reviewer",
                                          "inspector", "committee", "admin"};
  std::map<std::string, std::string> tokens = {{"anonymous", ""}, {"admin", adminToken_}};
  tokens["member"] = userWithRole("member1", "member");
  tokens["archivist"] = userWithRole("archivist1", "archivist", "branch-1");
  tokens["reviewer"] = userWithRole("reviewer1", "reviewer", "branch-1");
  tokens["inspector"] = userWithRole("inspector1", "inspector");
  tokens["committee"] = userWithRole("committee1", "committee");
  for (const auto& [role, token] : tokens)
    ASSERT_TRUE(role == "anonymous" || !token.empty()) << role;

  auto doc = client().postMultipart(
      "/api/v1/documents",
      {{"metadata", "", "application/json",
        R"({"title":"党务公开内部通报","category":"ZZ","mode":"proactive","period":"standing",)"
        R"("org_unit":"branch-1","scope":"internal"})",
        ""},
       {"file", "通报.txt", "text/plain", "党务公开内部通报全文", ""}});
  ASSERT_EQ(doc.status, 201) << doc.body;
  const std::string docId = std::to_string(doc.json()->getValue<Poco::Int64>("id"));
  const std::string fileId =
      std::to_string(doc.json()->getArray("files")->getObject(0)->getValue<Poco::Int64>("id"));
  auto other = client().postJson(
      "/api/v1/documents",
      R"({"title":"第二支部党务公开","category":"ZZ","mode":"proactive","period":"standing",)"
      R"("scope":"public","org_unit":"branch-2"})");
  ASSERT_EQ(other.status, 201) << other.body;
  const std::string otherId = std::to_string(other.json()->getValue<Poco::Int64>("id"));

  std::ifstream table(std::string(GONGKAI_TEST_DATA_DIR) + "/access_matrix.tsv");
  ASSERT_TRUE(table) << "tests/data/access_matrix.tsv";
  std::string line, mismatches;
  int checked = 0;
  bool header = true;
  while (std::getline(table, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto cells = splitTabs(line);
    if (header) {
      header = false;
      ASSERT_EQ(cells.size(), 3 + roles.size());
      for (std::size_t r = 0; r < roles.size(); ++r) ASSERT_EQ(cells[3 + r], roles[r]);
      continue;
    }
    ASSERT_EQ(cells.size(), 3 + roles.size()) << line;
    for (std::size_t r = 0; r < roles.size(); ++r) {
      const std::string& role = roles[r];
      const std::string path = replaceAll(
          replaceAll(replaceAll(cells[1], "{doc}", docId), "{other}", otherId), "{file}", fileId);
      const std::string body = cells[2] == "-" ? "" : replaceAll(cells[2], "{role}", role);
      std::map<std::string, std::string> headers;
      if (!tokens[role].empty()) headers["Authorization"] = "Bearer " + tokens[role];
      if (cells[0] == "PATCH") headers["If-Match"] = "*";
      const auto response = anonymous().request(cells[0], path, body,
                                                body.empty() ? "" : "application/json", headers);
      ++checked;
      if (std::to_string(response.status) != cells[3 + r]) {
        mismatches += cells[0] + " " + path + " as " + role + ": expected " + cells[3 + r] +
                      ", got " + std::to_string(response.status) + " " +
                      response.body.substr(0, 200) + "\n";
      }
    }
  }
  EXPECT_GE(checked, 35 * 7);
  EXPECT_TRUE(mismatches.empty()) << mismatches;
}

TEST_F(AccountsApiTest, LoginGivesATokenThatLogoutRevokes) {
  const std::string token = userWithRole("inspector2", "inspector");
  ASSERT_FALSE(token.empty());
  const HttpClient inspector = anonymous().as(token);
  auto me = inspector.get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()->getValue<std::string>("username"), "inspector2");
  EXPECT_EQ(me.json()->has("password_hash"), false);
  EXPECT_EQ(inspector.get("/api/v1/audit").status, 200);
  EXPECT_EQ(inspector.request("POST", "/api/v1/auth/logout").status, 204);
  auto after = inspector.get("/api/v1/audit");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json()->getValue<std::string>("code"), "invalid_token");
  EXPECT_NE(after.header("www-authenticate").find("Bearer"), std::string::npos);
}

TEST_F(AccountsApiTest, WrongOrMalformedCredentialsAreRefusedAlike) {
  userWithRole("member2", "member");
  const auto wrong = loginResponse("member2", "not-the-password");
  const auto unknown = loginResponse("nobody", "not-the-password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  // The same answer, so a caller cannot tell which accounts exist.
  EXPECT_EQ(wrong.json()->getValue<std::string>("detail"),
            unknown.json()->getValue<std::string>("detail"));
  EXPECT_EQ(anonymous().postJson("/api/v1/auth/login", "{\"username\":").status, 400);
  EXPECT_EQ(anonymous().postJson("/api/v1/auth/login", R"({"username":"member2"})").status, 422);
  EXPECT_EQ(anonymous().postJson("/api/v1/auth/login", R"({"username":1,"password":[]})").status,
            422);
  EXPECT_EQ(anonymous().request("POST", "/api/v1/auth/login", "username=a", "text/plain").status,
            415);
  const std::string huge =
      R"({"username":"member2","password":")" + std::string(200000, 'x') + R"("})";
  EXPECT_EQ(anonymous().postJson("/api/v1/auth/login", huge).status, 413);
  // Authorization headers that are not a well-formed bearer token are refused, not ignored.
  for (const std::string& header : std::vector<std::string>{
           "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "bearer gk_short",
           "Bearer gk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Bearer " + adminToken_ + "x",
           "Bearer " + std::string(5000, 'a'), "Token " + adminToken_}) {
    const auto response = anonymous().get("/api/v1/documents", {{"Authorization", header}});
    EXPECT_EQ(response.status, 401) << header;
    EXPECT_EQ(response.header("content-type").rfind("application/problem+json", 0), 0u) << header;
  }
  // Lower-case scheme is fine (RFC 9110: case-insensitive).
  EXPECT_EQ(anonymous().get("/api/v1/auth/me", {{"Authorization", "bearer " + adminToken_}}).status,
            200);
}

TEST_F(AccountsApiTest, ExpiredRevokedAndDisabledTokensStopWorking) {
  const std::string token = userWithRole("committee2", "committee");
  const HttpClient committee = anonymous().as(token);
  ASSERT_EQ(committee.get("/api/v1/audit/keys").status, 200);

  // An API token for the yearly download: shown once, listed without its secret, revocable.
  auto made =
      committee.postJson("/api/v1/auth/tokens", R"({"name":"年度下载","expires_in_days":400})");
  EXPECT_EQ(made.status, 422) << made.body;  // longer than policy allows
  made = committee.postJson("/api/v1/auth/tokens", R"({"name":"年度下载","expires_in_days":30})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string apiToken = made.json()->getValue<std::string>("token");
  const auto apiTokenId = made.json()->getValue<Poco::Int64>("token_id");
  const HttpClient script = anonymous().as(apiToken);
  EXPECT_EQ(script.get("/api/v1/audit/keys").status, 200);
  auto listed = committee.get("/api/v1/auth/tokens");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(apiToken), std::string::npos);  // never shown again
  EXPECT_EQ(listed.json()->getArray("tokens")->size(), 2u);
  // Another account cannot revoke it (nor learn that it exists).
  const HttpClient member = anonymous().as(userWithRole("member3", "member"));
  EXPECT_EQ(member.request("DELETE", "/api/v1/auth/tokens/" + std::to_string(apiTokenId)).status,
            404);
  EXPECT_EQ(committee.request("DELETE", "/api/v1/auth/tokens/" + std::to_string(apiTokenId)).status,
            204);
  EXPECT_EQ(script.get("/api/v1/audit/keys").status, 401);

  // Expired: the session's time has passed.
  sql("UPDATE tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE kind = 'session' AND user_id = "
      "(SELECT id FROM users WHERE username = 'committee2')");
  EXPECT_EQ(committee.get("/api/v1/audit/keys").status, 401);

  // Disabling an account ends its sessions at once.
  const std::string again = login("committee2", "pw-committee2-long-enough");
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(
      client()
          .request("PATCH", "/api/v1/users/committee2", R"({"disabled":true})", "application/json")
          .status,
      200);
  EXPECT_EQ(anonymous().as(again).get("/api/v1/audit/keys").status, 401);
  EXPECT_TRUE(login("committee2", "pw-committee2-long-enough").empty());
}

TEST_F(AccountsApiTest, RepeatedFailuresSlowDownThenLockTheAccount) {
  restart({"-D", "gongkai.auth.slow_after_failures=2", "-D", "gongkai.auth.lock_after_failures=4",
           "-D", "gongkai.auth.lock_minutes=5"});
  userWithRole("member4", "member");
  const std::int64_t before = auditSize();
  EXPECT_EQ(loginResponse("member4", "wrong-1").status, 401);
  EXPECT_EQ(loginResponse("member4", "wrong-2").status, 401);  // 2nd failure: wait 1 s
  auto slowed = loginResponse("member4", "pw-member4-long-enough");
  EXPECT_EQ(slowed.status, 429) << slowed.body;
  EXPECT_EQ(slowed.header("retry-after"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(loginResponse("member4", "wrong-3").status, 401);  // 3rd: wait 2 s
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(loginResponse("member4", "wrong-4").status, 401);  // 4th: locked for 5 minutes
  auto locked = loginResponse("member4", "pw-member4-long-enough");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.json()->getValue<std::string>("code"), "account_locked");
  EXPECT_GE(std::stoi(locked.header("retry-after")), 290);
  // An admin setting a new password unlocks it.
  ASSERT_EQ(client()
                .request("PATCH", "/api/v1/users/member4", R"({"password":"a-new-long-password"})",
                         "application/json")
                .status,
            200);
  EXPECT_FALSE(login("member4", "a-new-long-password").empty());
  // Every attempt is in the audit log.
  const auto actions = auditActionsAfter(before);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login_failed"), 4);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login_refused"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "user.password"), 1);
  EXPECT_EQ(actions.back(), "auth.login");
}

TEST_F(AccountsApiTest, ParallelGuessesMeetTheLockAndUnknownNamesAnswerAlike) {
  restart(
      {"-D", "gongkai.auth.slow_after_failures=2", "-D", "gongkai.auth.lock_after_failures=100"});
  userWithRole("member8", "member");
  const auto guessAll = [&](const std::string& username) {
    std::vector<std::thread> threads;
    std::vector<int> statuses(8);
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back(
          [&, i] { statuses[i] = loginResponse(username, "guess-" + std::to_string(i)).status; });
    }
    for (auto& thread : threads) thread.join();
    return std::make_pair(std::count(statuses.begin(), statuses.end(), 401),
                          std::count(statuses.begin(), statuses.end(), 429));
  };
  // Each attempt is counted before its hash is checked: only two guesses get through.
  const auto known = guessAll("member8");
  EXPECT_LE(known.first, 2);
  EXPECT_EQ(known.first + known.second, 8);
  // A name that is no account is slowed down the same way, so the answers tell nothing.
  EXPECT_EQ(loginResponse("nobody9", "x").status, 401);
  EXPECT_EQ(loginResponse("nobody9", "x").status, 401);
  EXPECT_EQ(loginResponse("nobody9", "x").status, 429);
}

TEST_F(AccountsApiTest, AFloodOfMadeUpNamesCostsNeitherHashesPastTheLimitNorAuditEntries) {
  restart({"-D", "gongkai.auth.attempts_per_address_per_minute=5"});
  const std::int64_t before = auditSize();
  // Made-up names (a password typed into the name field among them) fail and are counted in
  // memory only: the append-only log keeps neither the attempts nor what was typed.
  for (const char* name : {"nobody1", "nobody2", "MyS3cretPassw0rd", "nobody4", "nobody5"}) {
    EXPECT_EQ(loginResponse(name, "x").status, 401) << name;
  }
  EXPECT_EQ(auditSize(), before);
  for (const char* file : {"/store.db", "/store.db-wal"}) {
    if (std::filesystem::exists(dataDir() + file)) {
      EXPECT_EQ(readFile(dataDir() + file).find("MyS3cretPassw0rd"), std::string::npos) << file;
    }
  }
  // The sixth attempt from this address within the minute is turned away before any hash.
  const auto turnedAway = loginResponse("nobody6", "x");
  EXPECT_EQ(turnedAway.status, 429) << turnedAway.body;
  EXPECT_EQ(turnedAway.json()->getValue<std::string>("code"), "too_many_attempts");
  EXPECT_GE(std::stoi(turnedAway.header("retry-after")), 1);
  EXPECT_LE(std::stoi(turnedAway.header("retry-after")), 60);
  EXPECT_EQ(auditSize(), before);
}

// Behind a reverse proxy named in trusted_proxies, each client has its own allowance of login
// attempts; without that setting X-Forwarded-For is ignored, so a client cannot pick a fresh
// address for each attempt. A bad proxy list stops the server at start.
TEST_F(AccountsApiTest, ClientsBehindATrustedProxyAreToldApart) {
  const auto attempt = [&](const std::string& forwardedFor) {
    return anonymous()
        .request("POST", "/api/v1/auth/login", R"({"username":"nobody","password":"x"})",
                 "application/json", {{"X-Forwarded-For", forwardedFor}})
        .status;
  };
  restart({"-D", "gongkai.auth.attempts_per_address_per_minute=2", "-D",
           "gongkai.server.trusted_proxies=127.0.0.1,::1"});
  EXPECT_EQ(attempt("203.0.113.1"), 401);
  EXPECT_EQ(attempt("203.0.113.1"), 401);
  EXPECT_EQ(attempt("203.0.113.1"), 429);
  EXPECT_EQ(attempt("203.0.113.2"), 401);  // another client behind the same proxy
  // What the client wrote before the proxy's own entry does not count.
  EXPECT_EQ(attempt("198.51.100.1, 203.0.113.1"), 429);

  restart({"-D", "gongkai.auth.attempts_per_address_per_minute=2"});
  // The access log (complete once that server stopped) names the client, not the proxy.
  const std::string accessLog = readFile(dataDir() + "/logs/access.log");
  EXPECT_NE(accessLog.find(R"("client":"203.0.113.2",)"), std::string::npos) << accessLog;
  EXPECT_EQ(attempt("203.0.113.3"), 401);
  EXPECT_EQ(attempt("203.0.113.4"), 401);
  EXPECT_EQ(attempt("203.0.113.5"), 429);  // all are the one connection's address

  std::string output;
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", dataDir() + "-2", "--port", "0", "-D",
                        "gongkai.server.trusted_proxies=127.0.0.1,proxy.example"},
                       output),
            78)
      << output;
  EXPECT_NE(output.find("trusted_proxies"), std::string::npos) << output;
}

TEST_F(AccountsApiTest, OwnPasswordChangeIsCheckedLikeALoginAndEndsEverySession) {
  const std::string token = userWithRole("member9", "member");
  const HttpClient member = anonymous().as(token);
  EXPECT_EQ(member
                .postJson("/api/v1/auth/password",
                          R"({"current_password":"wrong","new_password":"another-long-one"})")
                .status,
            401);
  EXPECT_EQ(member
                .postJson("/api/v1/auth/password",
                          R"({"current_password":"pw-member9-long-enough","new_password":"short"})")
                .status,
            422);
  EXPECT_EQ(
      member
          .postJson(
              "/api/v1/auth/password",
              R"({"current_password":"pw-member9-long-enough","new_password":"another-long-one"})")
          .status,
      204);
  EXPECT_EQ(member.get("/api/v1/auth/me").status, 401);
  EXPECT_FALSE(login("member9", "another-long-one").empty());
  EXPECT_TRUE(login("member9", "pw-member9-long-enough").empty());
}

TEST_F(AccountsApiTest, GuardsAroundAccountsAndTokens) {
  // Names the audit log uses for non-accounts are reserved.
  for (const std::string name : {"anonymous", "system", "cli", "demo"}) {
    EXPECT_EQ(client()
                  .postJson("/api/v1/users",
                            R"({"username":")" + name + R"(","password":"a-long-password-1"})")
                  .status,
              422)
        << name;
  }
  // Tokens are made by their own account only; lifetimes must be sane numbers.
  EXPECT_EQ(client().postJson("/api/v1/auth/tokens", R"({"name":"x","username":"someone"})").status,
            403);
  EXPECT_EQ(
      client()
          .postJson("/api/v1/auth/tokens", R"({"name":"x","expires_in_days":18446744073709551615})")
          .status,
      422);
  EXPECT_EQ(
      client().postJson("/api/v1/auth/tokens", R"({"name":"x","expires_in_days":true})").status,
      422);
  EXPECT_EQ(client().postJson("/api/v1/auth/tokens", R"({"name":"x","expires_in_days":-1})").status,
            422);
  // The last admin can be neither disabled nor demoted.
  EXPECT_EQ(client()
                .request("PATCH", "/api/v1/users/admin", R"({"disabled":true})", "application/json")
                .status,
            409);
  EXPECT_EQ(client()
                .request("PATCH", "/api/v1/users/admin", R"({"roles":[{"role":"inspector"}]})",
                         "application/json")
                .status,
            409);
  userWithRole("admin2", "admin");
  EXPECT_EQ(
      client()
          .request("PATCH", "/api/v1/users/admin2", R"({"disabled":true})", "application/json")
          .status,
      200);
}

TEST_F(AccountsApiTest, AHiddenDocumentsVersionsAndHistoryStayHidden) {
  auto hidden = client().postJson(
      "/api/v1/documents",
      R"({"title":"内部草稿","category":"ZZ","mode":"proactive","period":"standing",)"
      R"("scope":"internal","org_unit":"branch-2"})");
  ASSERT_EQ(hidden.status, 201);
  const std::string path =
      "/api/v1/documents/" + std::to_string(hidden.json()->getValue<Poco::Int64>("id"));
  // The same answer whether the document or only the version is missing.
  const auto missingVersion = anonymous().get(path + "/versions/99");
  const auto missingDocument = anonymous().get("/api/v1/documents/999999/versions/99");
  EXPECT_EQ(missingVersion.status, 404);
  EXPECT_EQ(missingVersion.json()->getValue<std::string>("code"),
            missingDocument.json()->getValue<std::string>("code"));
  const auto version = client().get(path + "/versions/1");
  EXPECT_EQ(version.header("vary"), "Authorization");
  EXPECT_EQ(version.header("cache-control").find("max-age=31536000"), std::string::npos);
  // History is searched only by those who see everything.
  const auto history = anonymous().get("/api/v1/search?q=内部&history=true");
  ASSERT_EQ(history.status, 200);
  EXPECT_TRUE(history.json()->has("notice"));
  EXPECT_EQ(history.json()->getValue<int>("total"), 0);
}

TEST_F(AccountsApiTest, UsersAndUnitsAreValidatedAndAudited) {
  const auto create = [&](const std::string& body) {
    return client().postJson("/api/v1/users", body);
  };
  EXPECT_EQ(create(R"({"username":"short","password":"short"})").status, 422);
  EXPECT_EQ(create(R"({"username":"Upper","password":"a-long-password-1"})").status, 422);
  EXPECT_EQ(create(R"({"username":"x","password":"a-long-password-1","roles":[{"role":"wizard"}]})")
                .status,
            422);
  EXPECT_EQ(
      create(R"({"username":"x","password":"a-long-password-1","roles":[{"role":"archivist"}]})")
          .status,
      422);
  EXPECT_EQ(create(R"({"username":"x","password":"a-long-password-1","roles":[{"role":"archivist",)"
                   R"("unit":"nowhere"}]})")
                .status,
            422);
  EXPECT_EQ(create(R"({"username":"x","password":"a-long-password-1","roles":[{"role":"inspector",)"
                   R"("unit":"b"}]})")
                .status,
            422);
  EXPECT_EQ(create(R"({"username":"x","password":"a-long-password-1","roles":[{"role":"public"}]})")
                .status,
            422);
  EXPECT_EQ(create(R"({"username":"x","password":"a-long-password-1","is_admin":true})").status,
            422);
  const auto made =
      create(R"({"username":"archivist5","display_name":"档案员甲","password":"a-long-password-1",)"
             R"("roles":[{"role":"archivist","unit":"b"}]})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_FALSE(made.json()->has("password_hash"));
  EXPECT_EQ(made.json()->getValue<std::string>("display_name"), "档案员甲");
  EXPECT_EQ(create(R"({"username":"archivist5","password":"a-long-password-1"})").status, 409);

  EXPECT_EQ(client().postJson("/api/v1/org-units", R"({"code":"b","name":"重复"})").status, 409);
  EXPECT_EQ(client()
                .postJson("/api/v1/org-units", R"({"code":"c","name":"无上级","parent":"nowhere"})")
                .status,
            422);
  EXPECT_EQ(
      client().postJson("/api/v1/org-units", R"({"code":"中文","name":"代码须为 ASCII"})").status,
      422);
  EXPECT_EQ(client().postJson("/api/v1/org-units", R"({"code":"c","name":""})").status, 422);
  // A unit cannot be placed below itself.
  EXPECT_EQ(
      client()
          .request("PATCH", "/api/v1/org-units/committee", R"({"parent":"b"})", "application/json")
          .status,
      422);
  EXPECT_EQ(
      client()
          .request("PATCH", "/api/v1/org-units/nowhere", R"({"name":"x"})", "application/json")
          .status,
      404);

  const std::int64_t before = auditSize();
  ASSERT_EQ(
      client()
          .request("PATCH", "/api/v1/users/archivist5",
                   R"({"roles":[{"role":"archivist","unit":"b"},{"role":"reviewer","unit":"b"}]})",
                   "application/json")
          .status,
      200);
  const auto actions = auditActionsAfter(before);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0], "user.roles");
  // A document may only name a unit that exists.
  auto orphan = client().postJson(
      "/api/v1/documents",
      R"({"title":"无主","category":"ZZ","mode":"proactive","period":"standing","scope":"public",)"
      R"("org_unit":"nowhere"})");
  EXPECT_EQ(orphan.status, 422) << orphan.body;
}

// Two admins editing one account or unit: the second change, made against what the first one
// replaced, is refused (412) instead of silently undoing it. If-Match names the ETag the
// account or unit was read with; without it a change is unconditional, as before.
TEST_F(AccountsApiTest, AChangeMadeAgainstAStaleAccountOrUnitIsRefused) {
  ASSERT_EQ(client()
                .postJson("/api/v1/users", R"({"username":"clerk1","password":"a-long-password-1",)"
                                           R"("roles":[{"role":"archivist","unit":"b"}]})")
                .status,
            201);
  const std::string path = "/api/v1/users/clerk1";
  const auto read = client().get(path);
  ASSERT_EQ(read.status, 200);
  const std::string seen = read.header("ETag");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(read.json()->getValue<std::string>("etag"), seen);
  // A failed sign-in changes no revision: an editor's copy stays current.
  EXPECT_EQ(
      anonymous().postJson("/api/v1/auth/login", R"({"username":"clerk1","password":"no"})").status,
      401);
  EXPECT_EQ(client().get(path).header("ETag"), seen);

  const auto patch = [&](const std::string& target, const std::string& body,
                         const std::string& etag) {
    std::map<std::string, std::string> headers;
    if (!etag.empty()) headers["If-Match"] = etag;
    return client().request("PATCH", target, body, "application/json", headers);
  };
  const auto first = patch(path, R"({"display_name":"甲"})", seen);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.header("ETag"), seen);
  const std::int64_t before = auditSize();
  const auto stale = patch(path, R"({"roles":[{"role":"reviewer","unit":"b"}]})", seen);
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.json()->getValue<std::string>("code"), "version_mismatch");
  EXPECT_EQ(patch(path, R"({"display_name":"乙"})", "\"garbage\"").status, 412);
  EXPECT_EQ(auditSize(), before);
  const auto now = client().get(path);
  EXPECT_EQ(now.json()->getValue<std::string>("display_name"), "甲");
  EXPECT_EQ(now.json()->getArray("roles")->getObject(0)->getValue<std::string>("role"),
            "archivist");
  EXPECT_EQ(patch(path, R"({"display_name":"乙"})", now.header("ETag")).status, 200);
  EXPECT_EQ(patch(path, R"({"display_name":"丙"})", "").status, 200);  // unconditional
  EXPECT_EQ(patch(path, R"({"display_name":"丁"})", "*").status, 200);

  // Units: the list carries each unit's etag.
  const auto units = client().get("/api/v1/org-units").json()->getArray("org_units");
  std::string unitTag;
  for (std::size_t i = 0; i < units->size(); ++i) {
    if (units->getObject(i)->getValue<std::string>("code") == "b")
      unitTag = units->getObject(i)->getValue<std::string>("etag");
  }
  ASSERT_FALSE(unitTag.empty());
  const auto renamed = patch("/api/v1/org-units/b", R"({"name":"改名一"})", unitTag);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()->getValue<std::string>("etag"), renamed.header("ETag"));
  EXPECT_EQ(patch("/api/v1/org-units/b", R"({"name":"改名二"})", unitTag).status, 412);
  EXPECT_EQ(patch("/api/v1/org-units/b", R"({"name":"改名二"})", renamed.header("ETag")).status,
            200);
}

TEST_F(AccountsApiTest, AUnitBoundArchivistWorksInTheirUnitsAndBelowOnly) {
  addUnit("b-1", "小组", "b");
  const HttpClient archivist = anonymous().as(userWithRole("archivist6", "archivist", "b"));
  const auto mine = archivist.postJson(
      "/api/v1/documents",
      R"({"title":"本支部","category":"ZZ","mode":"proactive","period":"standing",)"
      R"("scope":"public","org_unit":"b-1"})");
  ASSERT_EQ(mine.status, 201) << mine.body;
  EXPECT_EQ(mine.json()->getValue<std::string>("created_by"), "archivist6");
  const auto theirs = client().postJson(
      "/api/v1/documents",
      R"({"title":"他支部","category":"ZZ","mode":"proactive","period":"standing",)"
      R"("scope":"public","org_unit":"branch-2"})");
  const std::string theirsPath =
      "/api/v1/documents/" + std::to_string(theirs.json()->getValue<Poco::Int64>("id"));
  EXPECT_EQ(archivist.get(theirsPath).status, 404);
  EXPECT_EQ(archivist
                .request("PATCH", theirsPath, R"({"title":"改"})", "application/json",
                         {{"If-Match", "*"}})
                .status,
            404);
  EXPECT_EQ(
      archivist.postMultipart(theirsPath + "/files", {{"file", "a.txt", "text/plain", "x", ""}})
          .status,
      404);
  auto list = archivist.get("/api/v1/documents");
  EXPECT_EQ(list.json()->getValue<int>("total"), 1);
}

// A policy folder of our own: the public may also see drafts of public scope, so what it may
// and may not see can be told apart before the workflow can publish anything.
class VisibilityPolicyTest : public AccountsApiTest {
 protected:
  void SetUp() override {
    policyDir_ = temp_ / "policies";
    std::filesystem::copy(GONGKAI_POLICY_DIR, policyDir_);
    rewrite("visibility.json", R"("statuses": ["published", "archived"],)",
            R"("statuses": ["draft", "published", "archived"],)", 1);
    start({"-D", "gongkai.policy.dir=" + policyDir_});
  }

  // Replaces the first `count` occurrences of `from` in a policy file.
  void rewrite(const std::string& file, const std::string& from, const std::string& to, int count) {
    const std::string path = policyDir_ + "/" + file;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    for (int i = 0; i < count; ++i) {
      const auto at = content.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      content.replace(at, from.size(), to);
    }
    std::ofstream(path, std::ios::trunc) << content;
  }

  std::string policyDir_;
};

TEST_F(VisibilityPolicyTest, ThePublicNeverSeesInternalOrRestrictedDocumentsAnywhere) {
  std::map<std::string, std::string> ids;
  for (const std::string scope : {"public", "internal", "restricted"}) {
    auto made = client().postMultipart(
        "/api/v1/documents",
        {{"metadata", "", "application/json",
          R"({"title":"党务公开)" + scope +
              R"(文件","category":"ZZ","mode":"proactive","period":"standing",)"
              R"("org_unit":"branch-1","scope":")" +
              scope + R"("})",
          ""},
         {"file", scope + ".txt", "text/plain", "党务公开正文" + scope, ""}});
    ASSERT_EQ(made.status, 201) << made.body;
    ids[scope] = std::to_string(made.json()->getValue<Poco::Int64>("id"));
  }
  const HttpClient visitor = anonymous();
  const auto list = visitor.get("/api/v1/documents");
  EXPECT_EQ(list.json()->getValue<int>("total"), 1);
  EXPECT_EQ(list.json()->getArray("documents")->getObject(0)->getValue<std::string>("id"),
            ids["public"]);
  for (const std::string scope : {"internal", "restricted"}) {
    const std::string path = "/api/v1/documents/" + ids[scope];
    EXPECT_EQ(visitor.get(path).status, 404);
    EXPECT_EQ(visitor.get(path + "/versions").status, 404);
    EXPECT_EQ(visitor.get(path + "/versions/1").status, 404);
    EXPECT_EQ(visitor.get(path + "/files/1").status, 404);
    EXPECT_EQ(visitor.get(path + "/files/2").status, 404);
    EXPECT_EQ(visitor.get(path + "/files/3").status, 404);
    EXPECT_EQ(visitor.get("/api/v1/documents?scope=" + scope).json()->getValue<int>("total"), 0);
  }
  EXPECT_EQ(visitor.get("/api/v1/documents/" + ids["public"]).status, 200);
  // Search: hits and facet counts alike.
  for (int attempt = 0;
       attempt < 100 &&
       client().get("/api/v1/search?q=党务公开").json()->getValue<int>("total") < 3;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(client().get("/api/v1/search?q=党务公开").json()->getValue<int>("total"), 3);
  const auto found = visitor.get("/api/v1/search?q=党务公开");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json()->getValue<int>("total"), 1);
  EXPECT_EQ(found.body.find("internal"), std::string::npos) << found.body;
  EXPECT_EQ(found.body.find("restricted"), std::string::npos) << found.body;
  auto scopes = found.json()->getObject("facets")->getArray("scope");
  ASSERT_EQ(scopes->size(), 1u);
  EXPECT_EQ(scopes->getObject(0)->getValue<std::string>("value"), "public");
  EXPECT_EQ(scopes->getObject(0)->getValue<int>("count"), 1);
  EXPECT_EQ(visitor.get("/api/v1/search?q=党务公开&scope=internal").json()->getValue<int>("total"),
            0);
  EXPECT_EQ(visitor.get("/api/v1/search?q=internal文件").json()->getValue<int>("total"), 0);
}

TEST_F(VisibilityPolicyTest, AReloadPutsANewPolicyInForceAndABrokenOneIsRefused) {
  const HttpClient member = anonymous().as(userWithRole("member7", "member"));
  EXPECT_EQ(member.get("/api/v1/audit").status, 403);
  const std::string digestInForce =
      client().get("/api/v1/policies").json()->getValue<std::string>("digest");
  // Grant members audit.read by editing their permission list.
  {
    const std::string path = policyDir_ + "/roles.json";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    const auto member = content.find("\"member\"");
    ASSERT_NE(member, std::string::npos);
    const auto list = content.find("\"permissions\": [", member);
    ASSERT_NE(list, std::string::npos);
    content.insert(list + std::string("\"permissions\": [").size(), "\"audit.read\", ");
    std::ofstream(path, std::ios::trunc) << content;
  }
  // Edited but not reloaded: the digest shown is still that of the rules in force.
  EXPECT_EQ(client().get("/api/v1/policies").json()->getValue<std::string>("digest"),
            digestInForce);
  const std::int64_t before = auditSize();
  auto reloaded = client().request("POST", "/api/v1/policies/reload");
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_EQ(member.get("/api/v1/audit").status, 200);
  EXPECT_EQ(auditActionsAfter(before), std::vector<std::string>{"policy.reload"});
  const std::string reloadedDigest = reloaded.json()->getValue<std::string>("digest");
  EXPECT_NE(reloadedDigest, digestInForce);
  EXPECT_EQ(client().get("/api/v1/policies").json()->getValue<std::string>("digest"),
            reloadedDigest);

  // A broken file: refused with the file and line, and the policy in force stays.
  rewrite("roles.json", "\"audit.read\", ", "\"audit.fly\", ", 1);
  auto refused = client().request("POST", "/api/v1/policies/reload");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.json()->getValue<std::string>("detail").find("roles.json:"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.json()->getValue<std::string>("detail").find("audit.fly"), std::string::npos)
      << refused.body;
  EXPECT_EQ(member.get("/api/v1/audit").status, 200);
  const auto shown = client().get("/api/v1/policies");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.json()->getValue<std::string>("digest"), reloadedDigest);  // not the broken one
  EXPECT_TRUE(shown.json()->getObject("roles")->has("archivist"));
  // Why a member may read the audit log now, in the policy's own terms.
  const auto why = member.get("/api/v1/policies/explain?permission=audit.read");
  ASSERT_EQ(why.status, 200) << why.body;
  EXPECT_TRUE(why.json()->getValue<bool>("allowed"));
  EXPECT_NE(why.json()->getValue<std::string>("explanation").find("member"), std::string::npos);
  EXPECT_EQ(member.get("/api/v1/policies/explain?permission=audit.read&username=admin").status,
            403);
  EXPECT_EQ(member.get("/api/v1/policies/explain?permission=fly").status, 422);
  const auto other =
      client().get("/api/v1/policies/explain?permission=users.manage&username=member7");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_FALSE(other.json()->getValue<bool>("allowed"));
}

TEST(PolicyAtStart, AServerWithABrokenPolicyRefusesToStartAndSaysWhere) {
  TempDir temp;
  const std::string policies = temp / "policies";
  std::filesystem::copy(GONGKAI_POLICY_DIR, policies);
  {
    std::ofstream out(policies + "/archive.json", std::ios::trunc);
    out << "{\n  \"fonds_code\": \"j001\",\n  \"reference_code_pattern\": "
           "\"{fonds}-{year}-{retention}-{category}-{item:4}\",\n  \"bundle_contents\": "
           "\"whole_record\"\n}\n";
  }
  std::string output;
  const int code = runCommand({GONGKAI_SERVER_BINARY, "--data-dir", temp / "data", "--port", "0",
                               "-D", "gongkai.policy.dir=" + policies},
                              output);
  EXPECT_EQ(code, 78) << output;
  EXPECT_NE(output.find("archive.json:2: fonds_code"), std::string::npos) << output;
}

TEST(UserCommand, AddsTheFirstAdminWithAPasswordFromStandardInput) {
  TempDir temp;
  const std::string dataDir = temp / "data";
  std::string folder;  // --data-dir DIR, and where its store is
  for (const auto& arg : withTestStore({"--data-dir", dataDir})) folder += " " + arg;
  std::string output;
  // Too short a password is refused and nothing is made.
  EXPECT_EQ(runCommand({"sh", "-c",
                        "echo short | " + std::string(GONGKAI_CLI_BINARY) +
                            " user add chief --role admin" + folder + " --pbkdf2-iterations 1000"},
                       output),
            1)
      << output;
  EXPECT_EQ(runCommand({"sh", "-c",
                        "echo a-long-enough-password | " + std::string(GONGKAI_CLI_BINARY) +
                            " user add chief --role admin" + folder + " --pbkdf2-iterations 1000"},
                       output),
            0)
      << output;
  EXPECT_EQ(runCommand({"sh", "-c",
                        "echo a-long-enough-password | " + std::string(GONGKAI_CLI_BINARY) +
                            " user add chief --role admin" + folder},
                       output),
            1)
      << output;  // taken
  EXPECT_EQ(runCommand({GONGKAI_CLI_BINARY, "user", "add", "x", "--data-dir", dataDir}, output), 2);
  {
    // The server starts without printing a one-time password, and the account works.
    ServerProcess server(dataDir);
    EXPECT_EQ(server.log().find("password):"), std::string::npos);
    const auto response =
        HttpClient(server.port())
            .postJson("/api/v1/auth/login",
                      R"({"username":"chief","password":"a-long-enough-password"})");
    EXPECT_EQ(response.status, 200) << response.body;
  }
  // The demo data loads into such a folder too: its cases go to demo accounts, not to an
  // `admin` that only the server's own first start makes.
  ServerProcess demo(dataDir, {"--demo"});
  EXPECT_NE(demo.log().find("loaded 10 demo documents"), std::string::npos) << demo.log();
}

}  // namespace
}  // namespace gongkai::testing

namespace gongkai::testing {
namespace {

TEST(Https, TheServerSpeaksTlsWithHstsAndRefusesPlainHttpOffLoopback) {
  TempDir temp;
  const std::string cert = temp / "cert.pem", key = temp / "key.pem";
  std::string output;
  ASSERT_EQ(runCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1"},
                       output),
            0)
      << output;
  {
    ServerProcess server(temp / "data", {"-D", "gongkai.tls.certificate_file=" + cert, "-D",
                                         "gongkai.tls.private_key_file=" + key});
    const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/healthz";
    ASSERT_EQ(runCommand({"curl", "-sk", "-i", url}, output), 0) << output;
    EXPECT_NE(output.find("HTTP/1.1 200"), std::string::npos) << output;
    EXPECT_NE(output.find("Strict-Transport-Security: max-age=31536000; includeSubDomains"),
              std::string::npos)
        << output;
    EXPECT_NE(server.log().find("listening on https://"), std::string::npos);
  }
  // Plain HTTP on every interface, and a key without its certificate: refused at start.
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", temp / "data2", "--port", "0",
                        "--address", "0.0.0.0"},
                       output),
            78)
      << output;
  EXPECT_NE(output.find("0.0.0.0"), std::string::npos) << output;
  EXPECT_EQ(runCommand({GONGKAI_SERVER_BINARY, "--data-dir", temp / "data3", "--port", "0", "-D",
                        "gongkai.tls.private_key_file=" + key},
                       output),
            78)
      << output;
}

}  // namespace
}  // namespace gongkai::testing
