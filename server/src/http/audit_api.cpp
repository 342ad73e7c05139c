// The audit log under /api/v1/audit: its entries, checkpoints, inclusion and consistency proofs,
// entries by leaf index, verifier keys and the offline export.
#include "audit_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "gongkai/core/audit_entry.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/json.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

std::string b64(const core::merkle::Hash& hash) {
  return core::base64Encode(core::digestBytes(hash));
}

Array::Ptr b64List(const std::vector<core::merkle::Hash>& hashes) {
  Array::Ptr out = new Array;
  for (const auto& hash : hashes) out->add(b64(hash));
  return out;
}

void sendText(Exchange& ex, const std::string& text) {
  ex.response.setStatus(HTTPResponse::HTTP_OK);
  ex.response.setContentType("text/plain; charset=utf-8");
  sendBody(ex.request, ex.response, text);
}

class AuditRoutes {
 public:
  AuditRoutes(service::AuditService& audit, service::CheckpointService& checkpoints)
      : audit_(audit), checkpoints_(checkpoints) {}

  // Every audit endpoint is a way of reading the log: the service decides who may.
  static void addTo(const std::shared_ptr<AuditRoutes>& self, Router& router) {
    const std::string base = "/api/v1/audit";
    const auto add = [&](const std::string& path, Handler handler) {
      router.add("GET", base + path, [self, handler = std::move(handler)](Exchange& ex) {
        if (auto allowed = self->audit_.mayRead(ex.subject); !allowed.ok())
          return ex.sendProblem(allowed.error());
        handler(ex);
      });
    };
    add("", [self](Exchange& ex) { self->listAudit(ex); });
    add("/checkpoint", [self](Exchange& ex) { self->latestCheckpoint(ex); });
    add("/checkpoints", [self](Exchange& ex) { self->listCheckpoints(ex); });
    add("/checkpoints/{size}", [self](Exchange& ex) { self->checkpointAt(ex); });
    add("/proof/inclusion", [self](Exchange& ex) { self->inclusion(ex); });
    add("/proof/consistency", [self](Exchange& ex) { self->consistency(ex); });
    add("/entries", [self](Exchange& ex) { self->entries(ex); });
    add("/key", [self](Exchange& ex) { self->key(ex); });
    add("/keys", [self](Exchange& ex) { self->keys(ex); });
    add("/export", [self](Exchange& ex) { self->exportLog(ex); });
  }

 private:
  void listAudit(Exchange& ex) {
    auto after = ex.intQuery("after", 0, INT64_MAX);
    auto limit = ex.intQuery("limit", 1, service::AuditService::kMaxPage);
    if (!after.ok()) return ex.sendProblem(after.error());
    if (!limit.ok()) return ex.sendProblem(limit.error());
    // ?object_type=document&object_id=12 narrows the list to one object's entries.
    const auto objectType = ex.queryValue("object_type");
    const auto objectId = ex.queryValue("object_id");
    if (objectType.has_value() != objectId.has_value()) {
      core::Error error = core::Error::make(
          core::ErrorCode::kMalformed, "invalid_query",
          "object_type 与 object_id 须同时给出 (give both object_type and object_id)");
      error.fields.push_back(
          {objectType ? "object_id" : "object_type", "missing_field", error.message});
      return ex.sendProblem(error);
    }
    auto entries = objectType
                       ? audit_.listForObject(*objectType, *objectId, after.value().value_or(0),
                                              limit.value().value_or(100))
                       : audit_.list(after.value().value_or(0), limit.value().value_or(100));
    auto size = audit_.size();
    if (!entries.ok()) return ex.sendProblem(entries.error());
    if (!size.ok()) return ex.sendProblem(size.error());
    Array::Ptr items = new Array;
    std::int64_t last = after.value().value_or(0);
    for (const auto& stored : entries.value()) {
      Object::Ptr item = new Object;
      item->set("seq", static_cast<Poco::Int64>(stored.seq));
      item->set("hash", stored.hash);
      // The exact stored bytes, as a JSON string: decode it and hash it to check the chain.
      item->set("canonical", stored.bytes);
      auto parsed = core::parseJson(stored.bytes);
      item->set("entry", parsed.ok() ? parsed.value() : Poco::Dynamic::Var());
      items->add(item);
      last = stored.seq;
    }
    Object::Ptr body = new Object;
    body->set("size", static_cast<Poco::Int64>(size.value()));
    body->set("entries", items);
    body->set("next_after", static_cast<Poco::Int64>(last));
    body->set("genesis_prev_hash", std::string(core::kGenesisHash));
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void latestCheckpoint(Exchange& ex) {
    auto found = audit_.latestCheckpoint();
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("X-Tree-Size", std::to_string(found.value().tree_size));
    sendText(ex, found.value().note);
  }

  void checkpointAt(Exchange& ex) {
    const std::string& text = ex.params.at("size");
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kNotFound, "checkpoint_not_found",
                                              "没有该大小的检查点 (no checkpoint of that size)"));
    }
    auto found = audit_.checkpointAt(std::stoll(text));
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("Cache-Control", "public, max-age=31536000, immutable");
    sendText(ex, found.value().note);
  }

  void listCheckpoints(Exchange& ex) {
    auto after = ex.intQuery("after", -1, INT64_MAX);
    auto limit = ex.intQuery("limit", 1, service::AuditService::kMaxPage);
    if (!after.ok()) return ex.sendProblem(after.error());
    if (!limit.ok()) return ex.sendProblem(limit.error());
    auto found = audit_.checkpoints(after.value().value_or(-1), limit.value().value_or(100));
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& c : found.value()) {
      Object::Ptr item = new Object;
      item->set("tree_size", static_cast<Poco::Int64>(c.tree_size));
      item->set("root_hash", c.root_hash);
      item->set("signer_key", c.signer_key);
      item->set("created_at", c.created_at);
      item->set("note", c.note);
      items->add(item);
    }
    Object::Ptr body = new Object;
    body->set("checkpoints", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  // The size a proof is made against: as asked, or else that of the latest checkpoint, so that
  // the proof checks against a root someone signed.
  core::Result<std::int64_t> sizeOrLatestCheckpoint(Exchange& ex, const std::string& name) {
    auto size = ex.intQuery(name, 0, INT64_MAX);
    if (!size.ok()) return size.error();
    if (size.value()) return *size.value();
    auto latest = audit_.latestCheckpoint();
    if (!latest.ok()) return latest.error();
    return latest.value().tree_size;
  }

  // The signed checkpoint of exactly `size` entries, when there is one.
  void addCheckpoint(Object::Ptr& body, std::int64_t size) {
    auto found = audit_.checkpointAt(size);
    body->set("checkpoint",
              found.ok() ? Poco::Dynamic::Var(found.value().note) : Poco::Dynamic::Var());
  }

  void inclusion(Exchange& ex) {
    auto index = ex.intQuery("index", 0, INT64_MAX);
    if (!index.ok()) return ex.sendProblem(index.error());
    if (!index.value()) {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kMalformed, "missing_parameter",
                                              "缺少 index 参数 (index is required)"));
    }
    auto size = sizeOrLatestCheckpoint(ex, "size");
    if (!size.ok()) return ex.sendProblem(size.error());
    auto proof = audit_.inclusionProof(*index.value(), size.value());
    if (!proof.ok()) return ex.sendProblem(proof.error());
    const auto& p = proof.value();
    Object::Ptr body = new Object;
    body->set("leaf_index", static_cast<Poco::Int64>(p.index));
    body->set("tree_size", static_cast<Poco::Int64>(p.size));
    body->set("leaf_hash", b64(p.leaf_hash));
    body->set("root_hash", b64(p.root));
    body->set("proof", b64List(p.proof));
    addCheckpoint(body, p.size);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void consistency(Exchange& ex) {
    auto from = ex.intQuery("from", 0, INT64_MAX);
    if (!from.ok()) return ex.sendProblem(from.error());
    if (!from.value()) {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kMalformed, "missing_parameter",
                                              "缺少 from 参数 (from is required)"));
    }
    auto to = sizeOrLatestCheckpoint(ex, "to");
    if (!to.ok()) return ex.sendProblem(to.error());
    auto proof = audit_.consistencyProof(*from.value(), to.value());
    if (!proof.ok()) return ex.sendProblem(proof.error());
    const auto& p = proof.value();
    Object::Ptr body = new Object;
    body->set("from", static_cast<Poco::Int64>(p.from));
    body->set("to", static_cast<Poco::Int64>(p.to));
    body->set("root1", b64(p.root1));
    body->set("root2", b64(p.root2));
    body->set("proof", b64List(p.proof));
    addCheckpoint(body, p.to);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void entries(Exchange& ex) {
    auto start = ex.intQuery("start", 0, INT64_MAX);
    auto end = ex.intQuery("end", 0, INT64_MAX);
    if (!start.ok()) return ex.sendProblem(start.error());
    if (!end.ok()) return ex.sendProblem(end.error());
    if (!start.value() || !end.value()) {
      return ex.sendProblem(
          core::Error::make(core::ErrorCode::kMalformed, "missing_parameter",
                            "需要 start 和 end 参数 (start and end are required)"));
    }
    auto found = audit_.entries(*start.value(), *end.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& entry : found.value()) {
      Object::Ptr item = new Object;
      item->set("leaf_index", static_cast<Poco::Int64>(entry.seq - 1));
      item->set("seq", static_cast<Poco::Int64>(entry.seq));
      // The exact stored bytes: leaf hash = SHA-256(0x00 || these bytes in UTF-8).
      item->set("canonical", entry.bytes);
      items->add(item);
    }
    Object::Ptr body = new Object;
    body->set("entries", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void key(Exchange& ex) {
    const auto& key = checkpoints_.verifierKey();
    if (ex.queryValue("format") == "pem") {
      ex.response.setStatus(HTTPResponse::HTTP_OK);
      ex.response.setContentType("application/x-pem-file");
      return sendBody(ex.request, ex.response, core::ed25519PublicKeyPem(key.public_key));
    }
    sendText(ex, core::note::formatVerifierKey(key) + "\n");
  }

  void keys(Exchange& ex) {
    auto all = checkpoints_.allVerifierKeys();
    if (!all.ok()) return ex.sendProblem(all.error());
    std::string text;
    for (const auto& key : all.value()) text += core::note::formatVerifierKey(key) + "\n";
    sendText(ex, text);
  }

  void exportLog(Exchange& ex) {
    // A fresh checkpoint, so the file covers the whole log as of now.
    auto checkpoint = checkpoints_.checkpointNow();
    if (!checkpoint.ok()) return ex.sendProblem(checkpoint.error());
    const auto size = checkpoint.value().tree_size;
    ex.response.setStatus(HTTPResponse::HTTP_OK);
    ex.response.setContentType("text/plain; charset=utf-8");
    ex.response.set("Content-Disposition",
                    "attachment; filename=\"gongkai-audit-" + std::to_string(size) + ".log\"");
    ex.response.set("X-Tree-Size", std::to_string(size));
    ex.response.setChunkedTransferEncoding(true);
    if (ex.request.getMethod() == "HEAD") return (void)ex.response.send();
    std::ostream& out = ex.response.send();
    try {
      audit_.writeExport(out, checkpoint.value());
    } catch (const std::exception&) {
      // Headers are gone; the missing end line tells the client the file is incomplete.
    }
  }

  service::AuditService& audit_;
  service::CheckpointService& checkpoints_;
};

}  // namespace

void addAuditRoutes(Router& router, service::AuditService& audit,
                    service::CheckpointService& checkpoints) {
  AuditRoutes::addTo(std::make_shared<AuditRoutes>(audit, checkpoints), router);
}

}  // namespace gongkai::server::http
