// POST /api/v1/archives/{id}/receipt: the receiving office countersigns a transferred bundle;
// GET /api/v1/archives/{id}/receipts: the bundle's receipts, with the digest a receipt signs.
// GET /api/v1/archives/{id}/transfer-list(.html): the transfer list the bundle carries.
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

// A receipt's texts and a PEM key are small; this bounds the body well above them.
constexpr std::int64_t kMaxReceiptBodyBytes = 32 * 1024;

Object::Ptr receiptJson(const service::Receipt& r) {
  return json::object({"archive_id"_f = r.archive_id, "number"_f = r.number,
                       "decision"_f = r.decision, "record"_f = json::parsedOrNull(r.record),
                       "record_sha256"_f = r.record_sha256, "audit_seq"_f = r.audit_seq});
}

}  // namespace

void addArchiveReceiptRoutes(Router& router, service::ArchiveReceipts& receipts) {
  router.add("POST", "/api/v1/archives/{id}/receipt", [&receipts](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto body = ex.readJsonObject(kMaxReceiptBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    BodyReader reader(body.value(), {"decision", "receiver_unit", "receiver_name", "remarks",
                                     "tagmanifest_sha256", "public_key_pem", "signature"});
    service::ReceiptRequest request;
    request.decision = reader.anyText("decision");
    request.receiver_unit = reader.anyText("receiver_unit");
    request.receiver_name = reader.anyText("receiver_name");
    request.remarks = reader.anyText("remarks", true);
    request.tagmanifest_sha256 = reader.anyText("tagmanifest_sha256");
    request.public_key_pem = reader.anyText("public_key_pem", true);
    request.signature = reader.anyText("signature");
    if (auto read = reader.result("invalid_receipt", "接收回执有误 (invalid receipt)");
        !read.ok()) {
      return ex.sendProblem(read.error());
    }
    auto made = receipts.receive(ex.subject, id.value(), request);
    if (made.ok()) {
      ex.response.set("Location", "/api/v1/archives/" + std::to_string(id.value()) + "/receipts");
    }
    ex.reply(made, receiptJson, HTTPResponse::HTTP_CREATED);
  });
  // The transfer list the bundle carries (a tag file, signed with it): JSON, and the printable
  // page, which a plain link opens with a download ticket. The page is the bundle's own bytes,
  // values escaped as it was written; it runs no script and loads nothing.
  router.add("GET", "/api/v1/archives/{id}/transfer-list", [&receipts](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto list = receipts.transferList(ex.subject, id.value(), false);
    if (!list.ok()) return ex.sendProblem(list.error());
    ex.sendText("application/json; charset=utf-8", list.value());
  });
  router.add("GET", "/api/v1/archives/{id}/transfer-list.html", [&receipts](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto page = receipts.transferList(ex.subject, id.value(), true);
    if (!page.ok()) return ex.sendProblem(page.error());
    ex.response.set("Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ex.sendText("text/html; charset=utf-8", page.value());
  });
  router.add("GET", "/api/v1/archives/{id}/receipts", [&receipts](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(receipts.list(ex.subject, id.value()), [](const service::BundleReceipts& all) {
      return json::object({"archive_id"_f = all.archive_id, "bundle"_f = all.bundle,
                           "tagmanifest_sha256"_f = all.tagmanifest_sha256,
                           "receipts"_f = json::array(all.receipts, receiptJson)});
    });
  });
}

}  // namespace gongkai::server::http
