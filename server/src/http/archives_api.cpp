#include "net/file_response.h"
#include "routes.h"
#include "toolkit.h"

namespace gongkai::server::http {
namespace {

using Poco::JSON::Object;
using Poco::Net::HTTPResponse;

constexpr std::int64_t kMaxBodyBytes = 4096;

Object::Ptr jobJson(const service::JobView& job) {
  const auto& p = job.progress;
  const auto error = json::object({"code"_f = job.error_code, "message"_f = job.error_message});
  return json::object(
      {"job_id"_f = job.id, "kind"_f = job.kind, "state"_f = job.state,
       "params"_f = json::parsedOrNull(job.params), "result"_f = json::parsedOrNull(job.result),
       "progress"_f =
           json::object({"items_done"_f = p.items_done, "items_total"_f = p.items_total,
                         "bytes_done"_f = p.bytes_done, "bytes_total"_f = p.bytes_total}),
       "error"_f = job.error_code.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(error),
       "created_by"_f = job.created_by, "created_at"_f = job.created_at,
       "updated_at"_f = job.updated_at});
}

Object::Ptr archiveJson(const service::BundleRecord& a) {
  return json::object(
      {"id"_f = a.id, "name"_f = a.name, "fonds"_f = a.fonds, "category"_f = a.category,
       "year"_f = a.year, "item_count"_f = a.item_count,
       "audit_entry_count"_f = a.audit_entry_count, "size"_f = a.size, "sha256"_f = a.sha256,
       "signer_key"_f = a.signer_key, "sm2_signed"_f = a.sm2_signed,
       "checkpoint_size"_f = a.checkpoint_size, "job_id"_f = a.job_id,
       "created_by"_f = a.created_by, "created_at"_f = a.created_at,
       "download_url"_f = "/api/v1/archives/" + std::to_string(a.id) + "/download"});
}

// {"category": "ZZ", "year": 2023, "checkpoint_size": N (optional)}, nothing else.
core::Result<service::BundleRequest> parseBundleRequest(const Object::Ptr& json) {
  if (auto known = refuseUnknownMembers(json, {"category", "year", "checkpoint_size"});
      !known.ok()) {
    return known.error();
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

}  // namespace

void addArchiveRoutes(Router& router, service::ArchiveService& archives) {
  router.add("POST", "/api/v1/archives", [&archives](Exchange& ex) {
    auto request = ex.readJson(kMaxBodyBytes, parseBundleRequest);
    if (!request.ok()) return ex.sendProblem(request.error());
    const auto render = [&](std::int64_t job) {
      const std::string url = "/api/v1/jobs/" + std::to_string(job);
      ex.response.set("Location", url);
      return json::object({"job_id"_f = job, "status_url"_f = url});
    };
    ex.reply(archives.requestBundle(request.value(), ex.subject), render,
             HTTPResponse::HTTP_ACCEPTED);
  });
  router.add("GET", "/api/v1/archives", [&archives](Exchange& ex) {
    auto year = ex.yearQuery();
    if (!year.ok()) return ex.sendProblem(year.error());
    ex.reply(archives.list(ex.subject, ex.queryValue("category"), year.value()),
             [](const auto& all) {
               return json::object({"archives"_f = json::array(all, archiveJson)});
             });
  });
  router.add("GET", "/api/v1/archives/signing-keys", [&archives](Exchange& ex) {
    ex.reply(archives.signingKeys(ex.subject), [](const auto& keys) {
      return json::object({"ed25519_public_key_pem"_f = keys.ed25519_pem,
                           "sm2_public_key_pem"_f = json::textOrNull(keys.sm2_pem)});
    });
  });
  router.add("GET", "/api/v1/archives/{id}", [&archives](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.replyTagged(
        archives.get(ex.subject, id.value()),
        [](const auto& bundle) { return "\"" + bundle.sha256 + "\""; }, archiveJson);
  });
  router.add("GET", "/api/v1/archives/{id}/download", [&archives](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto found = archives.download(ex.subject, id.value());
    if (!found.ok()) return ex.sendProblem(found.error());
    const service::BundleRecord& row = found.value().bundle;
    // A bundle never changes once built.
    net::sendStoredFile(
        ex, {found.value().path, row.size, "\"" + row.sha256 + "\"", "application/x-tar",
             row.name + ".tar", row.sha256, "private, max-age=31536000, immutable"});
  });
  // The bundle's items as DA/T 48 EEP packages, one XML each, in one tar.
  router.add("GET", "/api/v1/archives/{id}/eep", [&archives](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    auto made = archives.eep(ex.subject, id.value());
    if (!made.ok()) return ex.sendProblem(made.error());
    const auto& package = made.value();
    net::sendStoredFile(ex, {package.path, package.size, "\"" + package.sha256 + "\"",
                             "application/x-tar", package.bundle.name + "-eep.tar", package.sha256,
                             "private, max-age=31536000, immutable"});
  });
  // Newest first; next_before pages on.
  router.add("GET", "/api/v1/jobs", [&archives](Exchange& ex) {
    auto listing = service::ArchiveService::parseJobListing(ex.query);
    if (!listing.ok()) return ex.sendProblem(listing.error());
    ex.reply(archives.jobs(ex.subject, listing.value()), [](const auto& page) {
      return json::object(
          {"jobs"_f = json::array(page.jobs, jobJson), "next_before"_f = page.next_before});
    });
  });
  router.add("GET", "/api/v1/jobs/{id}", [&archives](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(archives.job(ex.subject, id.value()), jobJson);
  });
  router.add("POST", "/api/v1/jobs/{id}/cancel", [&archives](Exchange& ex) {
    auto id = ex.idParam("id");
    if (!id.ok()) return ex.sendProblem(id.error());
    ex.reply(archives.cancelJob(ex.subject, id.value()), jobJson);
  });
}

}  // namespace gongkai::server::http
