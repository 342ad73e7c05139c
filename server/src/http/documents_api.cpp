// Disclosure documents under /api/v1/documents: filing, metadata and files while a draft, the
// steps of the disclosure procedure, versions and file downloads; and the public board. Every
// decision is the document service's; this file reads requests and writes answers.
#include "documents_api.h"

#include <Poco/JSON/Array.h>
#include <Poco/String.h>

#include <algorithm>
#include <map>

#include "document_json.h"
#include "gongkai/core/json.h"
#include "gongkai/core/workflow.h"
#include "net/file_response.h"
#include "net/multipart_upload.h"
#include "paging.h"

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

class DocumentRoutes {
 public:
  DocumentRoutes(service::DocumentService& documents, service::SearchService& search,
                 const DocumentApiOptions& options)
      : documents_(documents), search_(search), options_(options) {}

  static void addTo(const std::shared_ptr<DocumentRoutes>& self, Router& router) {
    const std::string docs = "/api/v1/documents";
    router.add("POST", docs, [self](Exchange& ex) { self->createDocument(ex); });
    router.add("GET", docs, [self](Exchange& ex) { self->listDocuments(ex); });
    router.add("GET", docs + "/{id}", [self](Exchange& ex) { self->getDocument(ex); });
    router.add("PATCH", docs + "/{id}", [self](Exchange& ex) { self->patchDocument(ex); });
    router.add("POST", docs + "/{id}/files", [self](Exchange& ex) { self->addFiles(ex); });
    router.add("GET", docs + "/{id}/files/{file_id}", [self](Exchange& ex) { self->download(ex); });
    router.add("DELETE", docs + "/{id}/files/{file_id}",
               [self](Exchange& ex) { self->removeFile(ex); });
    for (const std::string_view step : core::kSteps) {
      router.add("POST", docs + "/{id}/" + std::string(step),
                 [self, step = std::string(step)](Exchange& ex) { self->takeStep(ex, step); });
    }
    router.add("GET", docs + "/{id}/versions", [self](Exchange& ex) { self->listVersions(ex); });
    router.add("GET", docs + "/{id}/versions/{n}", [self](Exchange& ex) { self->getVersion(ex); });
  }

 private:
  core::Result<net::UploadForm> readFiles(Exchange& ex) const {
    const auto stage = [this](std::istream& in, std::int64_t maxBytes, std::string name,
                              std::string mediaType) {
      return documents_.stageFile(in, maxBytes, std::move(name), std::move(mediaType));
    };
    return net::readUpload(ex, stage,
                           net::UploadLimits{options_.max_json_bytes, options_.max_upload_bytes,
                                             options_.max_files_per_request});
  }

  void createDocument(Exchange& ex) {
    // Refused before an upload is read when the caller may not create documents anywhere.
    if (auto allowed = documents_.mayCreateAny(ex.subject); !allowed.ok()) {
      ex.response.setKeepAlive(false);
      return ex.sendProblem(allowed.error());
    }
    const std::string type = ex.request.getContentType();
    core::Result<core::DocumentVersion> created = unsupportedBody();
    if (isJsonMediaType(type)) {
      auto json = ex.readJsonObject(options_.max_json_bytes);
      if (!json.ok()) return ex.sendProblem(json.error());
      created = documents_.create(ex.subject, readMetadataFields(json.value()), {});
    } else if (isMultipart(type)) {
      auto form = readFiles(ex);
      if (!form.ok()) return ex.sendProblem(form.error());
      if (!form.value().metadata) {
        Error error = Error::make(ErrorCode::kInvalidArgument, "missing_metadata",
                                  "缺少 metadata 部分 (the metadata part is missing)");
        error.fields.push_back({"metadata", "missing_field", error.message});
        return ex.sendProblem(error);
      }
      auto json = core::parseJsonObject(*form.value().metadata);
      if (!json.ok()) return ex.sendProblem(json.error());
      created = documents_.create(ex.subject, readMetadataFields(json.value()),
                                  std::move(form.value().files));
    }
    if (!created.ok()) return ex.sendProblem(created.error());
    ex.response.set("Location", "/api/v1/documents/" + std::to_string(created.value().document_id));
    sendDocument(ex, HTTPResponse::HTTP_CREATED, created.value());
  }

  void listDocuments(Exchange& ex) {
    service::DocumentQuery filter;
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
    auto result = documents_.list(ex.subject, filter);
    if (!result.ok()) return ex.sendProblem(result.error());
    Array::Ptr items = new Array;
    for (const auto& v : result.value().documents) items->add(documentJson(v));
    sendPage(ex, "documents", result.value().total, PageQuery{pageNumber, filter.limit}, items);
  }

  void getDocument(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = documents_.get(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
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
    auto updated = documents_.update(ex.subject, id.value(), ifMatch.version,
                                     readMetadataFields(patch.value()));
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
    if (auto checked = documents_.mayChange(ex.subject, id.value()); !checked.ok()) {
      ex.response.setKeepAlive(false);
      return ex.sendProblem(checked.error());
    }
    auto form = readFiles(ex);
    if (!form.ok()) return ex.sendProblem(form.error());
    if (form.value().metadata) {
      return ex.sendProblem(Error::make(ErrorCode::kInvalidArgument, "unknown_part",
                                        "添加文件时不接受 metadata 部分，请用 PATCH 修改元数据 "
                                        "(use PATCH to change metadata)"));
    }
    auto updated = documents_.addFiles(ex.subject, id.value(), ex.ifMatch().version,
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
    auto updated = documents_.removeFile(ex.subject, id.value(), ifMatch.version, fileId.value());
    if (!updated.ok()) return ex.sendProblem(updated.error());
    sendDocument(ex, HTTPResponse::HTTP_OK, updated.value());
  }

  void download(Exchange& ex) {
    auto id = ex.idParam("id");
    auto fileId = ex.idParam("file_id");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!fileId.ok()) return ex.sendProblem(fileId.error());
    auto found = documents_.file(ex.subject, id.value(), fileId.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const core::FileRecord& file = found.value().file;
    net::StoredFile stored;
    stored.path = found.value().path;
    stored.size = file.size;
    stored.etag = "\"" + file.sha256 + "\"";
    stored.media_type = file.media_type;
    stored.file_name = file.name;
    stored.sha256_hex = file.sha256;
    stored.cache_control = "private, max-age=0, must-revalidate";
    net::sendStoredFile(ex, stored);
  }

  void listVersions(Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto history = documents_.versions(ex.subject, id.value());
    if (!history.ok()) return ex.sendProblem(history.error());
    Array::Ptr items = new Array;
    for (const auto& v : history.value().versions) items->add(versionSummaryJson(v));
    Object::Ptr body = new Object;
    body->set("document_id", static_cast<Poco::Int64>(id.value()));
    body->set("current_version", static_cast<Poco::Int64>(history.value().current_version));
    body->set("versions", items);
    ex.sendJson(HTTPResponse::HTTP_OK, body);
  }

  void getVersion(Exchange& ex) {
    auto id = ex.idParam("id");
    auto number = ex.idParam("n");
    if (!id.ok()) return ex.sendProblem(id.error());
    if (!number.ok()) return ex.sendProblem(number.error());
    auto found = documents_.getVersion(ex.subject, id.value(), number.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    // The content never changes, but who may see it does: revalidate, and per caller.
    ex.response.set("Cache-Control", "private, no-cache");
    ex.response.set("Vary", "Authorization");
    sendDocument(ex, HTTPResponse::HTTP_OK, found.value());
  }

  void takeStep(Exchange& ex, const std::string& step) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    Object::Ptr body;
    if (ex.request.getContentLength64() > 0 || ex.request.getChunkedTransferEncoding()) {
      auto json = ex.readJsonObject(options_.max_json_bytes);
      if (!json.ok()) return ex.sendProblem(json.error());
      body = json.value();
    }
    // Actor and time are the service's to set.
    auto next = documents_.step(ex.subject, id.value(), ex.ifMatch().version, step,
                                core::parseStepRequest(step, body, "", {}));
    if (!next.ok()) return ex.sendProblem(next.error());
    sendDocument(ex, HTTPResponse::HTTP_OK, next.value());
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
  service::SearchService& search_;
  DocumentApiOptions options_;
};

}  // namespace

void addDocumentRoutes(Router& router, service::DocumentService& documents,
                       service::SearchService& search, const DocumentApiOptions& options) {
  auto routes = std::make_shared<DocumentRoutes>(documents, search, options);
  DocumentRoutes::addTo(routes, router);
  router.keepAlive(routes);
}

}  // namespace gongkai::server::http
