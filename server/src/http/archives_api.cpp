#include "archives_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "body_reader.h"
#include "net/file_response.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 4096;

// A JSON text the server wrote itself (job params and results), as an object for the response.
Poco::Dynamic::Var parsedOrNull(const std::string& text) {
  if (text.empty()) return Poco::Dynamic::Var();
  try {
    return Poco::JSON::Parser().parse(text);
  } catch (const std::exception&) {
    return Poco::Dynamic::Var();
  }
}

Object::Ptr jobJson(const service::JobView& job) {
  Object::Ptr out = new Object;
  out->set("job_id", static_cast<Poco::Int64>(job.id));
  out->set("kind", job.kind);
  out->set("state", job.state);
  out->set("params", parsedOrNull(job.params));
  Object::Ptr progress = new Object;
  progress->set("items_done", static_cast<Poco::Int64>(job.progress.items_done));
  progress->set("items_total", static_cast<Poco::Int64>(job.progress.items_total));
  progress->set("bytes_done", static_cast<Poco::Int64>(job.progress.bytes_done));
  progress->set("bytes_total", static_cast<Poco::Int64>(job.progress.bytes_total));
  out->set("progress", progress);
  out->set("result", parsedOrNull(job.result));
  if (job.error_code.empty()) {
    out->set("error", Poco::Dynamic::Var());
  } else {
    Object::Ptr error = new Object;
    error->set("code", job.error_code);
    error->set("message", job.error_message);
    out->set("error", error);
  }
  out->set("created_by", job.created_by);
  out->set("created_at", job.created_at);
  out->set("updated_at", job.updated_at);
  return out;
}

Object::Ptr archiveJson(const service::BundleRecord& a) {
  Object::Ptr out = new Object;
  out->set("id", static_cast<Poco::Int64>(a.id));
  out->set("name", a.name);
  out->set("fonds", a.fonds);
  out->set("category", a.category);
  out->set("year", a.year);
  out->set("item_count", static_cast<Poco::Int64>(a.item_count));
  out->set("audit_entry_count", static_cast<Poco::Int64>(a.audit_entry_count));
  out->set("size", static_cast<Poco::Int64>(a.size));
  out->set("sha256", a.sha256);
  out->set("signer_key", a.signer_key);
  out->set("sm2_signed", a.sm2_signed);
  out->set("checkpoint_size", static_cast<Poco::Int64>(a.checkpoint_size));
  out->set("job_id", static_cast<Poco::Int64>(a.job_id));
  out->set("created_by", a.created_by);
  out->set("created_at", a.created_at);
  out->set("download_url", "/api/v1/archives/" + std::to_string(a.id) + "/download");
  return out;
}

// {"category": "ZZ", "year": 2023, "checkpoint_size": N (optional)}, nothing else.
core::Result<service::BundleRequest> parseBundleRequest(const Object::Ptr& json) {
  const auto unknown = unknownMembersNamed(json, {"category", "year", "checkpoint_size"});
  if (!unknown.empty()) {
    return fieldError(unknown.front().field, "unknown_field", unknown.front().message);
  }
  service::BundleRequest request;
  auto category = textField(json, "category");
  if (!category.hasValue()) {
    return fieldError("category", "required", "须给出公开类别代码 (category is required)");
  }
  request.category = std::move(category.value);
  const auto year = integerField(json, "year");
  if (!year.hasValue() || year.value < 1900 || year.value > 2999) {
    return fieldError("year", "invalid_year",
                      "年度须为 1900-2999 的整数 (year must be an integer 1900-2999)");
  }
  request.year = static_cast<int>(year.value);
  if (const auto size = integerField(json, "checkpoint_size"); size.given()) {
    if (!size.hasValue() || size.value < 1) {
      return fieldError("checkpoint_size", "invalid_checkpoint_size",
                        "检查点大小须为正整数 (checkpoint_size must be a positive integer)");
    }
    request.checkpoint_size = size.value;
  }
  return request;
}

class ArchiveRoutes {
 public:
  explicit ArchiveRoutes(service::ArchiveService& archives) : archives_(archives) {}

  static void addTo(const std::shared_ptr<ArchiveRoutes>& self, Router& router) {
    router.add("POST", "/api/v1/archives", [self](Exchange& ex) { self->create(ex); });
    router.add("GET", "/api/v1/archives", [self](Exchange& ex) { self->list(ex); });
    router.add("GET", "/api/v1/archives/signing-keys", [self](Exchange& ex) { self->keys(ex); });
    router.add("GET", "/api/v1/archives/{id}", [self](Exchange& ex) { self->get(ex); });
    router.add("GET", "/api/v1/archives/{id}/download",
               [self](Exchange& ex) { self->download(ex); });
    router.add("GET", "/api/v1/jobs/{id}", [self](Exchange& ex) { self->job(ex); });
    router.add("POST", "/api/v1/jobs/{id}/cancel", [self](Exchange& ex) { self->cancel(ex); });
  }

 private:
  void create(Exchange& ex) {
    auto body = ex.readJsonObject(kMaxBodyBytes);
    if (!body.ok()) return ex.sendProblem(body.error());
    auto request = parseBundleRequest(body.value());
    if (!request.ok()) return ex.sendProblem(request.error());
    auto job = archives_.requestBundle(request.value(), ex.subject);
    if (!job.ok()) return ex.sendProblem(job.error());
    const std::string url = "/api/v1/jobs/" + std::to_string(job.value());
    ex.response.set("Location", url);
    Object::Ptr out = new Object;
    out->set("job_id", static_cast<Poco::Int64>(job.value()));
    out->set("status_url", url);
    ex.sendJson(HTTPResponse::HTTP_ACCEPTED, out);
  }

  void list(Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    auto found = archives_.list(ex.subject, ex.queryValue("category"), year.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    Array::Ptr items = new Array;
    for (const auto& row : found.value()) items->add(archiveJson(row));
    Object::Ptr out = new Object;
    out->set("archives", items);
    ex.sendJson(HTTPResponse::HTTP_OK, out);
  }

  void get(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = archives_.get(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    ex.response.set("ETag", "\"" + found.value().sha256 + "\"");
    ex.sendJson(HTTPResponse::HTTP_OK, archiveJson(found.value()));
  }

  void download(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = archives_.download(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const service::BundleRecord& row = found.value().bundle;
    net::StoredFile file;
    file.path = found.value().path;
    file.size = row.size;
    file.etag = "\"" + row.sha256 + "\"";
    file.media_type = "application/x-tar";
    file.file_name = row.name + ".tar";
    file.sha256_hex = row.sha256;
    // A bundle never changes once built.
    file.cache_control = "private, max-age=31536000, immutable";
    net::sendStoredFile(ex, file);
  }

  void keys(Exchange& ex) {
    auto keys = archives_.signingKeys(ex.subject);
    if (!keys.ok()) return ex.sendProblem(keys.error());
    Object::Ptr out = new Object;
    out->set("ed25519_public_key_pem", keys.value().ed25519_pem);
    const std::string& sm2 = keys.value().sm2_pem;
    out->set("sm2_public_key_pem", sm2.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(sm2));
    ex.sendJson(HTTPResponse::HTTP_OK, out);
  }

  void job(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto view = archives_.job(ex.subject, id.value());
    if (!view.ok()) return ex.sendProblem(view.error());
    ex.sendJson(HTTPResponse::HTTP_OK, jobJson(view.value()));
  }

  void cancel(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto view = archives_.cancelJob(ex.subject, id.value());
    if (!view.ok()) return ex.sendProblem(view.error());
    ex.sendJson(HTTPResponse::HTTP_OK, jobJson(view.value()));
  }

  service::ArchiveService& archives_;
};

}  // namespace

void addArchiveRoutes(Router& router, service::ArchiveService& archives) {
  auto routes = std::make_shared<ArchiveRoutes>(archives);
  ArchiveRoutes::addTo(routes, router);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
