#include "gongkai/server/http/api.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <set>

#include "access.h"
#include "accounts_api.h"
#include "archives_api.h"
#include "feedback_api.h"
#include "requests_api.h"
#include "audit_api.h"
#include "document_json.h"
#include "file_response.h"
#include "gongkai/core/audit_entry.h"
#include "gongkai/core/json.h"
#include "gongkai/core/text.h"
#include "multipart_upload.h"
#include "procedure_api.h"
#include "search_api.h"
#include "download_tickets_api.h"
#include "web_assets.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxPerPage = 200;

bool isMultipart(const std::string& contentType) {
  return Poco::icompare(contentType.substr(0, 19), "multipart/form-data") == 0;
}

Error unsupportedBody() {
  return Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                     "请求体须为 application/json 或 multipart/form-data "
                     "(body must be application/json or multipart/form-data)");
}

void sendDocument(Exchange& ex, HTTPResponse::HTTPStatus status, const core::DocumentVersion& v,
                  const ExtractionByHash* extraction = nullptr) {
  ex.response.set("ETag", versionEtag(v.version));
  ex.sendJson(status, documentJson(v, extraction));
}

// Who may take each step of the procedure (core/workflow.h): archivists submit and archive their
// units' documents, reviewers approve, reject, publish and withdraw them.
constexpr std::pair<std::string_view, std::string_view> kStepPermissions[] = {
    {"submit", "documents.update"},    {"approve", "documents.review"},
    {"reject", "documents.review"},    {"publish", "documents.publish"},
    {"withdraw", "documents.publish"}, {"archive", "documents.archive"}};

class Routes {
 public:
  Routes(service::DocumentService& documents, service::AuditService& audit,
         service::SearchService& search, const store::BlobStore& blobs,
         const policies::CategoryCatalogue& categories, const Access& access,
         const ApiOptions& options)
      : documents_(documents),
        audit_(audit),
        search_(search),
        blobs_(blobs),
        categories_(categories),
        access_(access),
        options_(options) {}

  static void addTo(const std::shared_ptr<Routes>& self, Router& router) {
    router.add("GET", "/healthz", [self](Exchange& ex) { self->health(ex); });
    const std::string docs = "/api/v1/documents";
    router.add("POST", docs, [self](Exchange& ex) { self->createDocument(ex); });
    router.add("GET", docs, [self](Exchange& ex) { self->listDocuments(ex); });
    router.add("GET", docs + "/{id}", [self](Exchange& ex) { self->getDocument(ex); });
    router.add("PATCH", docs + "/{id}", [self](Exchange& ex) { self->patchDocument(ex); });
    router.add("POST", docs + "/{id}/files", [self](Exchange& ex) { self->addFiles(ex); });
    router.add("GET", docs + "/{id}/files/{file_id}", [self](Exchange& ex) { self->download(ex); });
    router.add("DELETE", docs + "/{id}/files/{file_id}",
               [self](Exchange& ex) { self->removeFile(ex); });
    // The disclosure procedure, each step with the permission it needs.
    for (const auto& [step, permission] : kStepPermissions) {
      router.add("POST", docs + "/{id}/" + std::string(step),
                 [self, step = std::string(step), permission = std::string(permission)](
                     Exchange& ex) { self->takeStep(ex, step, permission); });
    }
    router.add("GET", "/api/v1/board", [self](Exchange& ex) { self->board(ex); });
    router.add("GET", docs + "/{id}/versions", [self](Exchange& ex) { self->listVersions(ex); });
    router.add("GET", docs + "/{id}/versions/{n}", [self](Exchange& ex) { self->getVersion(ex); });
    router.add("GET", "/api/v1/audit",
               self->access_.guarded("audit.read", [self](Exchange& ex) { self->listAudit(ex); }));
    router.add("GET", "/api/v1/categories", [self](Exchange& ex) { self->listCategories(ex); });
  }

 private:
  UploadLimits uploadLimits() const {
    return UploadLimits{options_.max_json_bytes, options_.max_upload_bytes,
                        options_.max_files_per_request};
  }

  void health(Exchange& ex) {
    Object::Ptr body = options_.health ? options_.health() : nullptr;
    if (!body) {
      return ex.sendProblem(
          Error::make(ErrorCode::kUnavailable, "unhealthy", "服务不可用 (not healthy)"));
    }
    ex.response.set("Cache-Control", "no-store");
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  // The unit and scope a new document's metadata names, checked against the caller's roles
  // before anything is stored.
  core::Status mayCreate(const Exchange& ex, const Object::Ptr& metadata) const {
    const std::string unit = metadata->has("org_unit") && metadata->get("org_unit").isString()
                                 ? metadata->getValue<std::string>("org_unit")
                                 : "";
    const std::string scope = metadata->has("scope") && metadata->get("scope").isString()
                                  ? metadata->getValue<std::string>("scope")
                                  : "public";
    return access_.requireForUnit(ex, "documents.create", unit, scope);
  }

  void createDocument(Exchange& ex) {
    // Refused before an upload is read when the caller may not create documents anywhere.
    if (auto allowed = access_.require(ex, "documents.create"); !allowed.ok()) {
      ex.response.setKeepAlive(false);
      return ex.sendProblem(allowed.error());
    }
    const std::string type = ex.request.getContentType();
    core::Result<core::DocumentVersion> created = unsupportedBody();
    if (isJsonMediaType(type)) {
      auto json = ex.readJsonObject(options_.max_json_bytes);
      if (!json.ok()) return ex.sendProblem(json.error());
      if (auto allowed = mayCreate(ex, json.value()); !allowed.ok())
        return ex.sendProblem(allowed.error());
      created = documents_.create(ex.subject, json.value(), {});
    } else if (isMultipart(type)) {
      auto form = readUpload(ex, blobs_, uploadLimits());
      if (!form.ok()) return ex.sendProblem(form.error());
      if (!form.value().metadata) {
        Error error = Error::make(ErrorCode::kInvalidArgument, "missing_metadata",
                                  "缺少 metadata 部分 (the metadata part is missing)");
        error.fields.push_back({"metadata", "missing_field", error.message});
        return ex.sendProblem(error);
      }
      auto json = core::parseJsonObject(*form.value().metadata);
      if (!json.ok()) return ex.sendProblem(json.error());
      if (auto allowed = mayCreate(ex, json.value()); !allowed.ok())
        return ex.sendProblem(allowed.error());
      created = documents_.create(ex.subject, json.value(), std::move(form.value().files));
    }
    if (!created.ok()) return ex.sendProblem(created.error());
    ex.response.set("Location", "/api/v1/documents/" + std::to_string(created.value().document_id));
    sendDocument(ex, HTTPResponse::HTTP_CREATED, created.value());
  }

  void listDocuments(Exchange& ex) {
    store::DocumentFilter filter;
    filter.category = ex.queryValue("category");
    filter.scope = ex.queryValue("scope");
    filter.status = ex.queryValue("status");
    filter.org_unit = ex.queryValue("org_unit");
    auto year = ex.intQuery("year", 1900, 2999);
    auto page = ex.intQuery("page", 1, 1000000);
    auto perPage = ex.intQuery("per_page", 1, kMaxPerPage);
    for (const auto* query : {&year, &page, &perPage}) {
      if (!query->ok()) return ex.sendProblem(query->error());
    }
    if (year.value()) filter.year = static_cast<int>(*year.value());
    const std::int64_t pageNumber = page.value().value_or(1);
    filter.limit = perPage.value().value_or(20);
    filter.offset = (pageNumber - 1) * filter.limit;
    filter.visibility = access_.visibility(ex);
    auto result = documents_.list(filter);
    if (!result.ok()) return ex.sendProblem(result.error());
    Array::Ptr items = new Array;
    for (const auto& v : result.value().documents) items->add(documentJson(v));
    Object::Ptr body = new Object;
    body->set("total", static_cast<Poco::Int64>(result.value().total));
    body->set("page", static_cast<Poco::Int64>(pageNumber));
    body->set("per_page", static_cast<Poco::Int64>(filter.limit));
    body->set("documents", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void getDocument(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = documents_.get(id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    if (auto allowed = access_.requireOnDocument(ex, found.value()); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    // The answer also says how far each file's text extraction got, which changes without a new
    // version. While any is pending the answer is not to be kept (nor answered with 304), so a
    // cached "pending" can never outlive the extraction; once all are settled, the version's
    // ETag describes the whole answer again.
    const ExtractionByHash extraction = extractionOf(found.value());
    const bool settled = std::all_of(found.value().files.begin(), found.value().files.end(),
                                     [&](const auto& f) { return extraction.count(f.sha256) > 0; });
    if (!settled) {
      ex.response.set("Cache-Control", "no-store");
    } else if (ex.request.get("If-None-Match", "") == versionEtag(found.value().version)) {
      ex.response.set("ETag", versionEtag(found.value().version));
      ex.response.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
      ex.response.send().flush();
      return;
    }
    sendDocument(ex, HTTPResponse::HTTP_OK, found.value(), &extraction);
  }

  void patchDocument(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    const IfMatch ifMatch = ex.ifMatch();
    if (!ifMatch.present) {
      return ex.sendProblem(Error::make(ErrorCode::kPreconditionRequired, "if_match_required",
                                        "修改文档须带 If-Match 头，值为当前版本的 ETag "
                                        "(PATCH needs If-Match with the current version's ETag)"));
    }
    auto patch = ex.readJsonObject(options_.max_json_bytes);
    if (!patch.ok()) return ex.sendProblem(patch.error());
    auto checked = mayUpdate(ex, id.value());
    if (!checked.ok()) return ex.sendProblem(checked.error());
    // Moving a document to another unit needs the right to file documents there too.
    if (patch.value()->has("org_unit") && patch.value()->get("org_unit").isString()) {
      auto current = documents_.get(id.value());
      const std::string scope =
          current.ok() ? std::string(core::toString(current.value().metadata.scope)) : "public";
      if (auto allowed = access_.requireForUnit(
              ex, "documents.update", patch.value()->getValue<std::string>("org_unit"), scope);
          !allowed.ok()) {
        return ex.sendProblem(allowed.error());
      }
    }
    auto updated = documents_.update(ex.subject, id.value(),
                                     ifMatch.version.value_or(checked.value()), patch.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    sendDocument(ex, HTTPResponse::HTTP_OK, updated.value());
  }

  void addFiles(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!isMultipart(ex.request.getContentType())) {
      return ex.sendProblem(
          Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                      "请使用 multipart/form-data 上传 (use multipart/form-data)"));
    }
    // Known before the upload is read, so a missing document (or a refusal) costs no disk.
    auto checked = mayUpdate(ex, id.value());
    if (!checked.ok()) {
      ex.response.setKeepAlive(false);
      return ex.sendProblem(checked.error());
    }
    auto form = readUpload(ex, blobs_, uploadLimits());
    if (!form.ok()) return ex.sendProblem(form.error());
    if (form.value().metadata) {
      return ex.sendProblem(Error::make(ErrorCode::kInvalidArgument, "unknown_part",
                                        "添加文件时不接受 metadata 部分，请用 PATCH 修改元数据 "
                                        "(use PATCH to change metadata)"));
    }
    auto updated =
        documents_.addFiles(ex.subject, id.value(), ex.ifMatch().version.value_or(checked.value()),
                            std::move(form.value().files));
    if (!updated.ok()) return ex.sendProblem(updated.error());
    ex.response.set("Location", "/api/v1/documents/" + std::to_string(id.value()) + "/versions/" +
                                    std::to_string(updated.value().version));
    sendDocument(ex, HTTPResponse::HTTP_CREATED, updated.value());
  }

  void removeFile(Exchange& ex) {
    auto id = ex.idParam("id");
    auto fileId = ex.idParam("file_id");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!fileId.ok()) return ex.sendProblem(fileId.error());
    const IfMatch ifMatch = ex.ifMatch();
    if (!ifMatch.present) {
      return ex.sendProblem(Error::make(ErrorCode::kPreconditionRequired, "if_match_required",
                                        "删除文件须带 If-Match 头 (DELETE needs If-Match)"));
    }
    auto checked = mayUpdate(ex, id.value());
    if (!checked.ok()) return ex.sendProblem(checked.error());
    auto updated = documents_.removeFile(ex.subject, id.value(),
                                         ifMatch.version.value_or(checked.value()), fileId.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    sendDocument(ex, HTTPResponse::HTTP_OK, updated.value());
  }

  void download(Exchange& ex) {
    auto id = ex.idParam("id");
    auto fileId = ex.idParam("file_id");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!fileId.ok()) return ex.sendProblem(fileId.error());
    if (auto allowed = mayReadFile(ex, id.value(), fileId.value()); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    auto found = documents_.file(id.value(), fileId.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const core::FileRecord& file = found.value().file;
    StoredFile stored;
    stored.path = found.value().path;
    stored.size = file.size;
    stored.etag = "\"" + file.sha256 + "\"";
    stored.media_type = file.media_type;
    stored.file_name = file.name;
    stored.sha256_hex = file.sha256;
    stored.cache_control = "private, max-age=0, must-revalidate";
    sendStoredFile(ex, stored);
  }

  void listVersions(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto all = documents_.versions(id.value());
    if (!all.ok()) return ex.sendProblem(all.error());
    // Only the versions the caller may see; none at all is the same as no document.
    if (auto allowed = access_.requireOnDocument(ex, all.value().back()); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    Array::Ptr items = new Array;
    for (const auto& v : all.value()) {
      if (access_.maySee(ex, v)) items->add(versionSummaryJson(v));
    }
    Object::Ptr body = new Object;
    body->set("document_id", static_cast<Poco::Int64>(id.value()));
    body->set("current_version", static_cast<Poco::Int64>(all.value().back().version));
    body->set("versions", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void getVersion(Exchange& ex) {
    auto id = ex.idParam("id");
    auto number = ex.idParam("n");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!number.ok()) return ex.sendProblem(number.error());
    // The current version decides first, so an unseen document's version count stays unknown.
    auto current = documents_.get(id.value());
    if (!current.ok()) return ex.sendProblem(current.error());
    if (auto allowed = access_.requireOnDocument(ex, current.value()); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    auto found = documents_.getVersion(id.value(), number.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    if (auto allowed = access_.requireOnDocument(ex, found.value()); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    // The content never changes, but who may see it does: revalidate, and per caller.
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    sendDocument(ex, HTTPResponse::HTTP_OK, found.value());
  }

  void listAudit(Exchange& ex) {
    auto after = ex.intQuery("after", 0, INT64_MAX);
    auto limit = ex.intQuery("limit", 1, service::AuditService::kMaxPage);
    if (!after.ok()) return ex.sendProblem(after.error());
    if (!limit.ok()) return ex.sendProblem(limit.error());
    // ?object_type=document&object_id=12 narrows the list to one object's entries.
    const auto objectType = ex.queryValue("object_type");
    const auto objectId = ex.queryValue("object_id");
    if (objectType.has_value() != objectId.has_value()) {
      Error error = Error::make(ErrorCode::kMalformed, "invalid_query",
                                "object_type 与 object_id 须同时给出 (give both object_type and object_id)");
      error.fields.push_back({objectType ? "object_id" : "object_type", "missing_field", error.message});
      return ex.sendProblem(error);
    }
    auto entries = objectType ? audit_.listForObject(*objectType, *objectId, after.value().value_or(0),
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

  void listCategories(Exchange& ex) {
    Array::Ptr items = new Array;
    for (const auto& category : categories_.all()) {
      Object::Ptr item = new Object;
      item->set("code", category.code);
      item->set("name", category.name);
      item->set("default_retention", category.default_retention);
      Array::Ptr subItems = new Array;
      for (const auto& text : category.items) subItems->add(text);
      item->set("items", subItems);
      items->add(item);
    }
    Object::Ptr body = new Object;
    body->set("categories", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void takeStep(Exchange& ex, const std::string& step, const std::string& permission) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto current = documents_.get(id.value());
    if (!current.ok()) return ex.sendProblem(current.error());
    if (auto allowed = access_.requireOnDocument(ex, current.value(), permission); !allowed.ok()) {
      return ex.sendProblem(allowed.error());
    }
    Object::Ptr body;
    if (ex.request.getContentLength64() > 0 || ex.request.getChunkedTransferEncoding()) {
      auto json = ex.readJsonObject(options_.max_json_bytes);
      if (!json.ok()) return ex.sendProblem(json.error());
      body = json.value();
    }
    auto next = documents_.step(ex.subject, id.value(),
                                ex.ifMatch().version.value_or(current.value().version), step, body);
    if (!next.ok()) return ex.sendProblem(next.error());
    sendDocument(ex, HTTPResponse::HTTP_OK, next.value());
  }

  // 公开栏: what is published now, as the caller may see it, by category, newest first; standing
  // items (常设) first within each category.
  void board(Exchange& ex) {
    store::DocumentFilter filter;
    filter.status = "published";
    filter.org_unit = ex.queryValue("org_unit");
    filter.visibility = access_.visibility(ex);
    filter.limit = 1000;
    auto result = documents_.list(filter);
    if (!result.ok()) return ex.sendProblem(result.error());
    std::map<std::string, std::vector<const core::DocumentVersion*>> byCategory;
    for (const auto& v : result.value().documents) byCategory[v.metadata.category].push_back(&v);
    Array::Ptr categories = new Array;
    for (const auto& category : categories_.all()) {
      auto found = byCategory.find(category.code);
      if (found == byCategory.end()) continue;
      auto& documents = found->second;
      std::stable_sort(documents.begin(), documents.end(), [](const auto* a, const auto* b) {
        const bool standingA = a->metadata.period == core::Period::kStanding;
        const bool standingB = b->metadata.period == core::Period::kStanding;
        if (standingA != standingB) return standingA;
        const auto publishedAt = [](const core::DocumentVersion* v) {
          return v->disclosure.published ? v->disclosure.published->at : v->updated_at;
        };
        return publishedAt(a) > publishedAt(b);
      });
      Array::Ptr items = new Array;
      for (const auto* v : documents) items->add(documentJson(*v));
      Object::Ptr item = new Object;
      item->set("code", category.code);
      item->set("name", category.name);
      item->set("documents", items);
      categories->add(item);
    }
    Object::Ptr body = new Object;
    body->set("total", static_cast<Poco::Int64>(result.value().total));
    body->set("categories", categories);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  // 404 when the caller may not see the document, 403 when they may see but not edit it.
  // On success, the version the decision was made on: the change must apply to that one.
  core::Result<std::int64_t> mayUpdate(const Exchange& ex, std::int64_t id) {
    auto current = documents_.get(id);
    if (!current.ok()) return current.error();
    if (auto allowed = access_.requireOnDocument(ex, current.value(), "documents.update");
        !allowed.ok()) {
      return allowed.error();
    }
    return current.value().version;
  }

  // A file is shown to a caller who may see the document now and a version that holds the file.
  core::Status mayReadFile(const Exchange& ex, std::int64_t id, std::int64_t fileId) {
    auto all = documents_.versions(id);
    if (!all.ok()) return all.error();
    if (auto allowed = access_.requireOnDocument(ex, all.value().back()); !allowed.ok())
      return allowed;
    for (const auto& version : all.value()) {
      const bool holds = std::any_of(version.files.begin(), version.files.end(),
                                     [&](const core::FileRecord& f) { return f.id == fileId; });
      if (holds && access_.maySee(ex, version)) return core::okStatus();
    }
    return Error::make(ErrorCode::kNotFound, "file_not_found", "文件不存在 (no such file)");
  }

  // Whether each file's text could be extracted for search; empty if that cannot be read now.
  ExtractionByHash extractionOf(const core::DocumentVersion& v) {
    ExtractionByHash out;
    auto found = search_.extractionStatus(v.document_id);
    if (found.ok()) {
      for (auto& text : found.value()) out.emplace(text.sha256, std::move(text));
    }
    return out;
  }

  service::DocumentService& documents_;
  service::AuditService& audit_;
  service::SearchService& search_;
  const store::BlobStore& blobs_;
  const policies::CategoryCatalogue& categories_;
  const Access& access_;
  ApiOptions options_;
};

}  // namespace

Router buildRouter(const Services& services, const ApiOptions& options) {
  Router router;
  // The access checks, like every handler's routes object, live as long as the router.
  auto access = std::make_shared<Access>(services.policies, services.accounts);
  router.keepAlive(access);
  Routes::addTo(std::make_shared<Routes>(services.documents, services.audit, services.search,
                                         services.blobs, services.categories, *access, options),
                router);
  addAuditRoutes(router, services.audit, services.checkpoints, *access);
  addSearchRoutes(router, services.search, services.documents, services.categories, *access);
  addAccountRoutes(router, services.accounts, services.policies, *access);
  addProcedureRoutes(router, services.catalogue, services.documents, services.policies,
                     services.categories, *access);
  addArchiveRoutes(router, services.archives, services.jobs, *access);
  addFeedbackRoutes(router, services.feedback, services.requests, services.documents,
                    services.catalogue, services.accounts, *access);
  addRequestRoutes(router, services.requests, services.documents, *access);
  addDownloadTicketRoutes(router, services.tickets);
  addWebRoutes(router, options.web_dir);
  return router;
}

}  // namespace gongkai::server::http
