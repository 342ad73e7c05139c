// Download tickets: a link that GETs one path for a minute as the session that asked for it,
// for downloads a browser must stream to disk (it cannot send the Authorization header).
#include <chrono>
#include <thread>

#include "fixture.h"

namespace gongkai::testing {
namespace {

class DownloadTicketsTest : public ServerTest {
 protected:
  HttpClient as(const std::string& token) const {
    HttpClient c = anonymous();
    c.setDefaultHeader("Authorization", "Bearer " + token);
    return c;
  }
  // The link a ticket request answers with, or "" (and a test failure) when refused.
  std::string linkFor(const HttpClient& caller, const std::string& path) {
    const auto made =
        caller.postJson("/api/v1/auth/download-tickets", R"({"path":")" + path + R"("})");
    EXPECT_EQ(made.status, 201) << made.body;
    if (made.status != 201) return "";
    EXPECT_EQ(made.header("Cache-Control"), "no-store");
    EXPECT_FALSE(made.json()->getValue<std::string>("expires_at").empty());
    return made.json()->getValue<std::string>("url");
  }
};

TEST_F(DownloadTicketsTest, ALinkFetchesItsPathAsTheSessionThatAskedForIt) {
  const std::string token = userWithRole("clerk", "committee");
  const std::string link = linkFor(as(token), "/api/v1/audit/keys");
  ASSERT_EQ(link.rfind("/api/v1/audit/keys?ticket=", 0), 0u) << link;

  const auto viaLink = anonymous().get(link);  // no Authorization header at all
  ASSERT_EQ(viaLink.status, 200) << viaLink.body;
  EXPECT_EQ(viaLink.body, as(token).get("/api/v1/audit/keys").body);
  EXPECT_EQ(anonymous().request("HEAD", link).status, 200);
  // Without the ticket the same path is refused to the anonymous.
  EXPECT_EQ(anonymous().get("/api/v1/audit/keys").status, 401);
}

TEST_F(DownloadTicketsTest, ATicketOpensNothingButItsOwnPathAndOnlyForReading) {
  const std::string token = userWithRole("clerk2", "committee");
  const std::string link = linkFor(as(token), "/api/v1/audit/keys");
  const std::string ticket = link.substr(link.find("ticket=") + 7);
  for (const std::string other :
       {std::string("/api/v1/audit/key"), std::string("/api/v1/audit/keys/"),
        std::string("/api/v1/users")}) {
    const auto refused = anonymous().get(other + "?ticket=" + ticket);
    EXPECT_EQ(refused.status, 401) << other;
    EXPECT_EQ(refused.json()->getValue<std::string>("code"), "invalid_ticket") << other;
  }
  // Tampered: another expiry, another session, a flipped MAC, garbage.
  const auto dash1 = ticket.find('-'), dash2 = ticket.find('-', dash1 + 1);
  std::string flipped = ticket;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  for (const std::string bad :
       {ticket.substr(0, dash1 + 1) + "9999999999" + ticket.substr(dash2), "1" + ticket, flipped,
        std::string("x-y-z"), std::string(""), std::string(5000, 'a')}) {
    EXPECT_EQ(anonymous().get("/api/v1/audit/keys?ticket=" + bad).status, 401) << bad.substr(0, 80);
  }
  // Never for a change.
  const auto posted = anonymous().postJson("/api/v1/documents?ticket=" + ticket, "{}");
  EXPECT_EQ(posted.status, 401);
}

TEST_F(DownloadTicketsTest, TheHoldersOwnRightsStillDecide) {
  // A member may ask for a ticket to any path, but following it is judged as the member.
  const std::string member = userWithRole("member1", "member");
  const std::string link = linkFor(as(member), "/api/v1/audit/keys");
  EXPECT_EQ(anonymous().get(link).status, 403);
}

TEST_F(DownloadTicketsTest, TheSessionsEndVoidsItsTickets) {
  const std::string token = userWithRole("clerk3", "committee");
  const std::string link = linkFor(as(token), "/api/v1/audit/keys");
  ASSERT_EQ(anonymous().get(link).status, 200);
  ASSERT_EQ(as(token).postJson("/api/v1/auth/logout", "").status, 204);
  EXPECT_EQ(anonymous().get(link).status, 401);
}

TEST_F(DownloadTicketsTest, BadRequestsGetClearProblems) {
  EXPECT_EQ(anonymous()
                .postJson("/api/v1/auth/download-tickets", R"({"path":"/api/v1/audit/keys"})")
                .status,
            401);
  for (const std::string body :
       {std::string(R"({"path":"/etc/passwd"})"),
        std::string(R"({"path":"/api/v1/audit/keys?x=1"})"),
        std::string(R"({"path":"/api/v1/../store.db"})"), std::string(R"({"path":""})"),
        std::string(R"({"path":7})"), std::string("{}")}) {
    const auto refused = client().postJson("/api/v1/auth/download-tickets", body);
    EXPECT_EQ(refused.status, 422) << body;
    EXPECT_EQ(refused.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"),
              "path")
        << body;
  }
  EXPECT_EQ(client().postJson("/api/v1/auth/download-tickets", "{").status, 400);
  // Truncated, oversized and not JSON at all.
  EXPECT_EQ(client().postJson("/api/v1/auth/download-tickets", R"({"path":"/api/v1/au)").status,
            400);
  EXPECT_EQ(client()
                .postJson("/api/v1/auth/download-tickets",
                          R"({"path":")" + std::string(5000, 'a') + R"("})")
                .status,
            413);
  EXPECT_EQ(
      client().request("POST", "/api/v1/auth/download-tickets", "path=/x", "text/plain").status,
      415);
}

TEST_F(DownloadTicketsTest, TheAccessLogNeverKeepsATicket) {
  const std::string link = linkFor(client(), "/api/v1/audit/keys");
  const std::string ticket = link.substr(link.find("ticket=") + 7);
  ASSERT_EQ(anonymous().get(link).status, 200);
  server().stop();  // flushes the asynchronous access log
  const std::string log = readFile(dataDir() + "/logs/access.log");
  EXPECT_NE(log.find(R"("uri":"/api/v1/audit/keys?ticket=…")"), std::string::npos) << log;
  EXPECT_EQ(log.find(ticket), std::string::npos);
}

}  // namespace
}  // namespace gongkai::testing
