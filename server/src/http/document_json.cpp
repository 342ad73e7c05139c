#include "document_json.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "body_reader.h"

namespace gongkai::server::http {
namespace {

Poco::Dynamic::Var orNull(const std::optional<std::string>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

constexpr std::array<std::string_view, 10> kEditable = {
    "title", "doc_number", "category",  "org_unit", "scope",
    "mode",  "period",     "issued_at", "summary",  "catalogue_item"};
constexpr std::array<std::string_view, 9> kReadOnly = {"id",         "version",    "status",
                                                       "files",      "created_by", "created_at",
                                                       "updated_by", "updated_at", "change"};

// Each step {by, at}, or null when not taken.
Poco::Dynamic::Var stepJson(const std::optional<core::Step>& step) {
  if (!step) return Poco::Dynamic::Var();
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("by", step->by);
  o->set("at", core::formatRfc3339(step->at));
  return o;
}

// The disclosure record with the same members as the stored record's, which the API shows.
Poco::JSON::Object::Ptr disclosureJson(const core::Disclosure& d) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("submitted", stepJson(d.submitted));
  o->set("reviewed", stepJson(d.reviewed));
  o->set("confidentiality_reviewed", d.confidentiality_reviewed);
  o->set("opinion", d.opinion);
  o->set("published", stepJson(d.published));
  Poco::JSON::Array::Ptr channels = new Poco::JSON::Array;
  for (const auto& channel : d.channels) channels->add(channel);
  o->set("channels", channels);
  o->set("withdrawn", stepJson(d.withdrawn));
  o->set("withdrawal_reason", d.withdrawal_reason);
  o->set("archived", stepJson(d.archived));
  o->set("retention", d.retention);
  o->set("reference_code", d.reference_code);
  return o;
}

std::string documentPath(std::int64_t id) { return "/api/v1/documents/" + std::to_string(id); }

Poco::JSON::Object::Ptr extractionJson(const ExtractionByHash& extraction,
                                       const std::string& sha256) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  const auto found = extraction.find(sha256);
  if (found == extraction.end()) {
    o->set("status", "pending");
    return o;
  }
  const service::TextExtraction& text = found->second;
  o->set("status", text.ok ? "ok" : "failed");
  o->set("format", text.format.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text.format));
  if (text.ok) {
    o->set("truncated", text.truncated);
  } else {
    o->set("code", text.error_code);
    o->set("message", text.message);
  }
  o->set("extracted_at", text.extracted_at);
  return o;
}

}  // namespace

std::string versionEtag(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Poco::JSON::Object::Ptr documentJson(const core::DocumentVersion& v,
                                     const ExtractionByHash* extraction) {
  const auto& m = v.metadata;
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", static_cast<Poco::Int64>(v.document_id));
  o->set("version", static_cast<Poco::Int64>(v.version));
  o->set("title", m.title);
  o->set("doc_number", orNull(m.doc_number));
  o->set("category", m.category);
  o->set("org_unit", m.org_unit);
  o->set("scope", std::string(core::toString(m.scope)));
  o->set("mode", std::string(core::toString(m.mode)));
  o->set("period", std::string(core::toString(m.period)));
  o->set("issued_at",
         m.issued_at ? Poco::Dynamic::Var(m.issued_at->toString()) : Poco::Dynamic::Var());
  o->set("year", core::disclosureYear(m, v.created_at));
  o->set("summary", orNull(m.summary));
  o->set("catalogue_item", m.catalogue_item
                               ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*m.catalogue_item))
                               : Poco::Dynamic::Var());
  o->set("status", std::string(core::toString(v.status)));
  o->set("reference_code", v.disclosure.reference_code.empty()
                               ? Poco::Dynamic::Var()
                               : Poco::Dynamic::Var(v.disclosure.reference_code));
  o->set("disclosure", disclosureJson(v.disclosure));
  o->set("created_by", v.created_by);
  o->set("created_at", core::formatRfc3339(v.created_at));
  o->set("updated_by", v.updated_by);
  o->set("updated_at", core::formatRfc3339(v.updated_at));
  o->set("change", v.change);
  o->set("etag", versionEtag(v.version));
  Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
  for (const auto& f : v.files) {
    Poco::JSON::Object::Ptr file = new Poco::JSON::Object;
    file->set("id", static_cast<Poco::Int64>(f.id));
    file->set("name", f.name);
    file->set("media_type", f.media_type);
    file->set("size", static_cast<Poco::Int64>(f.size));
    file->set("sha256", f.sha256);
    file->set("url", documentPath(v.document_id) + "/files/" + std::to_string(f.id));
    if (extraction != nullptr) file->set("text_extraction", extractionJson(*extraction, f.sha256));
    files->add(file);
  }
  o->set("files", files);
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
  using Elements = std::vector<std::optional<std::string>>;
  out.channels = memberField<Elements>(body, "channels", [](const Poco::Dynamic::Var& value) {
    std::optional<Elements> elements;
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return elements;
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    elements.emplace();
    for (unsigned i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var element = array->get(i);
      elements->push_back(element.isString() ? std::optional(element.extract<std::string>())
                                             : std::nullopt);
    }
    return elements;
  });
  return out;
}

Poco::JSON::Object::Ptr versionSummaryJson(const core::DocumentVersion& v) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("version", static_cast<Poco::Int64>(v.version));
  o->set("change", v.change);
  o->set("status", std::string(core::toString(v.status)));
  o->set("title", v.metadata.title);
  o->set("file_count", static_cast<Poco::Int64>(v.files.size()));
  o->set("updated_by", v.updated_by);
  o->set("updated_at", core::formatRfc3339(v.updated_at));
  o->set("url", documentPath(v.document_id) + "/versions/" + std::to_string(v.version));
  return o;
}

}  // namespace gongkai::server::http
