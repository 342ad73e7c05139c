#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 16 * 1024;

// {"path": "...", "catalogue": "...", "skip_bad": false, "dry_run": false}; only path required.
core::Result<service::ImportRequest> parseImportRequest(const Object::Ptr& json) {
  if (auto known = refuseUnknownMembers(json, {"path", "catalogue", "skip_bad", "dry_run"});
      !known.ok()) {
    return known.error();
  }
  service::ImportRequest request;
  auto path = textField(json, "path");
  if (!path.hasValue() || path.value.empty()) {
    return fieldError("path", "required",
                      "须给出服务器上导入目录的路径 (path: the import folder on the server)");
  }
  request.folder = std::move(path.value);
  if (auto catalogue = textField(json, "catalogue"); catalogue.given()) {
    if (!catalogue.hasValue()) {
      return fieldError("catalogue", "wrong_type", "须为文本 (catalogue must be a string)");
    }
    request.catalogue = std::move(catalogue.value);
  }
  for (const auto& [name, flag] :
       {std::pair{"skip_bad", &request.skip_bad}, std::pair{"dry_run", &request.dry_run}}) {
    const auto given = booleanField(json, name);
    if (given.given() && !given.hasValue()) {
      return fieldError(name, "wrong_type", "须为 true 或 false (must be true or false)");
    }
    *flag = given.hasValue() && given.value;
  }
  return request;
}

Object::Ptr reportJson(const service::ImportReport& report, HTTPResponse& response) {
  Poco::Dynamic::Var job, url;
  if (report.job_id) {
    job = *report.job_id;
    url = "/api/v1/jobs/" + std::to_string(*report.job_id);
    response.set("Location", url.toString());
  }
  return json::object({"job_id"_f = job, "status_url"_f = url, "folder"_f = report.folder,
                       "catalogue"_f = report.catalogue,
                       "catalogue_sha256"_f = report.catalogue_sha256, "rows"_f = report.rows,
                       "ready"_f = report.ready, "already_imported"_f = report.already_imported,
                       "bytes"_f = report.bytes,
                       "unknown_columns"_f = json::array(report.unknown_columns),
                       "problems"_f = json::array(report.problems, [](const core::RowProblem& p) {
                         return json::object({"line"_f = p.line, "field"_f = p.field,
                                              "code"_f = p.code, "message"_f = p.message});
                       })});
}

}  // namespace

void addImportRoutes(Router& router, service::ImportService& imports) {
  router.add("POST", "/api/v1/imports", [&imports](Exchange& ex) {
    auto request = ex.readJson(kMaxBodyBytes, parseImportRequest);
    if (!request.ok()) return ex.sendProblem(request.error());
    const bool dryRun = request.value().dry_run;
    ex.reply(
        imports.start(ex.subject, request.value()),
        [&](const service::ImportReport& report) { return reportJson(report, ex.response); },
        dryRun ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_ACCEPTED);
  });
}

}  // namespace gongkai::server::http
