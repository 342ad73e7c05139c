#include "document_json.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "toolkit.h"

namespace gongkai::server::http {
namespace {

constexpr std::array<std::string_view, 10> kEditable = {
    "title", "doc_number", "category",  "org_unit", "scope",
    "mode",  "period",     "issued_at", "summary",  "catalogue_item"};
constexpr std::array<std::string_view, 9> kReadOnly = {"id",         "version",    "status",
                                                       "files",      "created_by", "created_at",
                                                       "updated_by", "updated_at", "change"};

// Each step {by, at}, or null when not taken.
Poco::Dynamic::Var stepJson(const std::optional<core::Step>& step) {
  if (!step) return Poco::Dynamic::Var();
  return json::object({"by"_f = step->by, "at"_f = step->at});
}

// The disclosure record with the same members as the stored record's, which the API shows.
Poco::JSON::Object::Ptr disclosureJson(const core::Disclosure& d) {
  auto out = json::object(
      {"submitted"_f = stepJson(d.submitted), "reviewed"_f = stepJson(d.reviewed),
       "confidentiality_reviewed"_f = d.confidentiality_reviewed, "opinion"_f = d.opinion,
       "published"_f = stepJson(d.published), "channels"_f = json::array(d.channels),
       "withdrawn"_f = stepJson(d.withdrawn), "withdrawal_reason"_f = d.withdrawal_reason,
       "archived"_f = stepJson(d.archived), "retention"_f = d.retention,
       "reference_code"_f = d.reference_code});
  if (d.imported) {
    out->set("imported", json::object({"catalogue"_f = d.imported->catalogue,
                                       "catalogue_sha256"_f = d.imported->catalogue_sha256,
                                       "line"_f = d.imported->line}));
  }
  if (d.disposed) {
    out->set("disposed",
             json::object({"proposed"_f = stepJson(d.disposed->proposed),
                           "reason"_f = d.disposed->reason,
                           "approved"_f = stepJson(d.disposed->approved),
                           "removed_blobs"_f = json::array(d.disposed->removed_blobs)}));
  }
  return out;
}

std::string documentPath(std::int64_t id) { return "/api/v1/documents/" + std::to_string(id); }

Poco::JSON::Object::Ptr extractionJson(const ExtractionByHash& extraction,
                                       const std::string& sha256) {
  const auto found = extraction.find(sha256);
  if (found == extraction.end()) return json::object({"status"_f = "pending"});
  const service::TextExtraction& text = found->second;
  auto out = json::object({"status"_f = text.ok ? "ok" : "failed",
                           "format"_f = json::textOrNull(text.format),
                           "extracted_at"_f = text.extracted_at});
  if (text.ok) {
    out->set("truncated", text.truncated);
  } else {
    json::set(out, {"code"_f = text.error_code, "message"_f = text.message});
  }
  return out;
}

}  // namespace

std::string versionEtag(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Poco::JSON::Object::Ptr documentJson(const core::DocumentVersion& v,
                                     const ExtractionByHash* extraction) {
  const auto& m = v.metadata;
  const auto file = [&](const core::FileRecord& f) {
    auto out =
        json::object({"id"_f = f.id, "name"_f = f.name, "media_type"_f = f.media_type,
                      "size"_f = f.size, "sha256"_f = f.sha256,
                      "url"_f = documentPath(v.document_id) + "/files/" + std::to_string(f.id)});
    if (extraction != nullptr) out->set("text_extraction", extractionJson(*extraction, f.sha256));
    return out;
  };
  auto o = json::object({"id"_f = v.document_id,
                         "version"_f = v.version,
                         "title"_f = m.title,
                         "doc_number"_f = m.doc_number,
                         "category"_f = m.category,
                         "org_unit"_f = m.org_unit,
                         "scope"_f = core::toString(m.scope),
                         "mode"_f = core::toString(m.mode),
                         "period"_f = core::toString(m.period),
                         "issued_at"_f = m.issued_at,
                         "year"_f = core::disclosureYear(m, v.created_at),
                         "summary"_f = m.summary,
                         "catalogue_item"_f = m.catalogue_item,
                         "status"_f = core::toString(v.status),
                         "reference_code"_f = json::textOrNull(v.disclosure.reference_code),
                         "created_by"_f = v.created_by,
                         "created_at"_f = v.created_at,
                         "updated_by"_f = v.updated_by,
                         "updated_at"_f = v.updated_at,
                         "change"_f = v.change,
                         "etag"_f = versionEtag(v.version),
                         "files"_f = json::array(v.files, file)});
  o->set("disclosure", disclosureJson(v.disclosure));
  return o;
}

service::DocumentMetadataFields readMetadataFields(const Poco::JSON::Object::Ptr& json) {
  service::DocumentMetadataFields fields;
  for (const auto& [key, value] : *json) {
    if (std::find(kReadOnly.begin(), kReadOnly.end(), key) != kReadOnly.end()) {
      fields.form_errors.push_back(
          {key, "read_only_field",
           "该字段由服务器维护，不能设置 (field is maintained by the server)"});
    } else if (std::find(kEditable.begin(), kEditable.end(), key) == kEditable.end()) {
      fields.form_errors.push_back({key, "unknown_field", kUnknownField});
    }
  }
  fields.title = textField(json, "title");
  fields.doc_number = textField(json, "doc_number");
  fields.category = textField(json, "category");
  fields.org_unit = textField(json, "org_unit");
  fields.scope = textField(json, "scope");
  fields.mode = textField(json, "mode");
  fields.period = textField(json, "period");
  fields.issued_at = textField(json, "issued_at");
  fields.summary = textField(json, "summary");
  fields.catalogue_item = integerField(json, "catalogue_item");
  return fields;
}

core::StepBody readStepBody(const Poco::JSON::Object::Ptr& body) {
  core::StepBody out;
  if (!body) return out;
  for (const auto& [key, ignored] : *body) out.members.push_back(key);
  out.confidentiality_reviewed = booleanField(body, "confidentiality_reviewed");
  out.opinion = textField(body, "opinion");
  out.reason = textField(body, "reason");
  out.retention = textField(body, "retention");
  out.channels = textArrayField(body, "channels");
  return out;
}

Poco::JSON::Object::Ptr versionSummaryJson(const core::DocumentVersion& v) {
  return json::object(
      {"version"_f = v.version, "change"_f = v.change, "status"_f = core::toString(v.status),
       "title"_f = v.metadata.title, "file_count"_f = v.files.size(), "updated_by"_f = v.updated_by,
       "updated_at"_f = v.updated_at,
       "url"_f = documentPath(v.document_id) + "/versions/" + std::to_string(v.version)});
}

}  // namespace gongkai::server::http
