#include "download_tickets_api.h"

#include <Poco/JSON/Object.h>

namespace gongkai::server::http {

void addDownloadTicketRoutes(Router& router, const service::DownloadTickets& tickets) {
  router.add("POST", "/api/v1/auth/download-tickets", [&tickets](Exchange& ex) {
    auto body = ex.readJsonObject(4096);
    if (!body.ok()) return ex.sendProblem(body.error());
    const auto& json = body.value();
    const std::string path = json->has("path") && json->get("path").isString()
                                 ? json->getValue<std::string>("path")
                                 : "";
    auto ticket = tickets.issue(ex.subject, path);
    if (!ticket.ok()) return ex.sendProblem(ticket.error());
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("url", path + "?ticket=" + ticket.value().value);
    out->set("expires_at", core::formatRfc3339(ticket.value().expires));
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(Poco::Net::HTTPResponse::HTTP_CREATED, out);
  });
}

}  // namespace gongkai::server::http
