// Disclosure documents under /api/v1/documents: filing, metadata and files while a draft, the
// steps of the disclosure procedure, versions and file downloads; and the public board. Every
// decision is the document service's; this file reads requests and writes answers.
#include <Poco/String.h>

#include <algorithm>
#include <map>

#include "document_json.h"
#include "gongkai/core/json.h"
#include "gongkai/core/workflow.h"
#include "net/file_response.h"
#include "net/multipart_upload.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using core::Error;
using core::ErrorCode;
using Poco::Net::HTTPResponse;

bool isMultipart(const std::string& contentType) {
  return Poco::icompare(contentType.substr(0, 19), "multipart/form-data") == 0;
}

Error unsupportedBody() {
  return Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                     "请求体须为 application/json 或 multipart/form-data "
                     "(body must be application/json or multipart/form-data)");
}

// The document as `result` holds it, with its version as the ETag; or the problem.
void sendDocument(Exchange& ex, const core::Result<core::DocumentVersion>& result,
                  HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_OK,
                  const ExtractionByHash* extraction = nullptr) {
  ex.replyTagged(
      result, [](const auto& v) { return versionEtag(v.version); },
      [&](const auto& v) { return documentJson(v, extraction); }, status);
}

// The files of a multipart upload, staged by the document service as they arrive.
core::Result<net::UploadForm> readFiles(Exchange& ex, service::DocumentService& documents,
                                        const net::UploadLimits& limits) {
  const auto stage = [&documents](std::istream& in, std::int64_t maxBytes, std::string name,
                                  std::string mediaType) {
    return documents.stageFile(in, maxBytes, std::move(name), std::move(mediaType));
  };
  return net::readUpload(ex, stage, limits);
}

// Whether each file's text could be extracted for search; empty if that cannot be read now.
ExtractionByHash extractionOf(const service::SearchService& search,
                              const core::DocumentVersion& v) {
  ExtractionByHash out;
  auto found = search.extractionStatus(v.document_id);
  if (found.ok()) {
    for (auto& text : found.value()) out.emplace(text.sha256, std::move(text));
  }
  return out;
}

// What POST /documents carries, as the document service asks for it: metadata as JSON, or a
// multipart upload with a metadata part and files.
core::Result<service::DocumentService::NewDocument> readNewDocument(
    Exchange& ex, service::DocumentService& documents, const net::UploadLimits& limits) {
  const std::string type = ex.request.getContentType();
  if (isJsonMediaType(type)) {
    auto json = ex.readJsonObject(limits.max_json_bytes);
    if (!json.ok()) return json.error();
    return service::DocumentService::NewDocument{readMetadataFields(json.value()), {}};
  }
  if (!isMultipart(type)) return unsupportedBody();
  auto form = readFiles(ex, documents, limits);
  if (!form.ok()) return form.error();
  if (!form.value().metadata) {
    Error error = Error::make(ErrorCode::kInvalidArgument, "missing_metadata",
                              "缺少 metadata 部分 (the metadata part is missing)");
    error.fields.push_back({"metadata", "missing_field", error.message});
    return error;
  }
  auto json = core::parseJsonObject(*form.value().metadata);
  if (!json.ok()) return json.error();
  return service::DocumentService::NewDocument{readMetadataFields(json.value()),
                                               std::move(form.value().files)};
}

// What POST /documents/{id}/files carries: files only (metadata is changed with PATCH).
core::Result<std::vector<service::IncomingFile>> readAddedFiles(Exchange& ex,
                                                                service::DocumentService& documents,
                                                                const net::UploadLimits& limits) {
  auto form = readFiles(ex, documents, limits);
  if (!form.ok()) return form.error();
  if (form.value().metadata) {
    return Error::make(ErrorCode::kInvalidArgument, "unknown_part",
                       "添加文件时不接受 metadata 部分，请用 PATCH 修改元数据 "
                       "(use PATCH to change metadata)");
  }
  return std::move(form.value().files);
}

// What a request carries, read when the document service asks for it. Until then the connection
// is not to be kept: refused before the upload is read, what followed on it would be the upload.
template <typename Read>
auto uploadWhenAsked(Exchange& ex, Read read) {
  const bool keepAlive = ex.response.getKeepAlive();
  ex.response.setKeepAlive(false);
  return [&ex, keepAlive, read] {
    ex.response.setKeepAlive(keepAlive);
    return read();
  };
}

void createDocument(Exchange& ex, service::DocumentService& documents,
                    const net::UploadLimits& limits) {
  auto created = documents.create(
      ex.subject, uploadWhenAsked(ex, [&] { return readNewDocument(ex, documents, limits); }));
  if (created.ok()) {
    ex.response.set("Location", "/api/v1/documents/" + std::to_string(created.value().document_id));
  }
  sendDocument(ex, created, HTTPResponse::HTTP_CREATED);
}

void getDocument(Exchange& ex, service::DocumentService& documents,
                 const service::SearchService& search) {
  auto id = ex.idParam("id");
  if (!id.ok()) return ex.sendProblem(id.error());
  auto found = documents.get(ex.subject, id.value());
  if (!found.ok()) return ex.sendProblem(found.error());
  // The answer also says how far each file's text extraction got, which changes without a new
  // version. While any is pending the answer is not to be kept (nor answered with 304), so a
  // cached "pending" can never outlive the extraction; once all are settled, the version's
  // ETag describes the whole answer again.
  const ExtractionByHash extraction = extractionOf(search, found.value());
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
  sendDocument(ex, found, HTTPResponse::HTTP_OK, &extraction);
}

void addFiles(Exchange& ex, service::DocumentService& documents, const net::UploadLimits& limits) {
  auto id = ex.idParam("id");
  if (!id.ok()) return ex.sendProblem(id.error());
  if (!isMultipart(ex.request.getContentType())) {
    return ex.sendProblem(Error::make(ErrorCode::kUnsupported, "unsupported_media_type",
                                      "请使用 multipart/form-data 上传 (use multipart/form-data)"));
  }
  auto updated = documents.addFiles(
      ex.subject, id.value(), ex.ifMatch().version,
      uploadWhenAsked(ex, [&] { return readAddedFiles(ex, documents, limits); }));
  if (updated.ok()) {
    ex.response.set("Location", "/api/v1/documents/" + std::to_string(id.value()) + "/versions/" +
                                    std::to_string(updated.value().version));
  }
  sendDocument(ex, updated, HTTPResponse::HTTP_CREATED);
}

}  // namespace

void addDocumentRoutes(Router& router, service::DocumentService& documents,
                       service::SearchService& search, const net::UploadLimits& limits) {
  const std::string docs = "/api/v1/documents";
  router.add("POST", docs,
             [&documents, limits](Exchange& ex) { createDocument(ex, documents, limits); });
  router.add("GET", docs, [&documents](Exchange& ex) {
    auto query = service::parseDocumentQuery(ex.query);
    if (!query.ok()) return ex.sendProblem(query.error());
    auto result = documents.list(ex.subject, query.value());
    if (!result.ok()) return ex.sendProblem(result.error());
    sendPage(ex, "documents", result.value().total,
             {query.value().offset / query.value().limit + 1, query.value().limit},
             json::array(result.value().documents, [](const auto& v) { return documentJson(v); }));
  });
  router.add("GET", docs + "/{id}",
             [&documents, &search](Exchange& ex) { getDocument(ex, documents, search); });
  router.add("PATCH", docs + "/{id}", [&documents, limits](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    const IfMatch ifMatch = ex.ifMatch();
    if (!ifMatch.present) {
      return ex.sendProblem(Error::make(ErrorCode::kPreconditionRequired, "if_match_required",
                                        "修改文档须带 If-Match 头，值为当前版本的 ETag "
                                        "(PATCH needs If-Match with the current version's ETag)"));
    }
    auto patch = ex.readJsonObject(limits.max_json_bytes);
    if (!patch.ok()) return ex.sendProblem(patch.error());
    sendDocument(ex, documents.update(ex.subject, id.value(), ifMatch.version,
                                      readMetadataFields(patch.value())));
  });
  router.add("POST", docs + "/{id}/files",
             [&documents, limits](Exchange& ex) { addFiles(ex, documents, limits); });
  router.add("GET", docs + "/{id}/files/{file_id}", [&documents](Exchange& ex) {
    auto id = ex.idParam("id");
    auto fileId = ex.idParam("file_id");
    if (auto* error = firstError(id, fileId)) return ex.sendProblem(*error);
    auto found = documents.file(ex.subject, id.value(), fileId.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const core::FileRecord& file = found.value().file;
    net::sendStoredFile(
        ex, {found.value().path, file.size, "\"" + file.sha256 + "\"", file.media_type, file.name,
             file.sha256, "private, max-age=0, must-revalidate"});
  });
  router.add("DELETE", docs + "/{id}/files/{file_id}", [&documents](Exchange& ex) {
    auto id = ex.idParam("id");
    auto fileId = ex.idParam("file_id");
    if (auto* error = firstError(id, fileId)) return ex.sendProblem(*error);
    const IfMatch ifMatch = ex.ifMatch();
    if (!ifMatch.present) {
      return ex.sendProblem(Error::make(ErrorCode::kPreconditionRequired, "if_match_required",
                                        "删除文件须带 If-Match 头 (DELETE needs If-Match)"));
    }
    sendDocument(ex, documents.removeFile(ex.subject, id.value(), ifMatch.version, fileId.value()));
  });
  for (const std::string_view name : core::kSteps) {
    router.add("POST", docs + "/{id}/" + std::string(name),
               [&documents, limits, step = std::string(name)](Exchange& ex) {
                 auto id = ex.idParam("id");
                 if (!id.ok()) return ex.sendProblem(id.error());
                 auto body = ex.readOptionalJsonObject(limits.max_json_bytes);
                 if (!body.ok()) return ex.sendProblem(body.error());
                 // Actor and time are the service's to set.
                 auto next =
                     documents.step(ex.subject, id.value(), ex.ifMatch().version, step,
                                    core::readStepRequest(step, readStepBody(body.value())));
                 sendDocument(ex, next);
               });
  }
  router.add("GET", docs + "/{id}/versions", [&documents](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(documents.versions(ex.subject, id.value()), [&](const auto& history) {
      return json::object({"document_id"_f = id.value(),
                           "current_version"_f = history.current_version,
                           "versions"_f = json::array(history.versions, versionSummaryJson)});
    });
  });
  router.add("GET", docs + "/{id}/versions/{n}", [&documents](Exchange& ex) {
    auto id = ex.idParam("id");
    auto number = ex.idParam("n");
    if (auto* error = firstError(id, number)) return ex.sendProblem(*error);
    auto found = documents.getVersion(ex.subject, id.value(), number.value());
    if (found.ok()) {
      // The content never changes, but who may see it does: revalidate, and per caller.
      ex.response.set("Cache-Control", "private, no-cache");
      ex.response.set("Vary", "Authorization");
    }
    sendDocument(ex, found);
  });
}

}  // namespace gongkai::server::http
