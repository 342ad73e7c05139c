#include "gongkai/core/document.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <array>
#include <utility>

#include "gongkai/core/json.h"
#include "step_record.h"

namespace gongkai::core {
namespace {

template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

constexpr Names<Scope, 3> kScopes{{{Scope::kPublic, "public"},
                                   {Scope::kInternal, "internal"},
                                   {Scope::kRestricted, "restricted"}}};
constexpr Names<Mode, 3> kModes{{{Mode::kStatutory, "statutory"},
                                 {Mode::kProactive, "proactive"},
                                 {Mode::kOnRequest, "on_request"}}};
constexpr Names<Period, 4> kPeriods{{{Period::kStanding, "standing"},
                                     {Period::kPeriodic, "periodic"},
                                     {Period::kStaged, "staged"},
                                     {Period::kImmediate, "immediate"}}};
constexpr Names<DocumentStatus, 7> kStatuses{{{DocumentStatus::kDraft, "draft"},
                                              {DocumentStatus::kSubmitted, "submitted"},
                                              {DocumentStatus::kApproved, "approved"},
                                              {DocumentStatus::kPublished, "published"},
                                              {DocumentStatus::kWithdrawn, "withdrawn"},
                                              {DocumentStatus::kArchived, "archived"},
                                              {DocumentStatus::kDisposed, "disposed"}}};

template <typename Enum, std::size_t N>
std::string_view nameOf(const Names<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "";
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueOf(const Names<Enum, N>& names, std::string_view text) {
  for (const auto& [candidate, name] : names) {
    if (name == text) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(Scope value) { return nameOf(kScopes, value); }
std::string_view toString(Mode value) { return nameOf(kModes, value); }
std::string_view toString(Period value) { return nameOf(kPeriods, value); }
std::string_view toString(DocumentStatus value) { return nameOf(kStatuses, value); }
std::optional<Scope> parseScope(std::string_view text) { return valueOf(kScopes, text); }
std::optional<Mode> parseMode(std::string_view text) { return valueOf(kModes, text); }
std::optional<Period> parsePeriod(std::string_view text) { return valueOf(kPeriods, text); }
std::optional<DocumentStatus> parseStatus(std::string_view text) {
  return valueOf(kStatuses, text);
}

int disclosureYear(const DocumentMetadata& metadata, TimePoint createdAt) {
  return metadata.issued_at ? metadata.issued_at->year : yearOf(createdAt);
}

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Error corruptRecord(const std::string& what) {
  return Error::make(ErrorCode::kCorrupt, "corrupt_record",
                     "版本记录损坏 (corrupt version record): " + what);
}

template <typename T>
Poco::Dynamic::Var orNull(const std::optional<T>& value) {
  return value ? Poco::Dynamic::Var(*value) : Poco::Dynamic::Var();
}

Object::Ptr disclosureObject(const Disclosure& d) {
  Object::Ptr out = new Object;
  out->set("submitted", stepJson(d.submitted));
  out->set("reviewed", stepJson(d.reviewed));
  out->set("confidentiality_reviewed", d.confidentiality_reviewed);
  out->set("opinion", d.opinion);
  out->set("published", stepJson(d.published));
  Array::Ptr channels = new Array;
  for (const auto& channel : d.channels) channels->add(channel);
  out->set("channels", channels);
  out->set("withdrawn", stepJson(d.withdrawn));
  out->set("withdrawal_reason", d.withdrawal_reason);
  out->set("archived", stepJson(d.archived));
  out->set("retention", d.retention);
  out->set("reference_code", d.reference_code);
  if (d.imported) {
    Object::Ptr imported = new Object;
    imported->set("catalogue", d.imported->catalogue);
    imported->set("catalogue_sha256", d.imported->catalogue_sha256);
    imported->set("line", static_cast<Poco::Int64>(d.imported->line));
    out->set("imported", imported);
  }
  if (d.disposed) {
    Object::Ptr disposed = new Object;
    disposed->set("proposed", stepJson(d.disposed->proposed));
    disposed->set("reason", d.disposed->reason);
    disposed->set("approved", stepJson(d.disposed->approved));
    Array::Ptr blobs = new Array;
    for (const auto& blob : d.disposed->removed_blobs) blobs->add(blob);
    disposed->set("removed_blobs", blobs);
    out->set("disposed", disposed);
  }
  return out;
}

Disclosure parseDisclosure(const Object::Ptr& o) {
  Disclosure d;
  d.submitted = parseStep(o, "submitted");
  d.reviewed = parseStep(o, "reviewed");
  d.confidentiality_reviewed = o->getValue<bool>("confidentiality_reviewed");
  d.opinion = o->getValue<std::string>("opinion");
  d.published = parseStep(o, "published");
  const Array::Ptr channels = o->getArray("channels");
  if (!channels) throw Poco::DataFormatException("channels");
  for (unsigned i = 0; i < channels->size(); ++i)
    d.channels.push_back(channels->getElement<std::string>(i));
  d.withdrawn = parseStep(o, "withdrawn");
  d.withdrawal_reason = o->getValue<std::string>("withdrawal_reason");
  d.archived = parseStep(o, "archived");
  d.retention = o->getValue<std::string>("retention");
  d.reference_code = o->getValue<std::string>("reference_code");
  if (o->has("imported")) {
    const Object::Ptr imported = o->getObject("imported");
    if (!imported) throw Poco::DataFormatException("imported");
    d.imported = ImportSource{imported->getValue<std::string>("catalogue"),
                              imported->getValue<std::string>("catalogue_sha256"),
                              imported->getValue<Poco::Int64>("line")};
  }
  if (o->has("disposed")) {
    const Object::Ptr disposed = o->getObject("disposed");
    if (!disposed) throw Poco::DataFormatException("disposed");
    const auto proposed = parseStep(disposed, "proposed");
    const auto approved = parseStep(disposed, "approved");
    const Array::Ptr blobs = disposed->getArray("removed_blobs");
    if (!proposed || !approved || !blobs) throw Poco::DataFormatException("disposed");
    Disposition disposition{*proposed, disposed->getValue<std::string>("reason"), *approved, {}};
    for (unsigned i = 0; i < blobs->size(); ++i)
      disposition.removed_blobs.push_back(blobs->getElement<std::string>(i));
    d.disposed = std::move(disposition);
  }
  return d;
}

}  // namespace

std::string canonicalRecord(const DocumentVersion& v) {
  Object::Ptr root = new Object;
  root->set("document_id", static_cast<Poco::Int64>(v.document_id));
  root->set("version", static_cast<Poco::Int64>(v.version));
  root->set("title", v.metadata.title);
  root->set("doc_number", orNull(v.metadata.doc_number));
  root->set("category", v.metadata.category);
  root->set("org_unit", v.metadata.org_unit);
  root->set("scope", std::string(toString(v.metadata.scope)));
  root->set("mode", std::string(toString(v.metadata.mode)));
  root->set("period", std::string(toString(v.metadata.period)));
  root->set("issued_at", v.metadata.issued_at ? Poco::Dynamic::Var(v.metadata.issued_at->toString())
                                              : Poco::Dynamic::Var());
  root->set("summary", orNull(v.metadata.summary));
  // Only when set, so records from before the catalogue keep their bytes.
  if (v.metadata.catalogue_item)
    root->set("catalogue_item", static_cast<Poco::Int64>(*v.metadata.catalogue_item));
  root->set("status", std::string(toString(v.status)));
  // Left out while empty, so the records of versions from before the procedure existed keep
  // exactly the bytes their audit entries hashed.
  if (!v.disclosure.empty()) root->set("disclosure", disclosureObject(v.disclosure));
  Array::Ptr files = new Array;
  for (const FileRecord& f : v.files) {
    Object::Ptr file = new Object;
    file->set("id", static_cast<Poco::Int64>(f.id));
    file->set("name", f.name);
    file->set("media_type", f.media_type);
    file->set("size", static_cast<Poco::Int64>(f.size));
    file->set("sha256", f.sha256);
    files->add(file);
  }
  root->set("files", files);
  root->set("created_by", v.created_by);
  root->set("created_at", formatRfc3339(v.created_at));
  root->set("updated_by", v.updated_by);
  root->set("updated_at", formatRfc3339(v.updated_at));
  root->set("change", v.change);
  return canonicalJson(root);
}

Result<DocumentVersion> parseRecord(std::string_view record) {
  auto parsed = parseJsonObject(record);
  if (!parsed.ok()) return corruptRecord(parsed.error().message);
  const Object::Ptr& o = parsed.value();
  try {
    DocumentVersion v;
    v.document_id = o->getValue<Poco::Int64>("document_id");
    v.version = o->getValue<Poco::Int64>("version");
    v.metadata.title = o->getValue<std::string>("title");
    if (!o->isNull("doc_number")) v.metadata.doc_number = o->getValue<std::string>("doc_number");
    v.metadata.category = o->getValue<std::string>("category");
    v.metadata.org_unit = o->getValue<std::string>("org_unit");
    const auto scope = parseScope(o->getValue<std::string>("scope"));
    const auto mode = parseMode(o->getValue<std::string>("mode"));
    const auto period = parsePeriod(o->getValue<std::string>("period"));
    const auto status = parseStatus(o->getValue<std::string>("status"));
    if (!scope || !mode || !period || !status) return corruptRecord("unknown enumeration value");
    v.metadata.scope = *scope;
    v.metadata.mode = *mode;
    v.metadata.period = *period;
    v.status = *status;
    if (o->has("disclosure")) {
      const Object::Ptr disclosure = o->getObject("disclosure");
      if (!disclosure) return corruptRecord("disclosure");
      v.disclosure = parseDisclosure(disclosure);
    }
    if (!o->isNull("issued_at")) {
      v.metadata.issued_at = parseDate(o->getValue<std::string>("issued_at"));
      if (!v.metadata.issued_at) return corruptRecord("issued_at");
    }
    if (!o->isNull("summary")) v.metadata.summary = o->getValue<std::string>("summary");
    if (o->has("catalogue_item"))
      v.metadata.catalogue_item = o->getValue<Poco::Int64>("catalogue_item");
    const Array::Ptr files = o->getArray("files");
    if (!files) return corruptRecord("files");
    for (unsigned i = 0; i < files->size(); ++i) {
      const Object::Ptr f = files->getObject(i);
      if (!f) return corruptRecord("files[" + std::to_string(i) + "]");
      v.files.push_back(FileRecord{f->getValue<Poco::Int64>("id"), f->getValue<std::string>("name"),
                                   f->getValue<std::string>("media_type"),
                                   f->getValue<Poco::Int64>("size"),
                                   f->getValue<std::string>("sha256")});
    }
    v.created_by = o->getValue<std::string>("created_by");
    v.updated_by = o->getValue<std::string>("updated_by");
    v.change = o->getValue<std::string>("change");
    const auto createdAt = parseRfc3339(o->getValue<std::string>("created_at"));
    const auto updatedAt = parseRfc3339(o->getValue<std::string>("updated_at"));
    if (!createdAt || !updatedAt) return corruptRecord("timestamps");
    v.created_at = *createdAt;
    v.updated_at = *updatedAt;
    return v;
  } catch (const Poco::Exception& e) {
    return corruptRecord(e.displayText());
  }
}

}  // namespace gongkai::core
