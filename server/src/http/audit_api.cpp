// The audit log under /api/v1/audit: its entries, checkpoints, inclusion and consistency proofs,
// entries by leaf index, verifier keys and the offline export.
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/base64.h"
#include "gongkai/core/ed25519.h"
#include "gongkai/core/json.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr const char* kPlainText = "text/plain; charset=utf-8";

std::string b64(const core::merkle::Hash& hash) {
  return core::base64Encode(core::digestBytes(hash));
}

// ?`name`=, which the proof needs.
core::Result<std::int64_t> required(Exchange& ex, const std::string& name) {
  auto value = ex.intQuery(name, 0, INT64_MAX);
  if (!value.ok()) return value.error();
  if (value.value()) return *value.value();
  return core::Error::make(core::ErrorCode::kMalformed, "missing_parameter",
                           "缺少 " + name + " 参数 (" + name + " is required)");
}

}  // namespace

void addAuditRoutes(Router& router, service::AuditService& audit,
                    service::CheckpointService& checkpoints) {
  // Every audit endpoint is a way of reading the log: the service decides who may.
  const auto add = [&](const std::string& path, Handler handler) {
    router.add("GET", "/api/v1/audit" + path, [&audit, handler = std::move(handler)](Exchange& ex) {
      if (auto allowed = audit.mayRead(ex.subject); !allowed.ok())
        return ex.sendProblem(allowed.error());
      handler(ex);
    });
  };
  add("", [&audit](Exchange& ex) {
    auto after = ex.intQuery("after", 0, INT64_MAX);
    auto limit = ex.intQuery("limit", 1, service::AuditService::kMaxPage);
    if (auto* error = firstError(after, limit)) return ex.sendProblem(*error);
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
    const std::int64_t from = after.value().value_or(0);
    auto entries =
        objectType ? audit.listForObject(*objectType, *objectId, from, limit.value().value_or(100))
                   : audit.list(from, limit.value().value_or(100));
    auto size = audit.size();
    if (auto* error = firstError(entries, size)) return ex.sendProblem(*error);
    const auto entry = [](const auto& stored) {
      auto parsed = core::parseJson(stored.bytes);
      // "canonical": the exact stored bytes, as a JSON string: decode and hash it to check the
      // chain.
      return json::object({"seq"_f = stored.seq, "hash"_f = stored.hash,
                           "canonical"_f = stored.bytes,
                           "entry"_f = parsed.ok() ? parsed.value() : Var()});
    };
    ex.sendJson(
        HTTPResponse::HTTP_OK,
        json::object({"size"_f = size.value(), "entries"_f = json::array(entries.value(), entry),
                      "next_after"_f = entries.value().empty() ? from : entries.value().back().seq,
                      "genesis_prev_hash"_f = core::kGenesisHash}));
  });
  add("/checkpoint", [&audit](Exchange& ex) {
    auto found = audit.latestCheckpoint();
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("X-Tree-Size", std::to_string(found.value().tree_size));
    ex.sendText(kPlainText, found.value().note);
  });
  add("/checkpoints", [&audit](Exchange& ex) {
    auto after = ex.intQuery("after", -1, INT64_MAX);
    auto limit = ex.intQuery("limit", 1, service::AuditService::kMaxPage);
    if (auto* error = firstError(after, limit)) return ex.sendProblem(*error);
    const auto checkpoint = [](const auto& c) {
      return json::object({"tree_size"_f = c.tree_size, "root_hash"_f = c.root_hash,
                           "signer_key"_f = c.signer_key, "created_at"_f = c.created_at,
                           "note"_f = c.note});
    };
    ex.reply(audit.checkpoints(after.value().value_or(-1), limit.value().value_or(100)),
             [&](const auto& all) {
               return json::object({"checkpoints"_f = json::array(all, checkpoint)});
             });
  });
  add("/checkpoints/{size}", [&audit](Exchange& ex) {
    const std::string& text = ex.params.at("size");
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return ex.sendProblem(core::Error::make(core::ErrorCode::kNotFound, "checkpoint_not_found",
                                              "没有该大小的检查点 (no checkpoint of that size)"));
    }
    auto found = audit.checkpointAt(std::stoll(text));
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("Cache-Control", "public, max-age=31536000, immutable");
    ex.sendText(kPlainText, found.value().note);
  });
  add("/proof/inclusion", [&audit](Exchange& ex) {
    auto index = required(ex, "index");
    auto size = ex.intQuery("size", 0, INT64_MAX);
    if (auto* error = firstError(index, size)) return ex.sendProblem(*error);
    ex.reply(audit.checkpointedInclusionProof(index.value(), size.value()), [](const auto& found) {
      const auto& p = found.proof;
      return json::object({"leaf_index"_f = p.index, "tree_size"_f = p.size,
                           "leaf_hash"_f = b64(p.leaf_hash), "root_hash"_f = b64(p.root),
                           "proof"_f = json::array(p.proof, b64),
                           "checkpoint"_f = found.checkpoint});
    });
  });
  add("/proof/consistency", [&audit](Exchange& ex) {
    auto from = required(ex, "from");
    auto to = ex.intQuery("to", 0, INT64_MAX);
    if (auto* error = firstError(from, to)) return ex.sendProblem(*error);
    ex.reply(audit.checkpointedConsistencyProof(from.value(), to.value()), [](const auto& found) {
      const auto& p = found.proof;
      return json::object({"from"_f = p.from, "to"_f = p.to, "root1"_f = b64(p.root1),
                           "root2"_f = b64(p.root2), "proof"_f = json::array(p.proof, b64),
                           "checkpoint"_f = found.checkpoint});
    });
  });
  add("/entries", [&audit](Exchange& ex) {
    auto start = ex.intQuery("start", 0, INT64_MAX);
    auto end = ex.intQuery("end", 0, INT64_MAX);
    if (auto* error = firstError(start, end)) return ex.sendProblem(*error);
    if (!start.value() || !end.value()) {
      return ex.sendProblem(
          core::Error::make(core::ErrorCode::kMalformed, "missing_parameter",
                            "需要 start 和 end 参数 (start and end are required)"));
    }
    // "canonical": the exact stored bytes: leaf hash = SHA-256(0x00 || these bytes in UTF-8).
    const auto entry = [](const auto& e) {
      return json::object({"leaf_index"_f = e.seq - 1, "seq"_f = e.seq, "canonical"_f = e.bytes});
    };
    ex.reply(audit.entries(*start.value(), *end.value()), [&](const auto& all) {
      return json::object({"entries"_f = json::array(all, entry)});
    });
  });
  add("/key", [&checkpoints](Exchange& ex) {
    const auto& key = checkpoints.verifierKey();
    if (ex.queryValue("format") == "pem") {
      return ex.sendText("application/x-pem-file", core::ed25519PublicKeyPem(key.public_key));
    }
    ex.sendText(kPlainText, core::note::formatVerifierKey(key) + "\n");
  });
  add("/keys", [&checkpoints](Exchange& ex) {
    auto all = checkpoints.allVerifierKeys();
    if (!all.ok()) return ex.sendProblem(all.error());
    std::string text;
    for (const auto& key : all.value()) text += core::note::formatVerifierKey(key) + "\n";
    ex.sendText(kPlainText, text);
  });
  add("/export", [&audit, &checkpoints](Exchange& ex) {
    // A fresh checkpoint, so the file covers the whole log as of now.
    auto checkpoint = checkpoints.checkpointNow();
    if (!checkpoint.ok()) return ex.sendProblem(checkpoint.error());
    const auto size = checkpoint.value().tree_size;
    ex.response.setStatus(HTTPResponse::HTTP_OK);
    ex.response.setContentType(kPlainText);
    ex.response.set("Content-Disposition",
                    "attachment; filename=\"gongkai-audit-" + std::to_string(size) + ".log\"");
    ex.response.set("X-Tree-Size", std::to_string(size));
    ex.response.setChunkedTransferEncoding(true);
    if (ex.request.getMethod() == "HEAD") return (void)ex.response.send();
    std::ostream& out = ex.response.send();
    try {
      audit.writeExport(out, checkpoint.value());
    } catch (const std::exception&) {
      // Headers are gone; the missing end line tells the client the file is incomplete.
    }
  });
}

}  // namespace gongkai::server::http
