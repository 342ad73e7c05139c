#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {

void addDownloadTicketRoutes(Router& router, const service::DownloadTickets& tickets) {
  router.add("POST", "/api/v1/auth/download-tickets", [&tickets](Exchange& ex) {
    auto body = ex.readJsonObject(4096);
    if (!body.ok()) return ex.sendProblem(body.error());
    const std::string path = textField(body.value(), "path").value;  // "" if none: refused
    auto ticket = tickets.issue(ex.subject, path);
    if (ticket.ok()) ex.response.set("Cache-Control", "no-store");
    ex.reply(
        ticket,
        [&](const auto& t) {
          return json::object({"url"_f = path + "?ticket=" + t.value, "expires_at"_f = t.expires});
        },
        Poco::Net::HTTPResponse::HTTP_CREATED);
  });
}

}  // namespace gongkai::server::http
